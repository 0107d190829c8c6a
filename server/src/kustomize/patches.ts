/**
 * The two patch languages kustomize applies, on provenance trees: a strategic merge patch
 * (maps merge, lists merge by their Kubernetes merge key, `$patch: delete|replace`, `null`
 * deletes) and a JSON 6902 patch (add, remove, replace, move, copy, test). Whatever a
 * patch writes keeps the patch's YAML nodes as its origin.
 */
import { parseJsonPointer, type PathSegment } from '../yaml/path';
import { cloneTree, treeToValue, type TreeMap, type TreeNode, type TreeSeq } from './tree';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** `x-kubernetes-patch-merge-key` of the common lists; a list without one is replaced whole. */
function mergeKeyOf(field: string, parentList: string | undefined): string | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'volumes': case 'env': case 'imagePullSecrets': case 'resourceClaims':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'ports':
      return parentList && CONTAINER_LISTS.has(parentList) ? 'containerPort' : 'port';
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    default:
      return undefined;
  }
}

function directiveOf(node: TreeNode): string | undefined {
  if (node.kind !== 'map') return undefined;
  const directive = node.entries.get('$patch');
  return directive?.kind === 'scalar' && typeof directive.value === 'string' ? directive.value : undefined;
}

/** A patch value as it lands in the object: directives and `null` deletions removed. */
function withoutDirectives(node: TreeNode): TreeNode {
  if (node.kind === 'seq') return { kind: 'seq', origin: node.origin, items: node.items.filter((item) => directiveOf(item) !== 'delete').map(withoutDirectives) };
  if (node.kind !== 'map') return node;
  const entries = new Map<string, TreeNode>();
  for (const [name, child] of node.entries) {
    if (name.startsWith('$') || (child.kind === 'scalar' && child.value === null)) continue;
    entries.set(name, withoutDirectives(child));
  }
  return { kind: 'map', origin: node.origin, entries };
}

const keyValue = (node: TreeNode, key: string): unknown => {
  const found = node.kind === 'map' ? node.entries.get(key) : undefined;
  return found?.kind === 'scalar' ? found.value : undefined;
};

function mergeList(base: TreeSeq, patch: TreeSeq, field: string, parentList: string | undefined): TreeNode {
  const key = mergeKeyOf(field, parentList);
  const keyed = key !== undefined && patch.items.every((item) => item.kind === 'map') && base.items.every((item) => item.kind === 'map');
  if (!keyed || patch.items.some((item) => directiveOf(item) === 'replace')) return withoutDirectives(patch);
  const items = [...base.items];
  for (const item of patch.items) {
    const wanted = keyValue(item, key);
    const index = wanted === undefined ? -1 : items.findIndex((candidate) => keyValue(candidate, key) === wanted);
    if (directiveOf(item) === 'delete') {
      if (index !== -1) items.splice(index, 1);
    } else if (index === -1) {
      items.push(withoutDirectives(item));
    } else {
      const merged = mergeMaps(items[index] as TreeMap, item as TreeMap, field);
      if (merged) items[index] = merged;
      else items.splice(index, 1);
    }
  }
  return { kind: 'seq', origin: base.origin, items };
}

/**
 * Merges `patch` into `base` (which it does not modify). Undefined means the patch deletes
 * the map (`$patch: delete`). `listName` is the list this map is an item of, if any.
 */
export function mergeMaps(base: TreeMap, patch: TreeMap, listName?: string): TreeMap | undefined {
  const directive = directiveOf(patch);
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return withoutDirectives(patch) as TreeMap;
  const entries = new Map(base.entries);
  for (const [name, value] of patch.entries) {
    if (name.startsWith('$')) continue;
    const existing = entries.get(name);
    if (value.kind === 'scalar' && value.value === null) {
      entries.delete(name);
    } else if (existing?.kind === 'map' && value.kind === 'map') {
      const merged = mergeMaps(existing, value);
      if (merged) entries.set(name, merged);
      else entries.delete(name);
    } else if (existing?.kind === 'seq' && value.kind === 'seq') {
      entries.set(name, mergeList(existing, value, name, listName));
    } else if (existing?.kind === 'scalar' && value.kind === 'scalar' && existing.value === value.value) {
      // The same value (a merge key, a name repeated to say where the patch goes) is not the patch's doing.
      continue;
    } else if (directiveOf(value) !== 'delete') {
      entries.set(name, withoutDirectives(value));
    }
  }
  return { kind: 'map', origin: base.origin, entries };
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  /** The value, as a tree attributed to the patch. */
  value?: TreeNode;
}

