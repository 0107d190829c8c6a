/**
 * Hover and go to definition, as pure functions of a file's model and its module. What is
 * under the cursor is found in the model (references, function calls, block types, argument
 * names), never in the syntax tree, so both work on a file that does not parse completely.
 */
import type { Position, Range } from '../core/types';
import type { CalledModule, TerraformVersion } from './checks/context';
import { builtinFunction } from './checks/functions';
import { declarationOf, resolveTarget } from './checks/references';
import { DYNAMIC_BLOCK, MODULE_META_ARGUMENTS, TOP_LEVEL_BLOCKS, type BlockSchema } from './checks/schema';
import { parseTypeConstraint, typeText } from './checks/typeConstraints';
import { allBlocks, rangeContains, type Attribute, type Block, type FunctionCall, type Reference, type TerraformFile } from './model';
import { baseName, type ModuleIndex } from './module';
import { providerArgumentHover, providerBlockHover } from './providerSchemaEditor';
import type { ProviderSchemaIndex } from './providerSchemaIndex';

export interface EditorContext {
  uri: string;
  text: string;
  file: TerraformFile;
  module: ModuleIndex;
  version: TerraformVersion;
  calledModule(call: Block): CalledModule | undefined;
  /** The text of another file of the workspace or of a called module. */
  textOf(uri: string): string | undefined;
  /** The folder's provider schemas, when the shell could load them. */
  providerSchemas?: { index: ProviderSchemaIndex; requiredProviders: ReadonlyMap<string, string> };
}

export interface TerraformHover {
  /** Markdown. */
  contents: string;
  range: Range;
}

export interface TerraformLocation {
  uri: string;
  range: Range;
}

/** What is under the cursor. */
export type Hit =
  | { kind: 'reference'; reference: Reference; blocks: Block[] }
  | { kind: 'call'; call: FunctionCall; blocks: Block[] }
  | { kind: 'block-type'; block: Block; blocks: Block[] }
  | { kind: 'argument-name'; attribute: Attribute; blocks: Block[] }
  | { kind: 'argument-value'; attribute: Attribute; blocks: Block[] };

function smallest<T extends { range: Range }>(items: readonly T[], position: Position): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (!rangeContains(item.range, position)) continue;
    if (!best || rangeSize(item.range) <= rangeSize(best.range)) best = item;
  }
  return best;
}

function rangeSize(range: Range): number {
  return (range.end.line - range.start.line) * 10000 + range.end.character - range.start.character;
}

/** The innermost thing of interest at a position. */
export function hitAt(file: TerraformFile, position: Position): Hit | undefined {
  const chain: Block[] = [];
  let blocks = file.blocks;
  let attributes = [...file.attributes.values()];
  for (;;) {
    const block = blocks.find((b) => rangeContains(b.range, position));
    if (!block) break;
    chain.push(block);
    if (rangeContains(block.typeRange, position)) return { kind: 'block-type', block, blocks: chain };
    blocks = block.blocks;
    attributes = [...block.attributes.values()];
  }
  const attribute = attributes.find((a) => rangeContains(a.range, position));
  if (!attribute) return undefined;
  if (rangeContains(attribute.nameRange, position)) return { kind: 'argument-name', attribute, blocks: chain };
  const reference = smallest(attribute.expression.references, position);
  const call = attribute.expression.calls.find((c) => rangeContains(c.nameRange, position));
  if (call) return { kind: 'call', call, blocks: chain };
  if (reference) return { kind: 'reference', reference, blocks: chain };
  return { kind: 'argument-value', attribute, blocks: chain };
}

function code(text: string, language = 'hcl'): string {
  return `\`\`\`${language}\n${text}\n\`\`\``;
}

function sourceText(ctx: EditorContext, uri: string, range: Range): string | undefined {
  const text = ctx.textOf(uri);
  if (text === undefined) return undefined;
  const lines = text.split('\n').slice(range.start.line, range.end.line + 1);
  if (lines.length === 0) return undefined;
  lines[lines.length - 1] = lines[lines.length - 1].slice(0, range.end.line === range.start.line ? range.end.character : range.end.character);
  lines[0] = lines[0].slice(range.start.character);
  const joined = lines.join('\n');
  return joined.length > 600 ? `${joined.slice(0, 600)}…` : joined;
}

function where(ctx: EditorContext, uri: string, range: Range): string {
  return `${uri === ctx.uri ? 'this file' : baseName(uri)}, line ${range.start.line + 1}`;
}

function header(block: Block): string {
  return [block.type, ...block.labels.map((l) => `"${l.value}"`)].join(' ');
}

