/**
 * `ansible/command-instead-of-shell`: `shell:` starts a shell for a command that uses none of
 * its features (pipes, redirections, variables, globs, `&&`, builtins such as `cd`). The
 * command module runs it directly: faster, and with no shell to interpret the arguments.
 */
import type { Finding } from '../../core/types';
import { allTasks, argumentOf, commandTextOf, findingAt, isBuiltinModule, moduleNameSpan, replaceFix, type AnsibleRule } from './ruleSupport';

const SHELL = new Set(['shell']);

/** Characters only a shell gives meaning to (as ansible-lint counts them), and `~` for the home folder. */
const SHELL_CHARACTERS = /[&|<>;$\n*?[\]{}`~]/;
/** Commands that exist only inside a shell, or that need one to mean anything. */
const SHELL_BUILTINS = new Set(['cd', 'source', '.', 'export', 'set', 'unset', 'ulimit', 'umask', 'alias', 'eval', 'exec', 'trap', 'read', 'type', 'pushd', 'popd', 'shopt', 'for', 'if', 'while', 'until', 'case', 'function']);
/** `VAR=value command` sets a variable for the command: the command module would run `VAR=value` itself. */
const ENVIRONMENT_PREFIX = /^\s*[A-Za-z_][A-Za-z0-9_]*=/;

function needsShell(command: string): boolean {
  // Templates are rendered before the shell sees the text: their braces and pipes are not shell syntax.
  const rendered = command.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g, 'TEMPLATE');
  if (SHELL_CHARACTERS.test(rendered) || ENVIRONMENT_PREFIX.test(rendered)) return true;
  const first = /\S+/.exec(rendered)?.[0];
  return first !== undefined && SHELL_BUILTINS.has(first);
}

export const commandInsteadOfShell: AnsibleRule = {
  id: 'ansible/command-instead-of-shell',
  defaultSeverity: 'warning',
  description: 'Use command rather than shell when the command needs no shell features (pipes, redirections, variables, globs).',
  check(file) {
    const findings: Finding[] = [];
    for (const { task } of allTasks(file)) {
      const action = task.action;
      if (!action || !isBuiltinModule(action, SHELL)) continue;
      // The command module has no `executable`: a shell chosen on purpose stays.
      if (argumentOf(file, action, 'executable')) continue;
      const command = commandTextOf(action);
      if (!command || needsShell(command.text)) continue;
      const span = moduleNameSpan(file, action);
      if (!span) continue;
      const written = file.lines.text.slice(span.start, span.end);
      const replacement = written.replace(/shell$/, 'command');
      const fixes = replacement !== written ? [replaceFix(file, `Change "${written}" to "${replacement}"`, span, replacement)] : [];
      findings.push(findingAt(file, span, commandInsteadOfShell, 'This command uses no shell features (pipes, redirections, variables, globs): run it with the command module instead of shell.', fixes));
    }
    return findings;
  },
};
