/**
 * YAML text of a plain JSON value (maps, lists, strings, numbers, booleans, null), block
 * style, for the diff editor's documents. The `yaml` package's stringify builds a document
 * tree first and was most of the cost of comparing 1,000 resources; this writes the text in
 * one walk. A string is written plain only when it is certainly read back as the same
 * string (YAML 1.2, and no YAML 1.1 boolean such as `on` either); multi-line text as a
 * literal block when that is exact, otherwise double-quoted with JSON's escapes, which YAML
 * reads the same.
 */
import { isRecord } from '../../kubernetes/resource';

/** Printable ASCII, not starting with a space nor an indicator character (but `--flag` is fine: a dash then a non-blank). */
const PLAIN_CANDIDATE = /^(?:[A-Za-z0-9_./$(]|-(?=[^ ]))[\x20-\x7e]*$/;
/** Sequences that end or comment a plain scalar, or a trailing space or colon. */
const PLAIN_BREAKER = /: | #|[ :]$/;
/** Anything a YAML 1.1 or 1.2 reader may take as a number (`1_000`, `0x1F`, `12:30`, `1e3`, `.5`, even `e0`) rather than a string. */
const NUMBER_LIKE = /^[-+]?(?:[\d.][\dA-Fa-f._:xXoO+-]*|e[-+]?\d+|\.inf|\.nan)$/i;
const NON_STRING_WORDS = new Set(['', '~', 'null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);
/** Characters YAML does not allow unescaped, or that YAML 1.1 takes for line breaks (JSON.stringify leaves these as they are). */
const NON_PRINTABLE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
/** What a literal block cannot hold exactly: control characters other than tab and line feed, those above, lone surrogates, trailing blanks. */
const NOT_LITERAL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[ \t]\n|[ \t]$/;

function isPlainSafe(text: string): boolean {
  return PLAIN_CANDIDATE.test(text) && !PLAIN_BREAKER.test(text) && !NUMBER_LIKE.test(text) && !NON_STRING_WORDS.has(text.toLowerCase());
}

function quoted(text: string): string {
  return JSON.stringify(text).replace(NON_PRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A key or a one-line value. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return isPlainSafe(value) ? value : quoted(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return quoted(String(value));
}

/**
 * A multi-line string as a literal block (` |-` and the lines at `indent`), or undefined when
 * the block would not read back exactly: leading space or line break (the block's
 * indentation would be misread), trailing blanks on a line, or characters a block cannot hold.
 */
function literalBlock(text: string, indent: string): string | undefined {
  if (!text.includes('\n') || /^[ \n]/.test(text) || NOT_LITERAL.test(text)) return undefined;
  const body = text.replace(/\n+$/, '');
  const trailing = text.length - body.length;
  const chomping = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const lines = text.slice(0, trailing > 1 ? text.length - 1 : body.length).split('\n');
  return ` |${chomping}\n${lines.map((line) => (line ? `${indent}${line}` : '')).join('\n')}\n`;
}

const isEmptyCollection = (value: unknown): boolean =>
  Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.values(value).every((child) => child === undefined);

/** YAML reads at most 1,024 characters as an implicit key; a longer one needs the explicit `? key` form. */
const MAX_IMPLICIT_KEY = 1024;

/** `value` after a key or a `- `, at nesting `indent`: on the same line, or as lines below. */
function nodeText(value: unknown, indent: string): string {
  if (Array.isArray(value) || isRecord(value)) {
    if (isEmptyCollection(value)) return Array.isArray(value) ? ' []\n' : ' {}\n';
    return `\n${collectionText(value, `${indent}  `)}`;
  }
  if (typeof value === 'string') return literalBlock(value, `${indent}  `) ?? ` ${scalarText(value)}\n`;
  return ` ${scalarText(value)}\n`;
}

/** A list item: a non-empty map or list starts on the dash's line. */
function itemText(item: unknown, indent: string): string {
  if ((Array.isArray(item) || isRecord(item)) && !isEmptyCollection(item)) {
    return `${indent}- ${collectionText(item, `${indent}  `).slice(indent.length + 2)}`;
  }
  return `${indent}-${nodeText(item, indent)}`;
}

function collectionText(value: unknown[] | Record<string, unknown>, indent: string): string {
  let text = '';
  if (Array.isArray(value)) {
    for (const item of value) text += itemText(item === undefined ? null : item, indent);
    return text;
  }
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const keyText = scalarText(key);
    text += keyText.length > MAX_IMPLICIT_KEY ? `${indent}? ${keyText}\n${indent}:` : `${indent}${keyText}:`;
    text += nodeText(child, indent);
  }
  return text;
}

/** The YAML document of a map or list (JSON's rules for `undefined`: a key with it is left out, an item becomes null). */
export function toYamlText(value: Record<string, unknown> | unknown[]): string {
  if (isEmptyCollection(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  return collectionText(value, '');
}
