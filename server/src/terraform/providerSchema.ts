/**
 * Provider schemas: what `terraform providers schema -json` says each provider's resource
 * types, data sources and configuration accept, indexed compactly, and the checks of a file's
 * resource bodies against it (unknown types, arguments and blocks, missing required ones,
 * literals of the wrong type, deprecations).
 *
 * Pure: the schemas come in as parsed JSON (see `server/src/node/terraformSchemas.ts` for how
 * they are loaded). Without schemas nothing here runs, so the language checks never guess at a
 * provider's content. Every check reports only what Terraform itself rejects: a value is
 * judged only when it is a literal, after HCL's own conversions ("22" is a number, "true" a bool).
 */
import { closestMatch } from '../core/spelling';
import type { Finding, Range, Severity } from '../core/types';
import type { Block, Expression, TerraformFile } from './model';

// ---------------------------------------------------------------------------------------------
// The JSON format of `terraform providers schema -json` (format_version 1.x).

/** A cty type as the JSON writes it: `"string"`, `["list","string"]`, `["object",{…}]`, … */
export type CtyType =
  | 'string' | 'number' | 'bool' | 'dynamic'
  | ['list' | 'set' | 'map', CtyType]
  | ['object', Record<string, CtyType>, string[]?]
  | ['tuple', CtyType[]];

export type NestingMode = 'single' | 'list' | 'set' | 'map' | 'group';

export interface AttributeJson {
  type?: CtyType;
  /** Protocol 6 providers: an attribute whose value is made of nested attributes. */
  nested_type?: { attributes: Record<string, AttributeJson>; nesting_mode: Exclude<NestingMode, 'group'> };
  description?: string;
  description_kind?: 'plain' | 'markdown';
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  write_only?: boolean;
}

export interface BlockTypeJson {
  nesting_mode: NestingMode;
  block: BlockJson;
  min_items?: number;
  max_items?: number;
}

export interface BlockJson {
  attributes?: Record<string, AttributeJson>;
  block_types?: Record<string, BlockTypeJson>;
  description?: string;
  description_kind?: 'plain' | 'markdown';
  deprecated?: boolean;
}

export interface SchemaJson {
  version?: number;
  block: BlockJson;
}

export interface ProviderSchemaJson {
  provider?: SchemaJson;
  resource_schemas?: Record<string, SchemaJson>;
  data_source_schemas?: Record<string, SchemaJson>;
  ephemeral_resource_schemas?: Record<string, SchemaJson>;
}

export interface ProviderSchemasJson {
  format_version: string;
  /** Keyed by provider source address, e.g. `registry.terraform.io/hashicorp/aws`. */
  provider_schemas?: Record<string, ProviderSchemaJson>;
}

// ---------------------------------------------------------------------------------------------
// The index: only what the checks, completion and hover need (no functions, no versions).
//
// Parsed, the AWS provider's schemas take about 45 MB of heap, and a workspace uses a few
// dozen of its 2,100 types. So each type's schema is kept as the JSON text of a SchemaBlock
// (about 10 MB for AWS) and parsed the first time it is looked up. The index is plain JSON,
// which the loader caches on disk as is.

export interface SchemaAttribute {
  type: CtyType;
  required?: true;
  optional?: true;
  computed?: true;
  sensitive?: true;
  deprecated?: true;
  writeOnly?: true;
  description?: string;
  markdown?: true;
}

export interface SchemaNestedBlock {
  nesting: NestingMode;
  minItems?: number;
  maxItems?: number;
  block: SchemaBlock;
}

export interface SchemaBlock {
  attributes: Record<string, SchemaAttribute>;
  blocks: Record<string, SchemaNestedBlock>;
  description?: string;
  markdown?: true;
  deprecated?: true;
}

/** Type name → the JSON text of its SchemaBlock (read it with `schemaOf`). */
export type SchemaTable = Record<string, string>;

export interface ProviderSchemaEntry {
  /** Normalized (lower case) source address: `registry.terraform.io/hashicorp/aws`. */
  address: string;
  /** The provider block's schema, as JSON text. */
  provider?: string;
  resources: SchemaTable;
  dataSources: SchemaTable;
  /** Absent when the Terraform that wrote the JSON predates ephemeral resources (1.10). */
  ephemeralResources?: SchemaTable;
}

