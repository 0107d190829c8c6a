/**
 * GitOps: Protect Branches: installs the pre-push hook (prePushHook.ts, hookInstaller.ts) in
 * each repository of the workspace, so a direct push to a protected branch is refused with
 * the documented bypass in its message.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { requireTrust } from '../pr/createPr';
import { reportUnexpectedFailure } from '../pr/prOutcome';
import { readSettings } from '../pr/workflowSettings';
import { installPrePushHook } from './hookInstaller';
import { BYPASS_VARIABLE } from './prePushHook';

const TITLE = 'Protect Branches';

async function confirmChain(existingHook: string): Promise<boolean> {
  const keep = 'Keep It and Run It First';
  const choice = await vscode.window.showWarningMessage(
    `This repository already has a pre-push hook (${existingHook}).`,
    {
      modal: true,
      detail: 'GitOps IaC can keep it under another name and run it before its own check, with the same input; a push it refuses stays refused. Nothing is overwritten.',
    },
    keep,
  );
  return choice === keep;
}

export const protectBranches: CommandFactory = (ctx) => async () => {
  if (!(await requireTrust(TITLE))) return;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(`${TITLE}: open the folder of a git repository first.`);
    return;
  }
  for (const folder of folders) {
    const branches = readSettings(folder.uri).protectedBranches;
    try {
      const result = await installPrePushHook(folder.uri.fsPath, { protectedBranches: branches, confirmChain });
      if (!result.installed) {
        void vscode.window.showInformationMessage(`${TITLE}: nothing was installed in ${folder.name}; its pre-push hook is as it was.`);
        continue;
      }
      ctx.outputChannel.info(`Installed the pre-push hook ${result.hookPath} protecting ${branches.join(', ')}${result.chainedHook ? `; it runs ${result.chainedHook} first` : ''}.`);
      void vscode.window.showInformationMessage(
        `Direct pushes to ${branches.join(', ')} are now refused in ${folder.name}. ` +
          `To push anyway, once: ${BYPASS_VARIABLE}=1 git push … or git push --no-verify.`,
      );
    } catch (error) {
      reportUnexpectedFailure(ctx, `${TITLE} in ${folder.name}`, error);
    }
  }
};
