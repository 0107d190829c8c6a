/**
 * Helm charts as a language of the engine. It claims every YAML file inside a chart (a
 * folder with Chart.yaml above the file), so no chart file is ever validated as a plain
 * manifest: templates are Go templates, not YAML. It checks Chart.yaml, values files
 * against values.schema.json, and the schema itself; templates get only the findings of
 * the last `helm template` run (opt-in, see node/helmTemplate.ts), mapped back to them.
 *
 * Pure: whether a folder holds a Chart.yaml on disk, and files the shell did not feed in
 * (a schema next to an open values file), are read through the injected `ChartFiles`.
 * Files fed in (open in the editor, even unsaved) take precedence over the disk.
 */
import type { Finding } from '../core/types';
import type { LanguageWorkspace } from '../engine/engine';
import { checkChartFile } from './chartFile';
import { chartMembership, type ChartMembership } from './chartLayout';
import { failureFinding, mapRenderedFindings, parseHelmFailure, sourceToUri, splitHelmOutput } from './renderedOutput';
import { checkValues, compileValuesSchema, type CompiledValuesSchema } from './valuesSchema';
import { parseYamlFile } from './yamlDocument';

export interface ChartFiles {
  /** Whether the folder (a URI without trailing slash) holds a Chart.yaml on disk. */
  hasChartFile(folderUri: string): boolean;
  /** A file's text on disk; undefined when it does not exist or cannot be read. */
  readFile(uri: string): string | undefined;
}

const CHART_FILE = /\/Chart\.yaml$/;
const CLAIMED_NAME = /\.(?:ya?ml)$|\/values\.schema\.json$/i;

export class ChartWorkspace implements LanguageWorkspace {
  private readonly texts = new Map<string, string>();
  /** Folders whose Chart.yaml was fed in: a chart exists there even before it is saved. */
  private readonly openCharts = new Set<string>();
  private readonly schemas = new Map<string, { text: string; compiled: CompiledValuesSchema }>();
  /** The last render's findings, per chart folder, then per file. */
  private readonly rendered = new Map<string, Map<string, Finding[]>>();
  private boundaries: readonly string[] = [];

  constructor(private readonly files: ChartFiles) {}

  /** Workspace folder URIs: the search for a Chart.yaml above a file stops there. */
  setBoundaries(folderUris: readonly string[]): void {
    this.boundaries = folderUris.map((uri) => uri.replace(/\/$/, ''));
  }

  private hasChart = (folderUri: string): boolean => this.openCharts.has(folderUri) || this.files.hasChartFile(folderUri);

  membership(uri: string): ChartMembership | undefined {
    if (CHART_FILE.test(uri)) return { chartRoot: uri.slice(0, -'/Chart.yaml'.length), relativePath: 'Chart.yaml', role: 'chart' };
    return chartMembership(uri, this.hasChart, this.boundaries);
  }

  handles(uri: string): boolean {
    if (!CLAIMED_NAME.test(uri)) return false;
    const role = this.membership(uri)?.role;
    return role !== undefined && role !== 'crd';
  }

  setFile(uri: string, text: string): void {
    this.texts.set(uri, text);
    if (CHART_FILE.test(uri)) this.openCharts.add(uri.slice(0, -'/Chart.yaml'.length));
  }

  removeFile(uri: string): void {
    this.texts.delete(uri);
    if (CHART_FILE.test(uri)) this.openCharts.delete(uri.slice(0, -'/Chart.yaml'.length));
  }

  private textOf(uri: string): string | undefined {
    return this.texts.get(uri) ?? this.files.readFile(uri);
  }

  /** The chart's compiled values.schema.json, recompiled only when its text changes. */
  private schemaOf(chartRoot: string): CompiledValuesSchema | undefined {
    const text = this.textOf(`${chartRoot}/values.schema.json`);
    if (text === undefined) return undefined;
    const cached = this.schemas.get(chartRoot);
    if (cached?.text === text) return cached.compiled;
    const compiled = compileValuesSchema(text);
    this.schemas.set(chartRoot, { text, compiled });
    return compiled;
  }

