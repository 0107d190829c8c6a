/**
 * Checks the shape of plays, blocks and tasks: keywords and their value types against the
 * ansible-lint schema, and what the schema cannot say precisely, directly: a task runs
 * exactly one module, `loop` does not go with `with_*`, a play needs `hosts`.
 */
import type { ErrorObject } from 'ajv';
import { closestMatch } from '../core/spelling';
import type { Finding, Severity } from '../core/types';
import type { ResourceReport } from '../kubernetes/resource';
import { resolveAlias, type YamlMap, type YamlNode } from '../yaml/compose';
import { findPair } from '../yaml/path';
import { firstLineRange } from '../yaml/lines';
import { placeReport } from './place';
import { BLOCK_KEYWORDS, BLOCK_LISTS, PLAY_ONLY_KEYWORDS, PLAY_TASK_LISTS, TASK_KEYWORDS } from './keywords';
import { actionPairs, keyName } from './parse';
import { reportsFromAnsibleSchemaErrors } from './schemaErrors';
import type { AnsibleDefinition, AnsibleSchemaStore, JsonSchema } from './schemaStore';
import type { AnsibleFile, AnsiblePlay, AnsibleTask, ModuleCatalog } from './types';
import { Yaml11Reader } from './yaml11';

export const SCHEMA_RULE = 'ansible/schema';
export const TASK_ACTION_RULE = 'ansible/task-action';
export const DEPRECATED_RULE = 'ansible/deprecated';

/** Task lists are emptied before a play or block is validated: each task is validated on its own, which words errors far better than anyOf[task, block]. */
const NESTED_LISTS = new Set<string>([...PLAY_TASK_LISTS, 'handlers', ...BLOCK_LISTS]);

const KIND_WORDS: Record<AnsibleDefinition, string> = {
  play: 'play keyword',
  'ansible.builtin.import_playbook': 'import_playbook keyword',
  task: 'task keyword',
  block: 'block keyword',
};

/** The top level of a playbook or task file: a list of mappings. */
export function checkListShape(file: AnsibleFile): Finding[] {
  const root = file.root && resolveAlias(file.root);
  const listKind = file.kind === 'playbook' ? 'A playbook' : 'A task file';
  if (root && root.kind !== 'seq' && !(root.kind === 'scalar' && root.value === null)) {
    return [finding(file, root, `${listKind} is a list (each item starting with "- "), found ${root.kind === 'map' ? 'a mapping' : 'a single value'}.`)];
  }
  const findings: Finding[] = [];
  for (const item of root?.kind === 'seq' ? root.items : []) {
    const node = resolveAlias(item);
    if (node.kind !== 'map') findings.push(finding(file, node, `Each item of ${listKind.toLowerCase().slice(2)} is a mapping (a ${file.kind === 'playbook' ? 'play' : 'task'}), found ${describeNode(node)}.`));
  }
  return findings;
}

/** The file's plays and tasks: keywords, value types, actions and loops. */
export function checkPlaysAndTasks(file: AnsibleFile, schemas: AnsibleSchemaStore, modules: ModuleCatalog): Finding[] {
  const findings: Finding[] = [];
  const checker = new StructureChecker(file, schemas, modules, findings);
  for (const play of file.plays) checker.play(play);
  for (const task of file.tasks) checker.task(task);
  return findings;
}

function describeNode(node: YamlNode): string {
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'scalar') return node.value === null ? 'nothing' : `the value ${JSON.stringify(node.value)}`;
  return 'a mapping';
}

function finding(file: AnsibleFile, node: YamlNode, message: string, rule = SCHEMA_RULE, severity: Severity = 'error'): Finding {
  return { range: firstLineRange(file.lines, node.start, node.end), severity, rule, message };
}

class StructureChecker {
  /** Values as Ansible reads them (YAML 1.1: `become: yes` is a boolean). */
  private readonly values: Yaml11Reader;

