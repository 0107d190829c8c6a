/**
 * How the outcome of Create GitOps PR and Roll Back… is told: the link to the pull request,
 * or what went wrong with the next step and a button that takes it.
 */
import * as vscode from 'vscode';
import type { PrCreated, PrFailure, PrFinding } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';

const OPEN = 'Open';

/** "Pull request #12", "Draft merge request !3". */
function pullRequestLabel(result: PrCreated, draft: boolean): string {
  const gitlab = result.provider === 'gitlab';
  const noun = gitlab ? 'merge request' : 'pull request';
  const label = draft ? `Draft ${noun}` : `${noun.charAt(0).toUpperCase()}${noun.slice(1)}`;
  return result.number === undefined ? label : `${label} ${gitlab ? '!' : '#'}${result.number}`;
}

export async function showPrCreated(result: PrCreated, draft: boolean): Promise<void> {
  if (result.provider === 'compare') {
    // No API for this host: the user opens the PR on the compare page of the pushed branch.
    await vscode.env.openExternal(vscode.Uri.parse(result.url));
    void vscode.window.showInformationMessage(`Pushed ${result.branch}. Create the pull request into ${result.base} on the page that just opened.`);
    return;
  }
  const label = pullRequestLabel(result, draft);
  const message = result.existing
    ? `${label} for ${result.branch} is already open.`
    : `${label} opened: ${result.branch} → ${result.base}.`;
  const choice = await vscode.window.showInformationMessage(message, OPEN);
  if (choice === OPEN) await vscode.env.openExternal(vscode.Uri.parse(result.url));
}

/** The buttons that take the next step for each failure. */
const NEXT_STEP_ACTIONS: Partial<Record<PrFailure['reason'], { label: string; command: string }>> = {
  untrusted: { label: 'Manage Workspace Trust', command: 'workbench.trust.manage' },
  'dirty-conflict': { label: 'Open Source Control', command: 'workbench.view.scm' },
  'detached-head': { label: 'Open Source Control', command: 'workbench.view.scm' },
  'push-rejected': { label: 'Open Source Control', command: 'workbench.view.scm' },
};

export async function showPrFailure(ctx: Ctx, failure: PrFailure, provider?: string): Promise<void> {
  ctx.outputChannel.warn(`Pull request not opened (${failure.reason}): ${failure.message} ${failure.nextStep}`);
  const action =
    failure.reason === 'auth-failed' && provider === 'gitlab' ? { label: 'Set GitLab Token', command: 'gitopsIac.setGitLabToken' } : NEXT_STEP_ACTIONS[failure.reason];
  const buttons = [...(action ? [action.label] : []), 'Show Output'];
  const choice = await vscode.window.showErrorMessage(`${failure.message} ${failure.nextStep}`, ...buttons);
  if (action && choice === action.label) await vscode.commands.executeCommand(action.command);
  else if (choice === 'Show Output') ctx.showOutput();
}

/** `path:line: message` lines for a modal, the first `limit` errors. */
export function describeErrors(findings: readonly PrFinding[], limit = 15): string {
  const errors = findings.filter((finding) => finding.severity === 'error');
  const lines = errors.slice(0, limit).map((finding) => `${finding.path}:${finding.line}: ${finding.message}`);
  if (errors.length > limit) lines.push(`… and ${errors.length - limit} more (see the Problems panel).`);
  return lines.join('\n');
}

/** A failure the server did not describe (it crashed, the request failed): logged, shown, never swallowed. */
export function reportUnexpectedFailure(ctx: Ctx, what: string, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  ctx.outputChannel.error(`${what} failed: ${error instanceof Error && error.stack ? error.stack : detail}`);
  void vscode.window.showErrorMessage(`${what} failed: ${detail}`, 'Show Output').then((choice) => {
    if (choice === 'Show Output') ctx.showOutput();
  });
}