export const PROVIDER_SCHEMA_INDEX_VERSION = 1;

export interface ProviderSchemaIndex {
  version: typeof PROVIDER_SCHEMA_INDEX_VERSION;
  providers: Record<string, ProviderSchemaEntry>;
}

/** A name's entry in one of the index's records (never something inherited, such as `constructor`). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record && Object.hasOwn(record, name) ? record[name] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schemas parsed so far, per table (or per provider entry, for its configuration). */
const parsedSchemas = new WeakMap<object, Map<string, SchemaBlock>>();

/** The schema of a type in a table, parsed on first use and then shared. */
export function schemaOf(table: SchemaTable | undefined, type: string): SchemaBlock | undefined {
  const text = own(table, type);
  return text === undefined || !table ? undefined : parseOnce(table, type, text);
}

/** The schema of a provider's own configuration block. */
export function providerConfigSchema(entry: ProviderSchemaEntry): SchemaBlock | undefined {
  return entry.provider === undefined ? undefined : parseOnce(entry, 'provider', entry.provider);
}

function parseOnce(owner: object, key: string, text: string): SchemaBlock {
  let parsed = parsedSchemas.get(owner);
  if (!parsed) parsedSchemas.set(owner, (parsed = new Map()));
  let schema = parsed.get(key);
  if (!schema) parsed.set(key, (schema = JSON.parse(text) as SchemaBlock));
  return schema;
}

/** Builds the index from the parsed output, or says why the output cannot be used. */
export function indexProviderSchemas(json: unknown): ProviderSchemaIndex | string {
  if (!isRecord(json)) return 'the output is not a JSON object';
  const format = json.format_version;
  if (typeof format !== 'string' || !format.startsWith('1.')) return `unsupported format_version ${JSON.stringify(format)} (expected 1.x)`;
  const raw = json.provider_schemas ?? {};
  if (!isRecord(raw)) return 'provider_schemas is not an object';
  const table = (schemas: Record<string, SchemaJson> | undefined): SchemaTable => {
    const indexed: SchemaTable = {};
    for (const [name, schema] of Object.entries(schemas ?? {})) indexed[name] = JSON.stringify(indexBlock(schema?.block));
    return indexed;
  };
  const providers: Record<string, ProviderSchemaEntry> = {};
  for (const [address, value] of Object.entries(raw)) {
    if (!isRecord(value)) return `the schema of ${address} is not an object`;
    const provider = value as ProviderSchemaJson;
    const entry: ProviderSchemaEntry = {
      address: address.toLowerCase(),
      resources: table(provider.resource_schemas),
      dataSources: table(provider.data_source_schemas),
    };
    if (provider.provider) entry.provider = JSON.stringify(indexBlock(provider.provider.block));
    if (provider.ephemeral_resource_schemas) entry.ephemeralResources = table(provider.ephemeral_resource_schemas);
    providers[entry.address] = entry;
  }
  return { version: PROVIDER_SCHEMA_INDEX_VERSION, providers };
}

function indexAttribute(attribute: AttributeJson): SchemaAttribute {
  const indexed: SchemaAttribute = { type: attribute.nested_type ? nestedTypeToCty(attribute.nested_type) : attribute.type ?? 'dynamic' };
  if (attribute.required) indexed.required = true;
  if (attribute.optional) indexed.optional = true;
  if (attribute.computed) indexed.computed = true;
  if (attribute.sensitive) indexed.sensitive = true;
  if (attribute.deprecated) indexed.deprecated = true;
  if (attribute.write_only) indexed.writeOnly = true;
  if (attribute.description) indexed.description = attribute.description;
  if (attribute.description && attribute.description_kind === 'markdown') indexed.markdown = true;
  return indexed;
}

