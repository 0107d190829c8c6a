/**
 * Reads an Ansible file into plays, tasks and roles over our YAML position tree. Nothing is
 * validated here: a malformed play or task is kept as far as it makes sense, so the checks
 * can say what is wrong with it at the exact key.
 */
import type { Finding } from '../core/types';
import { resolveAlias, type YamlMap, type YamlNode, type YamlPair } from '../yaml/compose';
import { LineIndex } from '../yaml/lines';
import { parseSection } from '../yaml/parse';
import { findPair } from '../yaml/path';
import { BLOCK_LISTS, IMPORT_PLAYBOOK_KEYS, PLAY_ONLY_KEYWORDS, PLAY_TASK_LISTS, isTaskKeyword } from './keywords';
import type { AnsibleFile, AnsibleFileKind, AnsiblePlay, AnsibleTask, ModuleCatalog, RoleReference, TaskAction } from './types';

export function parseAnsibleFile(uri: string, text: string, kind: AnsibleFileKind, modules: ModuleCatalog): AnsibleFile {
  const parsed = parseSection(text);
  const lines = parsed.lines;
  const syntax: Finding[] = [...parsed.problems, ...parsed.documents.flatMap((d) => d.problems)].map((problem) => ({
    range: lines.rangeOf(problem.start, problem.end),
    severity: 'error',
    rule: problem.rule,
    message: problem.message,
  }));
  const root = parsed.documents[0]?.root ?? undefined;
  const file: AnsibleFile = { uri, kind, root, lines, plays: [], tasks: [], syntax };
  const top = root ? resolveAlias(root) : undefined;
  if (top?.kind !== 'seq') return file;
  const reader = new TaskReader(modules, lines);
  if (kind === 'playbook') {
    for (const item of top.items) {
      const node = resolveAlias(item);
      if (node.kind === 'map') file.plays.push(reader.play(node));
    }
  } else if (kind === 'tasks' || kind === 'handlers') {
    file.tasks = reader.taskList(top, kind === 'handlers');
  }
  return file;
}

/** The keys of a task mapping that name a module: every key that is not a keyword (of a task, or of a play by mistake). */
export function actionPairs(task: YamlMap): YamlPair[] {
  return task.pairs.filter((pair) => {
    const key = keyName(pair);
    return key !== undefined && key !== '<<' && !isTaskKeyword(key) && !PLAY_ONLY_KEYWORDS.has(key);
  });
}

/** The key of a pair as text, when it is a plain string key. */
export function keyName(pair: YamlPair): string | undefined {
  return pair.key.kind === 'scalar' && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}

/** The value of a scalar node as text, when it is a string. */
export function stringValue(node: YamlNode | undefined): string | undefined {
  const target = node && resolveAlias(node);
  return target?.kind === 'scalar' && typeof target.value === 'string' ? target.value : undefined;
}

/** `copy src=a dest=b` → `copy` and the offset where its arguments start (in the string). */
export function splitActionString(value: string): { module: string; argsOffset: number } {
  const match = /^\s*(\S+)\s*/.exec(value);
  return match ? { module: match[1], argsOffset: match[0].length } : { module: '', argsOffset: 0 };
}

class TaskReader {
  constructor(
    private readonly modules: ModuleCatalog,
    private readonly lines: LineIndex,
  ) {}

  play(node: YamlMap): AnsiblePlay {
    const importPair = node.pairs.find((pair) => IMPORT_PLAYBOOK_KEYS.has(keyName(pair) ?? ''));
    const tasks: AnsibleTask[] = [];
    for (const list of PLAY_TASK_LISTS) tasks.push(...this.listAt(node, list, false));
    return {
      node,
      name: stringValue(findPair(node, 'name')?.value),
      importPlaybook: importPair ? (stringValue(importPair.value) ?? '') : undefined,
      tasks,
      handlers: this.listAt(node, 'handlers', true),
      roles: this.roles(findPair(node, 'roles')?.value),
    };
  }

  taskList(list: YamlNode, isHandler: boolean): AnsibleTask[] {
    const target = resolveAlias(list);
    if (target.kind !== 'seq') return [];
    const tasks: AnsibleTask[] = [];
    for (const item of target.items) {
      const node = resolveAlias(item);
      if (node.kind === 'map') tasks.push(this.task(node, isHandler));
    }
    return tasks;
  }

  private listAt(node: YamlMap, key: string, isHandler: boolean): AnsibleTask[] {
    const value = findPair(node, key)?.value;
    return value ? this.taskList(value, isHandler) : [];
  }

  private task(node: YamlMap, isHandler: boolean): AnsibleTask {
    const name = stringValue(findPair(node, 'name')?.value);
    if (BLOCK_LISTS.some((list) => findPair(node, list))) {
      const children = BLOCK_LISTS.flatMap((list) => this.listAt(node, list, isHandler));
      return { node, name, action: undefined, children, isHandler };
    }
    return { node, name, action: this.action(node), children: [], isHandler };
  }

  private action(node: YamlMap): TaskAction | undefined {
    const extraArgsNode = findPair(node, 'args')?.value;
    const extraArgsTarget = extraArgsNode && resolveAlias(extraArgsNode);
    const extraArgs = extraArgsTarget?.kind === 'map' ? extraArgsTarget : undefined;
    const explicit = findPair(node, 'action') ?? findPair(node, 'local_action');
    if (explicit) return this.explicitAction(explicit, extraArgs);
    const pair = actionPairs(node)[0];
    if (!pair) return undefined;
    const name = keyName(pair) ?? '';
    const args = pair.value.kind === 'scalar' && pair.value.empty ? undefined : pair.value;
    return { name, pair, args, extraArgs, module: this.modules.resolve(name) };
  }

  /** `action: copy src=a dest=b` or `action: {module: copy, src: a}`; the arguments are the value itself. */
  private explicitAction(pair: YamlPair, extraArgs: YamlMap | undefined): TaskAction {
    const value = resolveAlias(pair.value);
    let name = '';
    if (value.kind === 'map') name = stringValue(findPair(value, 'module')?.value) ?? '';
    else if (value.kind === 'scalar' && typeof value.value === 'string') name = splitActionString(value.value).module;
    return { name, pair, args: pair.value, extraArgs, module: name ? this.modules.resolve(name) : undefined };
  }

  private roles(list: YamlNode | undefined): RoleReference[] {
    const target = list && resolveAlias(list);
    if (target?.kind !== 'seq') return [];
    const roles: RoleReference[] = [];
    for (const item of target.items) {
      const entry = resolveAlias(item);
      const nameNode = entry.kind === 'map' ? (findPair(entry, 'role') ?? findPair(entry, 'name'))?.value : entry;
      const name = stringValue(nameNode);
      if (name && nameNode) roles.push({ name, range: this.lines.rangeOf(nameNode.start, nameNode.end) });
    }
    return roles;
  }
}
