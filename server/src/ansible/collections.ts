/**
 * The collections a file uses, so that only their module specs are loaded (describing every
 * installed collection takes minutes). Pure. A file uses a collection when it names one of its
 * modules fully qualified (`community.general.ufw`) and the catalogue does not know it yet, or
 * lists it in a `collections:` keyword (plays, role metadata) or in `requirements.yml`.
 */
import { resolveAlias, type YamlNode } from '../yaml/compose';
import { findPair } from '../yaml/path';
import type { AnsibleFile, AnsibleTask } from './types';

/** `namespace.name`, as Galaxy allows them; anything templated or a URL is left out. */
const COLLECTION_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/i;
/** Always there: bundled, never loaded. */
const CORE_COLLECTIONS = new Set(['ansible.builtin', 'ansible.legacy']);

/** `community.general.ufw` → `community.general`; undefined for a short or malformed name. */
export function collectionOfModule(name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length < 3 || parts.some((part) => part === '')) return undefined;
  return usableCollection(`${parts[0]}.${parts[1]}`);
}

function usableCollection(name: string): string | undefined {
  return COLLECTION_NAME.test(name) && !CORE_COLLECTIONS.has(name) ? name : undefined;
}

export function collectionsUsedBy(file: AnsibleFile): string[] {
  const used = new Set<string>();
  const add = (name: string | undefined): void => void (name && used.add(name));
  const visit = (task: AnsibleTask): void => {
    if (task.action && !task.action.module) add(collectionOfModule(task.action.name));
    task.children.forEach(visit);
  };
  file.tasks.forEach(visit);
  for (const play of file.plays) {
    [...play.tasks, ...play.handlers].forEach(visit);
    listedCollections(play.node).forEach(add);
  }
  if ((file.kind === 'requirements' || file.kind === 'role-meta') && file.root) listedCollections(file.root).forEach(add);
  return [...used].sort();
}

/** The names under a mapping's `collections:`: plain strings, or `name:` entries as requirements.yml has them. */
function listedCollections(node: YamlNode): string[] {
  const map = resolveAlias(node);
  const list = map.kind === 'map' ? findPair(map, 'collections')?.value : undefined;
  const items = list && resolveAlias(list);
  if (items?.kind !== 'seq') return [];
  const names: string[] = [];
  for (const item of items.items) {
    const entry = resolveAlias(item);
    const value = entry.kind === 'map' ? findPair(entry, 'name')?.value : entry;
    const scalar = value && resolveAlias(value);
    const name = scalar?.kind === 'scalar' && typeof scalar.value === 'string' ? usableCollection(scalar.value) : undefined;
    if (name) names.push(name);
  }
  return names;
}
