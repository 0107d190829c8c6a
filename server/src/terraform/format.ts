/**
 * The Terraform document formatter: produces exactly what `terraform fmt` produces.
 *
 * `terraform fmt` is HashiCorp's hclwrite formatter plus a few rewrites of its own, and both work
 * on tokens rather than on a syntax tree. formatTokens.ts reads those tokens from the tree-sitter
 * tree; this module lays them out as hclwrite does: every line is cut into a leading part, an
 * optional `= value` part and an optional trailing comment; the leading part is indented by
 * counting the brackets opened on earlier lines; the space between two tokens depends only on the
 * two tokens (and the one before); and the `=` and trailing-comment parts of consecutive lines are
 * aligned. Everything inside a string or heredoc except its `${…}` and `%{…}` sequences is copied
 * byte for byte, and line endings are kept (CRLF stays CRLF), because that is what `terraform fmt`
 * does.
 */
import type { Position, Range, TextEdit } from '../core/types';
import { bracketChange, readTokens, type Kind, type Token } from './formatTokens';
import { createTerraformParser, parseTerraform, type Tree } from './parser';

let sharedParser: ReturnType<typeof createTerraformParser> | undefined;

/**
 * The text `terraform fmt` would write for `text`, or undefined when the text has syntax errors
 * (`terraform fmt` refuses to format such files). Pass the document's tree when there is one;
 * otherwise the text is parsed here, so the Terraform parser must be loaded.
 */
export function formatTerraform(text: string, tree?: Tree): string | undefined {
  const owned = tree ? undefined : parseTerraform((sharedParser ??= createTerraformParser()), text);
  try {
    const read = readTokens((tree ?? owned)!.rootNode, text);
    if (!read) return undefined;
    formatTokens(read.tokens);
    let formatted = read.tokens.map((token) => ' '.repeat(token.spaces) + token.text).join('') + ' '.repeat(read.trailingSpaces);
    // terraform fmt ends every file with a line break.
    if (!formatted.endsWith('\n')) formatted += '\n';
    return formatted;
  } finally {
    owned?.delete();
  }
}

/** The edits that turn `text` into its formatted form, each as small as it can be; none when it is already formatted or has syntax errors. */
export function formattingEdits(text: string, tree?: Tree): TextEdit[] {
  const formatted = formatTerraform(text, tree);
  if (formatted === undefined || formatted === text) return [];
  return lineEdits(text, formatted);
}

// ---------------------------------------------------------------------------------------------
// The layout rules, applied to the token stream as hclwrite applies them.

interface Line {
  lead: Token[];
  /** `= value` when the value ends on this line. */
  assign: Token[];
  /** A trailing comment and the line break after it. */
  comment: Token[];
}

/** The bracket balance of `tokens`, up to a heredoc's opening marker (its content is no code). */
function netBrackets(tokens: Token[]): number {
  let net = 0;
  for (const token of tokens) {
    net += bracketChange(token);
    if (token.kind === 'oHeredoc') break;
  }
  return net;
}

function splitLines(tokens: Token[]): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i].kind !== 'newline') continue;
    const end = Math.min(i + 1, tokens.length);
    if (end > start) lines.push(splitLine(tokens.slice(start, end)));
    start = end;
  }
  return lines;
}

function splitLine(tokens: Token[]): Line {
  const line: Line = { lead: tokens, assign: [], comment: [] };
  const hasBreak = tokens[tokens.length - 1].kind === 'newline';
  const content = hasBreak ? tokens.length - 1 : tokens.length;
  const last = tokens[content - 1];
  // A line comment ends the line; a block comment counts as a trailing comment only at the very end of the file.
  if (content > 1 && (last.kind === 'lineComment' || (last.kind === 'comment' && !hasBreak))) {
    line.comment = tokens.slice(content - 1);
    line.lead = tokens.slice(0, content - 1);
  }
  const equal = line.lead.findIndex((token, index) => index > 0 && token.kind === 'equal');
  if (equal > 0 && netBrackets(line.lead.slice(equal)) === 0) {
    line.assign = line.lead.slice(equal);
    line.lead = line.lead.slice(0, equal);
  }
  return line;
}

