/**
 * Versions as Helm reads them. A chart's `version` must be SemVer 2 for chart repositories
 * and OCI registries; Helm itself also accepts the looser forms of its semver library
 * (`v1.2`, `1.2`), which is why those are told apart. `kubeVersion` and dependency
 * versions are constraints (`>=1.22.0-0 <1.30`, `^1.2`, `~1.2.x`, `1.2 - 1.4`, `a || b`).
 */

const NUMBER = '(?:0|[1-9]\\d*)';
const IDENTIFIER = '[0-9A-Za-z-]+';
const PRERELEASE = `(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?`;
const BUILD = `(?:\\+${IDENTIFIER}(?:\\.${IDENTIFIER})*)?`;

const STRICT_SEMVER = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}${PRERELEASE}${BUILD}$`);
/** What Helm's semver library still parses: a `v`, missing minor or patch, leading zeros. */
const LOOSE_SEMVER = new RegExp(`^v?\\d+(?:\\.\\d+(?:\\.\\d+)?)?${PRERELEASE}${BUILD}$`);

/** A version inside a constraint may also use wildcards (`1.2.x`, `1.*`). */
const WILDCARD_PART = '(?:\\d+|[xX*])';
const CONSTRAINT_VERSION = `v?${WILDCARD_PART}(?:\\.${WILDCARD_PART}(?:\\.${WILDCARD_PART})?)?${PRERELEASE}${BUILD}`;
const COMPARATOR = new RegExp(`^(?:=|!=|>=|=>|<=|=<|>|<|~>|~|\\^)?\\s*${CONSTRAINT_VERSION}$`);
const HYPHEN_RANGE = new RegExp(`^${CONSTRAINT_VERSION}\\s+-\\s+${CONSTRAINT_VERSION}$`);

export type VersionVerdict = 'semver2' | 'loose' | 'invalid';

export function classifyVersion(text: string): VersionVerdict {
  if (STRICT_SEMVER.test(text)) return 'semver2';
  return LOOSE_SEMVER.test(text) ? 'loose' : 'invalid';
}

/**
 * Whether `text` is a constraint Helm accepts: alternatives joined by `||`, each a hyphen
 * range or comparators separated by spaces or commas. Returns the first comparator that is
 * not valid, or undefined when the whole constraint is.
 */
export function invalidConstraintPart(text: string): string | undefined {
  if (text.trim() === '') return text;
  for (const alternative of text.split('||')) {
    const trimmed = alternative.trim();
    if (trimmed === '') return alternative;
    if (HYPHEN_RANGE.test(trimmed)) continue;
    // An operator may be followed by spaces (`>= 1.2`): glue it to its version before splitting.
    const comparators = trimmed.replace(/(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+/g, '$1').split(/[\s,]+/);
    const bad = comparators.find((comparator) => !COMPARATOR.test(comparator));
    if (bad !== undefined) return bad;
  }
  return undefined;
}
