/**
 * The Preview Plan webview's page, as a pure function of the report: a strict Content
 * Security Policy (nothing loads from anywhere; the one style sheet and the one script carry
 * a fresh nonce), VS Code's theme colours, and every text from the report escaped, so a
 * resource named `<script>` is shown, never run. Links to source lines post a message; the
 * extension opens the file (previewPlan.ts).
 */
import { describeCounts, formatPlanValue, relativeToRoot } from '../../../server/src/plan/model';
import { ACTION_SYMBOLS, escapeHtml } from '../../../server/src/plan/render';
import { PLAN_ACTIONS, type PlanEnvironment, type PlanReport, type PlanResource } from '../../../server/src/plan/types';

export interface PlanPageOptions {
  /** A fresh random value per page. */
  nonce: string;
}

/** What the page's script sends when a source link is clicked. */
export interface OpenSourceMessage {
  type: 'open';
  uri: string;
  line: number;
  character: number;
}

const SOURCE_LABELS = { kubernetes: 'Kubernetes', terraform: 'Terraform', ansible: 'Ansible' } as const;

const STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); }
.muted, .note { color: var(--vscode-descriptionForeground); }
.counts { display: flex; gap: 12px; list-style: none; padding: 0; }
.counts li { padding: 2px 8px; border: 1px solid var(--vscode-panel-border); border-radius: 3px; }
.action { font-family: var(--vscode-editor-font-family); font-weight: bold; margin-right: 6px; }
.create { color: var(--vscode-gitDecoration-addedResourceForeground); }
.update { color: var(--vscode-gitDecoration-modifiedResourceForeground); }
.replace { color: var(--vscode-gitDecoration-renamedResourceForeground); }
.delete { color: var(--vscode-gitDecoration-deletedResourceForeground); }
.no-op { color: var(--vscode-descriptionForeground); }
.precision { font-size: 0.85em; padding: 0 6px; margin-left: 6px; border-radius: 8px; border: 1px solid var(--vscode-panel-border); }
.approximate { color: var(--vscode-editorWarning-foreground); border-color: var(--vscode-editorWarning-foreground); }
.error { color: var(--vscode-errorForeground); }
details { margin: 6px 0; } summary { cursor: pointer; }
table { border-collapse: collapse; margin: 6px 0 6px 18px; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
td, th { border: 1px solid var(--vscode-panel-border); padding: 2px 8px; text-align: left; vertical-align: top; }
.before { color: var(--vscode-gitDecoration-deletedResourceForeground); } .after { color: var(--vscode-gitDecoration-addedResourceForeground); }
a { color: var(--vscode-textLink-foreground); margin-left: 8px; }
`;

/** The page's only script: source links post a message instead of navigating. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-uri]') : null;
  if (!link) return;
  event.preventDefault();
  vscode.postMessage({ type: 'open', uri: link.dataset.uri, line: Number(link.dataset.line), character: Number(link.dataset.character) });
});
`;

function sourceLink(resource: PlanResource, rootUri: string): string {
  if (!resource.declaredAt) return '';
  const { uri, range } = resource.declaredAt;
  const label = `${relativeToRoot(uri, rootUri)}:${range.start.line + 1}`;
  return `<a href="#" data-uri="${escapeHtml(uri)}" data-line="${range.start.line}" data-character="${range.start.character}">${escapeHtml(label)}</a>`;
}

function changesTable(resource: PlanResource): string {
  if (resource.changes.length === 0) return '';
  const rows = resource.changes.map((change) => {
    const after = change.unknownAfter ? '(known after apply)' : formatPlanValue(change.after);
    return `<tr><td>${escapeHtml(change.path)}</td><td class="before">${escapeHtml(formatPlanValue(change.before))}</td><td class="after">${escapeHtml(after)}</td></tr>`;
  });
  return `<table><thead><tr><th>Attribute</th><th>Before</th><th>After</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function resourceHtml(resource: PlanResource, rootUri: string): string {
  const precision = `<span class="precision ${resource.precision}">${resource.precision}</span>`;
  const summary = `<span class="action ${resource.action}">${escapeHtml(ACTION_SYMBOLS[resource.action])} ${resource.action}</span>${escapeHtml(resource.title)}${precision}${sourceLink(resource, rootUri)}`;
  const note = resource.note ? `<p class="note">${escapeHtml(resource.note)}</p>` : '';
  const open = resource.action !== 'no-op' ? ' open' : '';
  return `<details${open}><summary>${summary}</summary>${note}${changesTable(resource)}</details>`;
}

function environmentHtml(environment: PlanEnvironment, rootUri: string): string {
  const heading = `<h2>${SOURCE_LABELS[environment.source]}: ${escapeHtml(environment.name)}</h2>`;
  // Part of a run can still be a plan (check mode predicts the tasks of the hosts it reached): show the error, then what was planned.
  const planned = environment.resources.length > 0;
  const error = environment.error ? `<p class="error">${planned ? 'Partly planned' : 'Not planned'}: ${escapeHtml(environment.error)}</p>` : '';
  if (error && !planned) return `<section>${heading}${error}</section>`;
  const body = planned ? environment.resources.map((resource) => resourceHtml(resource, rootUri)).join('') : '<p class="muted">Nothing changes.</p>';
  return `<section>${heading}${error}<p class="muted">${escapeHtml(describeCounts(environment.counts))}</p>${body}</section>`;
}

export function renderPlanHtml(report: PlanReport, options: PlanPageOptions): string {
  const nonce = escapeHtml(options.nonce);
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'none'; font-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'`;
  const counts = PLAN_ACTIONS.map((action) => `<li class="${action}">${report.counts[action]} ${action}</li>`).join('');
  const base = `${escapeHtml(report.base)}${report.mergeBase ? ` (merge base ${escapeHtml(report.mergeBase.slice(0, 12))})` : ''}`;
  const environments = report.environments.length > 0
    ? report.environments.map((environment) => environmentHtml(environment, report.rootUri)).join('')
    : '<p class="muted">Nothing to plan: no Kubernetes, Terraform or Ansible file changed on this branch.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GitOps Plan</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<h1>Plan: ${escapeHtml(describeCounts(report.counts))}</h1>
<p class="muted">Compared with ${base}; ${report.changedFiles.length} changed IaC ${report.changedFiles.length === 1 ? 'file' : 'files'}${report.head ? ` up to commit ${escapeHtml(report.head.slice(0, 12))} (not the work tree)` : ''}. Made ${escapeHtml(report.createdAt)}. Nothing has been applied.</p>
<ul class="counts">${counts}</ul>
${environments}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

/** The source locations a page links to: the only ones its messages may ask to open. */
export function linkedUris(report: PlanReport): Set<string> {
  return new Set(report.environments.flatMap((environment) => environment.resources.flatMap((resource) => (resource.declaredAt ? [resource.declaredAt.uri] : []))));
}

export function isOpenSourceMessage(message: unknown): message is OpenSourceMessage {
  const candidate = message as Partial<OpenSourceMessage> | null;
  return typeof candidate === 'object' && candidate !== null && candidate.type === 'open' && typeof candidate.uri === 'string' && Number.isInteger(candidate.line) && Number.isInteger(candidate.character);
}
