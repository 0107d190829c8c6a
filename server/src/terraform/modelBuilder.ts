/**
 * Builds the model (model.ts) from a syntax tree, one top-level item at a time, and checks on
 * the way the rules of HCL's grammar that tree-sitter's is more lenient about: a newline after
 * each argument and block, separators between object attributes, single-line blocks, no
 * hexadecimal numbers, no argument set twice.
 */
import type { Finding, Range } from '../core/types';
import type { LightNode as SyntaxNode } from './lightTree';
import type { Attribute, Block, Expression, ExpressionKind, FunctionCall, Label, ObjectEntry, Reference, StaticValue, TraversalStep } from './model';

/** What the builder needs besides the node: the text the tree was parsed from and where it sits. */
export interface BuildContext {
  source: string;
  /** Added to every row: the line of the file where `source` starts. */
  lineOffset: number;
  problems: Finding[];
}

const BINARY_OPERATORS = new Set(['*', '/', '%', '+', '-', '>', '>=', '<', '<=', '==', '!=', '&&', '||']);

function rangeOf(node: SyntaxNode, ctx: BuildContext): Range {
  const start = node.startPosition;
  const end = node.endPosition;
  return { start: { line: start.row + ctx.lineOffset, character: start.column }, end: { line: end.row + ctx.lineOffset, character: end.column } };
}

function spanning(from: Range, to: Range): Range {
  return { start: from.start, end: to.end };
}

function textOf(node: SyntaxNode, ctx: BuildContext): string {
  return ctx.source.slice(node.startIndex, node.endIndex);
}

/** Children without comments, which tree-sitter may put anywhere. */
function childrenOf(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((child) => child.type !== 'comment');
}

function syntaxProblem(ctx: BuildContext, range: Range, message: string, rule = 'tf/syntax'): void {
  ctx.problems.push({ range, severity: 'error', rule, message });
}

/** A block or an argument of the top level (an argument is only valid in .tfvars files). */
export function buildTopLevelItem(node: SyntaxNode, ctx: BuildContext): Block | Attribute | undefined {
  if (node.type === 'block') return buildBlock(node, ctx);
  if (node.type === 'attribute') return buildAttribute(node, ctx, new Set());
  return undefined;
}

function buildBlock(node: SyntaxNode, ctx: BuildContext): Block {
  const children = childrenOf(node);
  const typeNode = children[0];
  const labels: Label[] = [];
  let openBrace: SyntaxNode | undefined;
  let body: SyntaxNode | undefined;
  let closeBrace: SyntaxNode | undefined;
  for (const child of children.slice(1)) {
    if (child.type === 'string_lit') labels.push({ value: unescapeQuoted(stringLiteralText(child, ctx)), range: rangeOf(child, ctx), quoted: true });
    else if (child.type === 'identifier') labels.push({ value: textOf(child, ctx), range: rangeOf(child, ctx), quoted: false });
    else if (child.type === 'block_start') openBrace = child;
    else if (child.type === 'body') body = child;
    else if (child.type === 'block_end') closeBrace = child;
  }
  const range = rangeOf(node, ctx);
  const openBraceRange = openBrace ? rangeOf(openBrace, ctx) : { start: range.end, end: range.end };
  const { attributes, blocks } = body ? buildBody(body, ctx) : { attributes: new Map<string, Attribute>(), blocks: [] };
  if (body && openBrace && closeBrace && !closeBrace.isMissing) checkSingleLineBlock(openBrace, body, closeBrace, ctx);
  return {
    type: typeNode ? textOf(typeNode, ctx) : '',
    typeRange: typeNode ? rangeOf(typeNode, ctx) : range,
    labels,
    attributes,
    blocks,
    range,
    openBraceRange,
    incomplete: node.hasError,
  };
}

/** The arguments and blocks of a body, with HCL's rules that tree-sitter's grammar does not enforce. */
function buildBody(body: SyntaxNode, ctx: BuildContext): { attributes: Map<string, Attribute>; blocks: Block[] } {
  const attributes = new Map<string, Attribute>();
  const blocks: Block[] = [];
  let previous: SyntaxNode | undefined;
  for (const item of childrenOf(body)) {
    if (item.type !== 'attribute' && item.type !== 'block') continue;
    if (previous && previous.endPosition.row === item.startPosition.row && !previous.hasError && !item.hasError) {
      const what = previous.type === 'attribute' ? 'an argument' : 'a block';
      syntaxProblem(ctx, rangeOf(item, ctx), `Missing newline: ${what} must end with a line break before the next argument or block begins.`);
    }
    previous = item;
    if (item.type === 'block') {
      blocks.push(buildBlock(item, ctx));
      continue;
    }
    const attribute = buildAttribute(item, ctx, new Set());
    addAttribute(attributes, attribute, ctx);
  }
  return { attributes, blocks };
}