/** Applies one JSON 6902 operation in place; returns why it cannot apply, if it cannot. */
export function applyJsonPatch(root: TreeMap, operation: JsonPatchOperation): string | undefined {
  const locate = (pointer: string): { parent: TreeNode; last: PathSegment } | string => {
    if (!pointer.startsWith('/')) return `"${pointer}" is not a JSON pointer (it must start with "/")`;
    const segments = parseJsonPointer(pointer);
    let parent: TreeNode = root;
    for (const segment of segments.slice(0, -1)) {
      const next: TreeNode | undefined = parent.kind === 'map' ? parent.entries.get(String(segment)) : parent.kind === 'seq' && typeof segment === 'number' ? parent.items[segment] : undefined;
      if (!next) return `"${pointer}" does not exist in the object (no "${String(segment)}")`;
      parent = next;
    }
    return { parent, last: segments[segments.length - 1] };
  };
  const get = (parent: TreeNode, last: PathSegment): TreeNode | undefined =>
    parent.kind === 'map' ? parent.entries.get(String(last)) : parent.kind === 'seq' && typeof last === 'number' ? parent.items[last] : undefined;
  const remove = (pointer: string): TreeNode | string => {
    const at = locate(pointer);
    if (typeof at === 'string') return at;
    const existing = get(at.parent, at.last);
    if (!existing) return `"${pointer}" does not exist in the object`;
    if (at.parent.kind === 'map') at.parent.entries.delete(String(at.last));
    else if (at.parent.kind === 'seq') at.parent.items.splice(at.last as number, 1);
    return existing;
  };
  const add = (pointer: string, value: TreeNode, mustExist: boolean): string | undefined => {
    const at = locate(pointer);
    if (typeof at === 'string') return at;
    const { parent, last } = at;
    if (mustExist && !get(parent, last)) return `"${pointer}" does not exist in the object, so it cannot be replaced`;
    if (parent.kind === 'map') {
      parent.entries.set(String(last), value);
      return undefined;
    }
    if (parent.kind !== 'seq') return `"${pointer}" is inside a value that is neither a mapping nor a list`;
    if (last === '-' && !mustExist) parent.items.push(value);
    else if (typeof last !== 'number' || last > parent.items.length) return `"${pointer}" is not a valid index in a list of ${parent.items.length}`;
    else parent.items.splice(last, mustExist ? 1 : 0, value);
    return undefined;
  };

  switch (operation.op) {
    case 'add':
    case 'replace':
      if (!operation.value) return `a "${operation.op}" operation needs a "value"`;
      return add(operation.path, operation.value, operation.op === 'replace');
    case 'remove': {
      const removed = remove(operation.path);
      return typeof removed === 'string' ? removed : undefined;
    }
    case 'move':
    case 'copy': {
      if (!operation.from) return `a "${operation.op}" operation needs a "from"`;
      const at = locate(operation.from);
      const source = typeof at === 'string' ? undefined : get(at.parent, at.last);
      if (!source) return `"${operation.from}" does not exist in the object`;
      if (operation.op === 'move') remove(operation.from);
      return add(operation.path, operation.op === 'copy' ? cloneTree(source) : source, false);
    }
    case 'test': {
      const at = locate(operation.path);
      const current = typeof at === 'string' ? undefined : get(at.parent, at.last);
      const same = current && operation.value && JSON.stringify(treeToValue(current)) === JSON.stringify(treeToValue(operation.value));
      return same ? undefined : `the test of "${operation.path}" failed: the object holds a different value`;
    }
    default:
      return `"${operation.op}" is not a JSON patch operation (add, remove, replace, move, copy, test)`;
  }
}
