/**
 * The Terraform language model: what a .tf or .tfvars file declares, with exact ranges, and
 * every reference and function call inside its expressions. The checks, the editor features,
 * and (later) the security rules and provider-schema checks all read this model, never the
 * syntax tree, so the tree can stay private to `document.ts`, which re-parses incrementally.
 *
 * Model objects are immutable once built: an unchanged top-level block is reused across
 * edits (see `document.ts`), so nothing may write into a block after `buildTopLevelItem`
 * (modelBuilder.ts) made it.
 */
import type { Finding, Position, Range } from '../core/types';

/** A value known without evaluating anything: what a literal, or a collection of literals, is. */
export type StaticValue = string | number | boolean | null | StaticValue[] | { [key: string]: StaticValue };

export type TraversalStep =
  | { kind: 'attribute'; name: string; range: Range }
  /** `[0]`, `["a"]`, `.0`; `key` is undefined when the index is computed (`[var.i]`). */
  | { kind: 'index'; key: string | number | undefined; range: Range }
  /** `[*]` or `.*`. */
  | { kind: 'splat'; range: Range };

/** A traversal from a root name: `var.x`, `aws_s3_bucket.b.id`, `each.value`, `data.t.n[0].id`. */
export interface Reference {
  root: string;
  rootRange: Range;
  steps: TraversalStep[];
  /** From the root to the last step. */
  range: Range;
}

export interface FunctionCall {
  /** As written, including a namespace: `length`, `provider::aws::arn_parse`, `core::length`. */
  name: string;
  nameRange: Range;
  args: Expression[];
  /** The last argument is expanded with `...`. */
  expandFinal: boolean;
  range: Range;
}

export interface ObjectEntry {
  key: Expression;
  /** The key when it is a bare name or a literal string (`{ a = 1, "b" = 2 }`). */
  name?: string;
  value: Expression;
}

export type ExpressionKind =
  | 'literal'
  | 'template'
  | 'reference'
  | 'call'
  | 'tuple'
  | 'object'
  | 'for'
  | 'conditional'
  | 'operation'
  | 'index'
  | 'parenthesized'
  | 'invalid';

export interface Expression {
  kind: ExpressionKind;
  range: Range;
  /** True when `value` is the expression's value, known without evaluation. */
  isStatic: boolean;
  value?: StaticValue;
  /** Every reference inside, nested ones included, except names bound by `for` expressions. */
  references: Reference[];
  /** Every function call inside, nested ones included. */
  calls: FunctionCall[];
  /** `reference`: the traversal itself. */
  traversal?: Reference;
  /** `tuple`: the elements. */
  elements?: Expression[];
  /** `object`: the entries. */
  entries?: ObjectEntry[];
  /** `call`: the call. */
  call?: FunctionCall;
  /** `template`: a heredoc (`<<EOT`) rather than a quoted string. */
  heredoc?: boolean;
  /** `template`: the only part is one interpolation (`"${var.x}"`), which is just `var.x`. */
  interpolationOnly?: boolean;
  /** `parenthesized`: the inner expression. */
  inner?: Expression;
}

export interface Attribute {
  name: string;
  nameRange: Range;
  /** From the name to the end of the value. */
  range: Range;
  expression: Expression;
}

export interface Label {
  value: string;
  range: Range;
  /** Written as a quoted string rather than a bare identifier. */
  quoted: boolean;
}

export interface Block {
  type: string;
  typeRange: Range;
  labels: Label[];
  /** The arguments, by name (the first one when a name repeats, which is an error of its own). */
  attributes: Map<string, Attribute>;
  blocks: Block[];
  range: Range;
  /** Where `{` is; its `end` is where the header ends. */
  openBraceRange: Range;
  /** The block, or something inside it, did not parse: checks that need the whole body skip it. */
  incomplete: boolean;
}

export type FileKind = 'tf' | 'tfvars';

export interface TerraformFile {
  kind: FileKind;
  blocks: Block[];
  /** Top-level arguments: the values of a .tfvars file (an error in a .tf file). */
  attributes: Map<string, Attribute>;
  /** Syntax problems: `tf/syntax`, `tf/template-syntax`, `tf/duplicate-argument`. */
  problems: Finding[];
}

// ---------------------------------------------------------------------------------------------
// Reusing built items at other lines.

function shiftPosition(position: Position, lines: number): Position {
  return { line: position.line + lines, character: position.character };
}

function shiftRange(range: Range, lines: number): Range {
  return { start: shiftPosition(range.start, lines), end: shiftPosition(range.end, lines) };
}

function shiftReference(reference: Reference, lines: number): Reference {
  return {
    root: reference.root,
    rootRange: shiftRange(reference.rootRange, lines),
    steps: reference.steps.map((step) => ({ ...step, range: shiftRange(step.range, lines) })),
    range: shiftRange(reference.range, lines),
  };
}

/**
 * Copies expressions moved down by `lines`. References and calls are shared between an
 * expression and its parents, so each one is copied once and the sharing is kept.
 */
class Shifter {
  private readonly seen = new Map<object, unknown>();

