/**
 * How a list that git declares is matched against the live one: by the merge key that
 * Kubernetes' strategic merge uses for it (containers by `name`, container ports by
 * `containerPort` and `protocol`, Service ports by `port` and `protocol`), or by position
 * when the list has none (tolerations, args, rules).
 */
import type { FieldPath, ScalarKey } from './fieldPath';

interface MergeKey {
  fields: string[];
  /** Values a key field takes when the item omits it (the API server defaults `protocol` to TCP). */
  defaults?: Record<string, ScalarKey>;
}

const BY_NAME: MergeKey = { fields: ['name'] };
const PROTOCOL_TCP = { protocol: 'TCP' };

/** By the list's own key, when that is enough to tell (these names mean the same list in every kind). */
const BY_LIST_KEY: Record<string, MergeKey> = {
  containers: BY_NAME,
  initContainers: BY_NAME,
  ephemeralContainers: BY_NAME,
  env: BY_NAME,
  volumes: BY_NAME,
  volumeMounts: { fields: ['mountPath'] },
  volumeDevices: { fields: ['devicePath'] },
  imagePullSecrets: BY_NAME,
  hostAliases: { fields: ['ip'] },
  resourceClaims: BY_NAME,
  topologySpreadConstraints: { fields: ['topologyKey', 'whenUnsatisfiable'] },
};

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The merge key of the list at `path` in an object of `kind`, or undefined when it is matched by position. */
export function mergeKeyOf(kind: string, path: FieldPath): MergeKey | undefined {
  const listKey = path[path.length - 1];
  if (typeof listKey !== 'string') return undefined;
  if (listKey === 'ports') {
    const parent = path[path.length - 3];
    if (typeof parent === 'string' && CONTAINER_LISTS.has(parent)) return { fields: ['containerPort', 'protocol'], defaults: PROTOCOL_TCP };
    if (kind === 'Service' && path.length === 2 && path[0] === 'spec') return { fields: ['port', 'protocol'], defaults: PROTOCOL_TCP };
    return undefined;
  }
  return BY_LIST_KEY[listKey];
}

/** The merge key's values in an item, or undefined when the item lacks a key field (then it is matched by position). */
export function keyOfItem(item: unknown, mergeKey: MergeKey): Record<string, ScalarKey> | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const keys: Record<string, ScalarKey> = {};
  for (const field of mergeKey.fields) {
    const value = (item as Record<string, unknown>)[field] ?? mergeKey.defaults?.[field];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    keys[field] = value;
  }
  return keys;
}

/** A text that equal keys share: the map key for matching items across the two lists. */
export const keyText = (keys: Record<string, ScalarKey>): string => JSON.stringify(Object.values(keys).map(String));
