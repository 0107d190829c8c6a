/**
 * Renders a `PlanReport` as Markdown (PR bodies, `gitops-iac plan --format markdown`, CI comments)
 * and as JSON (`--format json`). Pure: the same report always gives the same text.
 */
import type { PlanEnvironment, PlanReport, PlanResource, PlanSourceKind } from './types';
import { describeCounts, formatPlanValue, relativeToRoot } from './model';

export interface MarkdownOptions {
  /** Level of the report's own heading; environments go one level below. Default 3 (fits under a PR body's `## Plan`). */
  headingLevel?: number;
}

const SOURCE_LABELS: Record<PlanSourceKind, string> = { kubernetes: 'Kubernetes', terraform: 'Terraform', ansible: 'Ansible' };

export const ACTION_SYMBOLS = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': '=' } as const;

/**
 * Text inside a Markdown code span in a table cell: GitHub reads `|` as a column break even
 * there, and a backtick would close the span; HTML inside a span is shown literally.
 */
function codeCell(text: string): string {
  const escaped = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const longestRun = Math.max(0, ...(escaped.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = escaped.startsWith('`') || escaped.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${escaped}${pad}${fence}`;
}

/** Plain words in Markdown: characters that would start markup or HTML are escaped. */
function plainText(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~]/g, (character) => `\\${character}`).replace(/\r?\n/g, ' ');
}

/** Text for HTML: a `<summary>` line is raw HTML on GitHub and GitLab, and the webview is HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function location(resource: PlanResource, rootUri: string): string {
  if (!resource.declaredAt) return '';
  return `${relativeToRoot(resource.declaredAt.uri, rootUri)}:${resource.declaredAt.range.start.line + 1}`;
}

function renderResource(resource: PlanResource, rootUri: string): string[] {
  const where = location(resource, rootUri);
  const label = `${ACTION_SYMBOLS[resource.action]} ${resource.action} ${resource.title}${resource.precision === 'approximate' ? ' (approximate)' : ''}`;
  const lines = [`<details><summary>${escapeHtml(label)}</summary>`, ''];
  if (where) lines.push(`Declared at ${codeCell(where)}.`, '');
  if (resource.note) lines.push(`${plainText(resource.note)}`, '');
  if (resource.changes.length > 0) {
    lines.push('| Attribute | Before | After |', '|---|---|---|');
    for (const change of resource.changes) {
      const after = change.unknownAfter ? '(known after apply)' : formatPlanValue(change.after);
      lines.push(`| ${codeCell(change.path)} | ${codeCell(formatPlanValue(change.before))} | ${codeCell(after)} |`);
    }
    lines.push('');
  }
  lines.push('</details>', '');
  return lines;
}

function renderEnvironment(environment: PlanEnvironment, rootUri: string, level: number): string[] {
  const lines = [`${'#'.repeat(level)} ${SOURCE_LABELS[environment.source]}: ${plainText(environment.name)}`, ''];
  if (environment.error) {
    // Part of a run can still be a plan: check mode predicts the tasks of the hosts it reached.
    lines.push(`${environment.resources.length > 0 ? 'Partly planned' : 'Not planned'}: ${plainText(environment.error)}`, '');
    if (environment.resources.length === 0) return lines;
  }
  lines.push(`${describeCounts(environment.counts)}.`, '');
  const changing = environment.resources.filter((resource) => resource.action !== 'no-op');
  for (const resource of changing) lines.push(...renderResource(resource, rootUri));
  const unchanged = environment.resources.length - changing.length;
  if (unchanged > 0) lines.push(`${unchanged} more ${unchanged === 1 ? 'resource' : 'resources'} unchanged.`, '');
  return lines;
}

export function renderPlanMarkdown(report: PlanReport, options: MarkdownOptions = {}): string {
  const level = Math.min(Math.max(options.headingLevel ?? 3, 1), 5);
  const base = report.mergeBase ? `\`${plainText(report.base)}\` (merge base ${report.mergeBase.slice(0, 12)})` : `\`${plainText(report.base)}\``;
  const files = report.changedFiles.length === 1 ? '1 changed IaC file' : `${report.changedFiles.length} changed IaC files`;
  const head = report.head ? ` up to commit ${report.head.slice(0, 12)}` : '';
  const lines = [`${'#'.repeat(level)} Plan: ${describeCounts(report.counts)}`, '', `Compared with ${base}; ${files}${head}.`, ''];
  if (report.environments.length === 0) lines.push('Nothing to plan: no Kubernetes, Terraform or Ansible file changed on this branch.', '');
  for (const environment of report.environments) lines.push(...renderEnvironment(environment, report.rootUri, level + 1));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The report as one line of JSON, keys in the order of `PlanReport`. */
export function renderPlanJson(report: PlanReport): string {
  return `${JSON.stringify(report)}\n`;
}