  constructor(private readonly lines: number) {}

  expression(expression: Expression): Expression {
    const cached = this.seen.get(expression) as Expression | undefined;
    if (cached) return cached;
    const lines = this.lines;
    const copy: Expression = {
      ...expression,
      range: shiftRange(expression.range, lines),
      references: expression.references.map((r) => this.reference(r)),
      calls: expression.calls.map((c) => this.call(c)),
    };
    if (expression.traversal) copy.traversal = this.reference(expression.traversal);
    if (expression.elements) copy.elements = expression.elements.map((e) => this.expression(e));
    if (expression.entries) copy.entries = expression.entries.map((e) => ({ name: e.name, key: this.expression(e.key), value: this.expression(e.value) }));
    if (expression.call) copy.call = this.call(expression.call);
    if (expression.inner) copy.inner = this.expression(expression.inner);
    this.seen.set(expression, copy);
    return copy;
  }

  private reference(reference: Reference): Reference {
    let copy = this.seen.get(reference) as Reference | undefined;
    if (!copy) this.seen.set(reference, (copy = shiftReference(reference, this.lines)));
    return copy;
  }

  private call(call: FunctionCall): FunctionCall {
    let copy = this.seen.get(call) as FunctionCall | undefined;
    if (!copy) {
      copy = { ...call, nameRange: shiftRange(call.nameRange, this.lines), range: shiftRange(call.range, this.lines), args: call.args.map((a) => this.expression(a)) };
      this.seen.set(call, copy);
    }
    return copy;
  }
}

/** A finding moved down by `lines` (unlike core's shiftFinding, without adding an empty `fixes`). */
export function moveFinding(finding: Finding, lines: number): Finding {
  if (lines === 0) return finding;
  const moved: Finding = { ...finding, range: shiftRange(finding.range, lines) };
  if (finding.fixes) moved.fixes = finding.fixes.map((fix) => ({ title: fix.title, edits: fix.edits.map((edit) => ({ range: shiftRange(edit.range, lines), newText: edit.newText })) }));
  return moved;
}

export function shiftAttribute(attribute: Attribute, lines: number): Attribute {
  if (lines === 0) return attribute;
  return {
    name: attribute.name,
    nameRange: shiftRange(attribute.nameRange, lines),
    range: shiftRange(attribute.range, lines),
    expression: new Shifter(lines).expression(attribute.expression),
  };
}

/**
 * Which block a moved copy was made from: anything computed from a block's content alone
 * (not its position) holds for its copies, moved by `lines`.
 */
const movedFrom = new WeakMap<Block, { block: Block; lines: number }>();

export function originOf(block: Block): { block: Block; lines: number } | undefined {
  return movedFrom.get(block);
}

export function shiftBlock(block: Block, lines: number): Block {
  if (lines === 0) return block;
  const attributes = new Map<string, Attribute>();
  for (const [name, attribute] of block.attributes) attributes.set(name, shiftAttribute(attribute, lines));
  const moved: Block = {
    type: block.type,
    typeRange: shiftRange(block.typeRange, lines),
    labels: block.labels.map((label) => ({ ...label, range: shiftRange(label.range, lines) })),
    attributes,
    blocks: block.blocks.map((child) => shiftBlock(child, lines)),
    range: shiftRange(block.range, lines),
    openBraceRange: shiftRange(block.openBraceRange, lines),
    incomplete: block.incomplete,
  };
  const origin = movedFrom.get(block);
  movedFrom.set(moved, origin ? { block: origin.block, lines: origin.lines + lines } : { block, lines });
  return moved;
}

// ---------------------------------------------------------------------------------------------
// Small helpers for the readers of the model.

export function isBlock(item: Block | Attribute): item is Block {
  return 'blocks' in item;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Is `position` inside `range` (the end included, so a caret just after a name counts)? */
export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** Every block of a file, nested ones included, with the chain of blocks around it. */
export function* allBlocks(blocks: readonly Block[], parents: Block[] = []): Generator<{ block: Block; parents: Block[] }> {
  for (const block of blocks) {
    yield { block, parents };
    yield* allBlocks(block.blocks, [...parents, block]);
  }
}

/** The address a reference names, for messages: `var.x`, `aws_s3_bucket.b`, `module.m.out`. */
export function referenceText(reference: Reference, steps = reference.steps.length): string {
  let text = reference.root;
  for (const step of reference.steps.slice(0, steps)) {
    if (step.kind === 'attribute') text += `.${step.name}`;
    else if (step.kind === 'splat') text += '[*]';
    else text += step.key === undefined ? '[…]' : typeof step.key === 'number' ? `[${step.key}]` : `["${step.key}"]`;
  }
  return text;
}

/** The names of the first `count` attribute steps, or undefined when a step before them is not an attribute. */
export function attributeNames(reference: Reference, count: number): string[] | undefined {
  const names: string[] = [];
  for (const step of reference.steps.slice(0, count)) {
    if (step.kind !== 'attribute') return undefined;
    names.push(step.name);
  }
  return names.length === count ? names : undefined;
}
