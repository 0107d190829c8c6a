/**
 * One Terraform file: its syntax tree, re-parsed incrementally on every new text, and its model.
 *
 * Each update first runs HCL's lexical rules over the whole text (syntax.ts, a few
 * milliseconds for 5,000 lines). Its problems are the file's lexical errors, and its repair
 * (each broken string blanked out, positions unchanged) is the text tree-sitter parses. So an
 * open string, which tree-sitter would let run over the rest of the file (making every later
 * block an error, and the re-parse slow), stays a local change of one line.
 *
 * The model is assembled from top-level items (blocks, and the arguments of .tfvars files),
 * each cached by its text: an edit rebuilds only the item it touched, and the others are
 * reused, moved to their new lines. Where the tree still has errors, tree-sitter's recovery is
 * not trusted: the text of such a region is cut at the lines that start a top-level block and
 * each piece is parsed on its own, so one mistake costs one block and the rest of the file is
 * still validated.
 */
import type { Finding } from '../core/types';
import { isBlock, moveFinding, shiftAttribute, shiftBlock, type Attribute, type Block, type FileKind, type TerraformFile } from './model';
import { addAttribute, buildTopLevelItem, type BuildContext } from './modelBuilder';
import { LineTable, lightTree, type LightNode } from './lightTree';
import { createTerraformParser, parseTerraform, type Edit, type SyntaxNode, type Tree } from './parser';
import { describeTreeError, firstTreeError, scanSyntax } from './syntax';
import type { Parser } from 'web-tree-sitter';

type Item = Block | Attribute;

interface ItemsEntry {
  /** The line the cached positions are at. */
  line: number;
  items: Item[];
  problems: Finding[];
}

interface Piece {
  line: number;
  column: number;
  text: string;
  /** A node of the whole-file tree that parsed without errors, or nothing for a piece to parse alone. */
  node?: SyntaxNode;
}

