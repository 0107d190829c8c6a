/**
 * Kubernetes OpenAPI v2 (swagger.json) → KubernetesSchemaBundle.
 *
 * Pure: no I/O. Used by `scripts/generate-schemas.ts`; the result is what the runtime
 * registers with ajv under KUBERNETES_SCHEMA_ID. The fixes made here (see the README of
 * the generated folder, `schemas/PROVENANCE.md`) turn the swagger definitions into
 * schemas that accept what the API server accepts and reject what it rejects, as far as
 * a JSON Schema can say it:
 *
 * - IntOrString and Quantity accept numbers as well as strings; Quantity strings must
 *   follow the Kubernetes quantity grammar.
 * - Every object with `properties` and no `additionalProperties` gets
 *   `additionalProperties: false` (kubeconform's `-strict`), so misspelled fields are reported.
 * - Port numbers are limited to 1..65535.
 * - Label keys and values follow the Kubernetes label syntax.
 * - `Time` also accepts null (kubectl writes `creationTimestamp: null`).
 * - `format` (which ajv without ajv-formats does not know) and most `x-kubernetes-*`
 *   annotations are removed.
 */
import type { JsonSchema, KindEntry, KubernetesSchemaBundle } from './bundle';

export interface KubernetesBundleOptions {
  /** `MAJOR.MINOR`, e.g. `1.36`. */
  version: string;
  /** One line naming the upstream the swagger came from. */
  source: string;
}

const DEF = {
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  objectMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  labelSelector: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  containerPort: 'io.k8s.api.core.v1.ContainerPort',
  servicePort: 'io.k8s.api.core.v1.ServicePort',
} as const;

/**
 * The Kubernetes quantity grammar (`<signedNumber><suffix>`): a signed decimal number
 * (`1`, `1.5`, `1.`, `.5`, `+1`, `-1`), then nothing, a binary SI suffix (`Ki` … `Ei`),
 * a decimal SI suffix (`m`, `k`, `M`, `G`, `T`, `P`, `E`) or a decimal exponent (`e3`, `E-2`).
 */
export const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[mkMGTPE]|[eE][+-]?[0-9]+)?$';

/** A label value: empty, or up to 63 alphanumerics, `-`, `_`, `.`, beginning and ending alphanumeric. */
export const LABEL_VALUE_PATTERN = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
export const LABEL_VALUE_MAX_LENGTH = 63;

/**
 * A qualified name (label key): an optional DNS-1123 subdomain prefix of at most 253
 * characters followed by `/`, then a name of 1..63 characters that begins and ends with an
 * alphanumeric and has only alphanumerics, `-`, `_` and `.` in between.
 */
export const LABEL_KEY_PATTERN =
  '^((?=[^/]{1,253}/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?' +
  '(?=[^/]{1,63}$)([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';

const MIN_PORT = 1;
const MAX_PORT = 65535;

