/**
 * Walking a kind's JSON Schema along a YAML path, for hover and completion. The schemas come
 * in two dialects: the Kubernetes definitions (`$ref`s into one shared `definitions` object)
 * and CRD schemas (inline, with `k8s#` refs for ObjectMeta and, where the converter factored
 * repeated parts out, `#/$defs/<name>` refs into their own root). Both are read through a
 * RefResolver, so nothing here knows which one it walks.
 */
import type { JsonSchema } from '../schemas/bundle';
import type { PathSegment } from '../yaml/path';
import type { KindSchema, KubernetesSchemas } from './schemaStore';

/** Follows a schema's `$ref` (if any, through any chain of refs) to the schema it stands for. */
export type RefResolver = (schema: JsonSchema) => JsonSchema | undefined;

export interface SchemaDescription {
  /** Human-readable type: `integer`, `integer or string`, `list of Container`, `map of string`. */
  type: string;
  description?: string;
  /** Allowed values, when the schema lists them. */
  enum?: unknown[];
  /** Keys the schema requires (for an object). */
  required: string[];
}

export interface PropertyInfo {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** Guards every walk: no real schema nests `$ref`s or `allOf`s this deep, cyclic ones do. */
const MAX_HOPS = 16;

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A resolver for the schema of `kindSchema`. A CRD's local refs (`#/$defs/spec.source`, or
 * `#/definitions/…`) point into its own schema, so for a CRD kind they are looked up in its root
 * first, as ajv does when it compiles that schema; refs it does not hold (`k8s#/definitions/…`
 * for ObjectMeta, and the `#/definitions/io.k8s.…` refs inside ObjectMeta) go to the Kubernetes
 * definitions. A built-in kind's schema is only a ref into those definitions.
 */
export function refResolver(schemas: KubernetesSchemas, kindSchema?: KindSchema): RefResolver {
  const root = kindSchema && (kindSchema.origin === 'bundled-crd' || kindSchema.origin === 'workspace-crd') ? kindSchema.schema : undefined;
  return (schema) => (typeof schema.$ref === 'string' ? safeDeref(schemas, schema, root) : schema);
}

