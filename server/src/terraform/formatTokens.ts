/**
 * The token stream `terraform fmt` formats, read from the tree-sitter tree: hclwrite's tokens
 * (an identifier, a `${`, a piece of literal string text, a line break…), with the rewrites
 * `terraform fmt` makes before formatting already applied (`"${x}"` unwrapped to `x`, legacy
 * variable types, block labels quoted). Tree-sitter accepts some text Terraform's own parser
 * rejects (two arguments on one line, `x.0.1`…); that text is refused here, as `terraform fmt`
 * refuses it.
 */
import type { SyntaxNode } from './parser';

export type Kind =
  | 'ident' | 'number' | 'comment' | 'lineComment' | 'newline'
  | 'oQuote' | 'cQuote' | 'quotedLit' | 'oHeredoc' | 'cHeredoc' | 'stringLit'
  | 'templateInterp' | 'templateControl' | 'templateSeqEnd'
  | 'oBrace' | 'cBrace' | 'oBrack' | 'cBrack' | 'oParen' | 'cParen'
  | 'equal' | 'colon' | 'comma' | 'dot' | 'ellipsis' | 'fatArrow' | 'question' | 'bang'
  | 'plus' | 'minus' | 'star' | 'slash' | 'percent'
  | 'equalOp' | 'notEqual' | 'lessThan' | 'lessThanEq' | 'greaterThan' | 'greaterThanEq' | 'and' | 'or'
  | 'nil';

export interface Token {
  kind: Kind;
  text: string;
  /** Spaces written before the token; the formatter's whole job is to set these. */
  spaces: number;
}

const PUNCTUATION: Record<string, Kind> = {
  '{': 'oBrace', '}': 'cBrace', '[': 'oBrack', ']': 'cBrack', '(': 'oParen', ')': 'cParen',
  '=': 'equal', ':': 'colon', ',': 'comma', '.': 'dot', '...': 'ellipsis', '=>': 'fatArrow', '?': 'question', '!': 'bang',
  '+': 'plus', '-': 'minus', '*': 'star', '/': 'slash', '%': 'percent',
  '==': 'equalOp', '!=': 'notEqual', '<': 'lessThan', '<=': 'lessThanEq', '>': 'greaterThan', '>=': 'greaterThanEq',
  '&&': 'and', '||': 'or',
};

/** Nodes that are `${…}` or `%{…}` sequences inside a string or heredoc; the rest of it is literal text. */
const TEMPLATE_SEQUENCES = new Set([
  'template_interpolation', 'template_if_intro', 'template_else_intro', 'template_if_end', 'template_for_start', 'template_for_end',
]);

/** An escape in a quoted string; a lone backslash (the empty alternative) is an invalid one. */
const ESCAPE = /\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt"\\]|)/g;

/** Thrown while reading the tree when the text is valid for tree-sitter but not for Terraform's own parser. */
class NotTerraformSyntax extends Error {}

/**
 * The tokens of the text under `root` and the width of the blanks after its last line break, or
 * undefined when the text is no valid Terraform.
 */
export function readTokens(root: SyntaxNode, text: string): { tokens: Token[]; trailingSpaces: number } | undefined {
  if (root.hasError || root.firstNamedChild?.type === 'object') return undefined;
  try {
    const reader = new TokenReader(text);
    reader.node(root);
    reader.finish();
    return { tokens: reader.tokens, trailingSpaces: reader.trailingSpaces };
  } catch (error) {
    if (error instanceof NotTerraformSyntax) return undefined;
    throw error;
  }
}

/** Turns the tree into hclwrite's token stream, applying the rewrites `terraform fmt` makes on the way. */
class TokenReader {
  readonly tokens: Token[] = [];
  /** Whitespace after the last line break; `terraform fmt` keeps it as that many spaces. */
  trailingSpaces = 0;
  /** End of the text already turned into tokens. */
  private position = 0;

  constructor(private readonly text: string) {}

