/**
 * `ansible/no-changed-when`: command, shell and raw always report "changed", so a run never
 * shows whether anything changed and handlers fire every time. `changed_when:` says when the
 * task did change something; `creates:`/`removes:` make it skip when there is nothing to do.
 * Handlers are exempt: they run only when notified.
 */
import type { Finding } from '../../core/types';
import { findPair } from '../../yaml/path';
import { allTasks, argumentOf, findingAt, isBuiltinModule, moduleNameSpan, type AnsibleRule } from './ruleSupport';

const COMMANDS = new Set(['command', 'shell', 'raw']);

export const noChangedWhen: AnsibleRule = {
  id: 'ansible/no-changed-when',
  defaultSeverity: 'warning',
  description: 'Commands (command, shell, raw) should say when they change something: changed_when, or creates/removes.',
  check(file) {
    const findings: Finding[] = [];
    for (const { task } of allTasks(file)) {
      const action = task.action;
      if (!action || task.isHandler || !isBuiltinModule(action, COMMANDS)) continue;
      if (findPair(task.node, 'changed_when')) continue;
      if (argumentOf(file, action, 'creates') || argumentOf(file, action, 'removes')) continue;
      const span = moduleNameSpan(file, action) ?? action.pair.key;
      findings.push(findingAt(file, span, noChangedWhen,
        'This command always reports "changed": add "changed_when:" (for example changed_when: false for a read-only command), or "creates:"/"removes:" so it runs only when needed.'));
    }
    return findings;
  },
};
