/**
 * Completion: after `var.`, `local.`, `module.`, `module.NAME.`, `data.`, a resource type and
 * the other roots, the names the module declares; on a bare word in an expression, the roots,
 * resource types and functions; on an empty line of a block, the arguments and blocks it takes
 * (a module call's input variables, a .tfvars file's variables). The context comes from the
 * text before the cursor, because the line being typed rarely parses.
 */
import type { Position } from '../core/types';
import { atLeast } from './checks/context';
import { BUILTIN_FUNCTIONS } from './checks/functions';
import { MODULE_META_ARGUMENTS, TOP_LEVEL_BLOCKS, supported } from './checks/schema';
import { dynamicIterator, scopeAt } from './checks/scopes';
import { parseTypeConstraint, typeText } from './checks/typeConstraints';
import { rangeContains, type Block } from './model';
import { schemaOf, type EditorContext } from './navigation';
import { providerBodyItems, providerTypeItems } from './providerSchemaEditor';

export type CompletionKind = 'variable' | 'local' | 'module' | 'output' | 'resource' | 'data' | 'function' | 'keyword' | 'property' | 'block' | 'value';

export interface TerraformCompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert when it differs from the label. */
  insertText?: string;
  /** Order among the items when it is not the label's (required arguments first). */
  sortText?: string;
}

const TRAVERSAL_BEFORE_CURSOR = /((?:[A-Za-z_][\w-]*(?:\[[^\]]*\])*\.)*)([A-Za-z_][\w-]*)?$/;

function lineBefore(text: string, position: Position): string {
  let start = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).slice(0, position.character);
}

/** Is the cursor inside a quoted string, outside any interpolation? */
function inStringLiteral(prefix: string): boolean {
  let inString = false;
  let depth = 0;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (inString && depth === 0) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      else if (c === '$' && prefix[i + 1] === '{') { depth = 1; i++; }
    } else if (c === '"' && depth === 0) {
      inString = true;
    } else if (inString) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
  }
  return inString && depth === 0;
}

function blockChain(blocks: readonly Block[], position: Position): Block[] {
  const chain: Block[] = [];
  let current = blocks;
  for (;;) {
    const block = current.find((b) => rangeContains(b.range, position) && !rangeContains(b.typeRange, position));
    if (!block) return chain;
    chain.push(block);
    current = block.blocks;
  }
}

function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

export function completeAt(ctx: EditorContext, position: Position): TerraformCompletionItem[] {
  const prefix = lineBefore(ctx.text, position);
  const types = providerTypeItems(ctx, prefix);
  if (types) return types;
  if (inStringLiteral(prefix) || /(#|\/\/)/.test(prefix.replace(/"[^"]*"/g, '""'))) return [];
  const chain = blockChain(ctx.file.blocks, position);
  const inExpression = /^\s*[\w-]+\s*=(?![=>])/.test(prefix) || /\$\{[^}]*$/.test(prefix) || isInsideExpression(ctx, position, chain);
  if (!inExpression) {
    if (!/^\s*[\w-]*$/.test(prefix)) return [];
    return bodyItems(ctx, chain);
  }
  const match = TRAVERSAL_BEFORE_CURSOR.exec(prefix);
  const path = (match?.[1] ?? '').split('.').filter(Boolean).map((part) => part.replace(/\[.*$/, ''));
  return expressionItems(ctx, path, chain);
}

/** A continuation line of a multi-line expression (a list or object spread over lines). */
function isInsideExpression(ctx: EditorContext, position: Position, chain: readonly Block[]): boolean {
  const attributes = chain.length ? [...chain[chain.length - 1].attributes.values()] : [...ctx.file.attributes.values()];
  return attributes.some((a) => rangeContains(a.expression.range, position) && a.expression.range.start.line < position.line);
}

function expressionItems(ctx: EditorContext, path: string[], chain: readonly Block[]): TerraformCompletionItem[] {
  const module = ctx.module;
  const [root, second] = path;
  const names = (keys: Iterable<string>, prefix: string): string[] => [...new Set([...keys].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('.')[0]))];
  if (path.length === 0) return rootItems(ctx, chain);
  if (path.length === 1) {
    switch (root) {
      case 'var':
        return [...module.variables].map(([name, d]) => {
          const type = d.block.attributes.get('type');
          const parsed = type && parseTypeConstraint(type.expression);
          const description = d.block.attributes.get('description')?.expression;
          return { label: name, kind: 'variable' as const, detail: parsed && 'type' in parsed ? typeText(parsed.type) : undefined, documentation: typeof description?.value === 'string' ? description.value : undefined };
        });
      case 'local':
        return [...module.locals].map(([name, d]) => ({ label: name, kind: 'local' as const, detail: firstLine(sliceRange(ctx.textOf(d.uri), d.attribute.expression.range)) }));
      case 'module':
        return [...module.moduleCalls].map(([name, d]) => {
          const source = d.block.attributes.get('source')?.expression;
          return { label: name, kind: 'module' as const, detail: typeof source?.value === 'string' ? source.value : undefined };
        });
      case 'data':
        return names(module.dataSources.keys(), '').map((type) => ({ label: type, kind: 'data' as const }));
      case 'ephemeral':
        return names(module.ephemeralResources.keys(), '').map((type) => ({ label: type, kind: 'resource' as const }));
      case 'path':
        return ['module', 'root', 'cwd'].map((label) => ({ label, kind: 'property' as const }));
      case 'terraform':
        return (atLeast(ctx.version, 1, 10) ? ['workspace', 'applying'] : ['workspace']).map((label) => ({ label, kind: 'property' as const }));
      case 'count':
        return [{ label: 'index', kind: 'property' }];
      case 'each':
        return ['key', 'value'].map((label) => ({ label, kind: 'property' as const }));
      default: {
        const iterators = chain.filter((b) => b.type === 'dynamic').map(dynamicIterator);
        if (iterators.includes(root)) return ['key', 'value'].map((label) => ({ label, kind: 'property' as const }));
        return names(module.resources.keys(), `${root}.`).map((name) => ({ label: name, kind: 'resource' as const, detail: `resource "${root}" "${name}"` }));
      }
    }
  }
  if (path.length === 2 && root === 'module') {
    const call = module.moduleCalls.get(second);
    const outputs = call && ctx.calledModule(call.block)?.index?.outputs;
    return [...(outputs ?? [])].map(([name, d]) => {
      const description = d.block.attributes.get('description')?.expression;
      return { label: name, kind: 'output' as const, documentation: typeof description?.value === 'string' ? description.value : undefined };
    });
  }
  if (path.length === 2 && (root === 'data' || root === 'ephemeral')) {
    const declared = root === 'data' ? module.dataSources : module.ephemeralResources;
    return names(declared.keys(), `${second}.`).map((name) => ({ label: name, kind: root === 'data' ? ('data' as const) : ('resource' as const), detail: `${root} "${second}" "${name}"` }));
  }
  return [];
}

function sliceRange(text: string | undefined, range: { start: Position; end: Position }): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line]?.slice(range.start.character, range.end.character);
  return lines[range.start.line]?.slice(range.start.character);
}

