/**
 * `ansible/undefined-handler`: a `notify:` naming no handler (nor `listen` topic) of its play
 * or role. Ansible stops the play with "The requested handler was not found" only when the
 * task reports a change, so a misspelt handler name can hide for a long time.
 *
 * In a playbook each play is checked against its own handlers, plus those of its roles as the
 * workspace knows them; in a role's task file, against what the workspace says its role and
 * the plays using it define. Nothing is said when the set of handlers cannot be known (a task
 * file outside a role, handlers pulled in with include_tasks, templated names).
 */
import type { Finding } from '../../core/types';
import { resolveAlias, type YamlNode, type YamlScalar } from '../../yaml/compose';
import { findPair } from '../../yaml/path';
import type { AnsibleCheckContext, AnsibleFile, AnsiblePlay, AnsibleTask } from '../types';
import { allTasks, findingAt, isBuiltinModule, stringScalar, type AnsibleRule } from './ruleSupport';

const TASK_INCLUDES = new Set(['include_tasks', 'import_tasks', 'include']);
const ROLE_INCLUDES = new Set(['include_role', 'import_role']);

/** The handler names a task notifies, one scalar each. */
function notifiedNames(task: AnsibleTask): YamlScalar[] {
  const value = findPair(task.node, 'notify')?.value;
  const target = value && resolveAlias(value);
  const items: YamlNode[] = target?.kind === 'seq' ? target.items : target ? [target] : [];
  return items.map(stringScalar).filter((node): node is YamlScalar => node !== undefined);
}

function flatten(tasks: readonly AnsibleTask[]): AnsibleTask[] {
  return tasks.flatMap((task) => [task, ...flatten(task.children)]);
}

/** A play's own handler names and topics; undefined when some cannot be known (templated, or pulled in by an include). */
function playHandlerNames(play: AnsiblePlay): Set<string> | undefined {
  const names = new Set<string>();
  for (const handler of flatten(play.handlers)) {
    if (handler.action && isBuiltinModule(handler.action, TASK_INCLUDES)) return undefined;
    if (handler.name !== undefined) {
      if (handler.name.includes('{{')) return undefined;
      names.add(handler.name);
    }
    const listen = findPair(handler.node, 'listen')?.value;
    const topics = listen && resolveAlias(listen);
    for (const topic of topics?.kind === 'seq' ? topics.items : topics ? [topics] : []) {
      const text = stringScalar(topic);
      if (text) names.add(text.value as string);
    }
  }
  return names;
}

function usesRoles(play: AnsiblePlay): boolean {
  return play.roles.length > 0 || flatten(play.tasks).some((task) => task.action !== undefined && isBuiltinModule(task.action, ROLE_INCLUDES));
}

/** Handlers the tasks of `play` may notify, or undefined when they cannot be known. */
function definedForPlay(file: AnsibleFile, play: AnsiblePlay, context: AnsibleCheckContext): ReadonlySet<string> | undefined {
  const own = playHandlerNames(play);
  if (!own || !usesRoles(play)) return own;
  const withRoles = context.handlerNamesFor(file.uri);
  return withRoles ? new Set([...own, ...withRoles]) : undefined;
}

export const undefinedHandler: AnsibleRule = {
  id: 'ansible/undefined-handler',
  defaultSeverity: 'warning',
  description: 'notify must name a handler (or listen topic) defined in the play or role.',
  check(file, context) {
    const findings: Finding[] = [];
    const definedByPlay = new Map<AnsiblePlay, ReadonlySet<string> | undefined>();
    const fileHandlers = file.plays.length === 0 ? context.handlerNamesFor(file.uri) : undefined;
    for (const { task, play } of allTasks(file)) {
      const notified = notifiedNames(task);
      if (notified.length === 0) continue;
      if (play && !definedByPlay.has(play)) definedByPlay.set(play, definedForPlay(file, play, context));
      const defined = play ? definedByPlay.get(play) : fileHandlers;
      if (!defined) continue;
      for (const node of notified) {
        const handler = node.value as string;
        if (handler.includes('{{') || defined.has(handler)) continue;
        const where = play ? 'this play or its roles' : 'this role';
        findings.push(findingAt(file, node, undefinedHandler, `No handler named or listening to "${handler}" is defined in ${where}: Ansible fails when this task reports a change.`));
      }
    }
    return findings;
  },
};
