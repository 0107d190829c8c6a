/**
 * Provider schemas, indexed: what `terraform providers schema -json` says each provider's
 * resource types, data sources and configuration accept, and the lookups the checks,
 * completion and hover make in it (which provider a block belongs to, a type's schema, a
 * nested block's schema). The checks themselves are in `providerSchemaChecks.ts`.
 *
 * Pure: the output comes in as bytes or text (see `server/src/node/terraformSchemas.ts` for how
 * it is loaded). The AWS provider's output is 13 MB, and parsing it whole takes about 0.8 s,
 * which would freeze the editor; and a workspace uses a few dozen of its 2,100 types. So the
 * bytes are only split, in slices that yield the event loop, into one JSON text per type, and a
 * type's text is parsed the first time it is looked up.
 */
import { JsonShapeError, JsonSplitter } from './jsonSplitter';
import type { Block, TerraformFile } from './model';

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

// ---------------------------------------------------------------------------------------------
// The index, and the schemas in the form the checks, completion and hover read.

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

/** Type name → the JSON text of its schema as Terraform wrote it (read it with `schemaOf`). */
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

export interface ProviderSchemaIndex {
  providers: Record<string, ProviderSchemaEntry>;
}

/** A name's entry in one of the index's records (never something inherited, such as `constructor`). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record && Object.hasOwn(record, name) ? record[name] : undefined;
}

/** `string`, `list of string`, `object`: a type as messages and hovers name it. */
export function friendlyTypeName(type: CtyType): string {
  if (typeof type === 'string') return type;
  if (type[0] === 'object' || type[0] === 'tuple') return type[0];
  return `${type[0]} of ${friendlyTypeName(type[1])}`;
}

// ---------------------------------------------------------------------------------------------
// Indexing: the output split without parsing it.

const TABLES: Readonly<Record<string, 'resources' | 'dataSources' | 'ephemeralResources'>> = {
  resource_schemas: 'resources',
  data_source_schemas: 'dataSources',
  ephemeral_resource_schemas: 'ephemeralResources',
};

/**
 * Indexes the output of `terraform providers schema -json` (text, or its UTF-8 bytes as
 * Terraform printed them) step by step, a step per type, so that a caller can yield between
 * steps; the result is the index, or why the output cannot be used.
 */
export function* providerSchemaIndexSteps(output: string | Uint8Array): Generator<void, ProviderSchemaIndex | string, void> {
  const providers: Record<string, ProviderSchemaEntry> = {};
  let format: unknown;
  try {
    const json = new JsonSplitter(typeof output === 'string' ? new TextEncoder().encode(output) : output);
    for (const key of json.members()) {
      if (key === 'format_version') format = JSON.parse(json.valueText());
      if (key !== 'provider_schemas') continue;
      for (const address of json.members()) {
        if (!json.atObject()) return `the schema of ${address} is not an object`;
        const entry: ProviderSchemaEntry = { address: address.toLowerCase(), resources: {}, dataSources: {} };
        for (const section of json.members()) {
          if (section === 'provider') entry.provider = json.valueText();
          const table = own(TABLES, section);
          if (!table || !json.atObject()) continue;
          const schemas: SchemaTable = (entry[table] = {});
          for (const type of json.members()) {
            schemas[type] = json.valueText();
            yield;
          }
        }
        providers[entry.address] = entry;
      }
    }
    json.end();
  } catch (error) {
    if (error instanceof JsonShapeError || error instanceof SyntaxError) return `the output is not the JSON expected (${error.message})`;
    throw error;
  }
  if (typeof format !== 'string' || !format.startsWith('1.')) return `unsupported format_version ${JSON.stringify(format)} (expected 1.x)`;
  return { providers };
}

/** Indexes the output at once (for small outputs and tests; see providerSchemaIndexSteps). */
export function indexProviderSchemas(output: string | Uint8Array): ProviderSchemaIndex | string {
  const steps = providerSchemaIndexSteps(output);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How long indexing may hold the event loop before it yields. */
const SLICE_MS = 10;

/** Indexes the output in slices of about 10 ms, yielding the event loop between them. */
export async function indexProviderSchemasInSlices(output: string | Uint8Array): Promise<ProviderSchemaIndex | string> {
  const steps = providerSchemaIndexSteps(output);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a type's schema, on first use.

/** The schemas read so far, per table (or per provider entry, for its configuration). */
const parsedSchemas = new WeakMap<object, Map<string, SchemaBlock | undefined>>();

/** The schema of a type in a table, parsed on first use and then shared. */
export function schemaOf(table: SchemaTable | undefined, type: string): SchemaBlock | undefined {
  const text = own(table, type);
  return text === undefined || !table ? undefined : parseOnce(table, type, text);
}

/** The schema of a provider's own configuration block. */
export function providerConfigSchema(entry: ProviderSchemaEntry): SchemaBlock | undefined {
  return entry.provider === undefined ? undefined : parseOnce(entry, 'provider', entry.provider);
}

function parseOnce(owner: object, key: string, text: string): SchemaBlock | undefined {
  let parsed = parsedSchemas.get(owner);
  if (!parsed) parsedSchemas.set(owner, (parsed = new Map()));
  if (parsed.has(key)) return parsed.get(key);
  let schema: SchemaBlock | undefined;
  try {
    const json = JSON.parse(text) as SchemaJson;
    // A type whose schema is not an object is treated as unknown to the index: nothing is checked.
    schema = typeof json === 'object' && json !== null ? indexBlock(json.block) : undefined;
  } catch {
    schema = undefined;
  }
  parsed.set(key, schema);
  return schema;
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

export function tableOf(entry: ProviderSchemaEntry, kind: SchemaKind): SchemaTable | undefined {
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
export function attributeAsBlock(attribute: SchemaAttribute | undefined): SchemaNestedBlock | undefined {
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

