/**
 * Type constraints (`string`, `list(number)`, `object({ name = string, size = optional(number, 1) })`)
 * read from a variable's `type` expression, and whether a static value converts to one,
 * following Terraform's conversion rules: a number or bool converts to a string, a numeric
 * string to a number, "true"/"false" to a bool, a list to a set; extra object attributes are
 * dropped; null is any type's value. Anything this cannot decide is accepted.
 */
import type { Range } from '../../core/types';
import type { Expression, StaticValue } from '../model';

export type TypeConstraint =
  | { kind: 'any' }
  | { kind: 'string' | 'number' | 'bool' }
  | { kind: 'list' | 'set' | 'map'; element: TypeConstraint }
  | { kind: 'object'; attributes: Map<string, { type: TypeConstraint; optional: boolean }> }
  | { kind: 'tuple'; elements: TypeConstraint[] };

export type ParsedType = { type: TypeConstraint } | { problem: { range: Range; message: string } };

const PRIMITIVES = new Set(['string', 'number', 'bool', 'any']);
const COLLECTIONS = new Set(['list', 'set', 'map']);

function problem(range: Range, message: string): ParsedType {
  return { problem: { range, message } };
}

export function parseTypeConstraint(expression: Expression, inObjectAttribute = false): ParsedType {
  if (expression.kind === 'parenthesized' && expression.inner) return parseTypeConstraint(expression.inner, inObjectAttribute);
  if (expression.kind === 'reference' && expression.traversal && expression.traversal.steps.length === 0) {
    const name = expression.traversal.root;
    if (PRIMITIVES.has(name)) return { type: { kind: name } as TypeConstraint };
    if (COLLECTIONS.has(name)) return problem(expression.range, `"${name}" needs an element type, as in ${name}(string).`);
    if (name === 'object' || name === 'tuple') return problem(expression.range, `"${name}" needs its ${name === 'object' ? 'attributes, as in object({ name = string })' : 'element types, as in tuple([string, number])'}.`);
    return problem(expression.range, `"${name}" is not a type: the types are string, number, bool, any, list(...), set(...), map(...), object({...}) and tuple([...]).`);
  }
  if (expression.kind === 'literal' && typeof expression.value === 'string') {
    return problem(expression.range, `Type constraints are not quoted since Terraform 0.12: write ${/^(string|list|map)$/.test(expression.value) ? (expression.value === 'string' ? 'string' : `${expression.value}(string)`) : 'the type without quotes'}.`);
  }
  const call = expression.call;
  if (expression.kind !== 'call' || !call) return problem(expression.range, 'This is not a type constraint: use string, number, bool, any, list(...), set(...), map(...), object({...}) or tuple([...]).');
  const args = call.args;
  if (COLLECTIONS.has(call.name)) {
    if (args.length !== 1) return problem(call.range, `${call.name}(...) takes one element type, as in ${call.name}(string).`);
    const element = parseTypeConstraint(args[0]);
    return 'problem' in element ? element : { type: { kind: call.name as 'list' | 'set' | 'map', element: element.type } };
  }
  if (call.name === 'object') {
    const spec = args[0];
    if (args.length !== 1 || spec.kind !== 'object' || !spec.entries) return problem(call.range, 'object(...) takes an object of attribute types, as in object({ name = string }).');
    const attributes = new Map<string, { type: TypeConstraint; optional: boolean }>();
    for (const entry of spec.entries) {
      if (entry.name === undefined) return problem(entry.key.range, 'An attribute name must be a name or a quoted string.');
      const value = entry.value;
      if (value.kind === 'call' && value.call?.name === 'optional') {
        const optionalArgs = value.call.args;
        if (optionalArgs.length < 1 || optionalArgs.length > 2) return problem(value.range, 'optional(...) takes a type and, optionally, a default: optional(string, "x").');
        const inner = parseTypeConstraint(optionalArgs[0], true);
        if ('problem' in inner) return inner;
        attributes.set(entry.name, { type: inner.type, optional: true });
        continue;
      }
      const inner = parseTypeConstraint(value, true);
      if ('problem' in inner) return inner;
      attributes.set(entry.name, { type: inner.type, optional: false });
    }
    return { type: { kind: 'object', attributes } };
  }
  if (call.name === 'tuple') {
    const spec = args[0];
    if (args.length !== 1 || spec.kind !== 'tuple' || !spec.elements) return problem(call.range, 'tuple(...) takes a list of element types, as in tuple([string, number]).');
    const elements: TypeConstraint[] = [];
    for (const element of spec.elements) {
      const parsed = parseTypeConstraint(element);
      if ('problem' in parsed) return parsed;
      elements.push(parsed.type);
    }
    return { type: { kind: 'tuple', elements } };
  }
  if (call.name === 'optional') {
    return problem(call.range, inObjectAttribute ? 'optional(...) must be the whole type of an object attribute.' : 'optional(...) is allowed only for the attributes of an object type.');
  }
  return problem(call.nameRange, `"${call.name}" is not a type constructor: the constructors are list, set, map, object and tuple.`);
}

