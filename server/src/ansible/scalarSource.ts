/**
 * Where a character of a YAML string value sits in the source text. A value is not a slice of
 * the source: quotes, escapes (`\"`, `''`, `\u0041`), line folding and block indentation all
 * stand between them. This re-derives the value from the source while recording each
 * character's source span, and trusts the result only when it equals the parsed value, so a
 * case it does not understand falls back to the whole scalar instead of a wrong position.
 */
import type { YamlScalar } from '../yaml/compose';

export interface SourceSpan {
  start: number;
  end: number;
}

/** For each UTF-16 unit of the value, the span of source text it came from. */
type SpanMap = SourceSpan[];

/**
 * The source span of `value.slice(start, end)`, or of the whole scalar when that cannot be
 * worked out exactly. `exact` says which.
 */
export function sourceSpanOfValue(text: string, node: YamlScalar, start: number, end: number): SourceSpan & { exact: boolean } {
  const map = spanMap(text, node);
  if (!map || start < 0 || end > map.length || start > end) return { start: node.start, end: node.end, exact: false };
  if (start === end) {
    const at = start < map.length ? map[start].start : map.length > 0 ? map[map.length - 1].end : node.start;
    return { start: at, end: at, exact: true };
  }
  return { start: map[start].start, end: map[end - 1].end, exact: true };
}

function spanMap(text: string, node: YamlScalar): SpanMap | undefined {
  if (typeof node.value !== 'string' || node.empty) return undefined;
  const first = text[node.start];
  let derived: { value: string; spans: SpanMap } | undefined;
  if (first === '"' || first === "'") derived = deriveFlow(text, node.start + 1, node.end - 1, first === '"' ? 'double' : 'single');
  else if (node.plain) derived = deriveFlow(text, node.start, node.end, 'plain');
  else derived = deriveBlock(text, node.start, node.end, node.value);
  return derived && derived.value === node.value ? derived.spans : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ',
  '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

class ValueBuilder {
  value = '';
  readonly spans: SpanMap = [];
  /** Length of the value up to its last character that line folding must keep. */
  kept = 0;

  push(chars: string, start: number, end: number, keep: boolean): void {
    for (let i = 0; i < chars.length; i++) this.spans.push({ start, end });
    this.value += chars;
    if (keep) this.kept = this.value.length;
  }

  /** Drops trailing white space before a line break, as YAML folding does. */
  trimUnkept(): void {
    this.value = this.value.slice(0, this.kept);
    this.spans.length = this.kept;
  }
}

function isBreak(char: string | undefined): boolean {
  return char === '\n' || char === '\r';
}

/** Plain and quoted (flow) scalars: escapes, then line folding (one break is a space, n breaks are n-1 newlines). */
function deriveFlow(text: string, from: number, to: number, style: 'plain' | 'single' | 'double'): { value: string; spans: SpanMap } | undefined {
  const out = new ValueBuilder();
  let i = from;
  while (i < to) {
    const char = text[i];
    if (isBreak(char) || (style === 'double' && char === '\\' && isBreak(text[i + 1]))) {
      const escaped = char === '\\';
      const breakAt = escaped ? i + 1 : i;
      if (!escaped) out.trimUnkept();
      let breaks = 0;
      i = breakAt;
      while (i < to && (text[i] === ' ' || text[i] === '\t' || isBreak(text[i]))) {
        if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) breaks++;
        i++;
      }
      if (!escaped) out.push(breaks === 1 ? ' ' : '\n'.repeat(breaks - 1), breakAt, breakAt + 1, true);
      continue;
    }
    if (style === 'single' && char === "'" && text[i + 1] === "'") {
      out.push("'", i, i + 2, true);
      i += 2;
      continue;
    }
    if (style === 'double' && char === '\\') {
      const escape = decodeEscape(text, i);
      if (!escape) return undefined;
      out.push(escape.chars, i, i + escape.length, true);
      i += escape.length;
      continue;
    }
    out.push(char, i, i + 1, char !== ' ' && char !== '\t');
    i++;
  }
  return out;
}

function decodeEscape(text: string, at: number): { chars: string; length: number } | undefined {
  const letter = text[at + 1];
  if (letter !== undefined && Object.hasOwn(SIMPLE_ESCAPES, letter)) return { chars: SIMPLE_ESCAPES[letter], length: 2 };
  const digits = HEX_ESCAPES[letter];
  if (digits === undefined) return undefined;
  const hex = text.slice(at + 2, at + 2 + digits);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) return undefined;
  return { chars: String.fromCodePoint(code), length: 2 + digits };
}

/**
 * Literal (`|`) and folded (`>`) block scalars, line by line. Gives up on an explicit
 * indentation indicator (`|2`), which needs the parent's indentation to read.
 */
function deriveBlock(text: string, start: number, end: number, value: string): { value: string; spans: SpanMap } | undefined {
  let headerEnd = start - 1;
  while (headerEnd >= 0 && /\s/.test(text[headerEnd])) headerEnd--;
  const headerStart = text.lastIndexOf('\n', headerEnd) + 1;
  const header = /([|>])([+-]?)\s*(#.*)?$/.exec(text.slice(headerStart, headerEnd + 1));
  if (!header) return undefined;
  const folded = header[1] === '>';
  const contentStart = text.indexOf('\n', headerEnd) + 1;
  if (contentStart === 0 || contentStart > start) return undefined;
  const indent = start - (text.lastIndexOf('\n', start - 1) + 1);

  const lines: Array<{ from: number; to: number }> = [];
  for (let lineStart = contentStart; lineStart <= end;) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const to = text[lineEnd - 1] === '\r' && lineEnd - 1 >= lineStart ? lineEnd - 1 : lineEnd;
    lines.push({ from: Math.min(lineStart + indent, to), to });
    lineStart = lineEnd + 1;
  }

  const out = new ValueBuilder();
  let previous: { moreIndented: boolean } | undefined;
  let emptyLines = 0;
  for (const line of lines) {
    if (line.from >= line.to) {
      emptyLines++;
      continue;
    }
    const moreIndented = text[line.from] === ' ' || text[line.from] === '\t';
    const breakAt = line.from - indent - 1;
    if (!previous) out.push('\n'.repeat(emptyLines), breakAt, breakAt + 1, true);
    else if (!folded || previous.moreIndented || moreIndented) out.push('\n'.repeat(emptyLines + 1), breakAt, breakAt + 1, true);
    else out.push(emptyLines === 0 ? ' ' : '\n'.repeat(emptyLines), breakAt, breakAt + 1, true);
    for (let i = line.from; i < line.to; i++) out.push(text[i], i, i + 1, true);
    previous = { moreIndented };
    emptyLines = 0;
  }
  // Chomping adds only line breaks after the last content line, which sit past `end`.
  if (!value.startsWith(out.value) || !/^\n*$/.test(value.slice(out.value.length))) return undefined;
  const tail = value.length - out.value.length;
  out.push('\n'.repeat(tail), end, end, true);
  return out;
}
