/**
 * Kubernetes resource quantities compared by value (`1000m` = `1`, `0.5Gi` = `512Mi`,
 * `1e3` = `1k`), as the API server canonicalises them. Exact: values are fractions of
 * big integers, so no rounding makes two different quantities equal.
 */

interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** Exponents beyond this are no real quantity; refusing them keeps the big integers small. */
const MAX_EXPONENT = 64;

function parseQuantity(value: unknown): Fraction | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) return undefined;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, number, exponentText, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  let decimalExponent = exponentText !== undefined ? Number(exponentText) : (DECIMAL_SUFFIXES[suffix] ?? 0);
  if (Math.abs(decimalExponent) > MAX_EXPONENT) return undefined;
  if (suffix in BINARY_SUFFIXES) {
    numerator *= 1024n ** BigInt(BINARY_SUFFIXES[suffix]);
    decimalExponent = 0;
  }
  if (decimalExponent >= 0) numerator *= 10n ** BigInt(decimalExponent);
  else denominator *= 10n ** BigInt(-decimalExponent);
  return { numerator, denominator };
}

/** True when both are quantities of the same value; false when either is not a quantity or they differ. */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const left = parseQuantity(a);
  const right = parseQuantity(b);
  return !!left && !!right && left.numerator * right.denominator === right.numerator * left.denominator;
}