  constructor(
    private readonly file: AnsibleFile,
    private readonly schemas: AnsibleSchemaStore,
    private readonly modules: ModuleCatalog,
    private readonly findings: Finding[],
  ) {
    this.values = new Yaml11Reader(file.lines.text);
  }

  play(play: AnsiblePlay): void {
    const definition: AnsibleDefinition = play.importPlaybook !== undefined ? 'ansible.builtin.import_playbook' : 'play';
    if (definition === 'ansible.builtin.import_playbook' && play.node.pairs.some((pair) => ['hosts', 'tasks', 'roles'].includes(keyName(pair) ?? ''))) {
      this.findings.push(finding(this.file, play.node.pairs[0].key, 'An import_playbook entry cannot also be a play (hosts, tasks, roles): make them two list items.'));
      return;
    }
    this.validate(play.node, definition);
    for (const task of [...play.tasks, ...play.handlers]) this.task(task);
  }

  task(task: AnsibleTask): void {
    const isBlock = task.action === undefined && BLOCK_LISTS.some((list) => findPair(task.node, list));
    this.validate(task.node, isBlock ? 'block' : 'task');
    if (isBlock) this.blockKeys(task.node);
    else this.actions(task);
    this.loops(task.node);
    for (const child of task.children) this.task(child);
  }

  /** Validates a map against a definition, its nested task lists emptied. */
  private validate(node: YamlMap, definition: AnsibleDefinition): void {
    const validator = this.schemas.definitionValidator(definition);
    const root = this.schemas.document('playbook');
    if (!validator || !root) return;
    const value: Record<string, unknown> = { ...(this.values.value(node) as Record<string, unknown>) };
    for (const key of Object.keys(value)) if (NESTED_LISTS.has(key) && Array.isArray(value[key])) value[key] = [];
    if (validator(value)) return;
    const errors = validator.errors ?? [];
    const own = errors.filter((error) => !this.wordedHere(node, definition, error));
    for (const report of reportsFromAnsibleSchemaErrors(own, root)) {
      if (this.acceptedByAnsible(node, report)) continue;
      this.findings.push(placeReport(this.file, node, report, SCHEMA_RULE, 'error'));
    }
  }