  node(node: SyntaxNode): void {
    switch (node.type) {
      case 'comment': {
        const comment = node.text.replace(/\r$/, '');
        const kind = comment.startsWith('/*') ? 'comment' : 'lineComment';
        return this.emit(kind, node.startIndex, node.startIndex + comment.length);
      }
      case 'string_lit':
      case 'quoted_template':
        return this.quotedTemplate(node);
      case 'heredoc_template':
        return this.heredoc(node);
      case 'legacy_index':
        // Terraform reads `x.0.1` as `x` and the number `0.1`, and rejects it.
        if (/^\.[0-9]/.test(this.text.slice(node.endIndex, node.endIndex + 2))) throw new NotTerraformSyntax();
        this.emit('dot', node.startIndex, node.startIndex + 1);
        return this.emit('number', node.startIndex + 1, node.endIndex);
      case 'attr_splat':
        // Terraform's `.*` takes the `.name`s after it, up to an index; another `.*` there is a nested splat, which it rejects.
        if (!node.namedChildren.some((part) => part?.type === 'index') && node.parent?.nextSibling?.firstChild?.type === 'attr_splat') {
          throw new NotTerraformSyntax();
        }
        break;
      case 'config_file':
        // An empty file's root has no children, and its text is all blanks: nothing to read but them.
        for (const child of node.children) if (child) this.node(child);
        return;
      case 'body':
        checkBody(node, this.text);
        break;
      case 'object':
        checkObjectSeparators(node, this.text);
        break;
      case 'block':
        return this.block(node);
      case 'attribute':
        return this.attribute(node);
    }
    if (node.childCount > 0) {
      for (const child of node.children) if (child) this.node(child);
      return;
    }
    const text = node.text;
    if (text === '.*') {
      this.emit('dot', node.startIndex, node.startIndex + 1);
      return this.emit('star', node.startIndex + 1, node.endIndex);
    }
    if (text === '[*]') {
      this.emit('oBrack', node.startIndex, node.startIndex + 1);
      this.emit('star', node.startIndex + 1, node.startIndex + 2);
      return this.emit('cBrack', node.startIndex + 2, node.endIndex);
    }
    this.emit(PUNCTUATION[text] ?? (/^[0-9]/.test(text) ? 'number' : 'ident'), node.startIndex, node.endIndex);
  }

  /** Ends the stream: what follows the last token must be whitespace. */
  finish(): void {
    const rest = this.text.slice(this.position);
    this.whitespace(this.text.length);
    this.trailingSpaces = rest.length - (rest.lastIndexOf('\n') + 1);
  }

