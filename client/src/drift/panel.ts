/**
 * Puts the drift feature together: the report keeper, the "GitOps" container's Drift view,
 * the diff documents, code lenses and actions, the status bar count and the commands. The
 * first time the view is shown it reads the live state; afterwards on Refresh, when the live
 * source's settings change, or every `gitopsIac.drift.autoRefreshSeconds` while visible.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { ADOPT_LIVE_COMMAND, AdoptLiveCodeActions, adoptLiveValue, type AdoptTarget } from './adoptLive';
import { DriftCodeLensProvider } from './codeLens';
import { chooseContext } from './contextPicker';
import { DRIFT_SCHEME, DriftDocumentProvider, openDiff, type DiffTarget } from './diffDocuments';
import { AutoRefresh, DRIFT_SETTINGS_SECTION, DRIFT_VIEW_ID, DriftRefresher } from './refresh';
import { DriftStatusBar, FOCUS_COMMAND } from './statusBar';
import { DriftTreeProvider, OPEN_DIFF_COMMAND, OPEN_SETTINGS_COMMAND } from './treeProvider';

const REFRESH_COMMAND = 'gitopsIac.drift.refresh';
const CHOOSE_CONTEXT_COMMAND = 'gitopsIac.drift.chooseContext';
const MANIFESTS: vscode.DocumentSelector = [{ scheme: 'file', language: 'yaml' }];

export function registerDriftPanel(ctx: Ctx): void {
  const refresher = new DriftRefresher(ctx);
  const tree = new DriftTreeProvider(refresher);
  const view = vscode.window.createTreeView(DRIFT_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const documents = new DriftDocumentProvider(refresher);
  const codeLenses = new DriftCodeLensProvider(refresher);

  ctx.extensionContext.subscriptions.push(
    refresher,
    tree,
    view,
    documents,
    codeLenses,
    new DriftStatusBar(refresher),
    new AutoRefresh(refresher, view),
    vscode.workspace.registerTextDocumentContentProvider(DRIFT_SCHEME, documents),
    vscode.languages.registerCodeLensProvider(MANIFESTS, codeLenses),
    vscode.languages.registerCodeActionsProvider(MANIFESTS, new AdoptLiveCodeActions(refresher), {
      providedCodeActionKinds: AdoptLiveCodeActions.kinds,
    }),
    loadWhenFirstShown(view, refresher),
    refreshOnSettingsChange(refresher),
  );

  ctx.registerCommand(REFRESH_COMMAND, () => () => refresher.refresh());
  ctx.registerCommand(OPEN_DIFF_COMMAND, () => (target?: unknown) => openDiffOf(target));
  ctx.registerCommand(ADOPT_LIVE_COMMAND, () => (target?: unknown) => adoptLiveValue(target as AdoptTarget | undefined));
  ctx.registerCommand(FOCUS_COMMAND, () => () => vscode.commands.executeCommand(`${DRIFT_VIEW_ID}.focus`));
  ctx.registerCommand(CHOOSE_CONTEXT_COMMAND, () => () => chooseContext());
  ctx.registerCommand(OPEN_SETTINGS_COMMAND, () => () => vscode.commands.executeCommand('workbench.action.openSettings', DRIFT_SETTINGS_SECTION));
}

/** The view reads the live state the first time it is shown, so opening it is enough. */
function loadWhenFirstShown(view: vscode.TreeView<unknown>, refresher: DriftRefresher): vscode.Disposable {
  const load = (): boolean => {
    if (!view.visible || vscode.workspace.workspaceFolders === undefined) return false;
    if (!refresher.current.report && !refresher.current.loading) void refresher.refresh();
    return true;
  };
  if (load()) return new vscode.Disposable(() => undefined);
  const subscription = view.onDidChangeVisibility(() => {
    if (load()) subscription.dispose();
  });
  return subscription;
}

/** Another cluster, context, namespace or snapshot: a report already shown is read again from it. */
function refreshOnSettingsChange(refresher: DriftRefresher): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    const source = ['kubeconfig', 'context', 'namespace', 'snapshot', 'includeUnmanaged'].some((key) => event.affectsConfiguration(`${DRIFT_SETTINGS_SECTION}.${key}`));
    if (source && refresher.current.report) void refresher.refresh();
  });
}

/** From the tree (the node), a code lens (a target) or the palette (nothing: say what to do). */
async function openDiffOf(target: unknown): Promise<void> {
  const candidate = target as Partial<DiffTarget> | undefined;
  if (!candidate?.environment || !candidate.resource) {
    void vscode.window.showInformationMessage('Pick a resource in the Drift view to compare git with live.');
    return;
  }
  await openDiff({ environment: candidate.environment, resource: candidate.resource });
}