  /** The errors worded better than ajv's generic wording can; true when handled. */
  private wordedHere(node: YamlMap, definition: AnsibleDefinition, error: ErrorObject): boolean {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties' && error.instancePath === '') {
      const key = String(params.additionalProperty);
      const known = Object.keys(((this.schemas.definition(definition) ?? {}) as JsonSchema).properties ?? {});
      const suggestion = closestMatch(key, known);
      const pair = findPair(node, key);
      if (pair) {
        const report: ResourceReport = {
          path: [key],
          at: 'key',
          message: `Unknown ${KIND_WORDS[definition]} "${key}".${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
          replacements: suggestion ? [{ title: `Change "${key}" to "${suggestion}"`, newText: suggestion }] : undefined,
        };
        this.findings.push(placeReport(this.file, node, report, SCHEMA_RULE, 'error'));
      }
      return true;
    }
    if (error.keyword === 'required' && error.instancePath === '' && params.missingProperty === 'hosts') {
      const anchor = findPair(node, 'name')?.key ?? node.pairs[0]?.key ?? node;
      this.findings.push(finding(this.file, anchor, 'This play has no "hosts": add the hosts or groups it runs on (for example hosts: all).'));
      return true;
    }
    if (error.keyword === 'not') {
      const key = error.instancePath.slice(1);
      if (key === 'include' || key.endsWith('.include')) {
        const pair = findPair(node, key);
        if (pair) {
          this.findings.push(finding(this.file, pair.key, `"${key}" is deprecated and removed in ansible-core 2.16: use ansible.builtin.include_tasks or ansible.builtin.import_tasks.`, DEPRECATED_RULE, 'warning'));
        }
        return true;
      }
      // A task with play keywords (`not: {required: [hosts]}`) is reported key by key in actions().
      if (error.instancePath === '' && definition === 'task') return true;
    }
    return false;
  }

  /** Ansible also takes `action: {module: copy, …}`, a mapping the schema types as a string. */
  private acceptedByAnsible(node: YamlMap, report: ResourceReport): boolean {
    const key = report.path[0];
    if (report.path.length !== 1 || (key !== 'action' && key !== 'local_action')) return false;
    const value = findPair(node, key)?.value;
    return value !== undefined && resolveAlias(value).kind === 'map';
  }

  /** A task runs exactly one module; a key that is neither a keyword nor a module is most likely a misspelt keyword. */
  private actions(task: AnsibleTask): void {
    for (const pair of task.node.pairs) {
      const key = keyName(pair);
      if (key !== undefined && PLAY_ONLY_KEYWORDS.has(key)) this.findings.push(finding(this.file, pair.key, `"${key}" belongs to a play, not a task: is this a play inside a task list?`));
    }
    const explicit = findPair(task.node, 'action') ?? findPair(task.node, 'local_action');
    const candidates = actionPairs(task.node);
    if (!explicit && candidates.length === 0) {
      const anchor = findPair(task.node, 'name')?.key ?? task.node.pairs[0]?.key ?? task.node;
      this.findings.push(finding(this.file, anchor, 'This task has no action: add the module it runs (for example ansible.builtin.debug:), or make it a block:.', TASK_ACTION_RULE));
      return;
    }
    const modules: typeof candidates = [];
    for (const pair of candidates) {
      const key = keyName(pair)!;
      const keyword = this.modules.resolve(key) ? undefined : closestMatch(key, [...TASK_KEYWORDS]);
      if (keyword) {
        this.findings.push(placeReport(this.file, task.node, {
          path: [key],
          at: 'key',
          message: `Unknown task keyword "${key}". Did you mean "${keyword}"?`,
          replacements: [{ title: `Change "${key}" to "${keyword}"`, newText: keyword }],
        }, SCHEMA_RULE, 'error'));
      } else {
        modules.push(pair);
      }
    }
    const all = explicit ? [explicit, ...modules] : modules;
    if (all.length > 1) {
      const names = all.map((pair) => `"${keyName(pair)}"`).join(', ');
      for (const pair of all.slice(1)) {
        this.findings.push(finding(this.file, pair.key, `This task has several actions (${names}): a task runs exactly one module. Is "${keyName(pair)}" a misspelt keyword, or does it belong in a task of its own?`, TASK_ACTION_RULE));
      }
    }
  }

  /** A block groups tasks: a module or task-only keyword beside `block:` is a mistake Ansible rejects. */
  private blockKeys(node: YamlMap): void {
    for (const pair of node.pairs) {
      const key = keyName(pair);
      if (key === undefined || key === '<<' || BLOCK_KEYWORDS.has(key)) continue;
      const suggestion = closestMatch(key, [...BLOCK_KEYWORDS]);
      const what = TASK_KEYWORDS.has(key) ? 'is a task keyword that a block does not take' : this.modules.resolve(key) ? 'is a module: a block cannot also run a module' : 'is not a block keyword';
      this.findings.push(finding(this.file, pair.key, `"${key}" ${what}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`));
    }
  }

  private loops(node: YamlMap): void {
    const loop = findPair(node, 'loop');
    const withKeys = node.pairs.filter((pair) => keyName(pair)?.startsWith('with_'));
    if (loop && withKeys.length > 0) {
      this.findings.push(finding(this.file, withKeys[0].key, `"loop" and "${keyName(withKeys[0])}" cannot be used together: keep one of them.`, TASK_ACTION_RULE));
    } else if (withKeys.length > 1) {
      this.findings.push(finding(this.file, withKeys[1].key, `A task loops once: "${keyName(withKeys[0])}" and "${keyName(withKeys[1])}" cannot be used together.`, TASK_ACTION_RULE));
    }
  }
}
