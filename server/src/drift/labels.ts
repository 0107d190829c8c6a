/**
 * The words of the Drift view, code lenses and status bar: labels, `desired → live`, "5 min
 * ago". Pure (no vscode import), so the wording is unit-tested without an editor; the client
 * imports it like the protocol.
 */
import type { DriftReport, DriftResource, DriftStatus, FieldDrift } from './types';

/** Drifted first: what needs a decision comes before what is fine. */
const STATUS_ORDER: Record<DriftStatus, number> = { drifted: 0, missing: 1, unmanaged: 2, 'in-sync': 3 };

/** `Deployment/shop/web`, `Namespace/shop` (cluster-scoped), or the Terraform address / task location. */
export function resourceLabel(resource: DriftResource): string {
  if (!resource.kind) return resource.id;
  return [resource.kind, resource.namespace, resource.name].filter((part) => part !== '').join('/');
}

/** The short name in the diff editor's title: `web (git ↔ live)`. */
export function diffTitle(resource: DriftResource): string {
  return `${resource.name || resource.id} (git ↔ live)`;
}

export function sortResources(resources: readonly DriftResource[]): DriftResource[] {
  return [...resources].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || resourceLabel(a).localeCompare(resourceLabel(b)),
  );
}

/** What the tree shows after the label: the number of fields that differ, or the status in words. */
export function statusDescription(resource: DriftResource): string {
  const approximate = resource.approximate ? ' (approximate)' : '';
  switch (resource.status) {
    case 'drifted':
      return `${countOf(resource.fields.length, 'field')} drifted${approximate}`;
    case 'missing':
      return `missing live${approximate}`;
    case 'unmanaged':
      return `not in git${approximate}`;
    case 'in-sync':
      return `in sync${approximate}`;
  }
}

/** A value on one line, short enough for a tree row or a lens; `(absent)` when a side lacks it. */
export function formatValue(value: unknown, maxLength = 40): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? (value === '' ? '""' : value.replace(/\n/g, '⏎')) : JSON.stringify(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** `3 → 5`: what git declares, then what is live. */
export function fieldChange(field: FieldDrift): string {
  return `${formatValue(field.desired)} → ${formatValue(field.live)}`;
}

/** The last part of a path, for a lens: `replicas`, `image`, `labels["app.kubernetes.io/name"]`, `env[name=DEBUG]`. */
export function shortPath(path: string): string {
  const parts = path.match(/(?:[^.[\]]+|\[(?:"(?:[^"\\]|\\.)*"|[^\]])*\])/g) ?? [path];
  const last = parts[parts.length - 1]!;
  return last.startsWith('[') && parts.length > 1 ? `${parts[parts.length - 2]}${last}` : last;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; the time as given when it cannot be read. */
export function relativeTime(iso: string, now: Date): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.round((now.getTime() - then) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${countOf(Math.floor(hours / 24), 'day')} ago`;
}

/** `kubectl-edit, 5 min ago`, from the field's managedFields entry; undefined when the source does not say. */
export function changedBy(field: FieldDrift, now: Date): string | undefined {
  if (!field.changedBy) return undefined;
  const { manager, time } = field.changedBy;
  return time ? `${manager}, ${relativeTime(time, now)}` : manager;
}

/** `14:05`: the local time of day the live state was read, for "as of". */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * One lens per resource: "Drift: replicas 3 → 5 live (kubectl-edit, 5 min ago)", with
 * "+2 more" when several fields differ.
 */
export function lensTitle(resource: DriftResource, now: Date): string {
  if (resource.status === 'missing') return 'Drift: missing live (declared here, not found in the live environment)';
  const [first, ...rest] = resource.fields;
  if (!first) return `Drift: ${statusDescription(resource)}`;
  const who = changedBy(first, now);
  const more = rest.length > 0 ? `, +${rest.length} more` : '';
  return `Drift: ${shortPath(first.path)} ${fieldChange(first)} live${who ? ` (${who})` : ''}${more}`;
}

export interface DriftCounts {
  drifted: number;
  missing: number;
  unmanaged: number;
  inSync: number;
}

export function countResources(report: DriftReport | undefined): DriftCounts {
  const counts: DriftCounts = { drifted: 0, missing: 0, unmanaged: 0, inSync: 0 };
  for (const resource of report?.environments.flatMap((environment) => environment.resources) ?? []) {
    if (resource.status === 'in-sync') counts.inSync++;
    else counts[resource.status]++;
  }
  return counts;
}

/** The status bar tooltip: every count, then what a click does. */
export function countsTooltip(counts: DriftCounts): string {
  const parts = [
    `${counts.drifted} drifted`,
    `${counts.missing} missing live`,
    `${counts.unmanaged} not in git`,
    `${counts.inSync} in sync`,
  ];
  return `GitOps drift: ${parts.join(', ')}. Click to show the Drift view.`;
}

export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
