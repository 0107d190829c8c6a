/**
 * What the Ansible rules share: the rule shape, a walk over every task, and reading a task's
 * arguments wherever they are written (a mapping, `args:`, or a `key=value` string) together
 * with their source offsets, so each rule can underline exactly the key or value at fault.
 */
import type { Finding, Fix, Severity } from '../../core/types';
import { resolveAlias, valueOf, type YamlNode, type YamlScalar } from '../../yaml/compose';
import { findPair } from '../../yaml/path';
import { parseKeyValueArguments } from '../kvArguments';
import { keyName, splitActionString } from '../parse';
import { firstLineRange } from '../../yaml/lines';
import type { AnsibleCheck, AnsibleFile, AnsiblePlay, AnsibleTask, TaskAction } from '../types';
import { sourceSpanOfValue, type SourceSpan } from '../scalarSource';

export interface AnsibleRule {
  id: string;
  defaultSeverity: Severity;
  /** One line for the rule list in the README and for hover. */
  description: string;
  check: AnsibleCheck;
}

export interface TaskAt {
  task: AnsibleTask;
  /** The play the task belongs to, in a playbook. */
  play: AnsiblePlay | undefined;
}

/** Every task and handler of a file, blocks and their children included, in file order within each list. */
export function allTasks(file: AnsibleFile): TaskAt[] {
  const found: TaskAt[] = [];
  const visit = (task: AnsibleTask, play: AnsiblePlay | undefined): void => {
    found.push({ task, play });
    for (const child of task.children) visit(child, play);
  };
  for (const play of file.plays) for (const task of [...play.tasks, ...play.handlers]) visit(task, play);
  for (const task of file.tasks) visit(task, undefined);
  return found;
}

/** A finding on a node (its first line when it spans several). */
export function findingAt(file: AnsibleFile, node: { start: number; end: number }, rule: AnsibleRule, message: string, fixes?: Fix[]): Finding {
  const finding: Finding = { range: firstLineRange(file.lines, node.start, node.end), severity: rule.defaultSeverity, rule: rule.id, message };
  if (fixes && fixes.length > 0) finding.fixes = fixes;
  return finding;
}

/** A fix that replaces one span of the file. */
export function replaceFix(file: AnsibleFile, title: string, span: SourceSpan, newText: string): Fix {
  return { title, edits: [{ range: file.lines.rangeOf(span.start, span.end), newText }] };
}

/** `apt` for `apt`, `ansible.builtin.apt` and `ansible.legacy.apt`; resolved through the catalogue when it knows the module. */
export function moduleShortName(action: TaskAction): string {
  const name = action.module?.fqcn ?? action.name;
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Whether the module is one of `shortNames` of ansible.builtin (or an unknown module written with that short name). */
export function isBuiltinModule(action: TaskAction, shortNames: ReadonlySet<string>): boolean {
  const short = moduleShortName(action);
  if (!shortNames.has(short)) return false;
  const name = action.module?.fqcn ?? action.name;
  return name === short || name.startsWith('ansible.builtin.') || name.startsWith('ansible.legacy.');
}

export function stringScalar(node: YamlNode | undefined): YamlScalar | undefined {
  const target = node && resolveAlias(node);
  return target?.kind === 'scalar' && typeof target.value === 'string' ? target : undefined;
}

/** An argument's value and the source span of that value. */
export interface ArgumentAt {
  value: unknown;
  span: SourceSpan;
  /** The scalar node holding the value alone (absent for `key=value` text). */
  node: YamlNode | undefined;
}

/** Whether the task's arguments are the value of `action:`/`local_action:` (`action: copy src=a`). */
function isExplicitAction(action: TaskAction): boolean {
  const key = keyName(action.pair);
  return key === 'action' || key === 'local_action';
}

/** The `key=value` string of an action, the offset in its value where the arguments start, and its node. */
function keyValueText(action: TaskAction): { node: YamlScalar; offset: number } | undefined {
  const node = stringScalar(action.args);
  if (!node) return undefined;
  return { node, offset: isExplicitAction(action) ? splitActionString(node.value as string).argsOffset : 0 };
}

/** The argument `name` of a task, from its mapping, its `args:`, or its `key=value` string. */
export function argumentOf(file: AnsibleFile, action: TaskAction, name: string): ArgumentAt | undefined {
  for (const source of [action.args, action.extraArgs]) {
    const map = source && resolveAlias(source);
    if (map?.kind !== 'map') continue;
    const pair = findPair(map, name);
    if (pair) return { value: valueOf(pair.value), span: { start: pair.value.start, end: pair.value.end }, node: pair.value };
  }
  const text = keyValueText(action);
  if (!text) return undefined;
  const value = text.node.value as string;
  const pair = parseKeyValueArguments(value.slice(text.offset)).pairs.find((candidate) => candidate.key === name);
  if (!pair) return undefined;
  const valueStart = text.offset + pair.start + pair.key.length + 1;
  const span = sourceSpanOfValue(file.lines.text, text.node, valueStart, text.offset + pair.end);
  return { value: pair.value, span, node: undefined };
}

/** A command's text as the command/shell/raw module gets it: the free-form string or `cmd:`. */
export interface CommandText {
  text: string;
  /** The scalar holding the text, and where the text starts in its value. */
  node: YamlScalar;
  offset: number;
}

/** Keys Ansible takes out of a command's free-form string (`chdir=/tmp ls`). */
const COMMAND_KEYS = new Set(['chdir', 'creates', 'removes', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'warn', 'argv', 'cmd', 'expand_argument_vars']);

export function commandTextOf(action: TaskAction): CommandText | undefined {
  const free = keyValueText(action);
  if (free) {
    const value = (free.node.value as string).slice(free.offset);
    const parsed = parseKeyValueArguments(value, (key) => COMMAND_KEYS.has(key));
    if (parsed.freeFormStart === undefined) return undefined;
    const offset = free.offset + parsed.freeFormStart;
    return { text: (free.node.value as string).slice(offset), node: free.node, offset };
  }
  for (const source of [action.args, action.extraArgs]) {
    const map = source && resolveAlias(source);
    const cmd = map?.kind === 'map' ? stringScalar(findPair(map, 'cmd')?.value) : undefined;
    if (cmd) return { text: cmd.value as string, node: cmd, offset: 0 };
  }
  return undefined;
}

/** The source span of `command.text.slice(start, end)`. */
export function commandSpan(file: AnsibleFile, command: CommandText, start: number, end: number): SourceSpan {
  return sourceSpanOfValue(file.lines.text, command.node, command.offset + start, command.offset + end);
}

/** Where the module name is written: the key (`apt:`), or the name inside `action: apt ...` / `module: apt`. */
export function moduleNameSpan(file: AnsibleFile, action: TaskAction): SourceSpan | undefined {
  if (!isExplicitAction(action)) return { start: action.pair.key.start, end: action.pair.key.end };
  const value = resolveAlias(action.pair.value);
  if (value.kind === 'map') {
    const module = findPair(value, 'module')?.value;
    return module ? { start: module.start, end: module.end } : undefined;
  }
  const text = stringScalar(value);
  if (!text) return undefined;
  const leading = /^\s*/.exec(text.value as string)![0].length;
  const span = sourceSpanOfValue(file.lines.text, text, leading, leading + action.name.length);
  return span.exact ? span : undefined;
}