function formatTokens(tokens: Token[]): void {
  const lines = splitLines(tokens);
  formatIndent(lines);
  for (const line of lines) {
    formatSpaces(line.lead);
    formatSpaces(line.assign);
    if (line.assign.length) line.assign[0].spaces = 1;
    for (const token of line.comment.slice(1)) token.spaces = 0;
  }
  alignCells(lines, (line) => line.assign, (line) => columns(line.lead));
  alignCells(lines, (line) => line.comment, (line) => columns(line.lead) + columns(line.assign));
}

/**
 * A line that opens more brackets than it closes indents the following lines one level; a line
 * that closes them is itself dedented. The stack remembers how many brackets each level opened,
 * so unbalanced lines do not push the indentation too far.
 */
function formatIndent(lines: Line[]): void {
  const indents: number[] = [];
  for (const line of lines) {
    const first = line.lead[0];
    if (!first) continue;
    if (first.kind === 'newline') {
      first.spaces = 0;
      continue;
    }
    const net = netBrackets(line.lead) + netBrackets(line.assign);
    if (net > 0) {
      first.spaces = 2 * indents.length;
      indents.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && indents.length > 0) {
      const top = indents[indents.length - 1];
      if (closed >= top) {
        closed -= top;
        indents.pop();
      } else {
        indents[indents.length - 1] -= closed;
        closed = 0;
      }
    }
    first.spaces = 2 * indents.length;
  }
}

function formatSpaces(cell: Token[]): void {
  for (let i = 0; i + 1 < cell.length; i++) {
    cell[i + 1].spaces = spaceAfter(cell[i], cell[i - 1] ?? NIL, cell[i + 1]) ? 1 : 0;
  }
}

const NIL: Token = { kind: 'nil', text: '', spaces: 0 };
const LITERAL_SUBJECTS = new Set<Kind>(['quotedLit', 'stringLit', 'oQuote', 'oHeredoc']);
const LITERAL_FOLLOWERS = new Set<Kind>(['quotedLit', 'stringLit', 'cQuote', 'cHeredoc']);
/** After these, a minus is a negation rather than a subtraction. */
const BEFORE_NEGATION = new Set<Kind>([
  'nil', 'oParen', 'oBrace', 'oBrack', 'equal', 'colon', 'comma', 'question',
  'plus', 'star', 'slash', 'percent', 'minus',
  'equalOp', 'notEqual', 'greaterThan', 'greaterThanEq', 'lessThan', 'lessThanEq', 'and', 'or', 'bang',
]);

/** Whether one space separates `subject` from `after`; the first rule that applies decides. */
function spaceAfter(subject: Token, before: Token, after: Token): boolean {
  if (after.kind === 'newline' || after.kind === 'nil') return false;
  if (subject.kind === 'ident' && after.kind === 'oParen') return false;
  if (subject.kind === 'dot' || after.kind === 'dot') return false;
  if (after.kind === 'comma' || after.kind === 'ellipsis') return false;
  if (subject.kind === 'comma') return true;
  if (LITERAL_SUBJECTS.has(subject.kind) || LITERAL_FOLLOWERS.has(after.kind)) return false;
  if (subject.kind === 'ident' && subject.text === 'in' && before.kind === 'ident') return true;
  if (after.kind === 'oBrack' && (subject.kind === 'ident' || subject.kind === 'number' || bracketChange(subject) < 0)) return false;
  if (subject.kind === 'minus') return !BEFORE_NEGATION.has(before.kind);
  if (subject.kind === 'oBrace' || after.kind === 'cBrace') return !(subject.kind === 'oBrace' && after.kind === 'cBrace');
  if ((subject.kind === 'templateInterp' || subject.kind === 'templateControl') && after.kind === 'oBrace') return true;
  if (subject.kind === 'cBrace' && after.kind === 'templateSeqEnd') return true;
  if (subject.kind === 'templateSeqEnd' && (after.kind === 'templateInterp' || after.kind === 'templateControl')) return false;
  if (subject.kind === 'bang') return false;
  if (bracketChange(subject) > 0 || bracketChange(after) < 0) return false;
  return true;
}

