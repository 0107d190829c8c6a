/**
 * `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets made from literals,
 * files and env files, and the content hash kustomize appends to their names so that a
 * changed config rolls the pods that use it.
 */
import { createHash } from 'node:crypto';
import { kindOf, type Resource } from './resources';
import { stringIn, treeFromValue, type Origin, type TreeMap, type TreeNode } from './tree';

export interface GeneratorSource {
  /** The `key=value` literals, `[key=]path` files and env files of an entry, with their nodes. */
  literals: { text: string; origin: Origin }[];
  files: { key: string; text: string; origin: Origin }[];
  envs: { text: string; origin: Origin }[];
}

export interface GeneratorOptions {
  labels: Map<string, TreeNode>;
  annotations: Map<string, TreeNode>;
  disableNameSuffixHash: boolean;
  immutable: boolean;
}

/**
 * A Secret value as kustomize writes it: base64, cut into lines of 70 characters each
 * ending in a line break once it is 70 or longer (its `encodeBase64`); the hash sees this text.
 */
export function secretValue(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  if (encoded.length < 70) return encoded;
  return (encoded.match(/.{1,70}/g) ?? []).map((line) => `${line}\n`).join('');
}

/** Surrounding quotes of a literal value are dropped, as kustomize does. */
function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0] ? value.slice(1, -1) : value;
}

/** `KEY=VALUE` lines; blank lines and `#` comments are skipped. A line without `=` is reported. */
export function parseEnvFile(text: string): { pairs: [string, string][]; badLines: number[] } {
  const pairs: [string, string][] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '').trimStart();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals <= 0) badLines.push(index + 1);
    else pairs.push([line.slice(0, equals), line.slice(equals + 1)]);
  });
  return { pairs, badLines };
}

/** The data of a generated object, each key attributed to the entry that gave it. */
export function generatedData(source: GeneratorSource, encode: (text: string) => string): Map<string, TreeNode> {
  const data = new Map<string, TreeNode>();
  const put = (key: string, value: string, origin: Origin): void => {
    data.set(key, { kind: 'scalar', value: encode(value), origin });
  };
  for (const { text, origin } of source.envs) for (const [key, value] of parseEnvFile(text).pairs) put(key, value, origin);
  for (const { text, origin } of source.literals) {
    const equals = text.indexOf('=');
    if (equals > 0) put(text.slice(0, equals), unquote(text.slice(equals + 1)), origin);
  }
  for (const { key, text, origin } of source.files) put(key, text, origin);
  return data;
}

export function makeGenerated(kind: 'ConfigMap' | 'Secret', name: string, namespace: string | undefined, data: Map<string, TreeNode>, options: GeneratorOptions, origin: Origin, type?: string): Resource {
  const tree = treeFromValue({ apiVersion: 'v1', kind, metadata: { name } }, origin) as TreeMap;
  const metadata = tree.entries.get('metadata') as TreeMap;
  if (namespace) metadata.entries.set('namespace', { kind: 'scalar', value: namespace, origin });
  if (options.labels.size > 0) metadata.entries.set('labels', { kind: 'map', origin, entries: new Map(options.labels) });
  if (options.annotations.size > 0) metadata.entries.set('annotations', { kind: 'map', origin, entries: new Map(options.annotations) });
  if (kind === 'Secret') tree.entries.set('type', { kind: 'scalar', value: type ?? 'Opaque', origin });
  if (data.size > 0) tree.entries.set('data', { kind: 'map', origin, entries: data });
  if (options.immutable) tree.entries.set('immutable', { kind: 'scalar', value: true, origin });
  return { tree, origin, originalName: name, originalNamespace: namespace, hashed: !options.disableNameSuffixHash };
}

/** Go's json.Marshal: sorted keys, and `<`, `>`, `&` escaped, so the hash matches kustomize's. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value).sort().map((key) => `${goJson(key)}:${goJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function dataOf(tree: TreeMap, field: string): Record<string, string> | undefined {
  const data = tree.entries.get(field);
  if (data?.kind !== 'map') return undefined;
  const result: Record<string, string> = {};
  for (const [key, value] of data.entries) result[key] = value.kind === 'scalar' ? String(value.value ?? '') : '';
  return result;
}

/** kustomize's name hash: SHA-256 of the object's content as JSON, ten hex digits with look-alike letters swapped. */
export function contentHash(resource: Resource): string {
  const kind = kindOf(resource);
  // kustomize v5 hashes with an empty name (observed with kubectl 1.32 / kustomize 5.5), so a prefix leaves the hash as it is.
  const encoded: Record<string, unknown> = { kind, name: '', data: dataOf(resource.tree, 'data') ?? {} };
  if (kind === 'Secret') encoded.type = stringIn(resource.tree, ['type']) ?? '';
  const binaryData = dataOf(resource.tree, 'binaryData');
  if (binaryData && Object.keys(binaryData).length > 0) encoded.binaryData = binaryData;
  const immutable = resource.tree.entries.get('immutable');
  if (immutable?.kind === 'scalar' && immutable.value === true) encoded.immutable = true;
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  const swaps: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swaps[c] ?? c).join('');
}
