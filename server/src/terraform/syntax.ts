/**
 * HCL's lexical rules, checked by a small scanner of our own, because tree-sitter's grammar is
 * more lenient than HCL and recovers poorly from the two most common typing errors: a string
 * left open (tree-sitter lets it run over the following lines) and an unclosed `${`. The
 * scanner reads a whole file, knows strings, heredocs, comments, template sequences and
 * brackets, and reports each problem where it is, resynchronising at the end of the line, so
 * one typo gives one error rather than a cascade. It also returns the text with its broken
 * strings blanked out, which is what tree-sitter then parses (see document.ts).
 *
 * Also here: the wording of tree-sitter's ERROR and MISSING nodes, for the rarer grammar errors
 * the scanner does not see (a missing value, a stray word).
 */
import type { Finding, Range } from '../core/types';
import type { LightNode as SyntaxNode } from './lightTree';

interface Opener {
  char: string;
  index: number;
}

interface Directive {
  keyword: 'if' | 'for';
  start: number;
  end: number;
  sawElse: boolean;
}

interface BrokenString {
  start: number;
  /** After the closing quote, or the end of the line for an unclosed string. */
  end: number;
  closed: boolean;
}

interface SequenceResult {
  end: number;
  closed: boolean;
  /** A `"` inside the sequence that cannot start a string: most likely the missing `}` belongs before it. */
  strayQuote?: number;
}

const CLOSERS: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
const HEREDOC_START = /<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/y;
const DIRECTIVE_KEYWORD = /[a-z]+/y;

