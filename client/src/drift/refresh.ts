/**
 * Keeps the drift report: asks the language server for it (DriftRequest) with progress in the
 * Drift view, one request at a time (a new refresh cancels the one running), and refreshes it
 * every `gitopsIac.drift.autoRefreshSeconds` while the view is visible. The request only reads
 * the live environment; nothing here changes it.
 */
import * as vscode from 'vscode';
import { DriftRequest, type DriftParams } from '../../../server/src/protocol';
import type { DriftReport } from '../../../server/src/drift/types';
import type { Ctx } from '../ctx';

export const DRIFT_VIEW_ID = 'gitopsIac.driftView';
export const DRIFT_SETTINGS_SECTION = 'gitopsIac.drift';

/** The context key the view's welcome content reads: `idle` (never loaded), `loading`, `loaded`. */
const STATE_CONTEXT_KEY = 'gitopsIac.drift.state';

/** vscode-jsonrpc's code for a request the client cancelled. */
const REQUEST_CANCELLED = -32800;

export interface DriftSnapshot {
  report?: DriftReport;
  /** Why the last refresh failed as a whole (the server did not answer); environment errors are in the report. */
  error?: string;
  loading: boolean;
}

export class DriftRefresher implements vscode.Disposable {
  private snapshot: DriftSnapshot = { loading: false };
  private running: vscode.CancellationTokenSource | undefined;
  private readonly changed = new vscode.EventEmitter<DriftSnapshot>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    void setState('idle');
  }

  get current(): DriftSnapshot {
    return this.snapshot;
  }

  /** Reads the live state again. Resolves when this refresh ends (or is replaced by a newer one); never rejects. */
  async refresh(): Promise<void> {
    this.running?.cancel();
    const cancellation = new vscode.CancellationTokenSource();
    this.running = cancellation;
    this.update({ ...this.snapshot, loading: true });
    void setState('loading');
    try {
      const report = await vscode.window.withProgress(
        { location: { viewId: DRIFT_VIEW_ID }, title: 'Reading the live state…', cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => cancellation.cancel());
          return this.ctx.sendRequest(DriftRequest.type, driftParams(), cancellation.token);
        },
      );
      if (cancellation.token.isCancellationRequested) return;
      this.update({ report, loading: false });
    } catch (error) {
      if (cancellation.token.isCancellationRequested || (error as { code?: unknown }).code === REQUEST_CANCELLED) return;
      const message = error instanceof Error ? error.message : String(error);
      this.ctx.outputChannel.error(`Drift: the language server did not answer: ${message}`);
      this.update({ report: this.snapshot.report, error: `The drift report could not be read: ${message}`, loading: false });
    } finally {
      if (this.running === cancellation) {
        this.running = undefined;
        if (this.snapshot.loading) this.update({ ...this.snapshot, loading: false });
        void setState(this.snapshot.report || this.snapshot.error ? 'loaded' : 'idle');
      }
      cancellation.dispose();
    }
  }

  dispose(): void {
    this.running?.cancel();
    this.changed.dispose();
  }

  private update(snapshot: DriftSnapshot): void {
    this.snapshot = snapshot;
    this.changed.fire(snapshot);
  }
}

/**
 * Refreshes every `gitopsIac.drift.autoRefreshSeconds` seconds (0: never) while the view is
 * visible, counted from the end of the previous refresh so that a slow cluster is never asked
 * twice at once.
 */
export class AutoRefresh implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly refresher: DriftRefresher,
    private readonly view: vscode.TreeView<unknown>,
  ) {
    this.disposables = [
      view.onDidChangeVisibility(() => this.schedule()),
      refresher.onDidChange((snapshot) => {
        if (!snapshot.loading) this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${DRIFT_SETTINGS_SECTION}.autoRefreshSeconds`)) this.schedule();
      }),
    ];
    this.schedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const seconds = autoRefreshSeconds();
    if (seconds <= 0 || !this.view.visible || this.refresher.current.loading) return;
    this.timer = setTimeout(() => void this.refresher.refresh(), seconds * 1000);
  }
}

function autoRefreshSeconds(): number {
  const seconds = vscode.workspace.getConfiguration(DRIFT_SETTINGS_SECTION).get<unknown>('autoRefreshSeconds');
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/**
 * The live source chosen in the settings. The server reads the same settings (kubeconfig
 * path among them); what is sent here wins, so a future picker in the view can override them.
 */
function driftParams(): DriftParams {
  const config = vscode.workspace.getConfiguration(DRIFT_SETTINGS_SECTION);
  const text = (key: string): string | undefined => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const kubernetes = { context: text('context'), namespace: text('namespace'), snapshot: text('snapshot') };
  const includeUnmanaged = config.get<unknown>('includeUnmanaged');
  return {
    kubernetes: Object.values(kubernetes).some((value) => value !== undefined) ? kubernetes : undefined,
    includeUnmanaged: typeof includeUnmanaged === 'boolean' ? includeUnmanaged : undefined,
  };
}

function setState(state: 'idle' | 'loading' | 'loaded'): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', STATE_CONTEXT_KEY, state);
}
