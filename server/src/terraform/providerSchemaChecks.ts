/**
 * The checks of a file's resource, data, ephemeral and provider blocks against the provider
 * schemas (see `providerSchemaIndex.ts`): unknown types, arguments and blocks, missing required
 * ones, literals of the wrong type, arguments only the provider sets, deprecations.
 *
 * Without schemas nothing here runs, so the language checks never guess at a provider's
 * content. Every check reports only what Terraform itself rejects: a value is judged only when
 * it is a literal, after HCL's own conversions ("22" is a number, "true" a bool).
 */
import { closestMatch } from '../core/spelling';
import type { Finding, Range, Severity } from '../core/types';
import type { Block, Expression, TerraformFile } from './model';
import {
  attributeAsBlock,
  findProvider,
  friendlyTypeName,
  own,
  providerConfigSchema,
  providerLocalName,
  requiredProviders,
  schemaOf,
  tableOf,
  type CtyType,
  type ProviderSchemaIndex,
  type SchemaAttribute,
  type SchemaBlock,
  type SchemaKind,
} from './providerSchemaIndex';

export const PROVIDER_SCHEMA_RULES: Readonly<Record<string, Severity>> = {
  'tf/unknown-resource-type': 'error',
  'tf/unknown-attribute': 'error',
  'tf/unknown-block': 'error',
  'tf/missing-required-attribute': 'error',
  'tf/attribute-type': 'error',
  'tf/read-only-attribute': 'error',
  'tf/too-many-blocks': 'error',
  'tf/deprecated-attribute': 'warning',
};

export interface ProviderSchemaCheckOptions {
  /** Local names → addresses for the whole module (see `requiredProviders`); by default, this file's. */
  requiredProviders?: ReadonlyMap<string, string>;
  /** An override file (`override.tf`, `*_override.tf`) merges into other blocks, so it may omit required content. */
  override?: boolean;
}

const KINDS: Readonly<Record<string, SchemaKind>> = { resource: 'resource', data: 'data', ephemeral: 'ephemeral' };
const KIND_WORDS: Readonly<Record<SchemaKind, string>> = { resource: 'resource type', data: 'data source', ephemeral: 'ephemeral resource type' };
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider']);
const META_BLOCKS = new Set(['lifecycle', 'connection', 'provisioner']);
const PROVIDER_META = { arguments: new Set(['alias', 'version']), blocks: new Set<string>() };
const RESOURCE_META = { arguments: META_ARGUMENTS, blocks: META_BLOCKS };

interface Meta {
  arguments: ReadonlySet<string>;
  blocks: ReadonlySet<string>;
}

interface CheckState {
  findings: Finding[];
  override: boolean;
}

/** Checks every resource, data, ephemeral and provider block of a file against the provider schemas. */
export function checkAgainstProviderSchemas(file: TerraformFile, schemas: ProviderSchemaIndex, options: ProviderSchemaCheckOptions = {}): Finding[] {
  if (file.kind !== 'tf') return [];
  const required = options.requiredProviders ?? requiredProviders([file]);
  return file.blocks.flatMap((block) => checkBlockAgainstProviderSchemas(block, schemas, { ...options, requiredProviders: required }));
}

/**
 * Checks one top-level block of a .tf file (a resource, data, ephemeral or provider block, or
 * the data sources scoped to a check block) against the provider schemas; other blocks pass.
 */
