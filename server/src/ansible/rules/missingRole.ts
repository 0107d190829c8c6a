/**
 * `ansible/missing-role`: a role named in a play's `roles:` or by `include_role`/`import_role`
 * that no folder Ansible searches contains (`roles/` beside the playbook, roles_path, …; see
 * AnsibleWorkspace.roleExists). Ansible fails on it when the playbook starts (or, for
 * include_role, when the task runs). Roles of collections (`ns.coll.role`) and templated names
 * are not judged: they live outside the workspace or are known only at run time.
 */
import type { Finding } from '../../core/types';
import { resolveAlias } from '../../yaml/compose';
import { findPair } from '../../yaml/path';
import { allTasks, findingAt, isBuiltinModule, stringScalar, type AnsibleRule } from './ruleSupport';

const ROLE_INCLUDES = new Set(['include_role', 'import_role']);

function isJudged(name: string): boolean {
  return name.trim() !== '' && !name.includes('{{') && name.split('.').length < 3;
}

export const missingRole: AnsibleRule = {
  id: 'ansible/missing-role',
  defaultSeverity: 'warning',
  description: 'Roles used by a play or by include_role/import_role must exist where Ansible looks for roles (roles/ beside the playbook, roles_path).',
  check(file, context) {
    const findings: Finding[] = [];
    const message = (name: string): string => `Role "${name}" is not found where Ansible looks for roles from this file (roles/ beside the playbook, the roles_path of ansible.cfg, the playbook's folder, or beside this role).`;
    for (const play of file.plays) {
      for (const role of play.roles) {
        if (!isJudged(role.name) || context.roleExists(role.name, file.uri)) continue;
        findings.push({ range: role.range, severity: missingRole.defaultSeverity, rule: missingRole.id, message: message(role.name) });
      }
    }
    for (const { task } of allTasks(file)) {
      if (!task.action || !isBuiltinModule(task.action, ROLE_INCLUDES)) continue;
      const args = task.action.args && resolveAlias(task.action.args);
      const nameNode = args?.kind === 'map' ? stringScalar(findPair(args, 'name')?.value) : undefined;
      const roleName = nameNode?.value as string | undefined;
      if (!nameNode || !roleName || !isJudged(roleName) || context.roleExists(roleName, file.uri)) continue;
      findings.push(findingAt(file, nameNode, missingRole, message(roleName)));
    }
    return findings;
  },
};