  /**
   * Block labels are rewritten as quoted strings, as `terraform fmt` does (`resource aws_vpc main`
   * becomes `resource "aws_vpc" "main"`), and comments between the labels are dropped.
   */
  private block(node: SyntaxNode): void {
    const children = node.children.filter((child): child is SyntaxNode => child !== null);
    const open = children.findIndex((child) => child.type === 'block_start');
    this.node(children[0]);
    for (const label of children.slice(1, open)) {
      this.sameLine(label.startIndex);
      if (label.type === 'comment') {
        this.position = label.endIndex;
        continue;
      }
      this.whitespace(label.startIndex);
      this.position = label.endIndex;
      if (label.namedChildren.some((part) => part?.type.startsWith('template_') && part.type !== 'template_literal')) throw new NotTerraformSyntax();
      const raw = label.type === 'identifier' ? '' : label.text.slice(1, -1);
      if (/(^|[^$])(\$\$)*\$\{|(^|[^%])(%%)*%\{/.test(raw)) throw new NotTerraformSyntax(); // A label is no template.
      // hclwrite reads a label as one literal token, and Terraform's lexer starts a new one at
      // each `$` or `%`: so `terraform fmt` drops (!) a label like "a$b", and so must we.
      if (/[$%]/.test(raw) && !['$', '%', '$${', '%%{'].includes(raw)) continue;
      const value = label.type === 'identifier' ? label.text : unescapeLabel(raw);
      this.tokens.push({ kind: 'oQuote', text: '"', spaces: 0 });
      if (value) this.tokens.push({ kind: 'quotedLit', text: escapeLabel(value), spaces: 0 });
      this.tokens.push({ kind: 'cQuote', text: '"', spaces: 0 });
    }
    this.sameLine(children[open].startIndex);
    this.checkSingleLineBlock(node, children[open], children[children.length - 1]);
    for (const child of children.slice(open)) this.node(child);
  }

  private attribute(node: SyntaxNode): void {
    const expression = node.children.find((child) => child?.type === 'expression');
    if (!expression) throw new NotTerraformSyntax();
    for (const [index, child] of node.children.entries()) {
      if (!child) continue;
      if (child.id !== expression.id) {
        if (index > 0 && child.startIndex < expression.startIndex) this.sameLine(child.startIndex);
        this.node(child);
        continue;
      }
      this.sameLine(expression.startIndex);
      const start = this.tokens.length;
      this.node(expression);
      this.checkNewlinesInBrackets(start);
      const tokens = this.tokens.splice(start);
      const name = node.firstChild?.text;
      this.tokens.push(...(name === 'type' && inTopLevelVariable(node) ? cleanTypeExpression(tokens) : unwrapInterpolation(tokens)));
    }
  }

  private quotedTemplate(node: SyntaxNode): void {
    this.emit('oQuote', node.startIndex, node.startIndex + 1);
    this.templateContent(node, node.startIndex + 1, node.endIndex - 1, 'quotedLit');
    this.emit('cQuote', node.endIndex - 1, node.endIndex);
  }

  /** A heredoc is kept as it is, apart from the spacing inside its `${…}` and `%{…}` sequences. */
  private heredoc(node: SyntaxNode): void {
    const opener = node.child(1);
    const closer = node.lastChild;
    if (!opener || !closer || opener.startIndex === closer.startIndex) throw new NotTerraformSyntax();
    const contentStart = this.text.indexOf('\n', opener.endIndex) + 1;
    const closingLine = this.text.lastIndexOf('\n', closer.startIndex - 1) + 1;
    // Blanks after the closing marker belong to it (terraform fmt keeps them); then the line must end.
    const closerEnd = closer.endIndex + (/^[ \t]*/.exec(this.text.slice(closer.endIndex)) ?? [''])[0].length;
    if (!/^\r?\n$/.test(this.text.slice(opener.endIndex, contentStart)) || !/^\r?\n/.test(this.text.slice(closerEnd, closerEnd + 2))) {
      throw new NotTerraformSyntax(); // Terraform wants the markers on lines of their own.
    }
    this.emit('oHeredoc', node.startIndex, contentStart);
    this.templateContent(node, contentStart, closingLine, 'stringLit');
    this.literal('cHeredoc', closingLine, closerEnd);
  }

  /** Emits the literal text between `start` and `end` as is, and the `${…}` and `%{…}` sequences in it as tokens. */
  private templateContent(node: SyntaxNode, start: number, end: number, literalKind: Kind): void {
    for (const sequence of templateSequences(node)) {
      if (sequence.startIndex > start) this.literal(literalKind, start, sequence.startIndex);
      this.templateSequence(sequence);
      start = sequence.endIndex;
    }
    if (end > start) this.literal(literalKind, start, end);
  }

  /** `${~` and `~}` are single tokens for Terraform; tree-sitter has the strip marker apart. */
  private templateSequence(node: SyntaxNode): void {
    const children = node.children.filter((child): child is SyntaxNode => child !== null);
    const first = children[0];
    const last = children[children.length - 1];
    let inner = children.slice(1, -1);
    const stripBefore = inner[0]?.type === 'strip_marker';
    if (stripBefore) inner = inner.slice(1);
    const stripAfter = inner[inner.length - 1]?.type === 'strip_marker';
    if (stripAfter) inner = inner.slice(0, -1);
    // Terraform reads `${~` and `~}` as one token each: a blank inside them is an error.
    if ((stripBefore && children[1].startIndex !== first.endIndex) || (stripAfter && children[children.length - 2].endIndex !== last.startIndex)) {
      throw new NotTerraformSyntax();
    }
    const kind = first.text === '%{' ? 'templateControl' : 'templateInterp';
    this.emit(kind, first.startIndex, stripBefore ? children[1].endIndex : first.endIndex, first.text + (stripBefore ? '~' : ''));
    for (const child of inner) this.node(child);
    const end = stripAfter ? children[children.length - 2] : last;
    this.emit('templateSeqEnd', end.startIndex, last.endIndex, stripAfter ? '~}' : '}');
  }

  private emit(kind: Kind, start: number, end: number, text = this.text.slice(start, end)): void {
    this.whitespace(start);
    this.tokens.push({ kind, text, spaces: 0 });
    this.position = end;
  }

  /** Literal text carries its own whitespace, so nothing before it is read as a gap. */
  private literal(kind: Kind, start: number, end: number): void {
    // A quoted string may not span lines, and knows only these escapes.
    const text = this.text.slice(start, end);
    if (kind === 'quotedLit' && (text.includes('\n') || [...text.matchAll(ESCAPE)].some((escape) => escape[0] === '\\'))) throw new NotTerraformSyntax();
    this.tokens.push({ kind, text, spaces: 0 });
    this.position = end;
  }

  /** The gap up to `end` must be blanks; each line break in it becomes a newline token. */
  private whitespace(end: number): void {
    const gap = this.text.slice(this.position, end);
    if (/[^ \t\r\n]|\r(?!\n)/.test(gap)) throw new NotTerraformSyntax();
    for (const match of gap.matchAll(/\r?\n/g)) this.tokens.push({ kind: 'newline', text: match[0], spaces: 0 });
    this.position = end;
  }

  /** Terraform ends an argument or a block header at the end of the line, so neither may break before `end`. */
  private sameLine(end: number): void {
    if (this.text.slice(this.position, end).includes('\n')) throw new NotTerraformSyntax();
  }

  /** Inside an argument's value, a line may only break within brackets (or a `${…}` sequence). */
  private checkNewlinesInBrackets(start: number): void {
    let depth = 0;
    let broken = false;
    for (const token of this.tokens.slice(start)) {
      if (broken && !['newline', 'comment', 'lineComment'].includes(token.kind)) throw new NotTerraformSyntax();
      depth += bracketChange(token);
      if (depth <= 0 && token.kind === 'newline') broken = true;
    }
  }

  /**
   * Terraform allows `name { arg = value }` on one line only with at most one argument and no
   * nested block, and otherwise wants the braces to end their lines.
   */
  private checkSingleLineBlock(block: SyntaxNode, open: SyntaxNode, close: SyntaxNode): void {
    const body = block.children.find((child) => child?.type === 'body');
    const inside = this.text.slice(open.endIndex, close.startIndex);
    if (!body) return;
    if (!inside.includes('\n')) {
      if (body.namedChildCount > 1 || body.firstNamedChild?.type !== 'attribute') throw new NotTerraformSyntax();
      return;
    }
    if (/^[ \t]*(\/\*.*?\*\/[ \t]*)*[^\s#/]/.test(inside)) throw new NotTerraformSyntax();
    const lastLine = inside.slice(inside.lastIndexOf('\n') + 1);
    if (/\S/.test(lastLine)) throw new NotTerraformSyntax();
  }
}

/** Terraform wants each argument and block on a line of its own, and each argument name once per body. */
function checkBody(body: SyntaxNode, text: string): void {
  const names = new Set<string>();
  let previousEnd: number | undefined;
  for (const item of body.namedChildren) {
    if (!item || item.type === 'comment') continue;
    if (previousEnd !== undefined && !text.slice(previousEnd, item.startIndex).includes('\n')) throw new NotTerraformSyntax();
    previousEnd = item.endIndex;
    if (item.type !== 'attribute') continue;
    const name = item.firstChild?.text ?? '';
    if (names.has(name)) throw new NotTerraformSyntax();
    names.add(name);
  }
}

/** The elements of an object constructor are separated by commas or line breaks. */
function checkObjectSeparators(object: SyntaxNode, text: string): void {
  let previousEnd: number | undefined;
  for (const child of object.children) {
    if (!child) continue;
    if (child.type === ',') previousEnd = undefined;
    if (child.type !== 'object_elem') continue;
    if (previousEnd !== undefined && !text.slice(previousEnd, child.startIndex).includes('\n')) throw new NotTerraformSyntax();
    previousEnd = child.endIndex;
  }
}

function templateSequences(node: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const child of node.children) {
    if (!child) continue;
    if (TEMPLATE_SEQUENCES.has(child.type)) found.push(child);
    else if (['template_directive', 'template_if', 'template_for'].includes(child.type)) found.push(...templateSequences(child));
  }
  return found;
}

function inTopLevelVariable(attribute: SyntaxNode): boolean {
  const block = attribute.parent?.parent;
  return block?.type === 'block' && block.firstChild?.text === 'variable' && block.parent?.parent?.type === 'config_file';
}

/** HCL's string escapes, read the way Terraform reads a block label. */
function unescapeLabel(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])|\$\$\{|%%\{/g, (match, escape: string | undefined) => {
    if (escape === undefined) return match.slice(1);
    if (escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (!(escape in simple)) throw new NotTerraformSyntax();
    return simple[escape];
  });
}

/** A label written back the way Terraform writes a string value. */
function escapeLabel(value: string): string {
  let escaped = '';
  const chars = [...value];
  chars.forEach((char, index) => {
    const simple: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };
    if (char in simple) escaped += simple[char];
    else if ((char === '$' || char === '%') && chars[index + 1] === '{') escaped += char + char;
    else if (char === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(char)) escaped += char;
    else {
      const code = char.codePointAt(0) ?? 0;
      escaped += code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
    }
  });
  return escaped;
}

/** Splits off trailing comments and line breaks, which belong to the line rather than to the expression. */
function splitTrailing(tokens: Token[]): [Token[], Token[]] {
  let end = tokens.length;
  while (end > 0 && ['comment', 'lineComment', 'newline'].includes(tokens[end - 1].kind)) end--;
  return [tokens.slice(0, end), tokens.slice(end)];
}

const token = (kind: Kind, text: string): Token => ({ kind, text, spaces: 0 });

/** `terraform fmt` turns `"${expr}"` into `expr` when the string holds nothing else. */
function unwrapInterpolation(all: Token[]): Token[] {
  const [tokens, trailing] = splitTrailing(all);
  if (tokens.length < 5) return all;
  const [oQuote, interp] = tokens;
  const [seqEnd, cQuote] = tokens.slice(-2);
  if (oQuote.kind !== 'oQuote' || interp.kind !== 'templateInterp' || seqEnd.kind !== 'templateSeqEnd' || cQuote.kind !== 'cQuote') return all;
  const inside = tokens.slice(2, -2);
  let quotes = 0;
  for (const t of inside) {
    if (t.kind === 'oQuote') quotes++;
    else if (t.kind === 'cQuote') quotes--;
    else if (quotes === 0 && ['templateInterp', 'templateSeqEnd', 'quotedLit'].includes(t.kind)) return all;
  }
  // For Terraform the line break after a line comment is part of the comment, not a line break token.
  const isBreak = (index: number) => inside[index].kind === 'newline' && inside[index - 1]?.kind !== 'lineComment';
  let first = 0;
  let last = inside.length;
  while (first < last && isBreak(first)) first++;
  while (last > first && isBreak(last - 1)) last--;
  const trimmed = inside.slice(first, last);
  const multiLine = trimmed.some((_, index) => isBreak(first + index));
  const parenthesized = trimmed[0]?.kind === 'oParen' && trimmed[trimmed.length - 1]?.kind === 'cParen' && trimmed.length > 1;
  if (multiLine && !parenthesized) return [token('oParen', '('), ...trimmed, token('cParen', ')'), ...trailing];
  return [...trimmed, ...trailing];
}

/** `terraform fmt` rewrites the Terraform 0.11 type names of a variable: `"string"` to `string`, `list` to `list(any)`. */
function cleanTypeExpression(all: Token[]): Token[] {
  const [tokens, trailing] = splitTrailing(all);
  let cleaned: Token[] | undefined;
  if (tokens.length === 1 && tokens[0].kind === 'ident' && ['list', 'map', 'set'].includes(tokens[0].text)) {
    cleaned = [tokens[0], token('oParen', '('), token('ident', 'any'), token('cParen', ')')];
  } else if (tokens.length === 3 && tokens[0].kind === 'oQuote' && tokens[1].kind === 'quotedLit' && tokens[2].kind === 'cQuote') {
    const name = tokens[1].text;
    if (name === 'string') cleaned = [token('ident', 'string')];
    else if (name === 'list' || name === 'map') cleaned = [token('ident', name), token('oParen', '('), token('ident', 'string'), token('cParen', ')')];
  }
  return cleaned ? [...cleaned, ...trailing] : all;
}

/** +1 for a token that opens a bracket (or a `${` / `%{`), -1 for one that closes it. */
export function bracketChange(token: Token): number {
  switch (token.kind) {
    case 'oBrace': case 'oBrack': case 'oParen': case 'templateInterp': case 'templateControl':
      return 1;
    case 'cBrace': case 'cBrack': case 'cParen': case 'templateSeqEnd':
      return -1;
    default:
      return 0;
  }
}
