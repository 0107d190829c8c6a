/**
 * What is never drift, and when two values mean the same. The API server adds metadata of
 * its own (uid, resourceVersion, managedFields, …) and `status`; those are never compared.
 * Scalars compare by meaning: quantities by value, int-or-string fields as numbers or
 * numeric strings, and a zero value (`false`, `0`, `""`) that git writes equals an absent
 * one, since the API server drops such fields when it stores the object.
 */
import { isRecord } from '../../kubernetes/resource';
import { lastKeyOf, type FieldPath } from './fieldPath';
import { sameQuantity } from './quantities';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata the API server writes; git never owns it. */
const SERVER_METADATA = new Set([
  'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds',
  'managedFields', 'selfLink', 'ownerReferences', 'finalizers',
]);

/** Top-level fields the API server or controllers own. */
const SERVER_TOP_LEVEL = new Set(['status']);

/** True for a field that is never compared nor shown, whatever either side says. */
export function isServerField(path: FieldPath): boolean {
  if (path.length === 1) return SERVER_TOP_LEVEL.has(path[0] as string);
  if (path[0] !== 'metadata') return false;
  if (path.length === 2) return SERVER_METADATA.has(path[1] as string);
  return path.length === 3 && path[1] === 'annotations' && path[2] === LAST_APPLIED_ANNOTATION;
}

/** Parents whose values are resource quantities (requests, limits, quota, capacity). */
const QUANTITY_PARENTS = new Set(['limits', 'requests', 'hard', 'capacity', 'podFixed', 'default', 'defaultRequest', 'max', 'min', 'maxLimitRequestRatio', 'allocatable']);
const QUANTITY_FIELDS = new Set(['sizeLimit', 'storage']);
/** Fields the schema types as int-or-string. */
const INT_OR_STRING_FIELDS = new Set(['targetPort', 'port', 'maxSurge', 'maxUnavailable', 'minAvailable']);

function isQuantityPath(path: FieldPath): boolean {
  const leaf = lastKeyOf(path);
  const parent = path[path.length - 2];
  return (leaf !== undefined && QUANTITY_FIELDS.has(leaf)) || (typeof parent === 'string' && QUANTITY_PARENTS.has(parent));
}

/** Absent, or what Go's `omitempty` drops: an empty map or list, `false`, `0`, `""`, null. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

/** Whether two scalars at `path` mean the same. */
export function sameScalar(path: FieldPath, desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  if (isEmptyValue(desired) && isEmptyValue(live) && !(Array.isArray(desired) || Array.isArray(live) || isRecord(desired) || isRecord(live))) {
    return desired === undefined || live === undefined || desired === null || live === null;
  }
  if (isQuantityPath(path)) return sameQuantity(desired, live);
  const leaf = lastKeyOf(path);
  if (leaf !== undefined && INT_OR_STRING_FIELDS.has(leaf) && (typeof desired === 'number' || typeof live === 'number')) return String(desired) === String(live);
  return false;
}