class Scanner {
  readonly problems: Finding[] = [];
  /** Strings with a problem inside, as [start, end) offsets: `repairText` blanks them before a re-parse. */
  readonly brokenStrings: BrokenString[] = [];
  /** An unterminated heredoc, comment or sequence swallowed the rest: unclosed brackets are its echo. */
  private swallowed = false;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string, private readonly lineOffset: number, private readonly columnOffset: number) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  position(index: number): { line: number; character: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= index) low = mid;
      else high = mid - 1;
    }
    return { line: low + this.lineOffset, character: index - this.lineStarts[low] + (low === 0 ? this.columnOffset : 0) };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  report(start: number, end: number, message: string, rule = 'tf/syntax'): void {
    this.problems.push({ range: this.range(start, end), severity: 'error', rule, message });
  }

  private lineEnd(index: number): number {
    const end = this.text.indexOf('\n', index);
    return end < 0 ? this.text.length : end;
  }

  /**
   * Code outside strings: brackets, comments, strings and heredocs. In a template sequence
   * (`inSequence`), a `}` with no open bracket ends the sequence.
   */
  scanCode(start: number, inSequence: boolean, quoted: boolean): SequenceResult {
    const text = this.text;
    const stack: Opener[] = [];
    let i = start;
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        i++;
      } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        i = this.lineEnd(i);
      } else if (c === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) {
          this.report(i, i + 2, 'This comment is never closed: add */ to end it.');
          this.swallowed = true;
          return { end: text.length, closed: false };
        }
        i = close + 2;
      } else if (c === '"') {
        const result = this.scanQuoted(i, inSequence && quoted);
        if (result.strayQuote !== undefined) return { end: i, closed: false, strayQuote: i };
        i = result.end;
      } else if (c === '<' && text[i + 1] === '<') {
        HEREDOC_START.lastIndex = i;
        const match = HEREDOC_START.exec(text);
        i = match ? this.scanHeredoc(i, match[2], HEREDOC_START.lastIndex) : i + 2;
      } else if (c === '{' || c === '[' || c === '(') {
        stack.push({ char: c, index: i });
        i++;
      } else if (c === '}' || c === ']' || c === ')') {
        if (stack.length === 0) {
          if (inSequence && c === '}') return { end: i + 1, closed: true };
          this.report(i, i + 1, c === '}' ? 'Unexpected "}": there is no block or object open here to close.' : `Unexpected "${c}": there is nothing open here to close.`);
          i++;
          continue;
        }
        const top = stack[stack.length - 1];
        if (top.char === CLOSERS[c]) {
          stack.pop();
        } else {
          const match = stack.map((opener) => opener.char).lastIndexOf(CLOSERS[c]);
          if (match >= 0) {
            this.report(top.index, top.index + 1, `"${top.char}" is not closed before the "${c}" that follows.`);
            stack.length = match;
          } else {
            this.report(i, i + 1, `Unexpected "${c}": the innermost open bracket is "${top.char}".`);
          }
        }
        i++;
      } else if (c === '~' && text[i + 1] === '}' && inSequence && stack.length === 0) {
        return { end: i + 2, closed: true };
      } else if (c === "'") {
        const end = text.indexOf("'", i + 1);
        const lineEnd = this.lineEnd(i);
        this.report(i, i + 1, 'Single quotes are not valid in Terraform: use double quotes (") around strings.');
        i = end >= 0 && end < lineEnd ? end + 1 : lineEnd;
      } else if (c === '`' || c === '@' || c === '^' || c === ';' || c === '\\' || c === '$') {
        this.report(i, i + 1, `The character "${c}" is not used in the Terraform language.`);
        i++;
      } else {
        i++;
      }
    }
    if (stack.length > 0 && !inSequence && !this.swallowed) {
      const top = stack[stack.length - 1];
      const what = top.char === '{' ? 'block or object' : top.char === '[' ? 'list' : 'parenthesis';
      this.report(top.index, top.index + 1, `This ${what} is not closed: add "${top.char === '{' ? '}' : top.char === '[' ? ']' : ')'}".`);
    }
    return { end: text.length, closed: false };
  }

  /**
   * A quoted template from its opening quote. Quoted strings end on their line; inside a
   * template sequence (`nested`) an unterminated string is not reported but returned as a
   * stray quote, because it is most likely the outer string's end after a missing `}`.
   */
  scanQuoted(start: number, nested: boolean): SequenceResult {
    const problemsBefore = this.problems.length;
    const result = this.scanQuotedText(start, nested);
    if (this.problems.length > problemsBefore) this.brokenStrings.push({ start, end: result.end, closed: result.closed });
    return result;
  }

  private scanQuotedText(start: number, nested: boolean): SequenceResult {
    const text = this.text;
    const directives: Directive[] = [];
    let i = start + 1;
    for (;;) {
      if (i >= text.length || text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
        if (nested) return { end: i, closed: false, strayQuote: start };
        const end = i;
        this.report(start, end, 'This string is not closed: a quoted string must end on the line it starts. Add the closing quote (for text over several lines, use \\n or a heredoc, <<EOT).');
        this.finishDirectives(directives);
        return { end, closed: false };
      }
      const c = text[i];
      if (c === '"') {
        this.finishDirectives(directives);
        return { end: i + 1, closed: true };
      }
      if (c === '\\') {
        i = this.scanEscape(i);
      } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
        i += 3;
      } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
        const result = this.scanSequence(i, c === '$', directives, true);
        if (result.strayQuote !== undefined) {
          this.report(i, i + 2, 'This interpolation is not closed: add "}" before the closing quote.', 'tf/template-syntax');
          this.finishDirectives(directives);
          return { end: result.strayQuote + 1, closed: true };
        }
        if (!result.closed) {
          this.report(i, i + 2, `This ${c === '$' ? 'interpolation' : 'template directive'} is not closed: add "}".`, 'tf/template-syntax');
          this.swallowed = true;
          return { end: result.end, closed: false };
        }
        i = result.end;
      } else {
        i++;
      }
    }
  }

  private scanEscape(i: number): number {
    const next = this.text[i + 1];
    if (next === 'n' || next === 'r' || next === 't' || next === '"' || next === '\\') return i + 2;
    if (next === 'u' || next === 'U') {
      const digits = next === 'u' ? 4 : 8;
      const hex = this.text.slice(i + 2, i + 2 + digits);
      if (hex.length === digits && /^[0-9a-fA-F]+$/.test(hex)) return i + 2 + digits;
      this.report(i, i + 2, `"\\${next}" must be followed by ${digits} hexadecimal digits.`);
      return i + 2;
    }
    if (next === undefined || next === '\n') return i + 1;
    this.report(i, i + 2, `"\\${next}" is not a valid escape sequence: the escapes are \\n, \\r, \\t, \\", \\\\, \\uNNNN and \\UNNNNNNNN.`);
    return i + 2;
  }

  /** `${ ... }` or `%{ ... }` from its `$` or `%`. */
  private scanSequence(start: number, interpolation: boolean, directives: Directive[], quoted: boolean): SequenceResult {
    const text = this.text;
    let i = start + 2;
    if (text[i] === '~') i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (interpolation && (text[i] === '}' || (text[i] === '~' && text[i + 1] === '}'))) {
      this.report(start, i + (text[i] === '~' ? 2 : 1), 'This interpolation is empty: put an expression between "${" and "}".', 'tf/template-syntax');
      return { end: i + (text[i] === '~' ? 2 : 1), closed: true };
    }
    if (!interpolation) {
      DIRECTIVE_KEYWORD.lastIndex = i;
      const keyword = DIRECTIVE_KEYWORD.exec(text)?.[0] ?? '';
      const result = this.scanCode(i + keyword.length, true, quoted);
      if (result.closed) this.applyDirective(keyword, start, result.end, directives);
      return result;
    }
    return this.scanCode(i, true, quoted);
  }

  private applyDirective(keyword: string, start: number, end: number, directives: Directive[]): void {
    const top = directives[directives.length - 1];
    switch (keyword) {
      case 'if':
      case 'for':
        directives.push({ keyword, start, end, sawElse: false });
        return;
      case 'else':
        if (top?.keyword === 'if' && !top.sawElse) top.sawElse = true;
        else this.report(start, end, top?.keyword === 'if' ? 'This %{ if } already has an %{ else }.' : 'Unexpected %{ else }: there is no %{ if } open here.', 'tf/template-syntax');
        return;
      case 'endif':
      case 'endfor': {
        const opener = keyword === 'endif' ? 'if' : 'for';
        if (top?.keyword === opener) directives.pop();
        else this.report(start, end, `Unexpected %{ ${keyword} }: there is no %{ ${opener} } open here${top ? ` (the open %{ ${top.keyword} } needs %{ end${top.keyword} } first)` : ''}.`, 'tf/template-syntax');
        return;
      }
      default:
        this.report(start, end, `"${keyword || this.text.slice(start, end)}" is not a template directive: use %{ if }, %{ else }, %{ endif }, %{ for } or %{ endfor }.`, 'tf/template-syntax');
    }
  }

  private finishDirectives(directives: Directive[]): void {
    for (const open of directives) {
      this.report(open.start, open.end, `This %{ ${open.keyword} } has no matching %{ end${open.keyword} } before the end of the template.`, 'tf/template-syntax');
    }
    directives.length = 0;
  }

  /** A heredoc from `<<`; `contentStart` is the start of its first line. Returns the end of its closing line. */
  private scanHeredoc(start: number, identifier: string, contentStart: number): number {
    const text = this.text;
    const directives: Directive[] = [];
    let i = contentStart;
    let lineStart = true;
    while (i < text.length) {
      if (lineStart) {
        const end = this.lineEnd(i);
        if (text.slice(i, end).trim() === identifier) {
          this.finishDirectives(directives);
          return end;
        }
        lineStart = false;
      }
      const c = text[i];
      if (c === '\n') {
        lineStart = true;
        i++;
      } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
        i += 3;
      } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
        const result = this.scanSequence(i, c === '$', directives, false);
        if (!result.closed) {
          this.report(i, i + 2, `This ${c === '$' ? 'interpolation' : 'template directive'} is not closed: add "}".`, 'tf/template-syntax');
          this.swallowed = true;
          return text.length;
        }
        i = result.end;
      } else {
        i++;
      }
    }
    this.report(start, contentStart - 1, `This heredoc is never closed: add a line holding only ${identifier}.`);
    this.swallowed = true;
    return text.length;
  }
}

