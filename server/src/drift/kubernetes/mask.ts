/**
 * Secrets never leave the comparison with their values: `data` and `stringData` are
 * compared here, on the real bytes, and everything after sees only which keys differ. No
 * length, hash or prefix of a value is kept, since any of them helps guess it.
 */
import { isRecord } from '../../kubernetes/resource';
import type { RawDrift } from './diff';
import { LAST_APPLIED_ANNOTATION } from './normalize';

export const HIDDEN = '(hidden)';
export const HIDDEN_DIFFERS = '(hidden, differs)';

export const isSecret = (object: Record<string, unknown>): boolean => object.kind === 'Secret' && object.apiVersion === 'v1';

/** A Secret's content by key as bytes: `data` is base64, `stringData` plain text and wins, as the API server merges them. */
function secretBytes(object: Record<string, unknown>): Map<string, Buffer> {
  const bytes = new Map<string, Buffer>();
  if (isRecord(object.data)) {
    for (const [key, value] of Object.entries(object.data)) bytes.set(key, Buffer.from(typeof value === 'string' ? value : '', 'base64'));
  }
  if (isRecord(object.stringData)) {
    for (const [key, value] of Object.entries(object.stringData)) bytes.set(key, Buffer.from(typeof value === 'string' ? value : String(value ?? ''), 'utf8'));
  }
  return bytes;
}

/** The keys git declares that differ live, in words that carry no value. */
export function secretDataDrift(desired: Record<string, unknown>, live: Record<string, unknown> | undefined): { drifts: RawDrift[]; differing: Set<string> } {
  const liveBytes = live ? secretBytes(live) : new Map<string, Buffer>();
  const drifts: RawDrift[] = [];
  const differing = new Set<string>();
  for (const [key, bytes] of secretBytes(desired)) {
    const liveValue = liveBytes.get(key);
    if (liveValue?.equals(bytes)) continue;
    differing.add(key);
    if (live) drifts.push({ path: ['data', key], change: liveValue ? 'changed' : 'missing-live', desired: HIDDEN, live: liveValue ? HIDDEN : undefined });
  }
  return { drifts, differing };
}

/**
 * A copy of a Secret whose content is markers: `data` holds every key (with `stringData`'s
 * folded in, as live shows them), the last-applied annotation (a copy of the values) is gone.
 */
export function maskSecret(object: Record<string, unknown>, differing: ReadonlySet<string>): Record<string, unknown> {
  const keys = [...secretBytes(object).keys()];
  const masked: Record<string, unknown> = { ...object };
  delete masked.stringData;
  delete masked.data;
  if (keys.length > 0) masked.data = Object.fromEntries(keys.map((key) => [key, differing.has(key) ? HIDDEN_DIFFERS : HIDDEN]));
  const metadata = isRecord(object.metadata) ? object.metadata : undefined;
  if (metadata && isRecord(metadata.annotations) && LAST_APPLIED_ANNOTATION in metadata.annotations) {
    const annotations = { ...metadata.annotations };
    delete annotations[LAST_APPLIED_ANNOTATION];
    masked.metadata = { ...metadata, annotations };
  }
  return masked;
}

/** Explanation for a Secret key: which key, never what it holds. */
export function explainSecretKey(drift: RawDrift): string {
  const key = String(drift.path[drift.path.length - 1]);
  return drift.change === 'missing-live' ? `key ${key} is missing live` : `key ${key} differs`;
}
