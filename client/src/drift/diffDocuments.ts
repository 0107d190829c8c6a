/**
 * The two sides of a resource's diff as read-only virtual documents (`gitops-drift:` URIs),
 * holding the normalised YAML the server already masked, and the command that opens VS Code's
 * diff editor on them: "web (git ↔ live)". The documents are read from the last report, so a
 * refresh updates any diff that is open.
 */
import * as vscode from 'vscode';
import type { DriftEnvironment, DriftResource } from '../../../server/src/drift/types';
import { diffTitle } from '../../../server/src/drift/labels';
import type { DriftRefresher } from './refresh';

export const DRIFT_SCHEME = 'gitops-drift';

type Side = 'git' | 'live';

export interface DiffTarget {
  environment: DriftEnvironment;
  resource: DriftResource;
}

export class DriftDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly refresher: DriftRefresher) {
    this.subscription = refresher.onDidChange((snapshot) => {
      if (snapshot.loading) return;
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === DRIFT_SCHEME) this.changed.fire(document.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = parseDiffUri(uri);
    const environment = this.refresher.current.report?.environments.find(
      (candidate) => candidate.source === target?.source && candidate.name === target.environment,
    );
    const resource = environment?.resources.find((candidate) => candidate.id === target?.id);
    if (!target || !resource) return '# This resource is not in the latest drift report. Refresh the Drift view.\n';
    return (target.side === 'git' ? resource.desiredText : resource.liveText) ?? '';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Opens the diff editor: git on the left, live on the right. */
export async function openDiff(target: DiffTarget): Promise<void> {
  await vscode.commands.executeCommand('vscode.diff', diffUri(target, 'git'), diffUri(target, 'live'), diffTitle(target.resource), {
    preview: true,
  } satisfies vscode.TextDocumentShowOptions);
}

/**
 * `gitops-drift:/git/web.yaml?…`: the path ends in `.yaml` so the editor highlights it as YAML,
 * and the query names the resource in the report.
 */
function diffUri({ environment, resource }: DiffTarget, side: Side): vscode.Uri {
  const name = `${(resource.name || resource.id).replace(/[/\\?#]/g, '_')}.yaml`;
  const query = new URLSearchParams({ source: environment.source, environment: environment.name, id: resource.id });
  return vscode.Uri.from({ scheme: DRIFT_SCHEME, path: `/${side}/${name}`, query: query.toString() });
}

function parseDiffUri(uri: vscode.Uri): { side: Side; source: string; environment: string; id: string } | undefined {
  const side = uri.path.split('/')[1];
  const query = new URLSearchParams(uri.query);
  const source = query.get('source');
  const environment = query.get('environment');
  const id = query.get('id');
  if ((side !== 'git' && side !== 'live') || source === null || environment === null || id === null) return undefined;
  return { side, source, environment, id };
}
