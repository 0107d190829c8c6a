/**
 * GitOps: Roll Back…: pick a recent commit that changed IaC files (with the title of the PR
 * it came from); a dry run makes the revert commit, whose plan is shown in the plan panel;
 * confirm, and the language server opens a "Revert: …" PR made with `git revert` on a branch
 * of its own, the plan in its body. The live environment changes only when that PR is merged
 * and applied, like any other change.
 */
import * as vscode from 'vscode';
import { PlanRequest, RevertPrRequest, RollbackCandidatesRequest, type RevertPrParams, type RollbackCandidate } from '../../../server/src/protocol';
import { describeCounts } from '../../../server/src/plan/model';
import { renderPlanMarkdown } from '../../../server/src/plan/render';
import type { PlanReport } from '../../../server/src/plan/types';
import type { CommandFactory, Ctx } from '../ctx';
import { showPlan } from '../plan/previewPlan';
import { requireTrust } from './createPr';
import { forgeAccess } from './forgeTokens';
import { reportUnexpectedFailure, showPrCreated, showPrFailure } from './prOutcome';
import { readSettings } from './workflowSettings';

const TITLE = 'Roll Back';

function describeCandidate(candidate: RollbackCandidate): vscode.QuickPickItem & { candidate: RollbackCandidate } {
  const date = new Date(candidate.date);
  const when = Number.isNaN(date.getTime()) ? candidate.date : date.toLocaleString();
  return {
    label: candidate.pullRequest ? `#${candidate.pullRequest.number} ${candidate.pullRequest.title}` : candidate.subject,
    description: `${candidate.sha.slice(0, 7)} · ${candidate.author} · ${when}`,
    detail: candidate.files.length > 4 ? `${candidate.files.slice(0, 4).join(', ')} and ${candidate.files.length - 4} more` : candidate.files.join(', '),
    candidate,
  };
}

/** The plan of the revert, or why there is none: words for the confirmation. */
type RevertPlan = { report: PlanReport } | { unavailable: string };

async function confirmRevert(candidate: RollbackCandidate, plan: RevertPlan): Promise<boolean> {
  const what = candidate.pullRequest ? `#${candidate.pullRequest.number} ${candidate.pullRequest.title}` : candidate.subject;
  const create = 'Create Revert PR';
  const planned = 'report' in plan ? `Plan of the revert (shown in the plan panel): ${describeCounts(plan.report.counts)}.` : `The plan of the revert is not available: ${plan.unavailable}`;
  const choice = await vscode.window.showWarningMessage(
    `Open a pull request that reverts "${what}"?`,
    {
      modal: true,
      detail:
        `${planned}\n\nA new branch gets \`git revert ${candidate.sha.slice(0, 12)}\`, is pushed, and a "Revert: …" pull request is opened. ` +
        'Your current branch and uncommitted changes are not touched, and nothing changes live until that pull request is merged and applied.',
    },
    create,
  );
  return choice === create;
}

/** Plans the revert commit a dry run made (PlanParams.head) against the PR's base. */
async function planRevert(ctx: Ctx, folder: string | undefined, base: string, commit: string | undefined): Promise<RevertPlan> {
  if (!commit) return { unavailable: 'the dry run named no revert commit.' };
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Previewing the plan of the revert (nothing is applied)…', cancellable: true },
      (_progress, token) => ctx.sendRequest(PlanRequest.type, { ...(folder ? { folder } : {}), base, head: commit }, token),
    );
    showPlan(ctx, report, 'GitOps Plan: Revert');
    return { report };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.outputChannel.warn(`The plan of the revert is not available: ${reason}`);
    return { unavailable: reason };
  }
}

export async function rollBack(ctx: Ctx): Promise<void> {
  if (!(await requireTrust(TITLE))) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString();
  const { candidates } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Reading the history of IaC changes…' },
    () => ctx.sendRequest(RollbackCandidatesRequest.type, { folder, limit: 30 }),
  );
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No recent commit changed an IaC file, so there is nothing to roll back.');
    return;
  }
  const picked = await vscode.window.showQuickPick(candidates.map(describeCandidate), {
    title: `${TITLE}: which change?`,
    placeHolder: 'Recent commits that changed IaC files, newest first',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;

  const settings = readSettings(folder ? vscode.Uri.parse(folder) : undefined);
  const target: RevertPrParams = { folder, sha: picked.candidate.sha, base: settings.pr.baseBranch || undefined };
  const preview = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Making the revert commit (no branch is kept)…' },
    () => ctx.sendRequest(RevertPrRequest.type, { ...target, dryRun: true }),
  );
  if (!preview.ok) {
    await showPrFailure(ctx, preview);
    return;
  }
  const plan = await planRevert(ctx, folder, preview.base, preview.commit);
  if (!(await confirmRevert(picked.candidate, plan))) return;
  const access = await forgeAccess(preview.provider, settings, ctx.extensionContext.secrets);
  if (!access) return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: TITLE },
    async (progress) => {
      progress.report({ message: 'Reverting, pushing and opening the pull request…' });
      // The PR's revert commit is made again from the same HEAD, so the plan previewed is its plan.
      const body = 'report' in plan ? { plan: renderPlanMarkdown(plan.report, { headingLevel: 3 }) } : {};
      return ctx.sendRequest(RevertPrRequest.type, { ...target, ...access, ...body });
    },
  );
  if (!result.ok) {
    await showPrFailure(ctx, result, preview.provider);
    return;
  }
  await showPrCreated(result, false);
}

export const rollback: CommandFactory = (ctx) => async () => {
  try {
    await rollBack(ctx);
  } catch (error) {
    reportUnexpectedFailure(ctx, TITLE, error);
  }
};