/** A variable as its callers see it: description, type, default, required. */
export function describeVariable(ctx: EditorContext, uri: string, block: Block): string {
  const parts = [code(`variable "${block.labels[0]?.value ?? ''}"`)];
  const description = block.attributes.get('description')?.expression;
  if (description?.isStatic && typeof description.value === 'string') parts.push(description.value);
  const facts: string[] = [];
  const type = block.attributes.get('type');
  if (type) {
    const parsed = parseTypeConstraint(type.expression);
    facts.push(`Type: \`${'type' in parsed ? typeText(parsed.type) : sourceText(ctx, uri, type.expression.range) ?? '?'}\``);
  }
  const defaultValue = block.attributes.get('default');
  if (defaultValue) facts.push(`Default: \`${sourceText(ctx, uri, defaultValue.expression.range) ?? '…'}\``);
  else facts.push('Required');
  if (block.attributes.get('sensitive')?.expression.value === true) facts.push('Sensitive');
  parts.push(facts.join(' · '));
  parts.push(`Declared in ${where(ctx, uri, block.range)}`);
  return parts.join('\n\n');
}

function describeOutput(ctx: EditorContext, uri: string, block: Block, prefix: string): string {
  const parts = [code(`${prefix}output "${block.labels[0]?.value ?? ''}"`)];
  const description = block.attributes.get('description')?.expression;
  if (description?.isStatic && typeof description.value === 'string') parts.push(description.value);
  const value = block.attributes.get('value');
  if (value) parts.push(`Value: \`${sourceText(ctx, uri, value.expression.range) ?? '…'}\``);
  if (block.attributes.get('sensitive')?.expression.value === true) parts.push('Sensitive');
  parts.push(`Declared in ${baseName(uri)}, line ${block.range.start.line + 1}`);
  return parts.join('\n\n');
}