  diagnose(uri: string): Finding[] {
    const membership = this.membership(uri);
    const text = this.texts.get(uri);
    if (!membership || text === undefined) return [];
    const rendered = this.rendered.get(membership.chartRoot)?.get(uri) ?? [];
    return [...this.ownFindings(uri, text, membership), ...rendered];
  }

  private ownFindings(uri: string, text: string, { chartRoot, relativePath, role }: ChartMembership): Finding[] {
    switch (role) {
      case 'chart':
        return checkChartFile(text, (relative) => this.hasChart(resolveFolder(chartRoot, relative))).findings;
      case 'values-schema':
        return this.schemaOf(chartRoot)?.problems ?? [];
      case 'values': {
        const file = parseYamlFile(text);
        const validate = this.schemaOf(chartRoot)?.validate;
        if (file.problems.length > 0 || !validate) return file.problems;
        const base = relativePath === 'values.yaml' ? undefined : parseYamlFile(this.textOf(`${chartRoot}/values.yaml`) ?? '').value ?? null;
        return checkValues(file, validate, base);
      }
      case 'template':
        // Go templates are not YAML until rendered: nothing is said about their text.
        return [];
      default:
        return uri.endsWith('.json') ? [] : parseYamlFile(text).problems;
    }
  }

  /** The chart folders fed in so far (for rendering them). */
  chartRootOf(uri: string): string | undefined {
    return this.membership(uri)?.chartRoot;
  }

  /**
   * Takes the result of `helm template` on a chart: validates the rendered manifests with
   * `analyze` (the Kubernetes analysis) and keeps the findings on their templates until the
   * next render. Findings for a file the workspace does not hold (a `_helpers.tpl`) go on
   * Chart.yaml, naming it. Returns every file whose findings changed, to republish.
   */
  takeRender(chartRoot: string, render: { output: string } | { stderr: string }, analyze: (text: string) => Finding[]): string[] {
    const toUri = (source: string): string => sourceToUri(source, chartRoot, this.localDependencies(chartRoot));
    let byFile: Map<string, Finding[]>;
    if ('output' in render) {
      byFile = mapRenderedFindings(splitHelmOutput(render.output), analyze, toUri, (uri) => this.textOf(uri));
    } else {
      const { uri, finding } = failureFinding(parseHelmFailure(render.stderr), toUri, chartRoot);
      byFile = new Map([[uri, [finding]]]);
    }
    const chartFile = `${chartRoot}/Chart.yaml`;
    for (const [uri, findings] of byFile) {
      if (this.texts.has(uri) || uri === chartFile) continue;
      byFile.delete(uri);
      const moved = findings.map((finding) => ({ ...finding, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${uri.slice(chartRoot.length + 1)}, line ${finding.range.start.line + 1}: ${finding.message}` }));
      byFile.set(chartFile, [...(byFile.get(chartFile) ?? []), ...moved]);
    }
    const previous = this.rendered.get(chartRoot) ?? new Map<string, Finding[]>();
    this.rendered.set(chartRoot, byFile);
    return [...new Set([...previous.keys(), ...byFile.keys()])];
  }

  /** Forgets every render (rendering was turned off). Returns the files to republish. */
  clearRenders(): string[] {
    const files = [...this.rendered.values()].flatMap((byFile) => [...byFile.keys()]);
    this.rendered.clear();
    return files;
  }

  /** `file://` dependencies of a chart, by name: their templates live in their own folders. */
  private localDependencies(chartRoot: string): Map<string, string> {
    const text = this.textOf(`${chartRoot}/Chart.yaml`);
    const dependencies = text === undefined ? [] : checkChartFile(text, () => true).facts.dependencies;
    return new Map(dependencies.flatMap((d) => (d.name && d.localPath !== undefined ? [[d.name, resolveFolder(chartRoot, d.localPath)]] : [])));
  }
}

/** A folder URI (no trailing slash) for a path relative to another folder. */
function resolveFolder(folderUri: string, relative: string): string {
  return new URL(relative, `${folderUri}/`).href.replace(/\/$/, '');
}