/** Adds an argument to a body, reporting a repeated name as HCL does ("Attribute redefined"). */
export function addAttribute(attributes: Map<string, Attribute>, attribute: Attribute, ctx: { problems: Finding[] }): void {
  const first = attributes.get(attribute.name);
  if (first) {
    ctx.problems.push({
      range: attribute.nameRange,
      severity: 'error',
      rule: 'tf/duplicate-argument',
      message: `The argument "${attribute.name}" is already set above: each argument may be set only once.`,
    });
    return;
  }
  attributes.set(attribute.name, attribute);
}

/** `x { a = 1 }` is allowed, but nothing else may follow `{` on its line. */
function checkSingleLineBlock(openBrace: SyntaxNode, body: SyntaxNode, closeBrace: SyntaxNode, ctx: BuildContext): void {
  const items = childrenOf(body).filter((child) => child.type === 'attribute' || child.type === 'block');
  const first = items[0];
  if (!first || first.startPosition.row !== openBrace.endPosition.row) return;
  if (first.type === 'block') {
    syntaxProblem(ctx, rangeOf(first, ctx), 'A single-line block cannot contain another block: put the nested block on its own line.');
  } else if (items.length > 1 || closeBrace.startPosition.row !== first.endPosition.row) {
    const end = rangeOf(first, ctx).end;
    syntaxProblem(ctx, { start: end, end }, 'An argument on the same line as "{" makes a single-line block, which must also end with "}" on that line. Put the argument on its own line instead.');
  }
}

