/**
 * Opt-in rendering of Helm charts (`gitopsIac.helm.render`): after a chart's file is saved,
 * `helm template` runs on the chart and its output is validated as Kubernetes; the findings
 * land on the templates (ChartWorkspace.takeRender). One render per chart at a time: a save
 * during a render asks for one more afterwards. Never runs in an untrusted workspace.
 */
import { fileURLToPath } from 'node:url';
import type { Finding } from '../core/types';
import type { ChartWorkspace } from '../helm/workspace';
import { runHelmTemplate } from '../node/helmTemplate';
import type { Settings } from '../settings';

export interface HelmRenderContext {
  charts: ChartWorkspace;
  /** The Kubernetes analysis of a rendered text. */
  analyze(text: string): Finding[];
  settings(): Settings;
  trusted: boolean;
  log(message: string): void;
  /** Republishes a file's diagnostics. */
  publish(uri: string): void;
}

export class HelmRenderScheduler {
  private readonly running = new Map<string, { rerun: boolean }>();
  private unavailableReported = false;

  constructor(private readonly context: HelmRenderContext) {}

  /** Renders the chart a saved file belongs to, when rendering is on and allowed. */
  async fileSaved(uri: string): Promise<void> {
    const { charts, settings, trusted } = this.context;
    if (!settings().helm.render || !trusted || !uri.startsWith('file:')) return;
    const chartRoot = charts.chartRootOf(uri);
    if (!chartRoot) return;
    const inFlight = this.running.get(chartRoot);
    if (inFlight) {
      inFlight.rerun = true;
      return;
    }
    const state = { rerun: false };
    this.running.set(chartRoot, state);
    try {
      await this.render(chartRoot);
    } finally {
      this.running.delete(chartRoot);
    }
    if (state.rerun) await this.fileSaved(uri);
  }

  /** Rendering was turned off: its findings go. */
  settingsChanged(): void {
    if (this.context.settings().helm.render) return;
    for (const uri of this.context.charts.clearRenders()) this.context.publish(uri);
  }

  private async render(chartRoot: string): Promise<void> {
    const { charts, analyze, settings, log, publish } = this.context;
    const started = performance.now();
    const result = await runHelmTemplate(settings().helm.path, fileURLToPath(chartRoot));
    if (result.kind === 'unavailable') {
      // Said once: a missing helm is a setup matter, not news on every save.
      if (!this.unavailableReported) log(`Helm charts are not rendered: ${result.reason}.`);
      this.unavailableReported = true;
      return;
    }
    const changed = charts.takeRender(chartRoot, result.kind === 'rendered' ? { output: result.output } : { stderr: result.stderr }, analyze);
    log(`Rendered ${fileURLToPath(chartRoot)} with helm template in ${Math.round(performance.now() - started)} ms${result.kind === 'failed' ? ' (it failed)' : ''}.`);
    for (const uri of changed) publish(uri);
  }
}