/**
 * The lexical problems of a text (strings, escapes, heredocs, comments, brackets, template
 * sequences and directives), and the text repaired when a string is broken.
 * `lineOffset`/`columnOffset` place the text in its file.
 */
export function scanSyntax(source: string, lineOffset: number, columnOffset = 0): { problems: Finding[]; repaired?: string } {
  const scanner = new Scanner(source, lineOffset, columnOffset);
  scanner.scanCode(0, false, false);
  if (scanner.brokenStrings.length === 0) return { problems: scanner.problems };
  return { problems: scanner.problems, repaired: repairText(source, scanner.brokenStrings) };
}

/**
 * The text with each broken string replaced by `"${}"` (padded to the string's length when it
 * is longer): valid, not static (so no check reads a made-up value), and on the same lines, so
 * tree-sitter parses the rest of the file as it is and every later line keeps its position.
 *
 * An unclosed string runs to the end of its line, so it swallows what the line was meant to
 * end with: the closing brackets and commas at the end of the line are kept after the
 * replacement, and on a block header (`resource "a" "b {`) the `{`, with the label replaced by
 * a plain name (a label cannot be a template).
 */
function repairText(source: string, broken: readonly BrokenString[]): string {
  const outer = [...broken].sort((a, b) => a.start - b.start || b.end - a.end);
  let result = '';
  let at = 0;
  for (const { start, end, closed } of outer) {
    if (start < at) continue;
    let replaced = end;
    let replacement: string;
    if (closed) {
      replacement = emptyTemplate(end - start);
    } else {
      const lineStart = source.lastIndexOf('\n', start - 1) + 1;
      const header = BLOCK_HEADER_PREFIX.test(source.slice(lineStart, start)) && /\{\s*$/.test(source.slice(start, end));
      const tail = (header ? /\s*\{\s*$/ : /[\s)\]},]*$/).exec(source.slice(start + 1, end))![0];
      replaced = end - tail.length;
      replacement = header ? `"${'_'.repeat(Math.max(1, replaced - start - 2))}"` : emptyTemplate(replaced - start);
    }
    result += source.slice(at, start) + replacement;
    at = replaced;
  }
  return result + source.slice(at);
}

