/**
 * Pluto's `versions.yaml` (already parsed) → ApiDeprecation[]. Pure: no I/O.
 *
 * Versions are normalised to `MAJOR.MINOR` (`v1.16.0` → `1.16`), an empty `removed-in`
 * or `replacement-api` becomes null, exact duplicates are dropped and the list is sorted by
 * component, apiVersion and kind.
 */
import type { ApiDeprecation, KindEntry } from './bundle';

export interface DeprecationOptions {
  /** Told about every entry that was repaired or dropped, in words fit for PROVENANCE.md. */
  onNote?: (note: string) => void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `v1.16.0`, `1.16`, `v0.11` → `1.16`/`0.11`; anything else → null. */
export function normaliseVersion(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(value.trim());
  return match ? `${Number(match[1])}.${Number(match[2])}` : null;
}

/** Orders `MAJOR.MINOR` strings numerically. */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

export function convertPlutoVersions(doc: unknown, options: DeprecationOptions = {}): ApiDeprecation[] {
  const note = options.onNote ?? (() => undefined);
  const entries = isRecord(doc) && Array.isArray(doc['deprecated-versions']) ? doc['deprecated-versions'] : [];
  const byKey = new Map<string, ApiDeprecation>();
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const apiVersion = nonEmpty(entry.version);
    const kind = nonEmpty(entry.kind);
    const component = nonEmpty(entry.component) ?? 'k8s';
    if (!apiVersion || !kind) continue;
    const name = `${component} ${apiVersion} ${kind}`;
    const removedIn = normaliseVersion(entry['removed-in']);
    let deprecatedIn = normaliseVersion(entry['deprecated-in']);
    if (!deprecatedIn) {
      // A version is deprecated once its replacement is available; fall back to the removal.
      deprecatedIn = normaliseVersion(entry['replacement-available-in']) ?? removedIn;
      if (!deprecatedIn) {
        note(`${name}: dropped, it has neither deprecated-in nor removed-in`);
        continue;
      }
      note(`${name}: deprecated-in is empty upstream; set to ${deprecatedIn} (its replacement-available-in, else removed-in)`);
    }
    const deprecation: ApiDeprecation = {
      apiVersion,
      kind,
      deprecatedIn,
      removedIn,
      replacement: nonEmpty(entry['replacement-api']),
      component,
    };
    const key = `${component}\u0000${apiVersion}\u0000${kind}`;
    const known = byKey.get(key);
    if (known) {
      const same = JSON.stringify(known) === JSON.stringify(deprecation);
      note(`${name}: listed twice upstream${same ? ' (identical entries)' : ''}; the first entry is kept`);
      continue;
    }
    byKey.set(key, deprecation);
  }
  return [...byKey.values()].sort(
    (a, b) => compare(a.component, b.component) || compare(a.apiVersion, b.apiVersion) || compare(a.kind, b.kind),
  );
}

/**
 * Cross-checks `k8s` entries against a Kubernetes bundle: when an entry says the API was
 * removed in `version` or earlier but the bundle still serves it, the bundle wins and the
 * removal is cleared (removedIn → null). Returns a new list.
 */
export function reconcileWithServedKinds(
  deprecations: ApiDeprecation[],
  served: KindEntry[],
  version: string,
  options: DeprecationOptions = {},
): ApiDeprecation[] {
  const note = options.onNote ?? (() => undefined);
  const servedKeys = new Set(served.map((kind) => `${kind.apiVersion} ${kind.kind}`));
  return deprecations.map((deprecation) => {
    if (deprecation.component !== 'k8s' || deprecation.removedIn === null) return deprecation;
    if (compareVersions(deprecation.removedIn, version) > 0) return deprecation;
    if (!servedKeys.has(`${deprecation.apiVersion} ${deprecation.kind}`)) return deprecation;
    note(
      `k8s ${deprecation.apiVersion} ${deprecation.kind}: removed-in ${deprecation.removedIn} upstream, ` +
        `but the Kubernetes v${version} API still serves it; removedIn set to null`,
    );
    return { ...deprecation, removedIn: null };
  });
}
