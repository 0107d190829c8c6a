/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1) → CustomResourceSchema[], one per served version.
 *
 * Pure, and used at run time on CRDs found in the user's workspace as well as by the schema
 * generator, so it never throws: a malformed CRD gives `[]`, a malformed version is skipped,
 * and a keyword ajv could not compile (a wrong-typed value, a pattern JavaScript cannot read)
 * is dropped rather than passed on.
 *
 * Fixes made to each `openAPIV3Schema`:
 * - top-level `metadata` → `$ref` to ObjectMeta in the Kubernetes bundle (OBJECT_META_REF);
 *   top-level `apiVersion`/`kind` are always allowed, as the API server allows them;
 * - `x-kubernetes-int-or-string: true` → `type: [integer, string]` (its `anyOf` is dropped);
 * - `nullable: true` → `null` added to `type` (and to `enum`);
 * - every object of the structural tree with `properties`, no `additionalProperties` and no
 *   `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false`;
 * - OpenAPI 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` → draft-07 numbers;
 * - `format`, `x-kubernetes-validations` (CEL) and other annotations ajv cannot use are dropped.
 *
 * Optionally (CrdConversionOptions.factorRepeated) repeated subschemas are moved into `$defs`,
 * which cuts ajv's compile time of Argo CD's ApplicationSet from seconds to a fraction of one.
 * The generator and the workspace scan both ask for it; schema walkers resolve the resulting
 * `#/$defs/<name>` refs against the schema's root (see refResolver in kubernetes/schemaNavigation.ts).
 */
import { OBJECT_META_REF, type JsonSchema, type CustomResourceSchema } from './bundle';

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
const NON_NEGATIVE_INTEGER_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];
const NUMBER_KEYWORDS = ['minimum', 'maximum'];
const KEPT_ANNOTATIONS = ['x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-preserve-unknown-fields'];
/** Deeper than any real CRD; guards the recursion against hostile input. */
const MAX_DEPTH = 256;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** A plain-JSON copy (YAML timestamps become strings); throws on cycles, which the caller catches. */
function cloneJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

function compilesAsPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function schemaArray(value: unknown, depth: number): JsonSchema[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const schemas = value.filter(isRecord).map((item) => convertNode(item, depth + 1, false));
  return schemas.length ? schemas : undefined;
}

/**
 * Converts one schema node. `structural` is true along `properties`/`items`/`additionalProperties`
 * from the root, where strictness applies; inside `allOf`/`anyOf`/`oneOf`/`not` it is false,
 * because those branches only constrain values and may list only some of the properties.
 */
function convertNode(node: Record<string, unknown>, depth: number, structural: boolean): JsonSchema {
  if (depth > MAX_DEPTH) throw new Error('schema nested too deeply');
  const out: JsonSchema = {};
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const nullable = node.nullable === true;
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;

  if (typeof node.description === 'string') out.description = node.description;

  let types: string[] | undefined;
  if (intOrString) types = ['integer', 'string'];
  else if (typeof node.type === 'string' && JSON_TYPES.has(node.type)) types = [node.type];
  else if (Array.isArray(node.type)) {
    const valid = node.type.filter((t): t is string => typeof t === 'string' && JSON_TYPES.has(t));
    if (valid.length) types = [...new Set(valid)];
  }
  if (types && nullable && !types.includes('null')) types.push('null');
  if (types) out.type = types.length === 1 ? types[0] : types;

  if (Array.isArray(node.enum) && node.enum.length) {
    const values = cloneJson(node.enum) as Json[];
    if (nullable && !values.includes(null)) values.push(null);
    out.enum = values;
  }
  if (node.default !== undefined) out.default = cloneJson(node.default);

  if (typeof node.pattern === 'string' && compilesAsPattern(node.pattern)) out.pattern = node.pattern;
  for (const keyword of NON_NEGATIVE_INTEGER_KEYWORDS) {
    const value = node[keyword];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) out[keyword] = value;
  }
  for (const keyword of NUMBER_KEYWORDS) {
    const value = node[keyword];
    if (typeof value === 'number' && Number.isFinite(value)) out[keyword] = value;
  }
  // OpenAPI 3.0 `exclusiveMinimum: true` qualifies `minimum`; draft-07 wants the bound itself.
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    const value = node[exclusive];
    if (value === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      out[exclusive] = value;
    }
  }
  if (typeof node.multipleOf === 'number' && Number.isFinite(node.multipleOf) && node.multipleOf > 0) {
    out.multipleOf = node.multipleOf;
  }
  if (typeof node.uniqueItems === 'boolean') out.uniqueItems = node.uniqueItems;

  if (Array.isArray(node.required)) {
    const required = [...new Set(node.required.filter((name): name is string => typeof name === 'string'))];
    if (required.length) out.required = required;
  }

  if (isRecord(node.properties)) {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries(node.properties)) {
      properties[name] = isRecord(child) ? convertNode(child, depth + 1, structural) : {};
    }
    out.properties = properties;
  }
  if (isRecord(node.items)) out.items = convertNode(node.items, depth + 1, structural);
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (isRecord(node.additionalProperties)) {
    out.additionalProperties = convertNode(node.additionalProperties, depth + 1, structural);
  }

  if (!intOrString) {
    const anyOf = schemaArray(node.anyOf, depth);
    if (anyOf) out.anyOf = anyOf;
  }
  const allOf = schemaArray(node.allOf, depth);
  if (allOf) out.allOf = allOf;
  const oneOf = schemaArray(node.oneOf, depth);
  if (oneOf) out.oneOf = oneOf;
  if (isRecord(node.not)) out.not = convertNode(node.not, depth + 1, false);

  for (const annotation of KEPT_ANNOTATIONS) {
    if (node[annotation] !== undefined) out[annotation] = cloneJson(node[annotation]);
  }

  // An embedded resource always allows apiVersion, kind and metadata, declared or not.
  if (node['x-kubernetes-embedded-resource'] === true && isRecord(out.properties)) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (structural && isRecord(out.properties) && out.additionalProperties === undefined && !preserveUnknown) {
    out.additionalProperties = false;
  }
  return out;
}