function buildAttribute(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Attribute {
  const children = childrenOf(node);
  const nameNode = children[0];
  const expressionNode = children.find((child) => child.type === 'expression');
  const range = rangeOf(node, ctx);
  return {
    name: nameNode ? textOf(nameNode, ctx) : '',
    nameRange: nameNode ? rangeOf(nameNode, ctx) : range,
    range,
    expression: expressionNode ? buildExpression(expressionNode, ctx, scope) : invalidExpression({ start: range.end, end: range.end }),
  };
}

function invalidExpression(range: Range): Expression {
  return { kind: 'invalid', range, isStatic: false, references: [], calls: [] };
}

function buildExpression(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const children = childrenOf(node);
  if (children.length === 1 && children[0].type === 'conditional') return buildConditional(children[0], ctx, scope);
  return buildTerm(children, rangeOf(node, ctx), ctx, scope);
}

function buildConditional(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const parts = childrenOf(node).filter((child) => child.type === 'expression').map((child) => buildExpression(child, ctx, scope));
  return combine('conditional', rangeOf(node, ctx), parts);
}

/** An expression made of sub-expressions: not static, and holding all their references and calls. */
function combine(kind: ExpressionKind, range: Range, parts: readonly Expression[], extra: Partial<Expression> = {}): Expression {
  return { kind, range, isStatic: false, references: parts.flatMap((p) => p.references), calls: parts.flatMap((p) => p.calls), ...extra };
}

/**
 * The grammar inlines postfix operators: `a.b[0]` is the sibling nodes variable_expr, get_attr
 * and index. `pieces` is such a run: a base term, then any number of postfix pieces.
 */
function buildTerm(pieces: SyntaxNode[], range: Range, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  if (pieces.length === 0) return invalidExpression(range);
  let base: Expression;
  let rest: SyntaxNode[];
  if (pieces[0].type === '(') {
    const innerNode = pieces.find((piece) => piece.type === 'expression');
    const close = pieces.findIndex((piece) => piece.type === ')');
    const inner = innerNode ? buildExpression(innerNode, ctx, scope) : invalidExpression(range);
    const end = close >= 0 ? close : pieces.length - 1;
    base = { ...inner, kind: 'parenthesized', range: spanning(rangeOf(pieces[0], ctx), rangeOf(pieces[end], ctx)), inner };
    rest = pieces.slice(end + 1);
  } else if (pieces[0].type === 'variable_expr') {
    return buildTraversal(pieces, range, ctx, scope);
  } else {
    base = buildBase(pieces[0], ctx, scope);
    rest = pieces.slice(1);
  }
  if (rest.length === 0) return base;
  const indexes = rest.flatMap((piece) => indexExpressions(piece)).map((child) => buildExpression(child, ctx, scope));
  return combine('index', range, [base, ...indexes]);
}

/** The expressions inside `[...]` postfix pieces (also those inside splats). */
function indexExpressions(piece: SyntaxNode): SyntaxNode[] {
  if (piece.type === 'new_index') return childrenOf(piece).filter((child) => child.type === 'expression');
  if (piece.type === 'index' || piece.type === 'attr_splat' || piece.type === 'full_splat' || piece.type === 'splat') {
    return childrenOf(piece).flatMap((child) => indexExpressions(child));
  }
  return [];
}

function buildTraversal(pieces: SyntaxNode[], range: Range, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const rootNode = pieces[0];
  const root = textOf(rootNode, ctx);
  const rootRange = rangeOf(rootNode, ctx);
  const steps: TraversalStep[] = [];
  const indexes: Expression[] = [];
  const addStep = (piece: SyntaxNode): void => {
    switch (piece.type) {
      case 'get_attr': {
        const name = childrenOf(piece).find((child) => child.type === 'identifier');
        steps.push({ kind: 'attribute', name: name ? textOf(name, ctx) : '', range: rangeOf(piece, ctx) });
        return;
      }
      case 'index':
        for (const child of childrenOf(piece)) addStep(child);
        return;
      case 'legacy_index':
        steps.push({ kind: 'index', key: Number(textOf(piece, ctx).slice(1)), range: rangeOf(piece, ctx) });
        return;
      case 'new_index': {
        const keyNode = childrenOf(piece).find((child) => child.type === 'expression');
        const key = keyNode ? buildExpression(keyNode, ctx, scope) : undefined;
        if (key) indexes.push(key);
        const value = key?.isStatic && (typeof key.value === 'string' || typeof key.value === 'number') ? key.value : undefined;
        steps.push({ kind: 'index', key: value, range: rangeOf(piece, ctx) });
        return;
      }
      case 'splat':
        for (const child of childrenOf(piece)) addStep(child);
        return;
      case 'attr_splat':
      case 'full_splat': {
        const children = childrenOf(piece);
        const marker = children[0];
        steps.push({ kind: 'splat', range: marker ? rangeOf(marker, ctx) : rangeOf(piece, ctx) });
        for (const child of children.slice(1)) addStep(child);
        return;
      }
      default:
        return;
    }
  };
  for (const piece of pieces.slice(1)) addStep(piece);
  const lastRange = pieces.length > 1 ? rangeOf(pieces[pieces.length - 1], ctx) : rootRange;
  const traversal: Reference = { root, rootRange, steps, range: spanning(rootRange, lastRange) };
  const references = scope.has(root) ? [] : [traversal];
  return {
    kind: 'reference',
    range,
    isStatic: false,
    references: [...references, ...indexes.flatMap((index) => index.references)],
    calls: indexes.flatMap((index) => index.calls),
    traversal,
  };
}

function buildBase(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const range = rangeOf(node, ctx);
  switch (node.type) {
    case 'literal_value':
      return buildLiteral(childrenOf(node)[0] ?? node, ctx);
    case 'template_expr': {
      const inner = childrenOf(node)[0];
      return inner ? buildTemplate(inner, ctx, scope) : invalidExpression(range);
    }
    case 'collection_value': {
      const inner = childrenOf(node)[0];
      if (inner?.type === 'tuple') return buildTuple(inner, ctx, scope);
      if (inner?.type === 'object') return buildObject(inner, ctx, scope);
      return invalidExpression(range);
    }
    case 'function_call':
      return buildCall(node, ctx, scope);
    case 'for_expr':
      return buildFor(childrenOf(node)[0] ?? node, ctx, scope);
    case 'operation': {
      const inner = childrenOf(node)[0];
      return inner ? buildOperation(inner, ctx, scope) : invalidExpression(range);
    }
    case 'expression':
      return buildExpression(node, ctx, scope);
    default:
      return invalidExpression(range);
  }
}

function buildLiteral(node: SyntaxNode, ctx: BuildContext): Expression {
  const range = rangeOf(node, ctx);
  const text = textOf(node, ctx);
  const literal = (value: StaticValue): Expression => ({ kind: 'literal', range, isStatic: true, value, references: [], calls: [] });
  switch (node.type) {
    case 'numeric_lit':
      if (/^0x/i.test(text)) {
        syntaxProblem(ctx, range, `Terraform has no hexadecimal numbers: write ${text} in decimal, or use parseint("${text.slice(2)}", 16).`);
        return invalidExpression(range);
      }
      return literal(Number(text));
    case 'bool_lit':
      return literal(text === 'true');
    case 'null_lit':
      return literal(null);
    case 'string_lit':
      return literal(unescapeQuoted(stringLiteralText(node, ctx)));
    default:
      return invalidExpression(range);
  }
}

/**
 * The raw text between the quotes of a string_lit or quoted template without interpolations.
 * Taken from the source between the quotes, because tree-sitter's literal parts leave out the
 * spaces at either end: `" 80"` is the string " 80", which Terraform does not convert to a number.
 */
function stringLiteralText(node: SyntaxNode, ctx: BuildContext): string {
  const children = childrenOf(node);
  const open = children.find((child) => child.type === 'quoted_template_start');
  const close = children.findLast((child) => child.type === 'quoted_template_end');
  if (open && close && !close.isMissing) return ctx.source.slice(open.endIndex, close.startIndex);
  return children.filter((child) => child.type === 'template_literal').map((child) => textOf(child, ctx)).join('');
}

/** The value of a quoted string's literal text: backslash escapes, `$${` and `%%{`. */
export function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (match, escape: string | undefined) => {
    if (!escape) return match.slice(1);
    switch (escape[0]) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u': case 'U': return String.fromCodePoint(parseInt(escape.slice(1), 16));
      default: return escape;
    }
  });
}

