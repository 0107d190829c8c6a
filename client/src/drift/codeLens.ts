/**
 * A code lens above each resource of the open manifest that does not match live, summarising
 * what differs ("Drift: replicas 3 → 5 live (kubectl-edit, 5 min ago)"); a click opens the diff.
 */
import * as vscode from 'vscode';
import { OPEN_DIFF_COMMAND } from './treeProvider';
import { lensTitle } from '../../../server/src/drift/labels';
import type { DriftRefresher } from './refresh';

export class DriftCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly refresher: DriftRefresher) {
    this.subscription = refresher.onDidChange((snapshot) => {
      if (!snapshot.loading) this.changed.fire();
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const uri = document.uri.toString();
    const now = new Date();
    const lenses: vscode.CodeLens[] = [];
    for (const environment of this.refresher.current.report?.environments ?? []) {
      for (const resource of environment.resources) {
        if ((resource.status !== 'drifted' && resource.status !== 'missing') || !resource.declaredAt) continue;
        if (vscode.Uri.parse(resource.declaredAt.uri).toString() !== uri) continue;
        const line = resource.declaredAt.range.start.line;
        lenses.push(
          new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
            title: lensTitle(resource, now),
            tooltip: resource.fields.map((field) => field.explanation).join('\n') || undefined,
            command: OPEN_DIFF_COMMAND,
            arguments: [{ environment, resource }],
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
