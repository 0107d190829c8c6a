/**
 * Hover for Ansible files: a module's short description and arguments, one argument's
 * details, or a play/task keyword's description from the ansible-lint schema. Markdown out.
 */
import type { Range } from '../core/types';
import { contextAt, type MappingKind } from './cursor';
import { keyName } from './parse';
import type { AnsibleDefinition, AnsibleSchemaStore } from './schemaStore';
import type { AnsibleFile, ModuleOption, ModuleSpec } from './types';

export interface AnsibleHover {
  markdown: string;
  range: Range;
}

const DEFINITION_OF: Record<Exclude<MappingKind, 'arguments'>, AnsibleDefinition> = { play: 'play', task: 'task', block: 'block' };

export function hoverAt(file: AnsibleFile, offset: number, schemas: AnsibleSchemaStore): AnsibleHover | undefined {
  const context = contextAt(file, offset);
  if (!context?.pair || !context.onKey) return undefined;
  const key = keyName(context.pair);
  if (key === undefined) return undefined;
  const range = file.lines.rangeOf(context.pair.key.start, context.pair.key.end);
  const action = context.task?.action;
  if (context.kind === 'arguments') {
    const module = action?.module;
    const entry = module && optionEntry(module, key);
    return entry ? { markdown: describeOption(entry[0], entry[1], module.fqcn), range } : undefined;
  }
  if (action?.module && action.pair === context.pair && keyName(action.pair) === key) {
    return { markdown: describeModule(action.module), range };
  }
  const markdown = describeKeyword(schemas, DEFINITION_OF[context.kind], key);
  return markdown ? { markdown, range } : undefined;
}

function optionEntry(module: ModuleSpec, name: string): [string, ModuleOption] | undefined {
  if (Object.hasOwn(module.options, name)) return [name, module.options[name]];
  return Object.entries(module.options).find(([, option]) => option.aliases?.includes(name));
}

/** `type, required, choices: a, b, default: x` in one line. */
export function optionSummary(option: ModuleOption): string {
  const parts = [option.type === 'list' && option.elements ? `list of ${option.elements}` : (option.type ?? 'str')];
  if (option.required) parts.push('**required**');
  if (option.choices?.length) parts.push(`choices: ${option.choices.map((c) => `\`${String(c)}\``).join(', ')}`);
  if (option.default !== undefined && option.default !== null) parts.push(`default: \`${JSON.stringify(option.default)}\``);
  if (option.aliases?.length) parts.push(`aliases: ${option.aliases.join(', ')}`);
  return parts.join(' · ');
}

export function describeModule(module: ModuleSpec): string {
  const lines = [`**${module.fqcn}**`, '', module.shortDescription || ''];
  const options = Object.entries(module.options).sort(([a, x], [b, y]) => Number(Boolean(y.required)) - Number(Boolean(x.required)) || a.localeCompare(b));
  if (options.length) {
    lines.push('', 'Arguments:', '');
    for (const [name, option] of options) lines.push(`- \`${name}\` (${optionSummary(option)})${option.description ? `: ${option.description}` : ''}`);
  }
  if (module.freeForm) lines.push('', 'Also takes a free-form string.');
  return lines.join('\n');
}

function describeOption(name: string, option: ModuleOption, module: string): string {
  return [`**${name}** (${module})`, '', optionSummary(option), ...(option.description ? ['', option.description] : [])].join('\n');
}

function describeKeyword(schemas: AnsibleSchemaStore, definition: AnsibleDefinition, key: string): string | undefined {
  const properties = schemas.definition(definition)?.properties as Record<string, Record<string, unknown>> | undefined;
  const property = properties?.[key];
  if (!property) return undefined;
  const title = typeof property.title === 'string' ? property.title : key;
  const description = typeof property.markdownDescription === 'string' ? property.markdownDescription : typeof property.description === 'string' ? property.description : '';
  return [`**${key}** — ${definition === 'play' ? 'play' : definition === 'block' ? 'block' : 'task'} keyword (${title})`, ...(description ? ['', description] : [])].join('\n');
}

/** The keywords of a play, task or block, with their descriptions, for completion. */
export function keywordsOf(schemas: AnsibleSchemaStore, kind: Exclude<MappingKind, 'arguments'>): Array<{ name: string; description: string }> {
  const properties = schemas.definition(DEFINITION_OF[kind])?.properties as Record<string, Record<string, unknown>> | undefined;
  return Object.entries(properties ?? {})
    .filter(([name]) => !name.includes('include'))
    .map(([name, property]) => ({ name, description: String(property.markdownDescription ?? property.title ?? '') }));
}