function buildTemplate(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const range = rangeOf(node, ctx);
  const heredoc = node.type === 'heredoc_template';
  const children = childrenOf(node);
  const parts = children.filter((child) => child.type === 'template_literal' || child.type === 'template_interpolation' || child.type === 'template_directive');
  const inner = parts.flatMap((part) => templatePartExpressions(part, ctx, scope));
  const dynamic = parts.some((part) => part.type !== 'template_literal');
  // `${}` is a syntax error reported by the scanner, and how a broken string is blanked out
  // (see repairText in syntax.ts): the value is unknown, and no check should read it.
  const empty = parts.some((part) => part.type === 'template_interpolation' && !childrenOf(part).some((child) => child.type === 'expression'));
  if (empty) return combine('invalid', range, inner);
  const expression = combine('template', range, inner, { heredoc });
  if (!dynamic) {
    expression.isStatic = !node.hasError;
    expression.value = heredoc ? heredocValue(children, ctx) : unescapeQuoted(stringLiteralText(node, ctx));
  }
  if (!heredoc && parts.length === 1 && parts[0].type === 'template_interpolation') expression.interpolationOnly = true;
  return expression;
}

/** The text of a heredoc without interpolations; `<<-` removes the smallest indentation. */
function heredocValue(children: SyntaxNode[], ctx: BuildContext): string {
  const identifiers = children.filter((child) => child.type === 'heredoc_identifier');
  const start = children.find((child) => child.type === 'heredoc_start');
  if (identifiers.length < 2) return '';
  const contentStart = ctx.source.indexOf('\n', identifiers[0].endIndex) + 1;
  const closerLineStart = ctx.source.lastIndexOf('\n', identifiers[1].startIndex - 1) + 1;
  const content = contentStart > 0 && closerLineStart > contentStart ? ctx.source.slice(contentStart, closerLineStart) : '';
  if (!start || textOf(start, ctx) !== '<<-') return content;
  const lines = content.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const strip = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(Math.min(strip, /^[ \t]*/.exec(line)![0].length))).join('\n');
}