/** Converts a version's `openAPIV3Schema`; throws on hostile input (the caller skips the version). */
export function convertOpenApiV3Schema(schema: Record<string, unknown>): JsonSchema {
  const converted = convertNode(schema, 0, true);
  const properties = isRecord(converted.properties) ? (converted.properties as Record<string, JsonSchema>) : {};
  // The API server always accepts apiVersion and kind at the top, and checks metadata as ObjectMeta.
  // (A root without properties of its own got no additionalProperties above, so it stays open:
  // the CRD makes no claim about its fields.)
  converted.properties = {
    ...properties,
    apiVersion: properties.apiVersion ?? { type: 'string' },
    kind: properties.kind ?? { type: 'string' },
    metadata: { $ref: OBJECT_META_REF },
  };
  converted.type = 'object';
  return converted;
}

const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
/** Subschemas smaller than this (in JSON characters) are left inline even when repeated. */
export const DEFAULT_FACTOR_MIN_SIZE = 512;

/** The subschemas of a node, with the path segment that leads to each. */
function subschemas(node: JsonSchema): [string, JsonSchema][] {
  const found: [string, JsonSchema][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isRecord(value)) {
      for (const [name, child] of Object.entries(value)) if (isRecord(child)) found.push([name, child]);
    } else if (SCHEMA_KEYWORDS.has(key) && isRecord(value)) {
      found.push([key, value]);
    } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
      value.forEach((child, i) => {
        if (isRecord(child)) found.push([`${key}${i}`, child]);
      });
    }
  }
  return found;
}

/**
 * Moves every subschema that occurs more than once (and is at least `minSize` characters of
 * JSON) into the root's `$defs`, and refers to it with `$ref: '#/$defs/<name>'` (a prefix
 * distinct from the Kubernetes bundle's `#/definitions/`, so a reader can tell a CRD-local
 * reference from a Kubernetes one without context).
 * The result accepts exactly what the input accepts. Some CRDs repeat large subtrees many
 * times (Argo CD's ApplicationSet inlines the Application template in every generator,
 * nested twice through matrix/merge): ajv then generates megabytes of code and takes
 * seconds to compile; factored, it compiles each repeated part once.
 * Names are the dotted property path of the shallowest occurrence, so they are deterministic.
 * A root that already has `$defs` is returned as it is.
 * Identical subtrees are found by hash-consing (a subtree's key is its own keywords with its
 * children's keys, a large child standing as its id), so the cost is about linear in the size of
 * the schema: some 15–30 ms for the ApplicationSet, little enough for the workspace scan to pay.
 * Subtrees too small to be factored are shared with the input, not copied.
 */