function safeDeref(schemas: KubernetesSchemas, schema: JsonSchema, root: JsonSchema | undefined): JsonSchema | undefined {
  try {
    const target = schemas.deref(schema, root);
    return isSchema(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

const noRefs: RefResolver = (schema) => (typeof schema.$ref === 'string' ? undefined : schema);

/** The schema with its ref followed, then every `allOf` member (their properties all apply). */
function conjuncts(schema: JsonSchema, resolve: RefResolver, depth = 0): JsonSchema[] {
  const self = resolve(schema);
  if (!self || depth > MAX_HOPS) return [];
  const result = [self];
  if (Array.isArray(self.allOf)) for (const member of self.allOf) if (isSchema(member)) result.push(...conjuncts(member, resolve, depth + 1));
  return result;
}

/** `anyOf` / `oneOf` branches of the schema and its `allOf` members, expanded the same way. */
function alternatives(parts: JsonSchema[], resolve: RefResolver): JsonSchema[] {
  const result: JsonSchema[] = [];
  for (const part of parts) {
    for (const key of ['anyOf', 'oneOf']) {
      const branches = part[key];
      if (Array.isArray(branches)) for (const branch of branches) if (isSchema(branch)) result.push(...conjuncts(branch, resolve));
    }
  }
  return result;
}

/** The schema of one step down: a property, an additional property, or a list item. */
export function childSchema(schema: JsonSchema, segment: PathSegment, resolve: RefResolver = noRefs): JsonSchema | undefined {
  const parts = conjuncts(schema, resolve);
  const pick = (candidates: JsonSchema[]): JsonSchema | undefined => {
    for (const part of candidates) {
      if (typeof segment === 'number') {
        if (isSchema(part.items)) return part.items;
        if (Array.isArray(part.items) && isSchema(part.items[segment])) return part.items[segment] as JsonSchema;
        continue;
      }
      const properties = part.properties;
      if (isSchema(properties) && Object.hasOwn(properties, segment) && isSchema(properties[segment])) return properties[segment] as JsonSchema;
    }
    return undefined;
  };
  const direct = pick(parts) ?? pick(alternatives(parts, resolve));
  if (direct || typeof segment === 'number') return direct;
  for (const part of [...parts, ...alternatives(parts, resolve)]) if (isSchema(part.additionalProperties)) return part.additionalProperties;
  return undefined;
}

/** The schema that applies at `path` in a resource of `kindSchema`; undefined when it is unknown. */
export function schemaAtPath(schemas: KubernetesSchemas, kindSchema: KindSchema, path: readonly PathSegment[]): JsonSchema | undefined {
  const resolve = refResolver(schemas, kindSchema);
  let current: JsonSchema | undefined = kindSchema.schema;
  for (const segment of path) {
    if (!current) return undefined;
    current = childSchema(current, segment, resolve);
  }
  return current;
}

/** Short name of a Kubernetes definition a ref points to (`…core.v1.Container` → `Container`). */
function refName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return undefined;
  const name = /#\/definitions\/(io\.k8s\..+)$/.exec(ref)?.[1];
  return name ? name.slice(name.lastIndexOf('.') + 1) : undefined;
}

function typeText(schema: JsonSchema, resolve: RefResolver, depth: number): string {
  if (depth > 4) return 'object';
  const parts = conjuncts(schema, resolve);
  const target = parts[0];
  const name = refName(schema);
  if (!target) return name ?? 'unknown';
  // Name object definitions (`Container`); say what a scalar definition is (`IntOrString` → `integer or string`).
  if (name && (target.type === 'object' || isSchema(target.properties))) return name;
  if (target['x-kubernetes-int-or-string'] === true) return 'integer or string';
  const declared = parts.map((part) => part.type).find((type) => type !== undefined);
  const types = Array.isArray(declared) ? declared.filter((type): type is string => typeof type === 'string') : typeof declared === 'string' ? [declared] : [];
  if (types.length === 0) {
    const branches = alternatives(parts, resolve);
    if (branches.length) return [...new Set(branches.map((branch) => typeText(branch, resolve, depth + 1)))].join(' or ');
    if (parts.some((part) => isSchema(part.properties))) return 'object';
    if (parts.some((part) => Array.isArray(part.enum))) return 'enum';
    return 'any';
  }
  return types
    .map((type) => {
      if (type === 'array') {
        const items = parts.map((part) => part.items).find(isSchema);
        return items ? `list of ${typeText(items, resolve, depth + 1)}` : 'list';
      }
      if (type === 'object' && !parts.some((part) => isSchema(part.properties))) {
        const values = parts.map((part) => part.additionalProperties).find(isSchema);
        return values ? `map of ${typeText(values, resolve, depth + 1)}` : 'object';
      }
      return type;
    })
    .join(' or ');
}

/** What hover and completion say about a schema. Never throws. */
export function describeSchema(schema: JsonSchema, resolve: RefResolver = noRefs): SchemaDescription {
  try {
    const parts = conjuncts(schema, resolve);
    // The referring property's own description is the specific one; the definition's is generic.
    const description = [schema, ...parts].map((part) => part.description).find((text): text is string => typeof text === 'string' && text.trim() !== '');
    const enumValues = parts.map((part) => part.enum).find(Array.isArray);
    const required = new Set<string>();
    for (const part of parts) if (Array.isArray(part.required)) for (const key of part.required) if (typeof key === 'string') required.add(key);
    return { type: typeText(schema, resolve, 0), description, enum: enumValues, required: [...required] };
  } catch {
    return { type: 'unknown', required: [] };
  }
}

/** The properties a mapping of this schema may have, including those of `allOf` and `anyOf` branches. */
export function propertiesOf(schema: JsonSchema, resolve: RefResolver = noRefs): PropertyInfo[] {
  const parts = conjuncts(schema, resolve);
  const required = new Set(describeSchema(schema, resolve).required);
  const found = new Map<string, PropertyInfo>();
  for (const part of [...parts, ...alternatives(parts, resolve)]) {
    if (!isSchema(part.properties)) continue;
    for (const [name, child] of Object.entries(part.properties)) {
      if (!found.has(name) && isSchema(child)) found.set(name, { name, schema: child, required: required.has(name) });
    }
  }
  return [...found.values()];
}

/** True when values of this schema are mappings (so completion offers keys, not values). */
export function isObjectSchema(schema: JsonSchema, resolve: RefResolver = noRefs): boolean {
  const parts = conjuncts(schema, resolve);
  return parts.some((part) => part.type === 'object' || isSchema(part.properties)) || alternatives(parts, resolve).some((part) => isSchema(part.properties));
}

/** Values completion can offer for a scalar of this schema: its enum, or `true`/`false`. */
export function valuesOf(schema: JsonSchema, resolve: RefResolver = noRefs): unknown[] {
  const parts = conjuncts(schema, resolve);
  const branches = [...parts, ...alternatives(parts, resolve)];
  const enumValues = branches.flatMap((part) => (Array.isArray(part.enum) ? part.enum : []));
  if (enumValues.length) return [...new Set(enumValues)];
  const isBoolean = branches.some((part) => part.type === 'boolean' || (Array.isArray(part.type) && part.type.includes('boolean')));
  return isBoolean ? [true, false] : [];
}