function templatePartExpressions(part: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression[] {
  switch (part.type) {
    case 'template_interpolation':
      return childrenOf(part).filter((child) => child.type === 'expression').map((child) => buildExpression(child, ctx, scope));
    case 'template_directive':
    case 'template_if':
    case 'template_if_intro':
    case 'template_else_intro':
    case 'template_if_end':
    case 'template_for_end':
      return childrenOf(part).flatMap((child) =>
        child.type === 'expression' ? [buildExpression(child, ctx, scope)] : templatePartExpressions(child, ctx, scope));
    case 'template_for': {
      const children = childrenOf(part);
      const intro = children.find((child) => child.type === 'template_for_start');
      const introChildren = intro ? childrenOf(intro) : [];
      const names = introChildren.filter((child) => child.type === 'identifier').map((child) => textOf(child, ctx));
      const collection = introChildren.filter((child) => child.type === 'expression').map((child) => buildExpression(child, ctx, scope));
      const inner = new Set([...scope, ...names]);
      return [...collection, ...children.filter((child) => child !== intro).flatMap((child) => templatePartExpressions(child, ctx, inner))];
    }
    default:
      return [];
  }
}

function buildTuple(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const elements = childrenOf(node).filter((child) => child.type === 'expression').map((child) => buildExpression(child, ctx, scope));
  const expression = combine('tuple', rangeOf(node, ctx), elements, { elements });
  if (elements.every((element) => element.isStatic) && !node.hasError) {
    expression.isStatic = true;
    expression.value = elements.map((element) => element.value as StaticValue);
  }
  return expression;
}

function buildObject(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const entries: ObjectEntry[] = [];
  let previous: SyntaxNode | undefined;
  let separated = true;
  for (const child of childrenOf(node)) {
    if (child.type === ',') separated = true;
    if (child.type !== 'object_elem') continue;
    if (previous && !separated && previous.endPosition.row === child.startPosition.row) {
      syntaxProblem(ctx, rangeOf(child, ctx), 'Missing separator: put a comma or a line break between the attributes of an object.');
    }
    previous = child;
    separated = false;
    const keyNode = child.children.find((c) => c.fieldName === 'key');
    const valueNode = child.children.find((c) => c.fieldName === 'val');
    const key = keyNode ? buildObjectKey(keyNode, ctx, scope) : invalidExpression(rangeOf(child, ctx));
    const value = valueNode ? buildExpression(valueNode, ctx, scope) : invalidExpression(rangeOf(child, ctx));
    const name = key.isStatic && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : undefined;
    entries.push({ key, name, value });
  }
  const parts = entries.flatMap((entry) => [entry.key, entry.value]);
  const expression = combine('object', rangeOf(node, ctx), parts, { entries });
  if (entries.every((entry) => entry.name !== undefined && entry.value.isStatic) && !node.hasError) {
    expression.isStatic = true;
    expression.value = Object.fromEntries(entries.map((entry) => [entry.name, entry.value.value as StaticValue]));
  }
  return expression;
}

/** A bare name as an object key is the literal name, not a reference (`{ name = 1 }`). */
function buildObjectKey(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const children = childrenOf(node);
  if (children.length === 1 && children[0].type === 'variable_expr') {
    return { kind: 'literal', range: rangeOf(node, ctx), isStatic: true, value: textOf(children[0], ctx), references: [], calls: [] };
  }
  return buildExpression(node, ctx, scope);
}

function buildCall(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const children = childrenOf(node);
  const nameNode = children[0];
  const argumentsNode = children.find((child) => child.type === 'function_arguments');
  const argumentChildren = argumentsNode ? childrenOf(argumentsNode) : [];
  const args = argumentChildren.filter((child) => child.type === 'expression').map((child) => buildExpression(child, ctx, scope));
  const range = rangeOf(node, ctx);
  const call: FunctionCall = {
    name: textOf(nameNode, ctx),
    nameRange: rangeOf(nameNode, ctx),
    args,
    expandFinal: argumentChildren.some((child) => child.type === 'ellipsis'),
    range,
  };
  const expression = combine('call', range, args, { call });
  expression.calls = [call, ...expression.calls];
  return expression;
}

function buildFor(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const children = childrenOf(node);
  const intro = children.find((child) => child.type === 'for_intro');
  const introChildren = intro ? childrenOf(intro) : [];
  const names = introChildren.filter((child) => child.type === 'identifier').map((child) => textOf(child, ctx));
  const collection = introChildren.filter((child) => child.type === 'expression').map((child) => buildExpression(child, ctx, scope));
  const inner = new Set([...scope, ...names]);
  const bodies = children.flatMap((child) => {
    if (child.type === 'expression') return [buildExpression(child, ctx, inner)];
    if (child.type === 'for_cond') return childrenOf(child).filter((c) => c.type === 'expression').map((c) => buildExpression(c, ctx, inner));
    return [];
  });
  return combine('for', rangeOf(node, ctx), [...collection, ...bodies]);
}

function buildOperation(node: SyntaxNode, ctx: BuildContext, scope: ReadonlySet<string>): Expression {
  const range = rangeOf(node, ctx);
  const children = childrenOf(node);
  if (node.type === 'unary_operation') {
    const operand = buildTerm(children.slice(1), range, ctx, scope);
    const expression = combine('operation', range, [operand]);
    if (operand.isStatic && typeof operand.value === 'number' && children[0].type === '-') {
      expression.isStatic = true;
      expression.value = -operand.value;
    }
    return expression;
  }
  const split = children.findIndex((child, i) => i > 0 && !child.isNamed && BINARY_OPERATORS.has(child.type));
  if (split < 0) return combine('operation', range, [buildTerm(children, range, ctx, scope)]);
  const left = buildTerm(children.slice(0, split), range, ctx, scope);
  const right = buildTerm(children.slice(split + 1), range, ctx, scope);
  return combine('operation', range, [left, right]);
}