/** Aligns a cell of consecutive lines that all have it: one space after the widest text before it. */
function alignCells(lines: Line[], cell: (line: Line) => Token[], width: (line: Line) => number): void {
  let run: Line[] = [];
  const close = () => {
    const widest = run.reduce((max, line) => Math.max(max, width(line)), 0);
    for (const line of run) cell(line)[0].spaces = widest - width(line) + 1;
    run = [];
  };
  for (const line of lines) {
    if (cell(line).length) run.push(line);
    else if (run.length) close();
  }
  if (run.length) close();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Width in grapheme clusters, as hclwrite measures it. */
function columns(tokens: Token[]): number {
  let width = 0;
  for (const token of tokens) {
    width += token.spaces;
    // Printable ASCII is one column a character; the rest needs the grapheme rules (emoji, combining marks, CRLF).
    width += /^[\x20-\x7e]*$/.test(token.text) ? token.text.length : [...graphemes.segment(token.text)].length;
  }
  return width;
}

// ---------------------------------------------------------------------------------------------
// Edits for the editor.

/**
 * Formatting mostly changes blanks, so each old line is paired with the new line that has the same
 * text apart from blanks, and gets an edit trimmed to the characters that differ. Where the text
 * itself changed (`"${x}"` unwrapped, a label quoted) the lines up to the next pair are one edit.
 */
function lineEdits(before: string, after: string): TextEdit[] {
  // Each line keeps its line break, so that a line break added or removed is a change like any other.
  const a = before.split(/(?<=\n)/);
  const b = after.split(/(?<=\n)/);
  const skeleton = (line: string) => line.replace(/\s+/g, '');
  const pairs = (i: number, j: number) => i < a.length && j < b.length && skeleton(a[i]) === skeleton(b[j]);
  const lineStarts = [0];
  for (let i = 0; i < before.length; i++) if (before[i] === '\n') lineStarts.push(i + 1);
  const positionAt = (offset: number): Position => {
    let line = lineStarts.length - 1;
    while (lineStarts[line] > offset) line--;
    return { line, character: offset - lineStarts[line] };
  };
  const edits: TextEdit[] = [];
  const replace = (from: number, oldText: string, newText: string) => {
    let prefix = 0;
    while (prefix < oldText.length && prefix < newText.length && oldText[prefix] === newText[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < oldText.length - prefix && suffix < newText.length - prefix &&
      oldText[oldText.length - 1 - suffix] === newText[newText.length - 1 - suffix]
    ) suffix++;
    const range: Range = { start: positionAt(from + prefix), end: positionAt(from + oldText.length - suffix) };
    edits.push({ range, newText: newText.slice(prefix, newText.length - suffix) });
  };
  let i = 0;
  let j = 0;
  let offset = 0;
  while (i < a.length || j < b.length) {
    if (pairs(i, j)) {
      if (a[i] !== b[j]) replace(offset, a[i], b[j]);
      offset += a[i++].length;
      j++;
      continue;
    }
    // The nearest lines that pair again (few lines away, as rewrites are small), else the ends.
    let [nextI, nextJ] = [a.length, b.length];
    search: for (let distance = 1; distance <= 200; distance++) {
      for (let di = 0; di <= distance; di++) {
        if (pairs(i + di, j + distance - di)) {
          [nextI, nextJ] = [i + di, j + distance - di];
          break search;
        }
      }
    }
    const oldText = a.slice(i, nextI).join('');
    replace(offset, oldText, b.slice(j, nextJ).join(''));
    offset += oldText.length;
    [i, j] = [nextI, nextJ];
  }
  return edits;
}
