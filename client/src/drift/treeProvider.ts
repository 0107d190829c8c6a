/**
 * The Drift tree: environment (a context, snapshot, Terraform folder or inventory, "as of" its
 * read time) → resource (status icon, drifted first) → drifted field (`desired → live`, who and
 * when). An environment that could not be read gets one child: its error, with a way to the
 * settings. The tree only shows the last report of DriftRefresher.
 */
import * as vscode from 'vscode';
import type { DriftEnvironment, DriftResource, DriftStatus, FieldDrift } from '../../../server/src/drift/types';
import { adoptRefusal, declaredUriOf } from '../../../server/src/drift/yamlEdit';
import { changedBy, clockTime, countResources, fieldChange, formatValue, resourceLabel, sortResources, statusDescription } from '../../../server/src/drift/labels';
import type { DriftRefresher } from './refresh';

export type DriftNode =
  | { kind: 'environment'; environment: DriftEnvironment }
  | { kind: 'error'; message: string }
  | { kind: 'resource'; environment: DriftEnvironment; resource: DriftResource }
  | { kind: 'field'; environment: DriftEnvironment; resource: DriftResource; field: FieldDrift };

export const OPEN_DIFF_COMMAND = 'gitopsIac.drift.openDiff';
export const OPEN_SETTINGS_COMMAND = 'gitopsIac.drift.openSettings';

const STATUS_ICONS: Record<DriftStatus, vscode.ThemeIcon> = {
  'in-sync': new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  drifted: new vscode.ThemeIcon('diff', new vscode.ThemeColor('list.warningForeground')),
  missing: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.errorForeground')),
  unmanaged: new vscode.ThemeIcon('question', new vscode.ThemeColor('list.deemphasizedForeground')),
};

const SOURCE_ICONS: Record<DriftEnvironment['source'], string> = {
  kubernetes: 'server-environment',
  terraform: 'cloud',
  ansible: 'server-process',
};

const WARNING_ICON = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));

export class DriftTreeProvider implements vscode.TreeDataProvider<DriftNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DriftNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly refresher: DriftRefresher) {
    this.subscription = refresher.onDidChange(() => this.changed.fire(undefined));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  getChildren(node?: DriftNode): DriftNode[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'environment': {
        const { environment } = node;
        const error: DriftNode[] = environment.error ? [{ kind: 'error', message: environment.error }] : [];
        return [...error, ...sortResources(environment.resources).map((resource): DriftNode => ({ kind: 'resource', environment, resource }))];
      }
      case 'resource':
        return node.resource.fields.map((field): DriftNode => ({ kind: 'field', environment: node.environment, resource: node.resource, field }));
      default:
        return [];
    }
  }

  getTreeItem(node: DriftNode): vscode.TreeItem {
    switch (node.kind) {
      case 'environment':
        return environmentItem(node.environment);
      case 'error':
        return errorItem(node.message);
      case 'resource':
        return resourceItem(node.environment, node.resource);
      case 'field':
        return fieldItem(node.resource, node.field);
    }
  }

  private roots(): DriftNode[] {
    const { report, error } = this.refresher.current;
    const failure: DriftNode[] = error ? [{ kind: 'error', message: error }] : [];
    return [...failure, ...(report?.environments ?? []).map((environment): DriftNode => ({ kind: 'environment', environment }))];
  }
}

function environmentItem(environment: DriftEnvironment): vscode.TreeItem {
  const item = new vscode.TreeItem(environment.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `environment:${environment.source}:${environment.name}`;
  const counts = countResources({ environments: [environment] });
  const outOfSync = counts.drifted + counts.missing + counts.unmanaged;
  item.description = `as of ${clockTime(environment.asOf)}${environment.error ? ' · not read' : outOfSync > 0 ? ` · ${outOfSync} drifted` : ''}`;
  item.iconPath = environment.error ? WARNING_ICON : new vscode.ThemeIcon(SOURCE_ICONS[environment.source]);
  item.tooltip = `${environment.name} (${environment.source}), read at ${environment.asOf}`;
  item.contextValue = 'driftEnvironment';
  return item;
}

function errorItem(message: string): vscode.TreeItem {
  const item = new vscode.TreeItem(message, vscode.TreeItemCollapsibleState.None);
  item.iconPath = WARNING_ICON;
  item.tooltip = `${message}\n\nClick to open the drift settings.`;
  item.contextValue = 'driftError';
  item.command = { command: OPEN_SETTINGS_COMMAND, title: 'Open Drift Settings' };
  return item;
}

function resourceItem(environment: DriftEnvironment, resource: DriftResource): vscode.TreeItem {
  const collapsible = resource.fields.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(resourceLabel(resource), collapsible);
  item.id = `resource:${environment.source}:${environment.name}:${resource.id}`;
  item.description = statusDescription(resource);
  item.iconPath = STATUS_ICONS[resource.status];
  item.tooltip = resourceTooltip(resource);
  item.contextValue = `driftResource.${resource.status}`;
  if (resource.desiredText !== undefined || resource.liveText !== undefined) {
    item.command = { command: OPEN_DIFF_COMMAND, title: 'Open Drift Diff', arguments: [{ environment, resource }] };
  }
  return item;
}

function resourceTooltip(resource: DriftResource): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(resourceLabel(resource))}**: ${escape(statusDescription(resource))}\n\n`);
  for (const field of resource.fields) tooltip.appendMarkdown(`- ${escape(field.explanation)}\n`);
  if (resource.declaredAt) {
    const uri = vscode.Uri.parse(resource.declaredAt.uri);
    tooltip.appendMarkdown(`\nDeclared in ${escape(vscode.workspace.asRelativePath(uri))}:${resource.declaredAt.range.start.line + 1}`);
  }
  return tooltip;
}

function fieldItem(resource: DriftResource, field: FieldDrift): vscode.TreeItem {
  const item = new vscode.TreeItem(field.path, vscode.TreeItemCollapsibleState.None);
  item.description = fieldChange(field);
  const who = changedBy(field, new Date());
  const lines = [field.explanation, `git: ${formatValue(field.desired, 200)}`, `live: ${formatValue(field.live, 200)}`];
  if (field.changedBy) lines.push(`Last changed by ${who} (${field.changedBy.operation}${field.changedBy.time ? `, ${field.changedBy.time}` : ''})`);
  const refusal = adoptRefusal(resource, field);
  if (refusal) lines.push(`Adopt Live Value: ${refusal}`);
  item.tooltip = lines.join('\n');
  item.iconPath = new vscode.ThemeIcon('symbol-field');
  item.contextValue = 'driftField';
  const declaredUri = declaredUriOf(resource, field);
  if (declaredUri && field.declaredRange) {
    const { start, end } = field.declaredRange;
    item.command = {
      command: 'vscode.open',
      title: 'Show in Manifest',
      arguments: [vscode.Uri.parse(declaredUri), { selection: new vscode.Range(start.line, start.character, end.line, end.character) }],
    };
  }
  return item;
}

/** Markdown-escapes text that comes from manifests and the cluster. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