/** The start of a block header before its last label: `resource "aws_s3_bucket" `. */
const BLOCK_HEADER_PREFIX = /^\s*[A-Za-z_][\w-]*(?:\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*\s+$/;

function emptyTemplate(length: number): string {
  return length >= 5 ? `"\${${' '.repeat(length - 5)}}"` : '"${}"';
}

// ---------------------------------------------------------------------------------------------
// tree-sitter's errors in words.

const MISSING_WORDS: Record<string, string> = {
  '}': 'Missing "}" to close this block.',
  block_end: 'Missing "}" to close this block.',
  object_end: 'Missing "}" to close this object.',
  ']': 'Missing "]" to close this list.',
  tuple_end: 'Missing "]" to close this list.',
  ')': 'Missing ")".',
  quoted_template_end: 'Missing the closing quote of this string.',
  heredoc_identifier: 'Missing the closing line of this heredoc.',
  identifier: 'Expected a name here.',
  '=': 'Expected "=" here.',
  ':': 'Expected ":" here.',
  template_interpolation_end: 'Missing "}" to close this interpolation.',
};

function firstLeaf(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.children.length > 0) current = current.children[0];
  return current;
}

function leaves(node: SyntaxNode): SyntaxNode[] {
  if (node.children.length === 0) return [node];
  return node.children.flatMap((child) => leaves(child));
}

/** The first ERROR or MISSING node in document order, if the tree has one. */
export function firstTreeError(node: SyntaxNode): SyntaxNode | undefined {
  if (!node.hasError) return undefined;
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const child of node.children) {
    const found = firstTreeError(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * A tree-sitter error as a finding. `source` is the text the tree was parsed from, placed in
 * its file by `lineOffset`. The range is cut at the end of the error's first line.
 */
export function describeTreeError(node: SyntaxNode, source: string, lineOffset: number): Finding {
  const start = { line: node.startPosition.row + lineOffset, character: node.startPosition.column };
  let end = { line: node.endPosition.row + lineOffset, character: node.endPosition.column };
  if (end.line !== start.line) {
    const lineEnd = source.indexOf('\n', node.startIndex);
    end = { line: start.line, character: start.character + ((lineEnd < 0 ? source.length : lineEnd) - node.startIndex) };
  }
  const finding = (message: string, range: Range = { start, end }): Finding => ({ range, severity: 'error', rule: 'tf/syntax', message });
  if (node.isMissing) return finding(MISSING_WORDS[node.type] ?? `Missing ${node.type} here.`);

  const tokens = leaves(node).filter((leaf) => leaf.type !== 'comment');
  const last = tokens[tokens.length - 1];
  if (last && last.type === '=' && tokens.length <= 2) {
    const at = { line: last.endPosition.row + lineOffset, character: last.endPosition.column };
    return finding('Expected a value after "=".', { start: at, end: at });
  }
  const first = firstLeaf(node);
  const word = source.slice(first.startIndex, first.endIndex).split('\n')[0].trim() || first.type;
  const parent = node.parent?.type;
  if (parent === 'body' || parent === 'config_file' || parent === 'block') {
    if (first.type === 'identifier' && tokens.length <= 3 && !tokens.some((t) => t.type === '=' || t.type === 'block_start')) {
      return finding(`"${word}" must be followed by "=" and a value (an argument) or by "{" (a block).`);
    }
    return finding(`Unexpected "${word}": expected an argument (name = value) or a block (type "label" { ... }).`);
  }
  return finding(`Unexpected "${word}" in this expression.`);
}