export function factorRepeatedSubschemas(root: JsonSchema, minSize = DEFAULT_FACTOR_MIN_SIZE): JsonSchema {
  // Already factored (or written with definitions of its own): new names could collide with them.
  if (root.$defs !== undefined) return root;
  // 1. A canonical key and the JSON size of every subtree; identical subtrees have the same key.
  //    A subtree under `minSize` can never be factored, so it gets no id: its key is written
  //    out, `{…}`, in its parent's key. A larger one is interned and stands there as `#<id>`;
  //    ids are handed out children first, so a parent's id is larger than its children's.
  //    Only the large subtrees (the ancestors of large subtrees are large too) are kept in `info`.
  type Info = { id: number; size: number };
  const ids = new Map<string, number>();
  const info = new Map<JsonSchema, Info>();
  /** The ids of each large subtree's large subschemas, one entry per occurrence. */
  const edges: number[][] = [];
  // What analyse(node) found besides the key it returns.
  let lastSize = 0;
  let lastId = -1;
  // The same few keywords, names and values (`"type":"string"`) make up most of a schema.
  const quoted = new Map<string, string>();
  const quote = (text: string): string => {
    let found = quoted.get(text);
    if (found === undefined) quoted.set(text, (found = JSON.stringify(text)));
    return found;
  };
  const analyse = (node: JsonSchema): string => {
    let size = 2;
    let largeChildren: number[] | undefined;
    // A child counts in the size as its own JSON size, not as the length of its key.
    const keyOf = (child: unknown): string => {
      if (!isRecord(child)) return String(JSON.stringify(child));
      const key = analyse(child);
      size += lastSize - key.length;
      if (lastId >= 0) (largeChildren ??= []).push(lastId);
      return key;
    };
    // Keywords and property names in sorted order (sorting the built texts instead would
    // compare, and so flatten, the keys of whole subtrees).
    const keywords = Object.keys(node);
    if (keywords.length > 1) keywords.sort();
    let full = '';
    for (const key of keywords) {
      const value = node[key];
      let text: string;
      if (key === 'properties' && isRecord(value)) {
        const names = Object.keys(value);
        if (names.length > 1) names.sort();
        text = `{${names.map((name) => `${quote(name)}:${keyOf(value[name])}`).join(',')}}`;
      } else if (SCHEMA_KEYWORDS.has(key) && isRecord(value)) {
        text = keyOf(value);
      } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
        text = `[${value.map(keyOf).join(',')}]`;
      } else {
        text = typeof value === 'string' ? quote(value) : typeof value === 'boolean' ? String(value) : (JSON.stringify(value) ?? 'null');
      }
      size += key.length + text.length + 4;
      full += `${full ? ',' : ''}${quote(key)}:${text}`;
    }
    lastSize = size;
    if (size < minSize) {
      lastId = -1;
      return `{${full}}`;
    }
    let id = ids.get(full);
    if (id === undefined) {
      id = ids.size;
      ids.set(full, id);
      edges.push(largeChildren ?? []);
    }
    info.set(node, { id, size });
    lastId = id;
    return `#${id}`;
  };
  analyse(root);
  const rootId = lastId;
  // Too small for anything to be worth factoring.
  if (rootId < 0) return root;

  // 2. How often each large subtree occurs, counted over the distinct ones (parents before
  //    children, by falling id) rather than by walking every copy; then not counting the
  //    inside of a repeat that will be factored.
  const total = new Array<number>(edges.length).fill(0);
  total[rootId] = 1;
  for (let id = rootId; id >= 0; id--) {
    const times = total[id] as number;
    if (times) for (const child of edges[id] as number[]) total[child] = (total[child] as number) + times;
  }
  total[rootId] = 0;
  const candidate = (node: JsonSchema): boolean => {
    const found = info.get(node);
    return found !== undefined && (total[found.id] as number) > 1;
  };
  const effective = new Map<number, number>();
  const count = (node: JsonSchema): void => {
    for (const [, child] of subschemas(node)) {
      const found = info.get(child);
      if (!found) continue;
      const seen = effective.get(found.id) ?? 0;
      effective.set(found.id, seen + 1);
      if (seen > 0 && candidate(child)) continue;
      count(child);
    }
  };
  count(root);
  const factored = (node: JsonSchema): boolean => candidate(node) && (effective.get((info.get(node) as Info).id) ?? 0) > 1;

  // 3. Name each subtree after its shallowest occurrence (breadth first, so `spec.source` beats
  //    `operation.sync.source`), then rewrite, defining each factored subtree where first met.
  //    Small subtrees are never factored and hold nothing that is: they are shared, not copied.
  const shallowest = new Map<number, string[]>();
  let level: [JsonSchema, string[]][] = [[root, []]];
  while (level.length) {
    const next: [JsonSchema, string[]][] = [];
    for (const [node, path] of level) {
      for (const [segment, child] of subschemas(node)) {
        const found = info.get(child);
        if (!found || shallowest.has(found.id)) continue;
        const childPath = [...path, segment];
        shallowest.set(found.id, childPath);
        next.push([child, childPath]);
      }
    }
    level = next;
  }
  const definitions: Record<string, JsonSchema> = {};
  const names = new Map<number, string>();
  const usedNames = new Set<string>();
  const nameFor = (path: string[]): string => {
    const base = path.join('.').replace(/[^A-Za-z0-9_.-]/g, '_') || 'schema';
    let name = base;
    for (let n = 2; usedNames.has(name); n++) name = `${base}-${n}`;
    usedNames.add(name);
    return name;
  };
  const rewriteChild = (child: JsonSchema): JsonSchema => {
    const found = info.get(child);
    if (!found) return child;
    if (!factored(child)) return rewrite(child);
    let name = names.get(found.id);
    if (name === undefined) {
      name = nameFor(shallowest.get(found.id) ?? []);
      names.set(found.id, name);
      definitions[name] = rewrite(child);
    }
    return { $ref: `#/$defs/${name}` };
  };
  const rewrite = (node: JsonSchema): JsonSchema => {
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isRecord(value)) {
        const properties: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(value)) properties[name] = isRecord(child) ? rewriteChild(child) : child;
        out[key] = properties;
      } else if (SCHEMA_KEYWORDS.has(key) && isRecord(value)) {
        out[key] = rewriteChild(value);
      } else if (SCHEMA_ARRAY_KEYWORDS.has(key) && Array.isArray(value)) {
        out[key] = value.map((child) => (isRecord(child) ? rewriteChild(child) : child));
      } else {
        out[key] = value;
      }
    }
    return out;
  };
  const result = rewrite(root);
  if (Object.keys(definitions).length) result.$defs = definitions;
  return result;
}