export function checkBlockAgainstProviderSchemas(block: Block, schemas: ProviderSchemaIndex, options: ProviderSchemaCheckOptions = {}): Finding[] {
  const state: CheckState = { findings: [], override: options.override ?? false };
  const required = options.requiredProviders;
  const checkTopLevel = (block: Block): void => {
    if (block.type === 'provider') {
      const name = block.labels[0]?.value;
      const entry = name === undefined ? undefined : findProvider(schemas, name, required);
      const schema = entry && providerConfigSchema(entry);
      if (schema) checkBody(state, block, schema, PROVIDER_META, `provider "${name}"`);
      return;
    }
    const kind = own(KINDS, block.type);
    const typeLabel = block.labels[0];
    const localName = providerLocalName(block);
    if (!kind || !typeLabel || localName === undefined) return;
    const entry = findProvider(schemas, localName, required);
    const table = entry && tableOf(entry, kind);
    if (!entry || !table) return;
    const schema = schemaOf(table, typeLabel.value);
    if (schema) {
      checkBody(state, block, schema, RESOURCE_META, kind === 'resource' ? typeLabel.value : `${KIND_WORDS[kind]} ${typeLabel.value}`);
      return;
    }
    // A type the index has but could not read is not unknown: it is left unchecked.
    if (own(table, typeLabel.value) !== undefined) return;
    const suggestion = closestMatch(typeLabel.value, Object.keys(table));
    const providerName = entry.address.replace(/^registry\.terraform\.io\//, '');
    report(state, typeLabel.range, 'tf/unknown-resource-type',
      `The provider ${providerName} has no ${KIND_WORDS[kind]} "${typeLabel.value}"${suggestion ? `: did you mean "${suggestion}"?` : '.'}`,
      suggestion === undefined ? undefined : { range: typeLabel.range, newText: typeLabel.quoted ? JSON.stringify(suggestion) : suggestion, title: `Change to ${suggestion}` });
  };
  // A check block may hold a scoped data source.
  if (block.type === 'check') block.blocks.filter((inner) => inner.type === 'data').forEach(checkTopLevel);
  else checkTopLevel(block);
  return state.findings;
}

function report(state: CheckState, range: Range, rule: string, message: string, fix?: { range: Range; newText: string; title: string }): void {
  const finding: Finding = { range, severity: PROVIDER_SCHEMA_RULES[rule], rule, message };
  if (fix) finding.fixes = [{ title: fix.title, edits: [{ range: fix.range, newText: fix.newText }] }];
  state.findings.push(finding);
}

function headerRange(block: Block): Range {
  const last = block.labels[block.labels.length - 1];
  return { start: block.typeRange.start, end: last ? last.range.end : block.typeRange.end };
}

const isReadOnly = (attribute: SchemaAttribute): boolean => attribute.computed === true && !attribute.optional && !attribute.required;

/** Checks a block's body; `where` names it in messages (`aws_s3_bucket`, `"versioning" block of aws_s3_bucket`). */
function checkBody(state: CheckState, block: Block, schema: SchemaBlock, meta: Meta | undefined, where: string): void {
  for (const attribute of block.attributes.values()) {
    if (meta?.arguments.has(attribute.name)) continue;
    const spec = own(schema.attributes, attribute.name);
    if (spec) {
      checkAttributeValue(state, attribute.name, attribute.nameRange, attribute.expression, spec, where);
      continue;
    }
    if (own(schema.blocks, attribute.name)) {
      report(state, attribute.nameRange, 'tf/unknown-attribute', `"${attribute.name}" is a block in ${where}, not an argument: write it as ${attribute.name} { … } without "=".`);
      continue;
    }
    const names = Object.keys(schema.attributes).filter((name) => !isReadOnly(schema.attributes[name]));
    const suggestion = closestMatch(attribute.name, names);
    report(state, attribute.nameRange, 'tf/unknown-attribute', `Unknown argument "${attribute.name}" in ${where}${suggestion ? `: did you mean "${suggestion}"?` : '.'}`,
      suggestion === undefined ? undefined : { range: attribute.nameRange, newText: suggestion, title: `Change to ${suggestion}` });
  }
  // A required list of objects may be written as blocks instead (see attributeAsBlock).
  const written = (name: string): boolean => block.attributes.has(name) || block.blocks.some((child) => child.type === name || (child.type === 'dynamic' && child.labels[0]?.value === name));
  const missing = block.incomplete || state.override ? [] : Object.keys(schema.attributes).filter((name) => schema.attributes[name].required && !written(name));
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    report(state, headerRange(block), 'tf/missing-required-attribute', `Missing required argument${missing.length > 1 ? 's' : ''} ${list} in ${where}.`);
  }
  checkNestedBlocks(state, block, schema, meta, where);
}