function describeTarget(ctx: EditorContext, reference: Reference): string | undefined {
  const target = resolveTarget(reference, ctx.module);
  if (!target) return describeBuiltinReference(reference);
  if (target.kind === 'module-output') {
    const call = ctx.module.moduleCalls.get(target.module);
    const called = call && ctx.calledModule(call.block);
    const output = called?.index?.outputs.get(target.output);
    return output ? describeOutput(ctx, output.uri, output.block, `module "${target.module}" (${called!.source})\n`) : undefined;
  }
  const declaration = declarationOf(target, ctx.module);
  if (!declaration) return undefined;
  if (target.kind === 'variable') return describeVariable(ctx, declaration.uri, declaration.block);
  if (target.kind === 'local') {
    const local = ctx.module.locals.get(target.name)!;
    return [code(`local.${target.name} = ${sourceText(ctx, local.uri, local.attribute.expression.range) ?? '…'}`), `Declared in ${where(ctx, local.uri, local.attribute.range)}`].join('\n\n');
  }
  const block = declaration.block;
  const facts: string[] = [];
  if (target.kind === 'module') {
    const source = block.attributes.get('source')?.expression;
    if (source?.isStatic) facts.push(`Source: \`${String(source.value)}\``);
    const called = ctx.calledModule(block);
    if (called?.index) facts.push(`Outputs: ${[...called.index.outputs.keys()].map((o) => `\`${o}\``).join(', ') || 'none'}`);
  }
  if (block.attributes.has('count')) facts.push('One instance per `count.index`');
  if (block.attributes.has('for_each')) facts.push('One instance per `for_each` element');
  facts.push(`Declared in ${where(ctx, declaration.uri, block.range)}`);
  return [code(header(block)), ...facts].join('\n\n');
}

const BUILTIN_WORDS: Record<string, string> = {
  'count.index': 'The number of this instance (0, 1, …) of a resource, data source or module with `count`.',
  'each.key': 'The key (or set element) of this instance of a resource, data source or module with `for_each`.',
  'each.value': 'The value of this instance of a resource, data source or module with `for_each`.',
  'path.module': 'The folder of the module this expression is in.',
  'path.root': 'The folder of the root module.',
  'path.cwd': 'The folder Terraform runs in.',
  'terraform.workspace': 'The name of the selected workspace.',
  'terraform.applying': 'True while Terraform applies (Terraform 1.10 and later).',
};

function describeBuiltinReference(reference: Reference): string | undefined {
  const first = reference.steps[0];
  if (first?.kind !== 'attribute') return reference.root === 'self' ? 'The object being created: its attributes, in provisioners, connections and postconditions.' : undefined;
  const key = `${reference.root}.${first.name}`;
  return BUILTIN_WORDS[key] ? `${code(key)}\n\n${BUILTIN_WORDS[key]}` : undefined;
}

/** The schema of the Terraform-defined block at the end of a chain, when there is one. */
export function schemaOf(blocks: readonly Block[]): BlockSchema | undefined {
  let schema: BlockSchema | undefined;
  for (const block of blocks) {
    if (!schema) schema = TOP_LEVEL_BLOCKS[block.type];
    else schema = schema.blocks[block.type] ?? (block.type === 'dynamic' && schema.open === 'all' ? DYNAMIC_BLOCK : undefined);
    if (!schema) return undefined;
  }
  return schema;
}

export function hoverAt(ctx: EditorContext, position: Position): TerraformHover | undefined {
  const hit = hitAt(ctx.file, position);
  if (!hit) return undefined;
  switch (hit.kind) {
    case 'reference': {
      const contents = describeTarget(ctx, hit.reference);
      const target = resolveTarget(hit.reference, ctx.module);
      return contents ? { contents, range: target?.range ?? hit.reference.range } : undefined;
    }
    case 'call': {
      const name = hit.call.name;
      const signature = builtinFunction(name);
      if (!signature) return undefined;
      const params = signature.parameters === 1 ? '1 argument' : `${signature.parameters} arguments`;
      return { contents: `${code(`${name}(…)`)}\n\nBuilt-in function: ${signature.variadic ? `at least ${params}` : params}.`, range: hit.call.nameRange };
    }
    case 'block-type': {
      const schema = schemaOf(hit.blocks);
      if (!schema) return providerBlockHover(ctx, hit.blocks, hit.block.typeRange);
      return { contents: `${code(header(hit.block))}\n\n${schema.description}`, range: hit.block.typeRange };
    }
    case 'argument-name': {
      const { attribute, blocks } = hit;
      if (ctx.file.kind === 'tfvars') {
        const variable = ctx.module.variables.get(attribute.name);
        return variable ? { contents: describeVariable(ctx, variable.uri, variable.block), range: attribute.nameRange } : undefined;
      }
      const holder = blocks[blocks.length - 1];
      if (holder?.type === 'module' && blocks.length === 1 && !MODULE_META_ARGUMENTS.has(attribute.name)) {
        const called = ctx.calledModule(holder);
        const variable = called?.index?.variables.get(attribute.name);
        return variable ? { contents: describeVariable(ctx, variable.uri, variable.block), range: attribute.nameRange } : undefined;
      }
      const argument = schemaOf(blocks)?.arguments[attribute.name];
      if (!argument) return providerArgumentHover(ctx, blocks, attribute.name, attribute.nameRange);
      return { contents: `${code(attribute.name)}\n\n${argument.description}`, range: attribute.nameRange };
    }
    default:
      return undefined;
  }
}

export function definitionAt(ctx: EditorContext, position: Position): TerraformLocation[] {
  const hit = hitAt(ctx.file, position);
  if (!hit) return [];
  if (hit.kind === 'reference') return referenceDefinition(ctx, hit.reference, hit.blocks);
  const holder = hit.blocks[hit.blocks.length - 1];
  if (hit.kind === 'argument-value' && holder?.type === 'module' && hit.attribute.name === 'source') {
    const called = ctx.calledModule(holder);
    if (!called?.index) return [];
    const files = called.index.files.map((f) => f.uri);
    const main = files.find((uri) => baseName(uri) === 'main.tf') ?? files[0];
    return main ? [{ uri: main, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
  }
  if (hit.kind === 'argument-name') {
    if (ctx.file.kind === 'tfvars') {
      const variable = ctx.module.variables.get(hit.attribute.name);
      return variable ? [{ uri: variable.uri, range: variable.block.range }] : [];
    }
    if (holder?.type === 'module' && hit.blocks.length === 1) {
      const variable = ctx.calledModule(holder)?.index?.variables.get(hit.attribute.name);
      return variable ? [{ uri: variable.uri, range: variable.block.range }] : [];
    }
  }
  return [];
}

function referenceDefinition(ctx: EditorContext, reference: Reference, blocks: readonly Block[]): TerraformLocation[] {
  if (blocks.length === 1 && blocks[0].type !== 'provider' && blocks[0].attributes.get('provider')?.expression.traversal === reference) {
    const alias = reference.steps[0]?.kind === 'attribute' ? reference.steps[0].name : undefined;
    const provider = ctx.module.providers.get(alias ? `${reference.root}.${alias}` : reference.root);
    return provider ? [{ uri: provider.uri, range: provider.block.range }] : [];
  }
  const target = resolveTarget(reference, ctx.module);
  if (!target) return [];
  if (target.kind === 'module-output') {
    const call = ctx.module.moduleCalls.get(target.module);
    const output = call && ctx.calledModule(call.block)?.index?.outputs.get(target.output);
    return output ? [{ uri: output.uri, range: output.block.range }] : [];
  }
  if (target.kind === 'local') {
    const local = ctx.module.locals.get(target.name);
    return local ? [{ uri: local.uri, range: local.attribute.range }] : [];
  }
  if (target.kind === 'data') {
    const declaration = ctx.module.dataSources.get(target.name);
    if (declaration) return [{ uri: declaration.uri, range: declaration.block.range }];
    // A data source scoped to a check block.
    for (const check of ctx.module.checks.values()) {
      for (const { block } of allBlocks(check.block.blocks)) {
        if (block.type === 'data' && `${block.labels[0]?.value}.${block.labels[1]?.value}` === target.name) return [{ uri: check.uri, range: block.range }];
      }
    }
    return [];
  }
  const declaration = declarationOf(target, ctx.module);
  return declaration ? [{ uri: declaration.uri, range: declaration.block.range }] : [];
}
