/**
 * Reading what is known statically from the model. Every rule goes through these helpers,
 * so "not static" means the same thing everywhere: a reference, a call or an interpolation
 * gives `undefined`, and an `undefined` is never reported.
 */
import type { Attribute, Block, Expression } from '../model';

/** The expression inside any parentheses: `("*")` is `"*"`. */
export function unwrap(expression: Expression): Expression {
  let current = expression;
  while (current.kind === 'parenthesized' && current.inner) current = current.inner;
  return current;
}

/** A static string, or a static number or bool as Terraform would convert it to a string. */
export function stringOf(expression: Expression | undefined): string | undefined {
  if (!expression?.isStatic) return undefined;
  const value = expression.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function staticString(block: Block, name: string): string | undefined {
  return stringOf(block.attributes.get(name)?.expression);
}

/** A static bool, or the strings "true" and "false", which Terraform converts to bools. */
function boolOf(expression: Expression | undefined): boolean | undefined {
  if (!expression?.isStatic) return undefined;
  const value = expression.value;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function staticBool(block: Block, name: string): boolean | undefined {
  return boolOf(block.attributes.get(name)?.expression);
}

/** A static whole number, or a string of digits (`"22"`), which Terraform converts to a number. */
function numberOf(expression: Expression | undefined): number | undefined {
  if (!expression?.isStatic) return undefined;
  const value = expression.value;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function staticNumber(block: Block, name: string): number | undefined {
  return numberOf(block.attributes.get(name)?.expression);
}

/**
 * The elements of a list written as a tuple (`["a", var.b]`), each with its own range, so a
 * static element can be reported even when another one is not. Undefined for anything else
 * (a reference to a list, a `concat(...)` call): its elements are unknown.
 */
export function elementsOf(expression: Expression | undefined): Expression[] | undefined {
  if (!expression) return undefined;
  const inner = unwrap(expression);
  return inner.kind === 'tuple' ? inner.elements ?? [] : undefined;
}

/** The elements of a list argument whose static string value satisfies `test`. */
export function matchingElements(block: Block, name: string, test: (value: string) => boolean): Expression[] {
  return (elementsOf(block.attributes.get(name)?.expression) ?? []).filter((element) => {
    const value = stringOf(unwrap(element));
    return value !== undefined && test(value);
  });
}

/** A string argument (`cidr_ipv4 = "0.0.0.0/0"`) as a one-element list, when its value satisfies `test`. */
export function matchingValue(block: Block, name: string, test: (value: string) => boolean): Expression[] {
  const expression = block.attributes.get(name)?.expression;
  const value = stringOf(expression && unwrap(expression));
  return expression && value !== undefined && test(value) ? [expression] : [];
}

/**
 * The nested blocks of a type, including the `content` of `dynamic "TYPE"` blocks (what
 * `content` states statically holds for every block the dynamic block generates), and the
 * objects of an argument of that name written as a list (`ingress = [{ ... }]`, which the AWS
 * provider accepts for some blocks).
 */
export function nestedBlocks(block: Block, type: string): Block[] {
  const found: Block[] = [];
  for (const child of block.blocks) {
    if (child.type === type) found.push(child);
    else if (child.type === 'dynamic' && child.labels[0]?.value === type) found.push(...child.blocks.filter((b) => b.type === 'content'));
  }
  for (const element of elementsOf(block.attributes.get(type)?.expression) ?? []) {
    const object = objectAsBlock(element, type);
    if (object) found.push(object);
  }
  return found;
}

/** An object expression (`{ from_port = 22, ... }`) read as a block of that type, for the rules' helpers. */
function objectAsBlock(expression: Expression, type: string): Block | undefined {
  const inner = unwrap(expression);
  if (inner.kind !== 'object') return undefined;
  const attributes = new Map<string, Attribute>();
  for (const entry of inner.entries ?? []) {
    if (entry.name === undefined || attributes.has(entry.name)) continue;
    attributes.set(entry.name, { name: entry.name, nameRange: entry.key.range, range: { start: entry.key.range.start, end: entry.value.range.end }, expression: entry.value });
  }
  const start = { start: inner.range.start, end: inner.range.start };
  return { type, typeRange: start, labels: [], attributes, blocks: [], range: inner.range, openBraceRange: start, incomplete: false };
}
