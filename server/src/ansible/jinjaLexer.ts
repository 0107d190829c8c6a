/**
 * Splits a Jinja2 template into tokens the way Jinja2's own lexer does (default delimiters,
 * no line statements): data between tags, `{{ … }}` and `{% … %}` contents as names, literals
 * and operators, `{# … #}` comments and `{% raw %}` sections skipped. Pure; offsets are UTF-16
 * indexes into the template text.
 */

export type JinjaTokenType =
  | 'data' | 'variable_begin' | 'variable_end' | 'block_begin' | 'block_end'
  | 'name' | 'string' | 'integer' | 'float' | 'operator' | 'eof';

export interface JinjaToken {
  type: JinjaTokenType;
  /** The token's text; for operators, the operator itself (`==`, `(`, `|`). */
  value: string;
  start: number;
  end: number;
}

export class JinjaSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

/** The result of lexing: tokens up to the first lexical error, which the parser raises when it gets there. */
export interface JinjaTokens {
  tokens: JinjaToken[];
  error: JinjaSyntaxError | undefined;
}

const WHITESPACE = /\s+/y;
// Jinja's number rules, in Jinja's order: a float is tried before an integer, a name after both.
const FLOAT = /(?<!\.)(\d+_)*\d+((\.(\d+_)*\d+)?e[+-]?(\d+_)*\d+|\.(\d+_)*\d+)/iy;
const INTEGER = /(0b(_?[01])+|0o(_?[0-7])+|0x(_?[\da-f])+|[1-9](_?\d)*|0(_?0)*)/iy;
const NAME = /[\p{L}\p{N}\p{M}\p{Pc}]+/uy;
/** The common case, without Unicode classes. */
const ASCII_NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{N}\p{M}\p{Pc}]*$/u;
const STRING = /'([^'\\]*(?:\\[\s\S][^'\\]*)*)'|"([^"\\]*(?:\\[\s\S][^"\\]*)*)"/y;
// Longest first, so `**` is not read as two `*`.
const OPERATOR = /\/\/|\*\*|==|!=|>=|<=|[-+/*%~[\](){}><=.:|,;]/y;
const VARIABLE_END = /-\}\}\s*|\}\}/y;
const BLOCK_END = /\+%\}|-%\}\s*|%\}/y;
const RAW_BEGIN = /\{%[-+]?\s*raw\s*(?:-%\}\s*|%\})/y;
const RAW_END = /\{%[-+]?\s*endraw\s*(?:\+%\}|-%\}\s*|%\})/g;
const COMMENT_END = /[-+]?#\}/g;
const TAG_START = /\{[{%#]/g;

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  return match ? match[0] : undefined;
}

/** Reads the text of a tag (`{{ … }}` or `{% … %}`) from `at`; returns where it ended. */
function lexTag(text: string, at: number, kind: 'variable' | 'block', tokens: JinjaToken[], brackets: string[]): number {
  let pos = at;
  const endPattern = kind === 'variable' ? VARIABLE_END : BLOCK_END;
  while (pos < text.length) {
    // As in Jinja, a closing delimiter only counts when every bracket opened in the tag is closed.
    const char = text[pos];
    const mayEnd = brackets.length === 0 && (char === '}' || char === '%' || char === '-' || char === '+');
    const end = mayEnd ? matchAt(endPattern, text, pos) : undefined;
    if (end !== undefined) {
      tokens.push({ type: kind === 'variable' ? 'variable_end' : 'block_end', value: end, start: pos, end: pos + end.length });
      return pos + end.length;
    }
    if (char === ' ' || char === '\n' || char === '\t' || char === '\r') {
      pos++;
      continue;
    }
    const space = text.charCodeAt(pos) > 127 ? matchAt(WHITESPACE, text, pos) : undefined;
    if (space !== undefined) {
      pos += space.length;
      continue;
    }
    const token = readToken(text, pos);
    if (!token) throw new JinjaSyntaxError(`Unexpected character ${JSON.stringify(text[pos])}.`, pos, pos + 1);
    if (token.type === 'operator') trackBracket(token, brackets);
    tokens.push(token);
    pos = token.end;
  }
  return pos;
}

/** Reads the token at `pos`. Jinja tries float, integer, name, string, operator in turn; the first character already tells which can match. */
function readToken(text: string, pos: number): JinjaToken | undefined {
  const code = text.charCodeAt(pos);
  if (code >= 48 && code <= 57) {
    const number = matchAt(FLOAT, text, pos);
    if (number !== undefined) return { type: 'float', value: number, start: pos, end: pos + number.length };
    const integer = matchAt(INTEGER, text, pos)!;
    return { type: 'integer', value: integer, start: pos, end: pos + integer.length };
  }
  const ascii = matchAt(ASCII_NAME, text, pos);
  if (ascii !== undefined && !(text.charCodeAt(pos + ascii.length) > 127)) return { type: 'name', value: ascii, start: pos, end: pos + ascii.length };
  const name = ascii !== undefined || code > 127 ? matchAt(NAME, text, pos) : undefined;
  if (name !== undefined) {
    if (!IDENTIFIER.test(name)) throw new JinjaSyntaxError(`"${name}" is not a valid name.`, pos, pos + name.length);
    return { type: 'name', value: name, start: pos, end: pos + name.length };
  }
  const string = code === 34 || code === 39 ? matchAt(STRING, text, pos) : undefined;
  if (string !== undefined) {
    checkEscapes(string, pos);
    return { type: 'string', value: string, start: pos, end: pos + string.length };
  }
  const operator = matchAt(OPERATOR, text, pos);
  if (operator !== undefined) return { type: 'operator', value: operator, start: pos, end: pos + operator.length };
  if (text[pos] === '"' || text[pos] === "'") throw new JinjaSyntaxError(`Unterminated string: the ${text[pos]} is never closed.`, pos, text.length);
  return undefined;
}

function trackBracket(token: JinjaToken, brackets: string[]): void {
  const closing = CLOSING[token.value];
  if (closing) {
    brackets.push(closing);
    return;
  }
  if (token.value !== ')' && token.value !== ']' && token.value !== '}') return;
  const expected = brackets.pop();
  if (expected === undefined) throw new JinjaSyntaxError(`Unexpected "${token.value}": nothing is open to close.`, token.start, token.end);
  if (expected !== token.value) throw new JinjaSyntaxError(`Unexpected "${token.value}": expected "${expected}" first.`, token.start, token.end);
}

/** Jinja decodes string literals with Python's unicode-escape codec, which rejects truncated `\x`, `\u`, `\U` and `\N` escapes. */
function checkEscapes(literal: string, offset: number): void {
  const escape = /\\(x|u|U|N|[\s\S])/g;
  for (let match = escape.exec(literal); match; match = escape.exec(literal)) {
    const at = match.index;
    const digits = { x: 2, u: 4, U: 8 }[match[1] as 'x' | 'u' | 'U'];
    let valid = true;
    if (digits !== undefined) {
      const hex = literal.slice(at + 2, at + 2 + digits);
      valid = hex.length === digits && /^[0-9a-fA-F]+$/.test(hex) && (digits < 8 || parseInt(hex, 16) <= 0x10ffff);
    } else if (match[1] === 'N') {
      valid = /^\\N\{[A-Za-z0-9 -]+\}/.test(literal.slice(at));
    }
    if (!valid) throw new JinjaSyntaxError(`Bad escape "\\${match[1]}" in a string.`, offset + at, offset + at + 2);
  }
}

/** Finds the earliest `{{`, `{%` or `{#` at or after `from`. */
function nextTagStart(text: string, from: number): number {
  TAG_START.lastIndex = from;
  const match = TAG_START.exec(text);
  return match ? match.index : -1;
}

export function lexJinja(text: string): JinjaTokens {
  const tokens: JinjaToken[] = [];
  // Like Jinja, brackets are balanced across the whole template, not per tag.
  const brackets: string[] = [];
  let pos = 0;
  try {
    while (pos < text.length) {
      const tag = nextTagStart(text, pos);
      if (tag === -1) {
        tokens.push({ type: 'data', value: text.slice(pos), start: pos, end: text.length });
        break;
      }
      if (tag > pos) tokens.push({ type: 'data', value: text.slice(pos, tag), start: pos, end: tag });
      pos = lexTagFrom(text, tag, tokens, brackets);
    }
  } catch (error) {
    if (error instanceof JinjaSyntaxError) return { tokens: withEof(tokens, text.length), error };
    throw error;
  }
  return { tokens: withEof(tokens, text.length), error: undefined };
}

function withEof(tokens: JinjaToken[], length: number): JinjaToken[] {
  tokens.push({ type: 'eof', value: '', start: length, end: length });
  return tokens;
}

/** Lexes the tag starting at `tag` (its first two characters are `{{`, `{%` or `{#`); returns where lexing goes on. */
function lexTagFrom(text: string, tag: number, tokens: JinjaToken[], brackets: string[]): number {
  const second = text[tag + 1];
  if (second === '%') {
    const raw = matchAt(RAW_BEGIN, text, tag);
    if (raw !== undefined) return skipRaw(text, tag, tag + raw.length, tokens);
  }
  // Whitespace control (`{{-`, `{%+`) belongs to the delimiter.
  const control = text[tag + 2] === '-' || text[tag + 2] === '+' ? 1 : 0;
  const bodyStart = tag + 2 + control;
  if (second === '#') return skipComment(text, tag, bodyStart);
  const kind = second === '{' ? 'variable' : 'block';
  tokens.push({ type: kind === 'variable' ? 'variable_begin' : 'block_begin', value: text.slice(tag, bodyStart), start: tag, end: bodyStart });
  return lexTag(text, bodyStart, kind, tokens, brackets);
}

function skipComment(text: string, tag: number, bodyStart: number): number {
  COMMENT_END.lastIndex = bodyStart;
  const end = COMMENT_END.exec(text);
  if (end) return end.index + end[0].length;
  // Jinja reports the missing end only when text follows the opening.
  if (bodyStart < text.length) throw new JinjaSyntaxError('Unclosed comment: "{#" has no "#}".', tag, tag + 2);
  return text.length;
}

function skipRaw(text: string, tag: number, bodyStart: number, tokens: JinjaToken[]): number {
  RAW_END.lastIndex = bodyStart;
  const end = RAW_END.exec(text);
  if (end) {
    if (end.index > bodyStart) tokens.push({ type: 'data', value: text.slice(bodyStart, end.index), start: bodyStart, end: end.index });
    return end.index + end[0].length;
  }
  if (bodyStart < text.length) throw new JinjaSyntaxError('"{% raw %}" is never closed by "{% endraw %}".', tag, bodyStart);
  return text.length;
}
