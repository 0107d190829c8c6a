/**
 * `ansible/command-instead-of-module`: `command:`/`shell:` running a program that a module
 * manages (`apt-get install`, `systemctl restart`, `git clone`, `mkdir`, …). The module is
 * idempotent, reports whether it changed anything and supports check mode; the command does
 * none of that. Read-only subcommands (`git log`, `systemctl status`) are fine.
 */
import type { Finding } from '../../core/types';
import { resolveAlias } from '../../yaml/compose';
import { findPair } from '../../yaml/path';
import type { AnsibleFile, TaskAction } from '../types';
import { allTasks, commandSpan, commandTextOf, findingAt, isBuiltinModule, stringScalar, type AnsibleRule } from './ruleSupport';
import type { SourceSpan } from '../scalarSource';

const COMMAND_MODULES = new Set(['command', 'shell']);

/** Program → the module (and, for `ansible.builtin.file`, the argument) to use instead. */
const MODULE_FOR: Record<string, string> = {
  'apt-get': 'ansible.builtin.apt', apt: 'ansible.builtin.apt', 'apt-key': 'ansible.builtin.apt_key',
  yum: 'ansible.builtin.yum', dnf: 'ansible.builtin.dnf', rpm: 'ansible.builtin.yum or ansible.builtin.rpm_key',
  pip: 'ansible.builtin.pip', pip3: 'ansible.builtin.pip',
  git: 'ansible.builtin.git', svn: 'ansible.builtin.subversion', hg: 'community.general.hg',
  systemctl: 'ansible.builtin.systemd', service: 'ansible.builtin.service', chkconfig: 'ansible.builtin.service',
  curl: 'ansible.builtin.get_url or ansible.builtin.uri', wget: 'ansible.builtin.get_url or ansible.builtin.uri',
  tar: 'ansible.builtin.unarchive', unzip: 'ansible.builtin.unarchive',
  mount: 'ansible.posix.mount', patch: 'ansible.posix.patch', rsync: 'ansible.posix.synchronize',
  sed: 'ansible.builtin.lineinfile, ansible.builtin.replace or ansible.builtin.template', mktemp: 'ansible.builtin.tempfile',
  useradd: 'ansible.builtin.user', usermod: 'ansible.builtin.user', userdel: 'ansible.builtin.user',
  groupadd: 'ansible.builtin.group', groupdel: 'ansible.builtin.group', crontab: 'ansible.builtin.cron',
  hostname: 'ansible.builtin.hostname', supervisorctl: 'community.general.supervisorctl', letsencrypt: 'community.crypto.acme_certificate',
  mkdir: 'ansible.builtin.file with state=directory', rmdir: 'ansible.builtin.file with state=absent',
  rm: 'ansible.builtin.file with state=absent', chmod: 'ansible.builtin.file with mode', chown: 'ansible.builtin.file with owner',
  chgrp: 'ansible.builtin.file with group', ln: 'ansible.builtin.file with state=link', touch: 'ansible.builtin.file with state=touch',
};

/** Subcommands that only read, or that no module covers: running them as a command is right. */
const ALLOWED_SUBCOMMANDS: Record<string, ReadonlySet<string>> = {
  git: new Set(['branch', 'log', 'lfs', 'rev-parse', 'status', 'describe', 'diff', 'show', 'ls-remote', 'config']),
  systemctl: new Set(['--version', 'kill', 'set-default', 'show-environment', 'status', 'show', 'is-active', 'is-enabled', 'is-failed', 'list-units', 'list-unit-files', 'cat']),
  yum: new Set(['clean', 'history', 'info', 'list', 'check-update']),
  dnf: new Set(['clean', 'history', 'info', 'list', 'check-update']),
  rpm: new Set(['--nodeps', '-q', '-qa', '-qi', '-ql', '--query', '--version']),
  'apt-get': new Set(['--version', 'check', 'changelog']),
  apt: new Set(['list', 'show', 'search', 'policy']),
  service: new Set(['--status-all']),
  pip: new Set(['list', 'show', 'freeze', '--version']),
  pip3: new Set(['list', 'show', 'freeze', '--version']),
};

interface Program {
  executable: string;
  subcommand: string | undefined;
  span: SourceSpan;
}

/** The program a command runs (the first word of its text, or the first item of `argv`). */
function programOf(file: AnsibleFile, action: TaskAction): Program | undefined {
  const command = commandTextOf(action);
  if (command) {
    const words = [...command.text.matchAll(/\S+/g)];
    if (words.length === 0) return undefined;
    const first = words[0];
    return {
      executable: first[0],
      subcommand: words[1]?.[0],
      span: commandSpan(file, command, first.index!, first.index! + first[0].length),
    };
  }
  const args = action.args && resolveAlias(action.args);
  const argv = args?.kind === 'map' ? findPair(args, 'argv')?.value : undefined;
  const list = argv && resolveAlias(argv);
  if (list?.kind !== 'seq' || list.items.length === 0) return undefined;
  const first = stringScalar(list.items[0]);
  if (!first) return undefined;
  return { executable: first.value as string, subcommand: stringScalar(list.items[1])?.value as string | undefined, span: { start: first.start, end: first.end } };
}

export const commandInsteadOfModule: AnsibleRule = {
  id: 'ansible/command-instead-of-module',
  defaultSeverity: 'warning',
  description: 'Use the module made for the job (apt, systemd, git, get_url, file, …) instead of running its program with command or shell.',
  check(file) {
    const findings: Finding[] = [];
    for (const { task } of allTasks(file)) {
      if (!task.action || !isBuiltinModule(task.action, COMMAND_MODULES)) continue;
      const program = programOf(file, task.action);
      if (!program || program.executable.includes('{{')) continue;
      const executable = program.executable.slice(program.executable.lastIndexOf('/') + 1);
      if (!Object.hasOwn(MODULE_FOR, executable)) continue;
      if (program.subcommand && ALLOWED_SUBCOMMANDS[executable]?.has(program.subcommand)) continue;
      findings.push(findingAt(file, program.span, commandInsteadOfModule,
        `"${executable}" is run as a command: use ${MODULE_FOR[executable]} instead, which is idempotent, reports changes and supports check mode.`));
    }
    return findings;
  },
};