/** `string`, `list(number)`, `object({ a = string })`: how Terraform writes a type. */
export function typeText(type: TypeConstraint): string {
  switch (type.kind) {
    case 'any': case 'string': case 'number': case 'bool':
      return type.kind;
    case 'list': case 'set': case 'map':
      return `${type.kind}(${typeText(type.element)})`;
    case 'object':
      return `object({ ${[...type.attributes].map(([name, a]) => `${name} = ${a.optional ? `optional(${typeText(a.type)})` : typeText(a.type)}`).join(', ')} })`;
    case 'tuple':
      return `tuple([${type.elements.map(typeText).join(', ')}])`;
  }
}

function describeValue(value: StaticValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the bool'} ${String(value)}`;
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `["${p}"]`)).join('');
}

/**
 * Why `value` does not convert to `type`, or undefined when it does (or cannot be decided).
 * The reason names the element that fails, as in `["size"]: a number is required`.
 */
export function conversionProblem(value: StaticValue, type: TypeConstraint, path: (string | number)[] = []): string | undefined {
  if (value === null) return undefined;
  const at = path.length ? `${pathText(path)}: ` : '';
  switch (type.kind) {
    case 'any':
      return undefined;
    case 'string':
      return typeof value === 'object' ? `${at}a string is required, not ${describeValue(value)}` : undefined;
    case 'number':
      if (typeof value === 'number') return undefined;
      if (typeof value === 'string' && NUMERIC.test(value.trim())) return undefined;
      return `${at}a number is required, not ${describeValue(value)}`;
    case 'bool':
      if (typeof value === 'boolean') return undefined;
      if (typeof value === 'string' && ['true', 'false', '1', '0'].includes(value)) return undefined;
      return `${at}a bool is required, not ${describeValue(value)}`;
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) return `${at}a ${type.kind} is required, not ${describeValue(value)}`;
      if (type.element.kind === 'any') return undefined;
      for (let i = 0; i < value.length; i++) {
        const inner = conversionProblem(value[i], type.element, [...path, i]);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return `${at}a map is required, not ${describeValue(value)}`;
      if (type.element.kind === 'any') return undefined;
      for (const [key, element] of Object.entries(value)) {
        const inner = conversionProblem(element, type.element, [...path, key]);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return `${at}an object is required, not ${describeValue(value)}`;
      for (const [name, attribute] of type.attributes) {
        if (!(name in value)) {
          if (attribute.optional) continue;
          return `${at}the attribute "${name}" is required`;
        }
        const inner = conversionProblem(value[name], attribute.type, [...path, name]);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'tuple': {
      if (!Array.isArray(value)) return `${at}a tuple of ${type.elements.length} elements is required, not ${describeValue(value)}`;
      if (value.length !== type.elements.length) return `${at}a tuple of ${type.elements.length} elements is required, not ${value.length}`;
      for (let i = 0; i < value.length; i++) {
        const inner = conversionProblem(value[i], type.elements[i], [...path, i]);
        if (inner) return inner;
      }
      return undefined;
    }
  }
}
