/**
 * `ansible/name`: an unnamed task or play shows up in a run's output as its module and
 * arguments, and cannot be the target of `--start-at-task`. Blocks are exempt (their tasks
 * carry the names), and so are `import_playbook` entries.
 *
 * `ansible/name-casing` (info): a name that starts with a lowercase letter; names read as
 * sentences in the output. The quick fix capitalises the first letter.
 */
import type { Finding } from '../../core/types';
import type { YamlMap } from '../../yaml/compose';
import { findPair } from '../../yaml/path';
import type { AnsibleFile } from '../types';
import { allTasks, findingAt, replaceFix, stringScalar, type AnsibleRule } from './ruleSupport';
import { sourceSpanOfValue } from '../scalarSource';

/** What to underline on something unnamed: a given key of it, or its first key. */
function anchorOf(node: YamlMap, preferred: string | undefined): { start: number; end: number } {
  const pair = (preferred && findPair(node, preferred)) || node.pairs[0];
  return pair ? pair.key : { start: node.start, end: node.start + 1 };
}

export const name: AnsibleRule = {
  id: 'ansible/name',
  defaultSeverity: 'warning',
  description: 'Every task and play should have a name (blocks are exempt).',
  check(file) {
    const findings: Finding[] = [];
    for (const play of file.plays) {
      if (play.importPlaybook !== undefined || findPair(play.node, 'name')) continue;
      findings.push(findingAt(file, anchorOf(play.node, 'hosts'), name, 'This play has no name: add "name:" saying what it does, so its output is readable.'));
    }
    for (const { task } of allTasks(file)) {
      if (task.children.length > 0 || findPair(task.node, 'block') || findPair(task.node, 'name')) continue;
      const what = task.isHandler ? 'handler' : 'task';
      const anchor = task.action ? task.action.pair.key : anchorOf(task.node, undefined);
      findings.push(findingAt(file, anchor, name, `This ${what} has no name: add "name:" saying what it does, so the run's output is readable and --start-at-task can find it.`));
    }
    return findings;
  },
};

export const nameCasing: AnsibleRule = {
  id: 'ansible/name-casing',
  defaultSeverity: 'info',
  description: 'Task and play names should start with a capital letter.',
  check(file) {
    const named = [...file.plays.map((play) => play.node), ...allTasks(file).map(({ task }) => task.node)];
    return named.flatMap((node) => casingFinding(file, node) ?? []);
  },
};

function casingFinding(file: AnsibleFile, node: YamlMap): Finding | undefined {
  const value = stringScalar(findPair(node, 'name')?.value);
  const text = value?.value as string | undefined;
  if (!value || !text) return undefined;
  const first = text[0];
  // Only letters that have a capital form count: scripts without case are left alone.
  if (first.toLowerCase() !== first || first.toUpperCase() === first) return undefined;
  const letter = sourceSpanOfValue(file.lines.text, value, 0, 1);
  const fixes = letter.exact && letter.end - letter.start === 1 ? [replaceFix(file, 'Capitalise the first letter', letter, first.toUpperCase())] : [];
  return findingAt(file, value, nameCasing, `Names should start with a capital letter: "${first.toUpperCase()}${text.slice(1, 40)}${text.length > 40 ? '…' : ''}".`, fixes);
}
