/**
 * Small pure helpers that build a `PlanReport` consistently, whichever tool produced the
 * resources: counts per action and a stable order (by file, then id) so outputs can be diffed.
 */
import { PLAN_ACTIONS, type ActionCounts, type PlanEnvironment, type PlanReport, type PlanResource, type PlanSourceKind } from './types';

export function emptyCounts(): ActionCounts {
  return { create: 0, update: 0, replace: 0, delete: 0, 'no-op': 0 };
}

export function countActions(resources: readonly PlanResource[]): ActionCounts {
  const counts = emptyCounts();
  for (const resource of resources) counts[resource.action]++;
  return counts;
}

export function addCounts(into: ActionCounts, more: ActionCounts): ActionCounts {
  for (const action of PLAN_ACTIONS) into[action] += more[action];
  return into;
}

function compareResources(a: PlanResource, b: PlanResource): number {
  const fileA = a.declaredAt?.uri ?? '';
  const fileB = b.declaredAt?.uri ?? '';
  if (fileA !== fileB) return fileA < fileB ? -1 : 1;
  const lineA = a.declaredAt?.range.start.line ?? 0;
  const lineB = b.declaredAt?.range.start.line ?? 0;
  if (lineA !== lineB) return lineA - lineB;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function planEnvironment(source: PlanSourceKind, name: string, resources: PlanResource[], error?: string): PlanEnvironment {
  const sorted = [...resources].sort(compareResources);
  return { source, name, ...(error !== undefined ? { error } : {}), resources: sorted, counts: countActions(sorted) };
}

/** A report's parts as a planner has them: the counts are added up here, the time is formatted here. */
export type PlanReportInput = Omit<PlanReport, 'counts' | 'createdAt'> & { createdAt: Date };

export function planReport(input: PlanReportInput): PlanReport {
  const counts = emptyCounts();
  for (const environment of input.environments) addCounts(counts, environment.counts);
  return {
    rootUri: input.rootUri,
    base: input.base,
    ...(input.mergeBase !== undefined ? { mergeBase: input.mergeBase } : {}),
    ...(input.head !== undefined ? { head: input.head } : {}),
    changedFiles: [...input.changedFiles].sort(),
    environments: input.environments,
    counts,
    createdAt: input.createdAt.toISOString(),
  };
}

/** "2 to create, 1 to update, 1 to delete" (no-ops and zero counts left out), or "no changes". */
export function describeCounts(counts: ActionCounts): string {
  const parts = PLAN_ACTIONS.filter((action) => action !== 'no-op' && counts[action] > 0).map((action) => `${counts[action]} to ${action}`);
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

/**
 * The report with every `declaredAt` under `fromRootUri` moved under `toRootUri`: a plan made in
 * a temporary worktree of a commit links to the repository's own files, which outlive it.
 */
export function moveDeclaredUris(report: PlanReport, fromRootUri: string, toRootUri: string): PlanReport {
  const from = fromRootUri.endsWith('/') ? fromRootUri : `${fromRootUri}/`;
  const to = toRootUri.endsWith('/') ? toRootUri : `${toRootUri}/`;
  const moved = (resource: PlanResource): PlanResource =>
    resource.declaredAt?.uri.startsWith(from) ? { ...resource, declaredAt: { ...resource.declaredAt, uri: `${to}${resource.declaredAt.uri.slice(from.length)}` } } : resource;
  return { ...report, environments: report.environments.map((environment) => ({ ...environment, resources: environment.resources.map(moved) })) };
}

/** A path relative to the repository root when `uri` lies inside it, else the URI as given. */
export function relativeToRoot(uri: string, rootUri: string): string {
  const root = rootUri.endsWith('/') ? rootUri : `${rootUri}/`;
  if (!uri.startsWith(root)) return uri;
  try {
    return decodeURIComponent(uri.slice(root.length));
  } catch {
    return uri.slice(root.length);
  }
}

/** One line of text for a value in a diff: JSON (so strings are quoted and newlines escaped), shortened. */
export function formatPlanValue(value: unknown, maxLength = 200): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** A failure of the whole plan the user can act on (not a repository, unknown base branch, untrusted workspace): its message is the words to show. */
export class PlanError extends Error {}
