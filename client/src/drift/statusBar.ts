/**
 * The status bar count of resources that do not match git ("$(diff) 3 drifted"), hidden until
 * a report has been read and whenever everything is in sync; a click shows the Drift view.
 */
import * as vscode from 'vscode';
import { countResources, countsTooltip } from '../../../server/src/drift/labels';
import type { DriftRefresher, DriftSnapshot } from './refresh';

export const FOCUS_COMMAND = 'gitopsIac.drift.focus';

export class DriftStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gitopsIac.drift', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(refresher: DriftRefresher) {
    this.item.name = 'GitOps Drift';
    this.item.command = FOCUS_COMMAND;
    this.subscription = refresher.onDidChange((snapshot) => this.show(snapshot));
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private show({ report, loading }: DriftSnapshot): void {
    // While loading, the last count stays: it is still the best known answer.
    if (loading) return;
    const counts = countResources(report);
    const outOfSync = counts.drifted + counts.missing + counts.unmanaged;
    if (!report || outOfSync === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(diff) ${outOfSync} drifted`;
    this.item.tooltip = countsTooltip(counts);
    this.item.show();
  }
}