function indexBlock(block: BlockJson | undefined): SchemaBlock {
  const indexed: SchemaBlock = { attributes: {}, blocks: {} };
  for (const [name, attribute] of Object.entries(block?.attributes ?? {})) indexed.attributes[name] = indexAttribute(attribute);
  for (const [name, nested] of Object.entries(block?.block_types ?? {})) {
    const entry: SchemaNestedBlock = { nesting: nested.nesting_mode, block: indexBlock(nested.block) };
    if (nested.min_items) entry.minItems = nested.min_items;
    if (nested.max_items) entry.maxItems = nested.max_items;
    indexed.blocks[name] = entry;
  }
  if (block?.description) indexed.description = block.description;
  if (block?.description && block.description_kind === 'markdown') indexed.markdown = true;
  if (block?.deprecated) indexed.deprecated = true;
  return indexed;
}

/** The cty type a protocol 6 nested attribute's value has. */
function nestedTypeToCty(nested: NonNullable<AttributeJson['nested_type']>): CtyType {
  const attributes: Record<string, CtyType> = {};
  for (const [name, attribute] of Object.entries(nested.attributes ?? {})) {
    attributes[name] = attribute.nested_type ? nestedTypeToCty(attribute.nested_type) : attribute.type ?? 'dynamic';
  }
  const object: CtyType = ['object', attributes];
  return nested.nesting_mode === 'single' ? object : [nested.nesting_mode, object];
}

/**
 * The index read back from the loader's disk cache, or undefined when it is not one this
 * version of the code wrote.
 */
