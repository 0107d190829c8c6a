/**
 * Editor features from the provider schemas: completion of resource and data source type
 * names, and of the arguments and blocks a resource, data source or provider block takes;
 * hover on those arguments and blocks. Pure functions of the editor context: nothing is
 * offered when the folder's schemas are not loaded.
 */
import type { Range } from '../core/types';
import type { Block } from './model';
import type { EditorContext, TerraformHover } from './navigation';
import {
  findProvider,
  friendlyTypeName,
  nestedBlockSchema,
  own,
  providerConfigSchema,
  providerLocalName,
  schemaOf,
  tableOf,
  type SchemaAttribute,
  type SchemaBlock,
  type SchemaKind,
} from './providerSchemaIndex';
import type { TerraformCompletionItem } from './completion';

const KINDS: Readonly<Record<string, SchemaKind>> = { resource: 'resource', data: 'data', ephemeral: 'ephemeral' };

/** Read-only attributes are set by the provider: they are never offered. */
const isReadOnly = (attribute: SchemaAttribute): boolean => attribute.computed === true && !attribute.optional && !attribute.required;

/** `resource "aws_|`: the type names of every provider in the schemas. */
export function providerTypeItems(ctx: EditorContext, lineBeforeCursor: string): TerraformCompletionItem[] | undefined {
  const match = /^\s*(resource|data|ephemeral)\s+"[\w-]*$/.exec(lineBeforeCursor);
  const schemas = ctx.providerSchemas;
  if (!match || !schemas) return undefined;
  const kind = KINDS[match[1]];
  const items: TerraformCompletionItem[] = [];
  for (const entry of Object.values(schemas.index.providers)) {
    const provider = entry.address.replace(/^registry\.terraform\.io\//, '');
    for (const type of Object.keys(tableOf(entry, kind) ?? {})) items.push({ label: type, kind: kind === 'data' ? 'data' : 'resource', detail: provider });
  }
  return items;
}

/**
 * The provider schema of the innermost block of a chain that starts with a resource, data,
 * ephemeral or provider block; a `dynamic "x"` block and its `content` stand for the block x.
 */
export function providerSchemaOf(ctx: EditorContext, chain: readonly Block[]): SchemaBlock | undefined {
  const schemas = ctx.providerSchemas;
  const top = chain[0];
  if (!schemas || !top) return undefined;
  let schema: SchemaBlock | undefined;
  if (top.type === 'provider') {
    const name = top.labels[0]?.value;
    const entry = name === undefined ? undefined : findProvider(schemas.index, name, schemas.requiredProviders);
    schema = entry && providerConfigSchema(entry);
  } else {
    const kind = own(KINDS, top.type);
    const type = top.labels[0]?.value;
    const localName = providerLocalName(top);
    const entry = kind && type && localName !== undefined ? findProvider(schemas.index, localName, schemas.requiredProviders) : undefined;
    schema = entry && type ? schemaOf(tableOf(entry, kind!), type) : undefined;
  }
  const path: string[] = [];
  for (let i = 1; i < chain.length; i++) {
    const block = chain[i];
    if (block.type === 'dynamic') {
      const name = block.labels[0]?.value;
      if (name === undefined) return undefined;
      path.push(name);
      // Its `content` block is the generated block itself.
      if (chain[i + 1]?.type === 'content') i++;
      else if (i === chain.length - 1) return undefined;
    } else path.push(block.type);
  }
  return schema && nestedBlockSchema(schema, path);
}

function attributeFacts(attribute: SchemaAttribute): string {
  const facts = [attribute.required ? 'Required' : attribute.optional ? 'Optional' : 'Computed', friendlyTypeName(attribute.type)];
  if (attribute.sensitive) facts.push('sensitive');
  if (attribute.deprecated) facts.push('deprecated');
  if (attribute.writeOnly) facts.push('write-only');
  return facts.join(' · ');
}

/** The arguments and blocks the innermost block takes that it does not set yet, required ones first. */
export function providerBodyItems(ctx: EditorContext, chain: readonly Block[]): TerraformCompletionItem[] {
  const schema = providerSchemaOf(ctx, chain);
  const holder = chain[chain.length - 1];
  if (!schema || !holder) return [];
  const items: TerraformCompletionItem[] = [];
  for (const [name, attribute] of Object.entries(schema.attributes)) {
    if (holder.attributes.has(name) || isReadOnly(attribute)) continue;
    items.push({
      label: name,
      kind: 'property',
      detail: attributeFacts(attribute),
      documentation: attribute.description,
      insertText: `${name} = `,
      sortText: `${attribute.required ? '0' : '1'}${attribute.deprecated ? '1' : '0'}${name}`,
    });
  }
  const present = new Set(holder.blocks.map((block) => block.type));
  for (const [name, nested] of Object.entries(schema.blocks)) {
    const single = nested.nesting === 'single' || nested.nesting === 'group' || nested.maxItems === 1;
    if (single && present.has(name)) continue;
    const required = (nested.minItems ?? 0) > 0 && !present.has(name);
    items.push({
      label: name,
      kind: 'block',
      detail: `${required ? 'Required' : 'Optional'} block${single ? '' : ` (${nested.nesting})`}`,
      documentation: nested.block.description,
      insertText: `${name} {`,
      sortText: `${required ? '0' : '1'}${nested.block.deprecated ? '1' : '0'}${name}`,
    });
  }
  return items;
}

function hoverText(name: string, facts: string, description: string | undefined): string {
  return [`\`\`\`hcl\n${name}\n\`\`\``, facts, description?.trim()].filter(Boolean).join('\n\n');
}

/** Hover on an argument name inside a resource, data source or provider block. */
export function providerArgumentHover(ctx: EditorContext, chain: readonly Block[], name: string, range: Range): TerraformHover | undefined {
  const attribute = own(providerSchemaOf(ctx, chain)?.attributes, name);
  return attribute ? { contents: hoverText(name, attributeFacts(attribute), attribute.description), range } : undefined;
}

/** Hover on a nested block's type (`versioning {`) inside a resource, data source or provider block. */
export function providerBlockHover(ctx: EditorContext, chain: readonly Block[], range: Range): TerraformHover | undefined {
  const block = chain[chain.length - 1];
  if (!block || chain.length < 2) return undefined;
  const parent = providerSchemaOf(ctx, chain.slice(0, -1));
  const nested = own(parent?.blocks, block.type);
  if (!nested) return undefined;
  const bounds = nested.minItems ? `at least ${nested.minItems}` : 'optional';
  return { contents: hoverText(`${block.type} { … }`, `Block (${nested.nesting}, ${bounds}${nested.maxItems ? `, at most ${nested.maxItems}` : ''})`, nested.block.description), range };
}
