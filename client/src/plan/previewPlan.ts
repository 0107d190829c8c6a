/**
 * GitOps: Preview Plan: asks the server for the plan of this branch against its base, and
 * shows it in a webview panel (planHtml.ts). Source links open the file at the resource.
 * Roll Back… shows the plan of its revert commit in the same panel.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { PlanRequest } from '../../../server/src/protocol';
import type { PlanReport } from '../../../server/src/plan/types';
import type { CommandFactory, Ctx } from '../ctx';
import { isOpenSourceMessage, linkedUris, renderPlanHtml } from './planHtml';

const VIEW_TYPE = 'gitopsIac.plan';

export function showPlan(ctx: Ctx, report: PlanReport, title = 'GitOps Plan'): void {
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
  panel.webview.html = renderPlanHtml(report, { nonce: randomBytes(16).toString('base64') });
  const allowed = linkedUris(report);
  panel.webview.onDidReceiveMessage(async (message: unknown) => {
    // The page may only open what it was given to link to.
    if (!isOpenSourceMessage(message) || !allowed.has(message.uri)) return;
    try {
      const position = new vscode.Position(message.line, message.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
    } catch (error) {
      ctx.reportError('Opening the source of the plan failed', error);
    }
  });
}

export const previewPlan: CommandFactory = (ctx) => async () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('Open a folder inside a git repository to preview its plan.');
    return;
  }
  const base = await vscode.window.showInputBox({ title: 'Preview Plan', prompt: 'The branch this one would merge into', value: 'main', ignoreFocusOut: true });
  if (base === undefined) return;
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Previewing the plan (nothing is applied)…', cancellable: true },
      (_progress, token) => ctx.sendRequest(PlanRequest.type, { folder: folder.uri.toString(), base: base.trim() || 'main' }, token),
    );
    showPlan(ctx, report);
  } catch (error) {
    ctx.reportError('Preview Plan failed', error);
  }
};
