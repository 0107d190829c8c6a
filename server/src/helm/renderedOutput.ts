/**
 * Reading `helm template`'s output and errors, and mapping what is found in the rendered
 * manifests back to the templates that produced them. Helm prints every manifest after a
 * `---` line and a `# Source: CHART/templates/FILE` comment, so the file is always known.
 * The line is known only when the rendered line appears, character for character (ignoring
 * indentation), exactly once in the template: a line with template code in it rendered to
 * something else, and guessing would point at the wrong place. Otherwise the finding is
 * placed on the template's first line and quotes the rendered line.
 */
import type { Finding, Range } from '../core/types';

export interface RenderedManifest {
  /** As Helm prints it: `web/templates/deployment.yaml`, `web/charts/common/templates/x.yaml`. */
  source: string;
  text: string;
}

export interface HelmFailure {
  /** The template named in the error, when it names one. */
  source?: string;
  /** Zero-based line in that template, when Helm gives one about the template's own text. */
  line?: number;
  /** Zero-based column, when Helm gives one. */
  column?: number;
  message: string;
}

const SOURCE_COMMENT = /^# Source: (.+)$/;

export function splitHelmOutput(output: string): RenderedManifest[] {
  const manifests: RenderedManifest[] = [];
  let current: { source: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (current) manifests.push({ source: current.source, text: current.lines.join('\n') });
    current = undefined;
  };
  for (const line of output.split(/\r?\n/)) {
    if (line === '---') {
      flush();
      continue;
    }
    const source = SOURCE_COMMENT.exec(line);
    if (source && !current) current = { source: source[1].trim(), lines: [] };
    else current?.lines.push(line);
  }
  flush();
  return manifests;
}

/** `template: web/templates/x.yaml:13:15:` (Helm 3), `web/templates/x.yaml:13:15` (Helm 4), `parse error at (web/templates/x.yaml:13)`. */
const TEMPLATE_POSITION = /([\w.@-]+(?:\/charts\/[\w.@-]+)*\/templates\/[^\s:()]+):(\d+)(?::(\d+))?/;
/** `YAML parse error on web/templates/x.yaml: ... yaml: line 17:` — that line is in the rendered text, not the template. */
const TEMPLATE_NAMED = /(?:YAML parse error on |error on )([\w.@-]+(?:\/charts\/[\w.@-]+)*\/templates\/[^\s:]+):/;

/** What a failed `helm template` said, from its stderr. */
export function parseHelmFailure(stderr: string): HelmFailure {
  const text = stderr
    .split(/\r?\n/)
    .filter((line) => !/^Use --debug flag/.test(line) && !/^level=\w+ /.test(line))
    .join('\n')
    .trim()
    .replace(/^Error: /, '');
  const message = text.replace(/\s*\n\s*/g, ' ');
  const positioned = TEMPLATE_POSITION.exec(text);
  if (positioned) {
    return { source: positioned[1], line: Number(positioned[2]) - 1, column: positioned[3] ? Number(positioned[3]) - 1 : undefined, message };
  }
  const named = TEMPLATE_NAMED.exec(text);
  return named ? { source: named[1], message } : { message };
}

/**
 * The file a source names, inside the chart at `chartRoot`. The first segment is the chart's
 * name; `charts/NAME/` is a dependency, which lives elsewhere when Chart.yaml names it with
 * a `file://` repository (`localDependencies`: name → folder URI).
 */
export function sourceToUri(source: string, chartRoot: string, localDependencies: ReadonlyMap<string, string> = new Map()): string {
  const inChart = source.slice(source.indexOf('/') + 1);
  const dependency = /^charts\/([^/]+)\/(.+)$/.exec(inChart);
  const folder = dependency ? localDependencies.get(dependency[1]) : undefined;
  return folder ? `${folder}/${dependency![2]}` : `${chartRoot}/${inChart}`;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

const FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Moves a finding made on a rendered manifest onto its template: the same line when the
 * rendered line occurs exactly once in the template, else the template's first line.
 */
export function mapToTemplate(finding: Finding, renderedText: string, templateText: string | undefined): Finding {
  const renderedLines = renderedText.split('\n');
  const renderedLine = renderedLines[finding.range.start.line] ?? '';
  const wanted = renderedLine.trim();
  const templateLines = templateText?.split(/\r?\n/) ?? [];
  const matches = wanted === '' ? [] : templateLines.flatMap((line, index) => (line.trim() === wanted ? [index] : []));
  if (matches.length === 1 && finding.range.start.line === finding.range.end.line) {
    const line = matches[0];
    const shift = indentOf(templateLines[line]) - indentOf(renderedLine);
    return {
      ...finding,
      range: { start: { line, character: finding.range.start.character + shift }, end: { line, character: finding.range.end.character + shift } },
      message: `${finding.message} (helm template)`,
      fixes: undefined,
    };
  }
  return { ...finding, range: FIRST_LINE, message: `${finding.message} (helm template; rendered line: ${wanted})`, fixes: undefined };
}

/**
 * Validates each rendered manifest with `analyze` (the Kubernetes analysis) and maps the
 * findings back to their templates. Identical findings from repeated renders of one template
 * (a range over hosts) are reported once.
 */
export function mapRenderedFindings(
  manifests: readonly RenderedManifest[],
  analyze: (text: string) => Finding[],
  toUri: (source: string) => string,
  templateText: (uri: string) => string | undefined,
): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  const seen = new Set<string>();
  for (const manifest of manifests) {
    const uri = toUri(manifest.source);
    for (const finding of analyze(manifest.text)) {
      const mapped = mapToTemplate(finding, manifest.text, templateText(uri));
      const key = `${uri}|${mapped.range.start.line}:${mapped.range.start.character}|${mapped.rule}|${mapped.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!byFile.has(uri)) byFile.set(uri, []);
      byFile.get(uri)!.push(mapped);
    }
  }
  return byFile;
}

export const HELM_RENDER_RULE = 'helm/render';

/** A failed render as a finding: at the template and line Helm names, or on Chart.yaml. */
export function failureFinding(failure: HelmFailure, toUri: (source: string) => string, chartRoot: string): { uri: string; finding: Finding } {
  const uri = failure.source ? toUri(failure.source) : `${chartRoot}/Chart.yaml`;
  const line = failure.line ?? 0;
  const character = failure.column ?? 0;
  const range: Range = { start: { line, character }, end: { line, character: failure.column !== undefined ? character + 1 : 0 } };
  return { uri, finding: { range, severity: 'error', rule: HELM_RENDER_RULE, message: `helm template failed: ${failure.message}` } };
}