/** Whether a parsed YAML document is an apiextensions.k8s.io/v1 CustomResourceDefinition. */
export function isCustomResourceDefinition(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && value.apiVersion === 'apiextensions.k8s.io/v1' && value.kind === 'CustomResourceDefinition';
}

export interface CrdConversionOptions {
  /**
   * Factor repeated subschemas into `$defs` (see factorRepeatedSubschemas). Off unless asked
   * for, so the plain conversion stays available; whoever walks a factored schema must resolve
   * `#/$defs/` refs against the schema's root (refResolver does, for CRD kinds).
   */
  factorRepeated?: boolean;
}

/** One CustomResourceSchema per served version that has a schema; `[]` when the CRD is malformed. */
export function convertCustomResourceDefinition(crd: unknown, options: CrdConversionOptions = {}): CustomResourceSchema[] {
  try {
    if (!isCustomResourceDefinition(crd)) return [];
    const spec = crd.spec;
    if (!isRecord(spec) || !nonEmptyString(spec.group) || !isRecord(spec.names) || !Array.isArray(spec.versions)) return [];
    const { group } = spec;
    const kind = spec.names.kind;
    if (!nonEmptyString(kind)) return [];
    const namespaced = spec.scope !== 'Cluster';

    const resources: CustomResourceSchema[] = [];
    const seen = new Set<string>();
    for (const version of spec.versions) {
      if (!isRecord(version) || !nonEmptyString(version.name) || version.served === false) continue;
      const apiVersion = `${group}/${version.name}`;
      if (seen.has(apiVersion)) continue;
      const openApi = isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined;
      if (!isRecord(openApi)) continue;
      let schema: JsonSchema;
      try {
        schema = convertOpenApiV3Schema(openApi);
        if (options.factorRepeated) schema = factorRepeatedSubschemas(schema);
      } catch {
        continue;
      }
      seen.add(apiVersion);
      const resource: CustomResourceSchema = { apiVersion, kind, namespaced, schema };
      if (version.deprecated === true) {
        resource.deprecated = true;
        if (nonEmptyString(version.deprecationWarning)) resource.deprecationWarning = version.deprecationWarning;
      }
      resources.push(resource);
    }
    return resources;
  } catch {
    return [];
  }
}
