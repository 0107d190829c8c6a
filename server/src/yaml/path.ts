/**
 * Finding the text behind a path in the data (`spec.template.spec.containers[0].image`).
 * Paths come from ajv (JSON pointers) and from rules; the answer is the node to underline.
 */
import { resolveAlias, type YamlMap, type YamlNode, type YamlPair } from './compose';

export type PathSegment = string | number;

/** The node at a path, and the key that names it when its parent is a mapping. */
export interface NodeAtPath {
  node: YamlNode;
  key?: YamlNode;
  /** False when the path ran out early: `node` is then the deepest ancestor that exists. */
  exact: boolean;
}

export function findPair(map: YamlMap, key: string): YamlPair | undefined {
  // The last occurrence wins, as in the value the schema validated.
  for (let i = map.pairs.length - 1; i >= 0; i--) {
    const candidate = map.pairs[i].key;
    if (candidate.kind === 'scalar' && String(candidate.value) === key) return map.pairs[i];
  }
  for (const merge of map.merges) {
    const target = resolveAlias(merge);
    const sources = target.kind === 'seq' ? target.items.map(resolveAlias) : [target];
    for (const source of sources) {
      if (source.kind !== 'map') continue;
      // A value that comes from a merge is underlined at the merge key's value (`*defaults`),
      // the closest place in this document that brings it in.
      if (findPair(source, key)) return { key: merge, value: merge };
    }
  }
  return undefined;
}

/**
 * Walks `path` from `root`. Aliases are followed for the walk, but a node reached through
 * an alias is reported at the alias, where the user can see why the value is there.
 */
export function nodeAtPath(root: YamlNode, path: readonly PathSegment[]): NodeAtPath {
  let current: YamlNode = root;
  let key: YamlNode | undefined;
  let shown: YamlNode | undefined;
  for (const segment of path) {
    const container = resolveAlias(current);
    if (current.kind === 'alias' && !shown) shown = current;
    let next: YamlNode | undefined;
    let nextKey: YamlNode | undefined;
    if (container.kind === 'map') {
      const pair = findPair(container, String(segment));
      if (pair) {
        next = pair.value;
        nextKey = pair.key === pair.value ? undefined : pair.key;
      }
    } else if (container.kind === 'seq' && typeof segment === 'number') {
      next = container.items[segment];
    } else if (container.kind === 'seq' && /^\d+$/.test(String(segment))) {
      next = container.items[Number(segment)];
    }
    if (!next) return { node: shown ?? current, key: shown ? undefined : key, exact: false };
    current = next;
    key = shown ? undefined : nextKey;
  }
  return { node: shown ?? current, key, exact: true };
}

/** `/spec/containers/0/image` → ['spec', 'containers', 0, 'image'] (RFC 6901 unescaping). */
export function parseJsonPointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9]\d*)$/.test(part) ? Number(part) : part));
}

/** ['spec', 'containers', 0, 'image'] → `spec.containers[0].image` */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
