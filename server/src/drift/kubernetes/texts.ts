/**
 * The two documents a diff editor shows for a resource: what git declares and what is
 * live, normalised so that only meaningful differences remain. Server noise and defaults
 * git does not set are left out of the live side, a value equal by meaning is shown as git
 * writes it, list items line up by merge key, and keys are sorted the same on both sides.
 * Secrets arrive here already masked.
 */
import { isRecord } from '../../kubernetes/resource';
import { isServerDefault } from './defaults';
import { diffValue, pairItems, type RawDrift } from './diff';
import type { FieldPath } from './fieldPath';
import { isEmptyValue, isServerField, sameScalar } from './normalize';
import { toYamlText } from './yamlText';

const LEADING_KEYS = new Map(['apiVersion', 'kind', 'metadata', 'name'].map((key, rank) => [key, rank]));

const rankOf = (key: string): number => LEADING_KEYS.get(key) ?? LEADING_KEYS.size;

/** The keys in the order both documents show them: identity first, then alphabetical. */
function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => rankOf(a) - rankOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function normalizeDesired(path: FieldPath, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item, index) => normalizeDesired([...path, { index }], item));
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const key of sortKeys(Object.keys(value))) if (!isServerField([...path, key])) result[key] = normalizeDesired([...path, key], value[key]);
  return result;
}

/** True when git's value at `path` shows no drift against an absent live one (`false`, `{}`). */
function absentMeansSame(kind: string, path: FieldPath, desired: unknown): boolean {
  const drifts: RawDrift[] = [];
  diffValue(kind, path, desired, undefined, drifts);
  return drifts.length === 0;
}

function normalizeLive(kind: string, path: FieldPath, live: unknown, desired: unknown): unknown {
  if (Array.isArray(live)) {
    if (!Array.isArray(desired)) return live.map((item, index) => normalizeLive(kind, [...path, { index }], item, undefined));
    return pairItems(kind, path, desired, live)
      .filter((pair) => pair.live !== undefined)
      .map((pair) => normalizeLive(kind, [...path, pair.segment], pair.live, pair.desired));
  }
  if (!isRecord(live)) return desired !== undefined && sameScalar(path, desired, live) ? desired : live;
  const wanted = isRecord(desired) ? desired : {};
  const result: Record<string, unknown> = {};
  for (const key of sortKeys([...new Set([...Object.keys(live), ...Object.keys(wanted)])])) {
    const fieldPath = [...path, key];
    if (isServerField(fieldPath)) continue;
    if (!(key in live)) {
      if (absentMeansSame(kind, fieldPath, wanted[key])) result[key] = normalizeDesired(fieldPath, wanted[key]);
      continue;
    }
    const value = live[key];
    if (wanted[key] === undefined && (isEmptyValue(value) || isServerDefault(kind, fieldPath, value, live))) continue;
    const shown = normalizeLive(kind, fieldPath, value, wanted[key]);
    // A map left empty once defaults are gone (`strategy: {rollingUpdate: {}}`) says nothing git omits.
    if (wanted[key] === undefined && isEmptyValue(shown)) continue;
    result[key] = shown;
  }
  return result;
}

function shownLive(kind: string, live: Record<string, unknown>, desired: Record<string, unknown> | undefined): Record<string, unknown> {
  const shown = normalizeLive(kind, [], live, desired) as Record<string, unknown>;
  // The namespace git leaves to its context is no difference to show.
  const metadata = shown.metadata;
  if (desired && isRecord(metadata) && !(isRecord(desired.metadata) && 'namespace' in desired.metadata)) delete metadata.namespace;
  return shown;
}

export interface DiffTexts {
  desiredText: string;
  liveText: string;
}

/** Both sides for a diff editor; a side that does not exist is empty. */
export function diffTexts(kind: string, desired: Record<string, unknown> | undefined, live: Record<string, unknown> | undefined): DiffTexts {
  return {
    desiredText: desired ? toYamlText(normalizeDesired([], desired) as Record<string, unknown>) : '',
    liveText: live ? toYamlText(shownLive(kind, live, desired)) : '',
  };
}