/** Keywords kept from the swagger; everything else (`format`, other `x-kubernetes-*`) is dropped. */
const KEPT_KEYWORDS = new Set([
  'description',
  'type',
  'properties',
  'items',
  'required',
  '$ref',
  'additionalProperties',
  'enum',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cloneJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** One swagger schema node → JSON Schema, recursively; objects with properties become strict. */
export function convertSwaggerSchema(node: Record<string, unknown>): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT_KEYWORDS.has(key)) continue;
    if (key === 'properties' && isRecord(value)) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, child] of Object.entries(value)) {
        properties[name] = isRecord(child) ? convertSwaggerSchema(child) : {};
      }
      out.properties = properties;
    } else if ((key === 'items' || key === 'additionalProperties') && isRecord(value)) {
      out[key] = convertSwaggerSchema(value);
    } else {
      out[key] = cloneJson(value);
    }
  }
  if (isRecord(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function requireDefinition(definitions: Record<string, JsonSchema>, name: string): JsonSchema {
  const definition = definitions[name];
  if (!definition) throw new Error(`swagger has no definition ${name}`);
  return definition;
}

function requireProperty(definitions: Record<string, JsonSchema>, name: string, property: string): JsonSchema {
  const properties = requireDefinition(definitions, name).properties;
  const schema = isRecord(properties) ? properties[property] : undefined;
  if (!isRecord(schema)) throw new Error(`swagger definition ${name} has no property ${property}`);
  return schema;
}

function withDescription(schema: JsonSchema, from: JsonSchema): JsonSchema {
  return typeof from.description === 'string' ? { ...schema, description: from.description } : schema;
}

/** The schema of a label map (ObjectMeta.labels, LabelSelector.matchLabels). */
export function labelMapSchema(description?: string): JsonSchema {
  const schema: JsonSchema = {
    type: 'object',
    additionalProperties: { type: 'string', maxLength: LABEL_VALUE_MAX_LENGTH, pattern: LABEL_VALUE_PATTERN },
    propertyNames: { pattern: LABEL_KEY_PATTERN },
  };
  if (description !== undefined) schema.description = description;
  return schema;
}

/** Applies the validation fixes to converted definitions, in place. */
function applyFixes(definitions: Record<string, JsonSchema>): void {
  const intOrString = requireDefinition(definitions, DEF.intOrString);
  definitions[DEF.intOrString] = withDescription({ type: ['integer', 'string'] }, intOrString);

  const quantity = requireDefinition(definitions, DEF.quantity);
  definitions[DEF.quantity] = withDescription({ type: ['number', 'string'], pattern: QUANTITY_PATTERN }, quantity);

  // `kubectl create … --dry-run=client -o yaml` writes `creationTimestamp: null`, and the API
  // server reads null as "unset"; do not report kubectl's own output.
  const time = requireDefinition(definitions, DEF.time);
  definitions[DEF.time] = withDescription({ type: ['string', 'null'] }, time);

  for (const [definition, property] of [
    [DEF.containerPort, 'containerPort'],
    [DEF.containerPort, 'hostPort'],
    [DEF.servicePort, 'port'],
    [DEF.servicePort, 'nodePort'],
  ] as const) {
    const schema = requireProperty(definitions, definition, property);
    schema.minimum = MIN_PORT;
    schema.maximum = MAX_PORT;
  }

  const servicePortProperties = requireDefinition(definitions, DEF.servicePort).properties as Record<string, JsonSchema>;
  servicePortProperties.targetPort = withDescription(
    { type: ['integer', 'string'], minimum: MIN_PORT, maximum: MAX_PORT },
    requireProperty(definitions, DEF.servicePort, 'targetPort'),
  );

  for (const [definition, property] of [
    [DEF.objectMeta, 'labels'],
    [DEF.labelSelector, 'matchLabels'],
  ] as const) {
    const original = requireProperty(definitions, definition, property);
    const properties = requireDefinition(definitions, definition).properties as Record<string, JsonSchema>;
    properties[property] = labelMapSchema(typeof original.description === 'string' ? original.description : undefined);
  }
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

function readGvk(value: unknown): GroupVersionKind | undefined {
  if (!isRecord(value)) return undefined;
  const { group, version, kind } = value;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string') return undefined;
  if (!version || !kind) return undefined;
  return { group, version, kind };
}

export function apiVersionOf(gvk: { group: string; version: string }): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/**
 * A resource path (not a subresource): `/api/v1/<plural>[/{name}]` or
 * `/apis/<group>/<version>/<plural>[/{name}]`, optionally under `namespaces/{namespace}/`.
 */
const RESOURCE_PATH = /^\/(api\/v1|apis\/[^/]+\/[^/]+)\/(namespaces\/\{namespace\}\/)?[^/{]+(\/\{name\})?$/;
const NAMESPACED_PATH = '/namespaces/{namespace}/';
/** Operations that read or create one object (a list GET has action `list`). */
const SINGLE_OBJECT_ACTIONS: Record<string, string> = { get: 'get', post: 'post' };

/**
 * The kinds the API serves as top-level resources: every GVK that a resource path (not a
 * subresource such as `/scale` or `/eviction`) serves with a single-object GET or a POST.
 * This leaves out `*List`, `DeleteOptions`, `Status`, `WatchEvent` and the like, and the
 * subresource-only kinds (`Scale`, `Eviction`, `TokenRequest`).
 */
export function servedKinds(swagger: Record<string, unknown>, definitions: Record<string, unknown>): KindEntry[] {
  const definitionByGvk = new Map<string, string>();
  for (const name of Object.keys(definitions).sort()) {
    const definition = definitions[name];
    const gvks = isRecord(definition) ? definition['x-kubernetes-group-version-kind'] : undefined;
    if (!Array.isArray(gvks)) continue;
    for (const raw of gvks) {
      const gvk = readGvk(raw);
      if (!gvk) continue;
      const key = `${apiVersionOf(gvk)} ${gvk.kind}`;
      if (!definitionByGvk.has(key)) definitionByGvk.set(key, name);
    }
  }

  const kinds = new Map<string, KindEntry>();
  const paths = isRecord(swagger.paths) ? swagger.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!RESOURCE_PATH.test(path) || !isRecord(item)) continue;
    for (const [method, action] of Object.entries(SINGLE_OBJECT_ACTIONS)) {
      const operation = item[method];
      if (!isRecord(operation) || operation['x-kubernetes-action'] !== action) continue;
      const gvk = readGvk(operation['x-kubernetes-group-version-kind']);
      if (!gvk) continue;
      const apiVersion = apiVersionOf(gvk);
      const key = `${apiVersion} ${gvk.kind}`;
      const definition = definitionByGvk.get(key);
      if (!definition) continue;
      const namespaced = path.includes(NAMESPACED_PATH);
      const known = kinds.get(key);
      if (known) known.namespaced ||= namespaced;
      else kinds.set(key, { apiVersion, kind: gvk.kind, definition, namespaced });
    }
  }
  return [...kinds.values()].sort((a, b) => compare(a.apiVersion, b.apiVersion) || compare(a.kind, b.kind));
}

/** Code-unit order, independent of the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function convertKubernetesOpenApi(swagger: unknown, options: KubernetesBundleOptions): KubernetesSchemaBundle {
  if (!isRecord(swagger) || !isRecord(swagger.definitions)) throw new Error('not a swagger document: no definitions');
  const raw = swagger.definitions;
  const definitions: Record<string, JsonSchema> = {};
  for (const name of Object.keys(raw).sort()) {
    const definition = raw[name];
    definitions[name] = isRecord(definition) ? convertSwaggerSchema(definition) : {};
  }
  applyFixes(definitions);
  return { version: options.version, source: options.source, definitions, kinds: servedKinds(swagger, raw) };
}
