/**
 * Typed reads of a kustomization's fields (and of the patches and objects it holds) on
 * provenance trees: a field of the wrong type reads as absent, which `fields.ts` reports.
 */
import { stringIn, type TreeMap, type TreeNode, type TreeScalar } from './tree';

export type TreeString = TreeScalar & { value: string };

export const isString = (node: TreeNode | undefined): node is TreeString => node?.kind === 'scalar' && typeof node.value === 'string';
export const stringsIn = (node: TreeNode | undefined): TreeString[] => (node?.kind === 'seq' ? node.items.filter(isString) : []);
export const mapsIn = (node: TreeNode | undefined): TreeMap[] => (node?.kind === 'seq' ? node.items.filter((item): item is TreeMap => item.kind === 'map') : []);
export const field = (map: TreeMap, name: string): TreeNode | undefined => map.entries.get(name);
export const mapField = (map: TreeMap, name: string): TreeMap | undefined => {
  const node = map.entries.get(name);
  return node?.kind === 'map' ? node : undefined;
};
export const stringField = (map: TreeMap, name: string): string | undefined => stringIn(map, [name]);
export const booleanField = (map: TreeMap | undefined, name: string): boolean | undefined => {
  const node = map?.entries.get(name);
  return node?.kind === 'scalar' && typeof node.value === 'boolean' ? node.value : undefined;
};
export const stringPairs = (node: TreeNode | undefined): Map<string, TreeNode> =>
  new Map(node?.kind === 'map' ? [...node.entries].filter(([, value]) => isString(value)) : []);
