/**
 * The walk that finds drift: every field git sets, compared with the live object by
 * meaning. A map compares only the keys git declares (extra live keys are the server's or
 * another manager's); a list that git declares is the whole list, matched by merge key, so
 * an item added live is drift too.
 */
import { isRecord } from '../../kubernetes/resource';
import type { FieldPath, ItemSegment } from './fieldPath';
import { keyOfItem, keyText, mergeKeyOf } from './mergeKeys';
import { isEmptyValue, isServerField, sameScalar } from './normalize';

export type FieldChange = 'changed' | 'missing-live' | 'added-live';

export interface RawDrift {
  path: FieldPath;
  change: FieldChange;
  desired?: unknown;
  live?: unknown;
}

const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';

/** Pairs git's list items with live ones: by merge key when every item has one, else by position. */
export function pairItems(kind: string, path: FieldPath, desired: readonly unknown[], live: readonly unknown[]): { segment: ItemSegment; desired?: unknown; live?: unknown }[] {
  const mergeKey = mergeKeyOf(kind, path);
  const desiredKeys = mergeKey ? desired.map((item) => keyOfItem(item, mergeKey)) : [];
  const liveKeys = mergeKey ? live.map((item) => keyOfItem(item, mergeKey)) : [];
  if (!mergeKey || desiredKeys.some((key) => !key) || liveKeys.some((key) => !key)) {
    const pairs = [];
    for (let index = 0; index < Math.max(desired.length, live.length); index++) {
      pairs.push({ segment: { index, liveOnly: index >= desired.length }, desired: desired[index], live: live[index] });
    }
    return pairs;
  }
  const liveByKey = new Map(live.map((item, index) => [keyText(liveKeys[index]!), { item, index }]));
  const pairs: { segment: ItemSegment; desired?: unknown; live?: unknown }[] = desired.map((item, index) => {
    const text = keyText(desiredKeys[index]!);
    const match = liveByKey.get(text);
    liveByKey.delete(text);
    return { segment: { keys: desiredKeys[index], index }, desired: item, live: match?.item };
  });
  for (const { item, index } of liveByKey.values()) pairs.push({ segment: { keys: liveKeys[index], index, liveOnly: true }, live: item });
  return pairs;
}

function diffList(kind: string, path: FieldPath, desired: unknown[], live: unknown, out: RawDrift[]): void {
  if (!Array.isArray(live)) {
    if (desired.length > 0 || !isEmptyValue(live)) out.push({ path, change: live === undefined ? 'missing-live' : 'changed', desired, live });
    return;
  }
  // A list of scalars matched by position (args, command) differs as a whole: its order is its meaning.
  if (!mergeKeyOf(kind, path) && desired.every(isScalar) && live.every(isScalar)) {
    const same = desired.length === live.length && desired.every((item, index) => sameScalar([...path, { index }], item, live[index]));
    if (!same) out.push({ path, change: 'changed', desired, live });
    return;
  }
  for (const pair of pairItems(kind, path, desired, live)) {
    const itemPath = [...path, pair.segment];
    if (pair.segment.liveOnly) out.push({ path: itemPath, change: 'added-live', live: pair.live });
    else if (pair.live === undefined) out.push({ path: itemPath, change: 'missing-live', desired: pair.desired });
    else diffValue(kind, itemPath, pair.desired, pair.live, out);
  }
}

function diffMap(kind: string, path: FieldPath, desired: Record<string, unknown>, live: unknown, out: RawDrift[]): void {
  if (!isRecord(live)) {
    if (!isEmptyValue(desired) || !isEmptyValue(live)) out.push({ path, change: live === undefined ? 'missing-live' : 'changed', desired, live });
    return;
  }
  for (const [key, value] of Object.entries(desired)) {
    const fieldPath = [...path, key];
    if (!isServerField(fieldPath)) diffValue(kind, fieldPath, value, live[key], out);
  }
}

/** Appends to `out` every difference between what git declares at `path` and the live value. */
export function diffValue(kind: string, path: FieldPath, desired: unknown, live: unknown, out: RawDrift[]): void {
  if (Array.isArray(desired)) diffList(kind, path, desired, live, out);
  else if (isRecord(desired)) diffMap(kind, path, desired, live, out);
  else if (!sameScalar(path, desired, live)) {
    out.push({ path, change: live === undefined ? 'missing-live' : 'changed', desired, live });
  }
}
