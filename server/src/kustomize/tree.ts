/**
 * The rendered object as a tree whose every node remembers who wrote it: the YAML node of
 * the base resource, of a patch, or of the kustomization field that a transformer applied.
 * Patches and transformers work on this tree, so provenance survives merges, list
 * reordering and deletions without any path bookkeeping.
 */
import type { Range } from '../core/types';
import { resolveAlias, type ScalarValue, type YamlNode } from '../yaml/compose';
import type { LineIndex } from '../yaml/lines';
import { findPair, type PathSegment } from '../yaml/path';
import type { FieldSource } from './render';

/** A parsed text the tree's nodes point into: a file, or an inline patch inside a kustomization. */
export interface SourceFile {
  uri: string;
  /** The range to underline for a node's offsets; multi-line nodes are cut to their first line. */
  rangeOf(start: number, end: number): Range;
}

/** A multi-line node is underlined on its first line only, as the engine does for its own findings. */
export function fileSource(uri: string, lines: LineIndex): SourceFile {
  return {
    uri,
    rangeOf(start, end) {
      const range = lines.rangeOf(start, end);
      if (range.end.line === range.start.line) return range;
      return { start: range.start, end: { line: range.start.line, character: lines.lineEnd(range.start.line) - lines.lineStart(range.start.line) } };
    },
  };
}

export interface Origin {
  file: SourceFile;
  node: YamlNode;
  /** The mapping key that names the node, when it has one. */
  key?: YamlNode;
  producer: FieldSource['producer'];
}

export type TreeNode = TreeMap | TreeSeq | TreeScalar;

export interface TreeMap {
  kind: 'map';
  origin: Origin;
  entries: Map<string, TreeNode>;
}

export interface TreeSeq {
  kind: 'seq';
  origin: Origin;
  items: TreeNode[];
}

export interface TreeScalar {
  kind: 'scalar';
  origin: Origin;
  value: ScalarValue;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A tree for a YAML value, each node pointing at the YAML node it came from. */
export function treeFromYaml(value: unknown, node: YamlNode, file: SourceFile, producer: Origin['producer'], key?: YamlNode): TreeNode {
  const origin: Origin = { file, node, key, producer };
  const container = resolveAlias(node);
  if (Array.isArray(value)) {
    const items = value.map((item, index) => {
      const child = container.kind === 'seq' ? container.items[index] : undefined;
      return treeFromYaml(item, child ?? node, file, producer);
    });
    return { kind: 'seq', origin, items };
  }
  if (isRecord(value)) {
    const entries = new Map<string, TreeNode>();
    // Without merge keys the pairs are all there is: index them once (the last of a repeated key wins, as in the value).
    const pairs = container.kind === 'map' && container.merges.length === 0 ? new Map(container.pairs.map((pair) => [String(pair.key.kind === 'scalar' ? pair.key.value : ''), pair])) : undefined;
    for (const [name, child] of Object.entries(value)) {
      const pair = pairs ? pairs.get(name) : container.kind === 'map' ? findPair(container, name) : undefined;
      const childKey = pair && pair.key !== pair.value ? pair.key : undefined;
      entries.set(name, treeFromYaml(child, pair?.value ?? node, file, producer, childKey));
    }
    return { kind: 'map', origin, entries };
  }
  return { kind: 'scalar', origin, value: (value ?? null) as ScalarValue };
}

/** A tree for a value a transformer or generator made, every node attributed to `origin`. */
export function treeFromValue(value: unknown, origin: Origin): TreeNode {
  if (Array.isArray(value)) return { kind: 'seq', origin, items: value.map((item) => treeFromValue(item, origin)) };
  if (isRecord(value)) {
    const entries = new Map<string, TreeNode>();
    for (const [name, child] of Object.entries(value)) entries.set(name, treeFromValue(child, origin));
    return { kind: 'map', origin, entries };
  }
  return { kind: 'scalar', origin, value: (value ?? null) as ScalarValue };
}

export function treeToValue(tree: TreeNode): unknown {
  if (tree.kind === 'scalar') return tree.value;
  if (tree.kind === 'seq') return tree.items.map(treeToValue);
  const value: Record<string, unknown> = {};
  for (const [name, child] of tree.entries) {
    // `__proto__` as a key must stay data, as in the parser.
    if (name === '__proto__') Object.defineProperty(value, name, { value: treeToValue(child), enumerable: true, writable: true, configurable: true });
    else value[name] = treeToValue(child);
  }
  return value;
}

export function cloneTree(tree: TreeNode): TreeNode {
  if (tree.kind === 'scalar') return { ...tree };
  if (tree.kind === 'seq') return { kind: 'seq', origin: tree.origin, items: tree.items.map(cloneTree) };
  return { kind: 'map', origin: tree.origin, entries: new Map([...tree.entries].map(([name, child]) => [name, cloneTree(child)])) };
}

export function childAt(tree: TreeNode | undefined, segment: PathSegment): TreeNode | undefined {
  if (!tree) return undefined;
  if (tree.kind === 'map') return tree.entries.get(String(segment));
  if (tree.kind === 'seq' && typeof segment === 'number') return tree.items[segment];
  return undefined;
}

export function treeAt(tree: TreeNode | undefined, path: readonly PathSegment[]): TreeNode | undefined {
  let current = tree;
  for (const segment of path) current = childAt(current, segment);
  return current;
}

export function stringIn(tree: TreeNode | undefined, path: readonly PathSegment[]): string | undefined {
  const found = treeAt(tree, path);
  return found?.kind === 'scalar' && typeof found.value === 'string' ? found.value : undefined;
}

/** The map at `path`, created (attributed to `origin`) where missing; undefined when a non-map is in the way. */
export function ensureMap(tree: TreeMap, path: readonly string[], origin: Origin): TreeMap | undefined {
  let current: TreeMap = tree;
  for (const segment of path) {
    let next = current.entries.get(segment);
    if (!next || (next.kind === 'scalar' && next.value === null)) {
      next = { kind: 'map', origin, entries: new Map() };
      current.entries.set(segment, next);
    }
    if (next.kind !== 'map') return undefined;
    current = next;
  }
  return current;
}

export function setScalar(map: TreeMap, name: string, value: ScalarValue, origin: Origin): void {
  map.entries.set(name, { kind: 'scalar', origin, value });
}

export function locationOf(origin: Origin, at?: 'key' | 'value'): FieldSource {
  const node = at === 'key' && origin.key ? origin.key : origin.node;
  return { uri: origin.file.uri, range: origin.file.rangeOf(node.start, node.end), producer: origin.producer };
}

/** Who wrote the field at `path`: the deepest node that exists along it. */
export function sourceAt(tree: TreeNode, path: readonly PathSegment[], at?: 'key' | 'value'): FieldSource {
  let current = tree;
  let exact = true;
  for (const segment of path) {
    const next = childAt(current, segment);
    if (!next) {
      exact = false;
      break;
    }
    current = next;
  }
  return locationOf(current.origin, exact ? at : undefined);
}
