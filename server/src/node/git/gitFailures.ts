/**
 * Words for what git said when a remote operation failed: refused (a hook, a branch that
 * moved), credentials, or the network. Matched on git's English messages (LC_ALL=C).
 */
import type { PrFailureReason } from '../../protocol';
import { NOTHING_CHANGED, PrError, withoutCredentials } from '../../gitops/pr/failure';

const AUTH = /Authentication failed|could not read Username|could not read Password|terminal prompts disabled|Permission denied|returned error: 40[13]|Invalid username or password|access denied|HTTP Basic: Access denied/i;
const NETWORK = /Could not resolve host|Connection refused|Connection timed out|timed out|Network is unreachable|unable to access|Could not read from remote repository|does not appear to be a git repository|block timeout reached|Operation timed out|Failed to connect/i;
const REJECTED = /\[rejected\]|\[remote rejected\]|non-fast-forward|hook declined|failed to push some refs|fetch first/i;

/** The lines of git's output worth showing: the remote's own words and the error, not progress. */
function gitSaid(text: string): string {
  const lines = withoutCredentials(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^(To |hint:|Enumerating|Counting|Compressing|Writing|Total|Delta)/.test(line));
  return lines.slice(0, 6).join(' ');
}

export function remoteFailure(operation: string, remote: string, errorText: string): PrError {
  const said = gitSaid(errorText);
  let reason: PrFailureReason = 'network';
  let nextStep = `Check that ${remote} can be reached (git fetch ${remote}), then try again.`;
  if (REJECTED.test(errorText)) {
    reason = 'push-rejected';
    nextStep = 'If a hook refused the push, its message says why; if the branch exists on the remote, choose another branch name.';
  } else if (AUTH.test(errorText)) {
    reason = 'auth-failed';
    nextStep = `Check your git credentials for ${remote} (git push works in a terminal), then try again.`;
  } else if (!NETWORK.test(errorText)) {
    nextStep = `Run git ${operation} ${remote} in a terminal to see the problem, then try again.`;
  }
  return new PrError(reason, `git ${operation} to ${remote} failed: ${said} ${NOTHING_CHANGED}`, nextStep);
}

/** Git cannot make a commit without a name and an e-mail address. */
export function localFailure(operation: string, errorText: string): PrError {
  if (/Please tell me who you are|empty ident|unable to auto-detect email/i.test(errorText)) {
    return new PrError('bad-request', `git has no author name and e-mail to commit with. ${NOTHING_CHANGED}`, 'Set them with git config --global user.name "Your Name" and git config --global user.email you@example.com, then try again.');
  }
  return new PrError('bad-request', `git ${operation} failed: ${gitSaid(errorText)} ${NOTHING_CHANGED}`, `Run git ${operation} in a terminal to see the problem.`);
}