const BLOCK_HEADER = /^[A-Za-z_][\w-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*[ \t]*\{/;
const ARGUMENT_HEADER = /^[A-Za-z_][\w-]*[ \t]*=(?![=>])/;
const HEREDOC_OPENER = /<<-?([A-Za-z_][\w-]*)[ \t]*\r?$/;

/** Parses the pieces of broken regions; one is enough since they are parsed one at a time. */
let scratchParser: Parser | undefined;

export class TerraformDocument {
  private parser: Parser | undefined;
  private tree: Tree | undefined;
  private items = new Map<string, ItemsEntry>();
  /** The text as given. */
  text = '';
  /** The text tree-sitter parsed: `text` with its broken strings blanked out. */
  private parsed = '';
  model: TerraformFile;

  constructor(readonly kind: FileKind) {
    this.model = { kind, blocks: [], attributes: new Map(), problems: [] };
  }

  /** Takes the file's new text: re-parses incrementally and rebuilds the model. */
  update(text: string): void {
    if (this.tree && text === this.text) return;
    this.parser ??= createTerraformParser();
    const lexical = scanSyntax(text, 0);
    const parsed = lexical.repaired ?? text;
    const previous = this.tree;
    if (previous) {
      const edit = computeEdit(this.parsed, parsed);
      if (edit) previous.edit(edit);
    }
    this.tree = parseTerraform(this.parser, parsed, previous);
    previous?.delete();
    this.text = text;
    this.parsed = parsed;
    this.model = this.buildModel(lexical.problems);
  }

  /** Frees the tree and the parser, which live in WebAssembly memory. */
  dispose(): void {
    this.tree?.delete();
    this.parser?.delete();
    this.tree = undefined;
    this.parser = undefined;
  }

  private buildModel(unsorted: Finding[]): TerraformFile {
    const lexical = [...unsorted].sort((a, b) => a.range.start.line - b.range.start.line);
    const root = this.tree!.rootNode;
    const pieces = this.pieces(root);
    let lines: LineTable | undefined;
    const used = new Map<string, ItemsEntry>();
    const items: Item[] = [];
    const problems: Finding[] = [...lexical];
    let next = 0;
    for (const [i, piece] of pieces.entries()) {
      // Whether parsed in the whole tree or alone, the same text gives the same items.
      const key = `${piece.column}\u0000${piece.text}`;
      let entry = used.get(key) ?? this.items.get(key);
      if (entry && entry.line !== piece.line) entry = moveEntry(entry, piece.line);
      entry ??= piece.node ? buildFromNode(piece, this.parsed, (lines ??= new LineTable(this.parsed))) : buildAlone(piece, this.kind);
      if (!used.has(key)) used.set(key, entry);
      // A piece with a lexical problem keeps only that: its tree errors would be echoes.
      const endLine = i + 1 < pieces.length ? pieces[i + 1].line : Infinity;
      while (next < lexical.length && lexical[next].range.start.line < piece.line) next++;
      const broken = next < lexical.length && lexical[next].range.start.line < endLine;
      items.push(...(broken ? entry.items.map((item) => (isBlock(item) ? { ...item, incomplete: true } : item)) : entry.items));
      if (!broken) problems.push(...entry.problems);
    }
    this.items = used;
    return assemble(this.kind, items, problems);
  }

  /** The top-level items of the tree, with broken regions cut into pieces to parse alone. */
  private pieces(root: SyntaxNode): Piece[] {
    // When nothing parsed, the root itself is an ERROR node: the whole text is one broken region.
    if (root.type !== 'config_file') return this.cutRegion(0, this.parsed.length);
    const pieces: Piece[] = [];
    // A broken region runs from a node with errors to the next node without (or the end of the text).
    let brokenStart: number | undefined;
    for (const node of topLevelNodes(root)) {
      if ((node.type === 'block' || node.type === 'attribute') && !node.hasError) {
        if (brokenStart !== undefined) pieces.push(...this.cutRegion(brokenStart, node.startIndex));
        brokenStart = undefined;
        const start = node.startPosition;
        pieces.push({ line: start.row, column: start.column, text: this.parsed.slice(node.startIndex, node.endIndex), node });
      } else {
        brokenStart ??= node.startIndex;
      }
    }
    if (brokenStart !== undefined) pieces.push(...this.cutRegion(brokenStart, this.parsed.length));
    return pieces;
  }

  /** Cuts a broken region at the lines that start a top-level block (or argument, in .tfvars). */
  private cutRegion(start: number, end: number): Piece[] {
    const text = this.parsed;
    const starts = [start];
    let heredoc: string | undefined;
    let comment = false;
    for (let lineStart = text.indexOf('\n', start) + 1; lineStart > 0 && lineStart < end; lineStart = text.indexOf('\n', lineStart) + 1) {
      const lineEnd = text.indexOf('\n', lineStart);
      const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
      if (heredoc !== undefined) {
        if (line.trim() === heredoc) heredoc = undefined;
        continue;
      }
      if (comment) {
        if (line.includes('*/')) comment = false;
        continue;
      }
      if (BLOCK_HEADER.test(line) || (this.kind === 'tfvars' && ARGUMENT_HEADER.test(line))) starts.push(lineStart);
      heredoc = HEREDOC_OPENER.exec(line)?.[1];
      const open = line.lastIndexOf('/*');
      if (open >= 0 && line.indexOf('*/', open) < 0 && !line.slice(0, open).includes('#')) comment = true;
    }
    const pieces: Piece[] = [];
    let line = lineOf(text, start);
    for (let i = 0; i < starts.length; i++) {
      const from = starts[i];
      const to = i + 1 < starts.length ? starts[i + 1] : end;
      const pieceText = text.slice(from, to).trimEnd();
      const column = i === 0 ? from - (text.lastIndexOf('\n', from - 1) + 1) : 0;
      if (pieceText.trim() !== '') pieces.push({ line, column, text: pieceText });
      line += countLines(text, from, to);
    }
    return pieces;
  }
}

interface TreeLike<T> {
  type: string;
  children: ReadonlyArray<T | null>;
}

function topLevelNodes<T extends TreeLike<T>>(root: T): T[] {
  const nodes: T[] = [];
  for (const child of root.children) {
    if (!child || child.type === 'comment') continue;
    if (child.type !== 'body') {
      nodes.push(child);
      continue;
    }
    for (const item of child.children) if (item && item.type !== 'comment') nodes.push(item);
  }
  return nodes;
}

/** A top-level item of the whole-file tree that parsed cleanly. */
function buildFromNode(piece: Piece, source: string, lines: LineTable): ItemsEntry {
  const ctx: BuildContext = { source, lineOffset: 0, problems: [] };
  const item = buildTopLevelItem(lightTree(piece.node!, lines), ctx);
  return { line: piece.line, items: item ? [item] : [], problems: ctx.problems };
}

/** A piece of a broken region, parsed on its own. */
function buildAlone(piece: Piece, kind: FileKind): ItemsEntry {
  scratchParser ??= createTerraformParser();
  let source = ' '.repeat(piece.column) + piece.text;
  let tree = parseTerraform(scratchParser, source);
  const problems: Finding[] = [];
  // When tree-sitter recovers nothing at all (the root is an ERROR), find the one line whose
  // removal makes the piece parse: that line is the error, and the rest of the block is kept.
  if (tree.rootNode.type !== 'config_file') {
    const blanked = blankOneLine(source);
    if (blanked) {
      tree.delete();
      source = blanked.text;
      tree = parseTerraform(scratchParser, source);
      problems.push(lineProblem(blanked, piece.line + blanked.line));
    }
  }
  try {
    const ctx: BuildContext = { source, lineOffset: piece.line, problems: [] };
    const items: Item[] = [];
    const root = lightTree(tree.rootNode, new LineTable(source));
    for (const node of topLevelNodes(root)) {
      const item = buildTopLevelItem(node, ctx);
      if (item) items.push(problems.length > 0 && isBlock(item) ? { ...item, incomplete: true } : item);
      else if (node.type !== 'ERROR' && problems.length === 0) ctx.problems.push(unexpectedTopLevel(node, source, piece.line, kind));
    }
    if (problems.length > 0) return { line: piece.line, items, problems: [...problems, ...ctx.problems] };
    const treeError = firstTreeError(root);
    return { line: piece.line, items, problems: treeError ? [...ctx.problems, describeTreeError(treeError, source, piece.line)] : ctx.problems };
  } finally {
    tree.delete();
  }
}

/** Pieces longer than this are not searched line by line (each try is a parse). */
const MAX_LINES_TO_BLANK = 200;

function blankOneLine(source: string): { text: string; line: number; content: string } | undefined {
  const lines = source.split('\n');
  if (lines.length > MAX_LINES_TO_BLANK) return undefined;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const text = [...lines.slice(0, i), ' '.repeat(lines[i].length), ...lines.slice(i + 1)].join('\n');
    const tree = parseTerraform(scratchParser!, text);
    const parses = !tree.rootNode.hasError;
    tree.delete();
    if (parses) return { text, line: i, content: lines[i] };
  }
  return undefined;
}

function lineProblem(blanked: { line: number; content: string }, line: number): Finding {
  const content = blanked.content.trimEnd();
  const start = content.length - content.trimStart().length;
  const range = { start: { line, character: start }, end: { line, character: content.length } };
  const word = content.trim();
  const message = /^[A-Za-z_][\w-]*$/.test(word)
    ? `"${word}" must be followed by "=" and a value (an argument) or by "{" (a block).`
    : `This line does not parse: expected an argument (name = value) or a block (type "label" { ... }).`;
  return { range, severity: 'error', rule: 'tf/syntax', message };
}

function unexpectedTopLevel(node: LightNode, source: string, lineOffset: number, kind: FileKind): Finding {
  const start = { line: node.startPosition.row + lineOffset, character: node.startPosition.column };
  const what = kind === 'tfvars' ? 'a variable value (name = value)' : 'a block (type "label" { ... })';
  const word = source.slice(node.startIndex, node.endIndex).split('\n')[0].slice(0, 20);
  return { range: { start, end: { line: start.line, character: start.character + Math.max(1, word.length) } }, severity: 'error', rule: 'tf/syntax', message: `Unexpected "${word}": expected ${what}.` };
}

function moveEntry(entry: ItemsEntry, line: number): ItemsEntry {
  const lines = line - entry.line;
  return {
    line,
    items: entry.items.map((item) => (isBlock(item) ? shiftBlock(item, lines) : shiftAttribute(item, lines))),
    problems: entry.problems.map((problem) => moveFinding(problem, lines)),
  };
}

function assemble(kind: FileKind, items: Item[], problems: Finding[]): TerraformFile {
  const blocks: Block[] = [];
  const attributes = new Map<string, Attribute>();
  const ctx = { problems };
  let previous: Item | undefined;
  for (const item of items) {
    if (previous && previous.range.end.line === item.range.start.line && !(isBlock(previous) && previous.incomplete)) {
      problems.push({ range: item.range, severity: 'error', rule: 'tf/syntax', message: `Missing newline: ${isBlock(previous) ? 'a block' : 'an argument'} must end with a line break before the next one begins.` });
    }
    previous = item;
    if (isBlock(item)) blocks.push(item);
    else addAttribute(attributes, item, ctx);
  }
  return { kind, blocks, attributes, problems };
}

// ---------------------------------------------------------------------------------------------
// Text positions.

function lineOf(text: string, index: number): number {
  return countLines(text, 0, index);
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** The edit that turns `before` into `after`: their common prefix and suffix stay, the middle changed. */
export function computeEdit(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  // Compare a chunk at a time first (native string comparison), then one code unit at a time.
  const CHUNK = 256;
  while (start + CHUNK <= shorter && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a surrogate pair: tree-sitter reads UTF-16 code units in pairs.
  if (start > 0 && isLowSurrogate(before.charCodeAt(start))) start--;
  let beforeEnd = before.length;
  let afterEnd = after.length;
  while (beforeEnd - CHUNK >= start && afterEnd - CHUNK >= start && before.slice(beforeEnd - CHUNK, beforeEnd) === after.slice(afterEnd - CHUNK, afterEnd)) {
    beforeEnd -= CHUNK;
    afterEnd -= CHUNK;
  }
  while (beforeEnd > start && afterEnd > start && before.charCodeAt(beforeEnd - 1) === after.charCodeAt(afterEnd - 1)) {
    beforeEnd--;
    afterEnd--;
  }
  if (beforeEnd < before.length && isLowSurrogate(before.charCodeAt(beforeEnd))) {
    beforeEnd++;
    afterEnd++;
  }
  return {
    startIndex: start,
    oldEndIndex: beforeEnd,
    newEndIndex: afterEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, beforeEnd),
    newEndPosition: pointAt(after, afterEnd),
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