function rootItems(ctx: EditorContext, chain: readonly Block[]): TerraformCompletionItem[] {
  const items: TerraformCompletionItem[] = [
    { label: 'var', kind: 'keyword', detail: 'Input variables' },
    { label: 'local', kind: 'keyword', detail: 'Local values' },
    { label: 'module', kind: 'keyword', detail: 'Module outputs' },
    { label: 'data', kind: 'keyword', detail: 'Data sources' },
    { label: 'path', kind: 'keyword', detail: 'path.module, path.root, path.cwd' },
    { label: 'terraform', kind: 'keyword', detail: 'terraform.workspace' },
    { label: 'true', kind: 'value' },
    { label: 'false', kind: 'value' },
    { label: 'null', kind: 'value' },
  ];
  const scope = scopeAt(ctx.uri, chain);
  if (scope?.count) items.push({ label: 'count', kind: 'keyword', detail: 'count.index' });
  if (scope?.forEach) items.push({ label: 'each', kind: 'keyword', detail: 'each.key, each.value' });
  if (scope?.self) items.push({ label: 'self', kind: 'keyword', detail: 'The object being created' });
  for (const iterator of scope?.iterators ?? []) items.push({ label: iterator, kind: 'keyword', detail: 'Dynamic block iterator' });
  const types = new Set([...ctx.module.resources.keys()].map((key) => key.slice(0, key.indexOf('.'))));
  for (const type of types) items.push({ label: type, kind: 'resource', detail: 'Resource type' });
  for (const [name, signature] of Object.entries(BUILTIN_FUNCTIONS)) {
    if (signature.since && !atLeast(ctx.version, ...signature.since)) continue;
    items.push({ label: name, kind: 'function', detail: `${name}(${signature.parameters ? `${signature.parameters} argument${signature.parameters > 1 ? 's' : ''}` : ''}${signature.variadic ? ', …' : ''})`, insertText: `${name}(` });
  }
  return items;
}

function bodyItems(ctx: EditorContext, chain: readonly Block[]): TerraformCompletionItem[] {
  if (chain.length === 0) {
    if (ctx.file.kind === 'tfvars') {
      return [...ctx.module.variables]
        .filter(([name]) => !ctx.file.attributes.has(name))
        .map(([name, d]) => {
          const type = d.block.attributes.get('type');
          const parsed = type && parseTypeConstraint(type.expression);
          return { label: name, kind: 'variable' as const, detail: parsed && 'type' in parsed ? typeText(parsed.type) : undefined, insertText: `${name} = ` };
        });
    }
    return Object.entries(TOP_LEVEL_BLOCKS)
      .filter(([, schema]) => supported(schema, ctx.version))
      .map(([type, schema]) => ({ label: type, kind: 'keyword' as const, detail: schema.description }));
  }
  const holder = chain[chain.length - 1];
  const items: TerraformCompletionItem[] = [];
  if (holder.type === 'module' && chain.length === 1) {
    const variables = ctx.calledModule(holder)?.index?.variables;
    for (const [name, d] of variables ?? []) {
      if (holder.attributes.has(name)) continue;
      const required = !d.block.attributes.has('default');
      const description = d.block.attributes.get('description')?.expression;
      items.push({ label: name, kind: 'variable', detail: required ? 'Required input' : 'Optional input', documentation: typeof description?.value === 'string' ? description.value : undefined, insertText: `${name} = ` });
    }
  }
  items.push(...providerBodyItems(ctx, chain));
  const schema = schemaOf(chain);
  if (!schema) return items;
  for (const [name, argument] of Object.entries(schema.arguments)) {
    if (holder.attributes.has(name) || !supported(argument, ctx.version)) continue;
    if (holder.type === 'module' && !MODULE_META_ARGUMENTS.has(name)) continue;
    items.push({ label: name, kind: 'property', detail: argument.description, insertText: `${name} = ` });
  }
  for (const [name, nested] of Object.entries(schema.blocks)) {
    if (!supported(nested, ctx.version)) continue;
    const labels = nested.labels.map((label) => ` "${label}"`).join('');
    items.push({ label: name, kind: 'block', detail: nested.description, insertText: `${name}${labels} {` });
  }
  return items;
}