function checkNestedBlocks(state: CheckState, block: Block, schema: SchemaBlock, meta: Meta | undefined, where: string): void {
  const seen = new Map<string, { blocks: Block[]; dynamic: boolean }>();
  for (const child of block.blocks) {
    if (meta?.blocks.has(child.type)) continue;
    const dynamic = child.type === 'dynamic';
    const nameLabel = dynamic ? child.labels[0] : undefined;
    const name = dynamic ? nameLabel?.value : child.type;
    if (name === undefined) continue;
    const nameRange = nameLabel?.range ?? child.typeRange;
    const nested = own(schema.blocks, name) ?? attributeAsBlock(own(schema.attributes, name));
    if (!nested) {
      if (own(schema.attributes, name)) {
        report(state, nameRange, 'tf/unknown-block', `"${name}" is an argument in ${where}, not a block: set it with ${name} = …`);
        continue;
      }
      const suggestion = closestMatch(name, Object.keys(schema.blocks));
      report(state, nameRange, 'tf/unknown-block', `Unknown block "${name}" in ${where}${suggestion ? `: did you mean "${suggestion}"?` : '.'}`,
        suggestion === undefined ? undefined : { range: nameRange, newText: nameLabel?.quoted ? JSON.stringify(suggestion) : suggestion, title: `Change to ${suggestion}` });
      continue;
    }
    const entry = seen.get(name) ?? { blocks: [], dynamic: false };
    seen.set(name, entry);
    if (dynamic) entry.dynamic = true;
    else entry.blocks.push(child);
    const attribute = own(schema.attributes, name);
    if (attribute && isReadOnly(attribute)) {
      report(state, nameRange, 'tf/read-only-attribute', `"${name}" in ${where} is set by the provider and cannot be configured.`);
      continue;
    }
    if (nested.block.deprecated || attribute?.deprecated) report(state, nameRange, 'tf/deprecated-attribute', `The "${name}" block in ${where} is deprecated.${describe(nested.block.description ?? attribute?.description)}`);
    const body = dynamic ? child.blocks.find((inner) => inner.type === 'content') : child;
    if (body) checkBody(state, body, nested.block, undefined, `the "${name}" block of ${where}`);
  }
  for (const [name, nested] of Object.entries(schema.blocks)) {
    const entry = seen.get(name);
    if (entry?.dynamic) continue;
    const count = entry?.blocks.length ?? 0;
    if (nested.minItems && count < nested.minItems && !block.incomplete && !state.override) {
      const needs = nested.minItems === 1 ? `a "${name}" block` : `at least ${nested.minItems} "${name}" blocks`;
      report(state, headerRange(block), 'tf/missing-required-attribute', `Missing ${needs} in ${where}.`);
    }
    const max = nested.nesting === 'single' || nested.nesting === 'group' ? 1 : nested.maxItems;
    if (max !== undefined && count > max) {
      const allowed = max === 1 ? `only one "${name}" block` : `at most ${max} "${name}" blocks`;
      report(state, entry!.blocks[max].typeRange, 'tf/too-many-blocks', `Too many "${name}" blocks: ${where} takes ${allowed}.`);
    }
  }
}

function checkAttributeValue(state: CheckState, name: string, nameRange: Range, expression: Expression, spec: SchemaAttribute, where: string): void {
  if (isReadOnly(spec)) {
    report(state, nameRange, 'tf/read-only-attribute', `"${name}" in ${where} is set by the provider and cannot be configured: remove it.`);
    return;
  }
  const value = unwrap(expression);
  // Null is the same as leaving the argument out.
  if (value.isStatic && value.value === null) {
    if (spec.required) report(state, value.range, 'tf/missing-required-attribute', `"${name}" is required in ${where} and cannot be null.`);
    return;
  }
  if (spec.deprecated) report(state, nameRange, 'tf/deprecated-attribute', `The argument "${name}" in ${where} is deprecated.${describe(spec.description)}`);
  const problem = typeProblem(expression, spec.type);
  if (problem) report(state, problem.range, 'tf/attribute-type', `Wrong type for "${name}"${problem.path.length ? ` (${problem.path.join(', ')})` : ''}: ${problem.detail}.`);
}

