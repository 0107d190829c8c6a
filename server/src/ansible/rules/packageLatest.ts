/**
 * `ansible/package-latest`: `state: latest` upgrades a package whenever a new version is
 * published, so two runs of the same playbook can install different software. Pin a version
 * or use `state: present`; `update_only`/`only_upgrade` (upgrading what is installed) are fine.
 */
import type { Finding } from '../../core/types';
import { allTasks, argumentOf, findingAt, moduleShortName, type AnsibleRule } from './ruleSupport';

const PACKAGE_MANAGERS = new Set([
  'apk', 'apt', 'bower', 'bundler', 'dnf', 'easy_install', 'gem', 'homebrew', 'jenkins_plugin', 'npm', 'openbsd_package',
  'openbsd_pkg', 'package', 'pacman', 'pear', 'pip', 'pkg5', 'pkgutil', 'portage', 'slackpkg', 'sorcery', 'swdepot',
  'win_chocolatey', 'yarn', 'yum', 'zypper',
]);

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^(yes|true|on|1)$/i.test(value));
}

export const packageLatest: AnsibleRule = {
  id: 'ansible/package-latest',
  defaultSeverity: 'warning',
  description: 'Package managers should not install with state: latest; pin a version or use state: present.',
  check(file) {
    const findings: Finding[] = [];
    for (const { task } of allTasks(file)) {
      const action = task.action;
      if (!action || !PACKAGE_MANAGERS.has(moduleShortName(action))) continue;
      const state = argumentOf(file, action, 'state');
      if (state?.value !== 'latest') continue;
      if (argumentOf(file, action, 'version') || ['update_only', 'only_upgrade'].some((key) => isTrue(argumentOf(file, action, key)?.value))) continue;
      findings.push(findingAt(file, state.span, packageLatest,
        '"state: latest" installs whatever version is newest at run time, so runs are not repeatable: pin a version or use "state: present".'));
    }
    return findings;
  },
};