export function reviveProviderSchemaIndex(value: unknown): ProviderSchemaIndex | undefined {
  if (!isRecord(value) || value.version !== PROVIDER_SCHEMA_INDEX_VERSION || !isRecord(value.providers)) return undefined;
  const valid = Object.values(value.providers).every((entry) => isRecord(entry) && typeof entry.address === 'string' && isRecord(entry.resources) && isRecord(entry.dataSources));
  return valid ? (value as unknown as ProviderSchemaIndex) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Which provider a block belongs to.

/** `hashicorp/aws`, `aws` or `registry.terraform.io/hashicorp/aws` → the full address, lower case. */
export function normalizeSourceAddress(source: string): string {
  const parts = source.trim().toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
  return parts.join('/');
}

/**
 * Local provider names → source addresses from the `required_providers` blocks of a module's
 * files (pass every file of the module: they are often declared in a separate versions.tf).
 */
export function requiredProviders(files: readonly TerraformFile[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of files) {
    for (const terraform of file.blocks) {
      if (terraform.type !== 'terraform') continue;
      for (const required of terraform.blocks) {
        if (required.type !== 'required_providers') continue;
        for (const attribute of required.attributes.values()) {
          const source = attribute.expression.entries?.find((entry) => entry.name === 'source')?.value;
          if (source?.isStatic && typeof source.value === 'string') names.set(attribute.name, normalizeSourceAddress(source.value));
          else if (attribute.expression.isStatic && typeof attribute.expression.value === 'string') names.set(attribute.name, normalizeSourceAddress(attribute.name));
        }
      }
    }
  }
  return names;
}

/**
 * The provider a local name stands for: the declared source address, else the implied
 * `hashicorp/<name>` (the built-in provider for `terraform`), else the one provider of that
 * type name whatever its namespace. Undefined when the schemas do not have it: nothing is
 * then checked, since Terraform would ask for `terraform init` rather than judge the content.
 */
export function findProvider(index: ProviderSchemaIndex, localName: string, required?: ReadonlyMap<string, string>): ProviderSchemaEntry | undefined {
  const declared = required?.get(localName);
  if (declared !== undefined) return own(index.providers, declared.toLowerCase());
  const implied = localName === 'terraform' ? 'terraform.io/builtin/terraform' : `registry.terraform.io/hashicorp/${localName.toLowerCase()}`;
  const found = own(index.providers, implied);
  if (found) return found;
  const sameType = Object.values(index.providers).filter((entry) => entry.address.slice(entry.address.lastIndexOf('/') + 1) === localName.toLowerCase());
  return sameType.length === 1 ? sameType[0] : undefined;
}

export type SchemaKind = 'resource' | 'data' | 'ephemeral';

function tableOf(entry: ProviderSchemaEntry, kind: SchemaKind): SchemaTable | undefined {
  return kind === 'resource' ? entry.resources : kind === 'data' ? entry.dataSources : entry.ephemeralResources;
}

/** The local name of the provider a resource block uses: its `provider` argument, else its type's prefix. */
export function providerLocalName(block: Block): string | undefined {
  const expression = block.attributes.get('provider')?.expression;
  if (expression?.traversal) return expression.traversal.root;
  if (expression?.isStatic && typeof expression.value === 'string') return expression.value.split('.')[0];
  const type = block.labels[0]?.value;
  return type ? type.split('_')[0] : undefined;
}

/**
 * The schema of a resource type, data source or ephemeral resource, for completion and hover:
 * its arguments and nested blocks with their descriptions. `provider` is the local provider
 * name when the block sets `provider =`; otherwise the type's prefix decides.
 */
export function lookupTypeSchema(
  index: ProviderSchemaIndex,
  kind: SchemaKind,
  type: string,
  options: { provider?: string; requiredProviders?: ReadonlyMap<string, string> } = {},
): SchemaBlock | undefined {
  const entry = findProvider(index, options.provider ?? type.split('_')[0], options.requiredProviders);
  return entry ? schemaOf(tableOf(entry, kind), type) : undefined;
}

/** The type names of one kind that a provider offers (e.g. to complete `resource "aws_|"`). */
export function typeNames(index: ProviderSchemaIndex, kind: SchemaKind, localName: string, required?: ReadonlyMap<string, string>): string[] {
  const entry = findProvider(index, localName, required);
  const table = entry && tableOf(entry, kind);
  return table ? Object.keys(table) : [];
}

/**
 * The schema of a nested block, following block names from a type's schema; an argument of
 * type list or set of objects counts as a block too, since Terraform accepts block syntax for it.
 */
export function nestedBlockSchema(schema: SchemaBlock, path: readonly string[]): SchemaBlock | undefined {
  let current: SchemaBlock | undefined = schema;
  for (const name of path) current = current && (own(current.blocks, name) ?? attributeAsBlock(own(current.attributes, name)))?.block;
  return current;
}

const attributeBlocks = new WeakMap<SchemaAttribute, SchemaNestedBlock>();

/**
 * An argument whose type is a list or set of objects may also be written as blocks (the
 * `ingress { … }` of aws_security_group): Terraform checks such blocks against the object's
 * attributes, all optional.
 */
function attributeAsBlock(attribute: SchemaAttribute | undefined): SchemaNestedBlock | undefined {
  if (!attribute || !Array.isArray(attribute.type) || (attribute.type[0] !== 'list' && attribute.type[0] !== 'set')) return undefined;
  const element = attribute.type[1] as CtyType;
  if (!Array.isArray(element) || element[0] !== 'object') return undefined;
  let nested = attributeBlocks.get(attribute);
  if (!nested) {
    const attributes: Record<string, SchemaAttribute> = {};
    for (const [name, type] of Object.entries(element[1])) attributes[name] = { type, optional: true };
    nested = { nesting: attribute.type[0], block: { attributes, blocks: {} } };
    attributeBlocks.set(attribute, nested);
  }
  return nested;
}

// ---------------------------------------------------------------------------------------------
// The checks.

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
  const state: CheckState = { findings: [], override: options.override ?? false };
  const required = options.requiredProviders ?? requiredProviders([file]);
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
    const suggestion = closestMatch(typeLabel.value, Object.keys(table));
    const providerName = entry.address.replace(/^registry\.terraform\.io\//, '');
    report(state, typeLabel.range, 'tf/unknown-resource-type',
      `The provider ${providerName} has no ${KIND_WORDS[kind]} "${typeLabel.value}"${suggestion ? `: did you mean "${suggestion}"?` : '.'}`,
      suggestion === undefined ? undefined : { range: typeLabel.range, newText: typeLabel.quoted ? JSON.stringify(suggestion) : suggestion, title: `Change to ${suggestion}` });
  };
  for (const block of file.blocks) {
    // A check block may hold a scoped data source.
    if (block.type === 'check') block.blocks.filter((inner) => inner.type === 'data').forEach(checkTopLevel);
    else checkTopLevel(block);
  }
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

export function friendlyTypeName(type: CtyType): string {
  if (typeof type === 'string') return type;
  if (type[0] === 'object' || type[0] === 'tuple') return type[0];
  return `${type[0]} of ${friendlyTypeName(type[1])}`;
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
