/**
 * `ansible/fqcn`: a short module name (`copy`) means whatever module of that name the search
 * path finds first: a collection or a local `library/` module can take its place. The fully
 * qualified name (`ansible.builtin.copy`) always means the same module. Only names the module
 * catalogue resolves are reported, so the fix is always the right name.
 */
import type { Finding } from '../../core/types';
import { allTasks, findingAt, moduleNameSpan, replaceFix, type AnsibleRule } from './ruleSupport';

export const fqcn: AnsibleRule = {
  id: 'ansible/fqcn',
  defaultSeverity: 'warning',
  description: 'Modules should be named by their fully qualified collection name (ansible.builtin.copy, not copy).',
  check(file) {
    const findings: Finding[] = [];
    for (const { task } of allTasks(file)) {
      const action = task.action;
      const module = action?.module;
      if (!action || !module || action.name === module.fqcn) continue;
      const span = moduleNameSpan(file, action);
      if (!span) continue;
      const legacy = action.name.startsWith('ansible.legacy.');
      const message = legacy
        ? `"${action.name}" also finds modules in local library/ folders: use "${module.fqcn}".`
        : `Use the fully qualified name "${module.fqcn}" rather than "${action.name}", so no other module of that name can take its place.`;
      findings.push(findingAt(file, span, fqcn, message, [replaceFix(file, `Change "${action.name}" to "${module.fqcn}"`, span, module.fqcn)]));
    }
    return findings;
  },
};