function describe(description: string | undefined): string {
  if (!description) return '';
  const text = description.trim().replace(/\s+/g, ' ');
  return ` ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`;
}

// ---------------------------------------------------------------------------------------------
// Types of literal values, with HCL's conversions (cty's `convert` package).

/** What Go's big.Float parses in base 10, which is how cty turns a string into a number. */
const NUMBER_STRING = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)$/i;
const BOOL_STRINGS = new Set(['true', 'false', '1', '0']);

interface TypeProblem {
  range: Range;
  /** Where inside the value: `element 1`, `element "a"`, `attribute "from_port"`. */
  path: string[];
  detail: string;
}

function unwrap(expression: Expression): Expression {
  let current = expression;
  while (current.kind === 'parenthesized' && current.inner) current = current.inner;
  return current;
}

function withArticle(type: CtyType): string {
  const name = friendlyTypeName(type);
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** The shape of a literal: a primitive value, `tuple` or `object`; undefined when only evaluation can tell. */
function shapeOf(expression: Expression): 'primitive' | 'tuple' | 'object' | undefined {
  if ((expression.kind === 'literal' || expression.kind === 'template') && expression.isStatic) return 'primitive';
  if (expression.kind === 'tuple' && expression.elements) return 'tuple';
  // An object with a computed key has an unknown type until it is evaluated.
  if (expression.kind === 'object' && expression.entries?.every((entry) => entry.name !== undefined)) return 'object';
  return undefined;
}

/**
 * Why a literal cannot be converted to `type`, or undefined when it can (or when it is not a
 * literal). Collections are judged by their shape, and their elements one by one.
 */
function typeProblem(original: Expression, type: CtyType, path: string[] = []): TypeProblem | undefined {
  const expression = unwrap(original);
  const shape = shapeOf(expression);
  if (shape === undefined || type === 'dynamic') return undefined;
  const problem = (detail: string): TypeProblem => ({ range: expression.range, path, detail });
  if (shape === 'primitive') {
    const value = expression.value;
    if (value === null || value === undefined) return undefined;
    if (type === 'string') return typeof value === 'object' ? problem('a string is required') : undefined;
    if (type === 'number') {
      if (typeof value === 'number') return undefined;
      if (typeof value === 'string') return NUMBER_STRING.test(value) ? undefined : problem(`a number is required, and ${JSON.stringify(abbreviate(value))} is not one`);
      return problem(`a number is required, not ${String(value)}`);
    }
    if (type === 'bool') {
      if (typeof value === 'boolean') return undefined;
      if (typeof value === 'string') {
        if (BOOL_STRINGS.has(value)) return undefined;
        const hint = BOOL_STRINGS.has(value.toLowerCase()) ? `: write "${value.toLowerCase()}" in lower case` : `, and ${JSON.stringify(abbreviate(value))} is not one`;
        return problem(`a bool is required${hint}`);
      }
      return problem(`a bool is required, not the number ${String(value)}`);
    }
    return problem(`${withArticle(type)} is required, not ${typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'a bool'}`);
  }
  const found = shape === 'tuple' ? 'a list' : 'an object';
  if (typeof type === 'string') return problem(`${withArticle(type)} is required, not ${found}`);
  switch (type[0]) {
    case 'list':
    case 'set': {
      if (shape !== 'tuple') return problem(`${withArticle(type)} is required, not ${found}`);
      const elements = expression.elements ?? [];
      for (let i = 0; i < elements.length; i++) {
        const inner = typeProblem(elements[i], type[1], [...path, `element ${i}`]);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'map': {
      if (shape !== 'object') return problem(`${withArticle(type)} is required, not ${found}`);
      for (const entry of expression.entries ?? []) {
        const inner = typeProblem(entry.value, type[1], [...path, `element ${JSON.stringify(entry.name)}`]);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'object': {
      if (shape !== 'object') return problem(`an object is required, not ${found}`);
      for (const entry of expression.entries ?? []) {
        const attributeType = own(type[1], entry.name!);
        const inner = attributeType && typeProblem(entry.value, attributeType, [...path, `attribute ${JSON.stringify(entry.name)}`]);
        if (inner) return inner;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
