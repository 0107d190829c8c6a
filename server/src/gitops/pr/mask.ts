/**
 * Masking for everything a PR shows: the values of Kubernetes Secrets found in the picked
 * manifests (as written, base64-decoded and base64-encoded) and the token are replaced by
 * `***` wherever they appear, so a finding's message, a plan or a drift report that quotes
 * one cannot leak it into a PR body or a message.
 */
import { parseAllDocuments } from 'yaml';

export const MASK = '***';

/** Shorter values are left alone: masking every "a" or "80" would garble the text and hide nothing. */
const MIN_MASKED_LENGTH = 4;

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.replace(/\s+/g, ''))) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // Binary data decodes to replacement characters; it cannot appear as such in text.
  return decoded.includes('\uFFFD') ? undefined : decoded;
}

function addValue(values: Set<string>, value: string): void {
  const trimmed = value.trim();
  if (trimmed.length >= MIN_MASKED_LENGTH) values.add(trimmed);
  // A certificate or key may be shown line by line (a diff), so each line counts alone.
  if (trimmed.includes('\n')) for (const line of trimmed.split(/\r?\n/)) if (line.trim().length >= 8) values.add(line.trim());
}

/** The values of every Secret's `data` and `stringData` in a YAML text; none for text that is not YAML. */
export function secretValuesOf(text: string): Set<string> {
  const values = new Set<string>();
  if (!text.includes('Secret')) return values;
  let documents;
  try {
    documents = parseAllDocuments(text, { uniqueKeys: false });
  } catch {
    return values;
  }
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const object: unknown = document.toJS({ maxAliasCount: 1000 });
    if (!object || typeof object !== 'object') continue;
    const { kind, data, stringData } = object as { kind?: unknown; data?: unknown; stringData?: unknown };
    if (kind !== 'Secret') continue;
    for (const value of Object.values(data && typeof data === 'object' ? data : {})) {
      if (typeof value !== 'string') continue;
      addValue(values, value);
      const decoded = decodeBase64(value);
      if (decoded !== undefined) addValue(values, decoded);
    }
    for (const value of Object.values(stringData && typeof stringData === 'object' ? stringData : {})) {
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      addValue(values, String(value));
      addValue(values, Buffer.from(String(value), 'utf8').toString('base64'));
    }
  }
  return values;
}

/** `text` with every occurrence of each value replaced by `***`, longest values first. */
export function maskValues(text: string, values: Iterable<string>): string {
  const sorted = [...new Set(values)].filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
  let masked = text;
  for (const value of sorted) if (masked.includes(value)) masked = masked.split(value).join(MASK);
  return masked;
}
