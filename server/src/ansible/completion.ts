/**
 * Completion in Ansible files: module names (short and fully qualified) and keywords where a
 * task's key goes, play keywords in a play, and a module's arguments not yet given (required
 * first) inside its mapping. The key being typed is usually not valid YAML yet (`    ap`), so
 * the line is completed with a marker key and parsed; the marker's place says what fits there.
 */
import { LineIndex } from '../yaml/lines';
import { contextAt } from './cursor';
import { describeModule, keywordsOf, optionSummary } from './hover';
import { keyName, parseAnsibleFile } from './parse';
import type { AnsibleSchemaStore } from './schemaStore';
import type { AnsibleFileKind, ModuleCatalog } from './types';

export interface AnsibleCompletionItem {
  label: string;
  kind: 'module' | 'keyword' | 'argument';
  detail?: string;
  documentation?: string;
  /** Orders required arguments first. */
  sortText: string;
}

const MARKER = 'gitopsIacCompletionMarker';

export function completionAt(
  uri: string,
  text: string,
  kind: AnsibleFileKind,
  offset: number,
  modules: ModuleCatalog,
  schemas: AnsibleSchemaStore,
): AnsibleCompletionItem[] {
  const lines = new LineIndex(text);
  const { line, character } = lines.positionAt(offset);
  const lineText = lines.lineText(line);
  const before = lineText.slice(0, character);
  // Only a key is completed: the cursor ends a word at the start of the line (after an optional "- ").
  const typed = /^(\s*(?:-\s+)?)([\w.]*)$/.exec(before);
  if (!typed) return [];
  const lineStart = lines.lineStart(line);
  const patched = `${text.slice(0, lineStart)}${typed[1]}${typed[2]}${MARKER}: x${text.slice(lines.lineEnd(line))}`;
  const file = parseAnsibleFile(uri, patched, kind, modules);
  const markerOffset = lineStart + typed[1].length + typed[2].length;
  const context = contextAt(file, markerOffset);
  if (!context?.pair || keyName(context.pair) !== `${typed[2]}${MARKER}`) return [];
  const given = new Set(context.map.pairs.map(keyName).filter((key): key is string => key !== undefined));

  if (context.kind === 'arguments') {
    const module = context.task?.action?.module;
    if (!module) return [];
    return Object.entries(module.options)
      .filter(([name, option]) => !given.has(name) && !(option.aliases ?? []).some((alias) => given.has(alias)))
      .map(([name, option]) => ({
        label: name,
        kind: 'argument' as const,
        detail: optionSummary(option).replace(/\*\*/g, ''),
        documentation: option.description,
        sortText: `${option.required ? '0' : '1'}${name}`,
      }));
  }
  const keywords = keywordsOf(schemas, context.kind)
    .filter(({ name }) => !given.has(name))
    .map(({ name, description }) => ({ label: name, kind: 'keyword' as const, documentation: description || undefined, sortText: `2${name}` }));
  if (context.kind !== 'task') return keywords;
  // A task that already runs a module needs keywords only.
  if (context.task?.action && keyName(context.task.action.pair) !== `${typed[2]}${MARKER}`) return keywords;
  const moduleItems: AnsibleCompletionItem[] = [];
  for (const fqcn of modules.names()) {
    const spec = modules.resolve(fqcn);
    const detail = spec?.shortDescription;
    const documentation = spec ? describeModule(spec) : undefined;
    moduleItems.push({ label: fqcn, kind: 'module', detail, documentation, sortText: `1${fqcn}` });
    if (fqcn.startsWith('ansible.builtin.')) moduleItems.push({ label: fqcn.slice('ansible.builtin.'.length), kind: 'module', detail, documentation, sortText: `0${fqcn}` });
  }
  return [...moduleItems, ...keywords];
}
