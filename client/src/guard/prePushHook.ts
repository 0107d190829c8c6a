/**
 * The git `pre-push` hook that GitOps: Protect Branches installs: a small POSIX sh script that
 * refuses pushes to protected branches, so changes reach them only through reviewed pull
 * requests. Pure: this file only writes the script's text (hookInstaller.ts puts it on disk).
 */

/** The first line after the shebang; it marks a hook as ours, so re-installing replaces it without asking. */
export const HOOK_MARKER = '# Installed by GitOps IaC (GitOps: Protect Branches).';

/** The environment variable that lets one push through, documented in the hook's message and the README. */
export const BYPASS_VARIABLE = 'GITOPS_ALLOW_DIRECT_PUSH';

export interface PrePushHookOptions {
  /** Branch names, or glob patterns such as `release/*`. */
  protectedBranches: readonly string[];
  /** An existing hook that runs first, with the same arguments and input; its refusal stands. */
  chainedHook?: string;
}

/** Why a branch name cannot go into the hook, or undefined when it can. */
export function invalidBranchPattern(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'a branch name is empty';
  // Git refuses these in ref names too; a newline would also break the script.
  if (/[\s\\~^:?[\x00-\x1f\x7f]/.test(pattern)) return `"${pattern}" is not a valid branch name`;
  return undefined;
}

/** A word for sh, single-quoted so nothing in it is special. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A `case` pattern: the literal parts quoted, `*` left as the glob. */
function casePattern(pattern: string): string {
  return pattern
    .split('*')
    .map((part) => (part === '' ? '' : shellQuote(part)))
    .join('*');
}

export function prePushHookScript(options: PrePushHookOptions): string {
  const problems = options.protectedBranches.map(invalidBranchPattern).filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new Error(`Cannot protect these branches: ${problems.join('; ')}.`);
  if (options.protectedBranches.length === 0) throw new Error('Cannot protect branches: the list of protected branches is empty.');
  const patterns = options.protectedBranches.map(casePattern).join('|');
  const chained = options.chainedHook
    ? [
        '# The hook that was here before runs first, with the same arguments and input.',
        `CHAINED_HOOK=${shellQuote(options.chainedHook)}`,
        'if [ -x "$CHAINED_HOOK" ]; then',
        '  printf \'%s\\n\' "$input" | "$CHAINED_HOOK" "$@" || exit $?',
        'fi',
        '',
      ]
    : [];
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Refuses direct pushes to protected branches: changes reach them through pull requests.',
    `# Bypass once with ${BYPASS_VARIABLE}=1 git push ... or git push --no-verify.`,
    '',
    '# Git writes one line per ref to stdin; keep it, since a chained hook reads it too.',
    'input=$(cat)',
    '',
    ...chained,
    `if [ "\${${BYPASS_VARIABLE}:-}" = 1 ]; then`,
    '  exit 0',
    'fi',
    '',
    'refused=0',
    'while read -r local_ref local_sha remote_ref remote_sha; do',
    '  case "$remote_ref" in',
    '    refs/heads/*) branch=${remote_ref#refs/heads/} ;;',
    '    *) continue ;;',
    '  esac',
    '  case "$branch" in',
    `    ${patterns})`,
    '      echo "gitops-iac: direct pushes to the protected branch \'$branch\' are refused." >&2',
    '      refused=1',
    '      ;;',
    '  esac',
    'done <<EOF',
    '$input',
    'EOF',
    '',
    'if [ "$refused" = 1 ]; then',
    '  echo "gitops-iac: push to a new branch and open a pull request instead (GitOps: Create GitOps PR)." >&2',
    `  echo "gitops-iac: to push anyway, once: ${BYPASS_VARIABLE}=1 git push ...  or  git push --no-verify" >&2`,
    '  exit 1',
    'fi',
    'exit 0',
    '',
  ].join('\n');
}

/** The chained hook named in a hook this module wrote, so re-installing keeps the chain. */
export function chainedHookOf(script: string): string | undefined {
  const match = /^CHAINED_HOOK='((?:[^']|'\\'')*)'$/m.exec(script);
  return match ? match[1].replace(/'\\''/g, "'") : undefined;
}
