/**
 * Turns the JSON of `terraform show -json PLANFILE` into plan resources: one per managed
 * resource instance, its action (a delete+create pair is a replace), and its attribute diffs
 * with every value Terraform marks sensitive masked, at whatever depth the mark sits.
 * Data sources (reads) are not changes to the environment and are left out.
 */
import type { DeclaredAt } from '../drift/types';
import { MASKED_VALUE, type AttributeChange, type PlanAction, type PlanResource } from './types';

interface ResourceChangeJson {
  address?: string;
  mode?: string;
  type?: string;
  name?: string;
  module_address?: string;
  action_reason?: string;
  change?: {
    actions?: string[];
    before?: unknown;
    after?: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
  };
}

/** Where a resource (or the module call holding it) is declared; undefined when no block declares it any more. */
export type FindTerraformBlock = (address: { type: string; name: string; moduleAddress?: string }) => DeclaredAt | undefined;

function actionOf(actions: readonly string[]): PlanAction | undefined {
  const set = new Set(actions);
  if (set.has('delete') && set.has('create')) return 'replace';
  if (set.has('create')) return 'create';
  if (set.has('delete')) return 'delete';
  if (set.has('update')) return 'update';
  if (set.has('no-op')) return 'no-op';
  return undefined;
}

const REASONS: Record<string, string> = {
  replace_because_cannot_update: 'Replaced because an attribute that forces a new resource changed.',
  replace_because_tainted: 'Replaced because it is tainted.',
  replace_by_request: 'Replaced because the plan asked for it (-replace).',
  replace_by_triggers: 'Replaced because of its replace_triggered_by.',
  delete_because_no_resource_config: 'Deleted because its block was removed from the configuration.',
  delete_because_no_module: 'Deleted because its module call was removed.',
  delete_because_wrong_repetition: 'Deleted because count/for_each changed shape.',
  delete_because_count_index: 'Deleted because count was lowered.',
  delete_because_each_key: 'Deleted because its for_each key is gone.',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Terraform's sensitivity and unknown marks mirror the value's shape; `true` at a level covers everything below it. */
function markAt(marks: unknown, key: string | number): unknown {
  if (marks === true) return true;
  if (Array.isArray(marks) && typeof key === 'number') return marks[key];
  if (isObject(marks)) return marks[String(key)];
  return undefined;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return parent ? `${parent}.${safe}` : safe;
}

interface Side {
  value: unknown;
  sensitive: unknown;
}

/**
 * Leaf-level differences between before and after. A list is compared item by item by index,
 * as Terraform's own plan renderer does; maps and objects key by key.
 */
function diffValues(path: string, before: Side, after: Side, unknownAfter: unknown, into: AttributeChange[]): void {
  if (unknownAfter === true) {
    into.push(masked(path, before, { value: undefined, sensitive: after.sensitive }, true));
    return;
  }
  const bothObjects = isObject(before.value) && isObject(after.value);
  const bothLists = Array.isArray(before.value) && Array.isArray(after.value);
  // A whole-value sensitivity mark hides the shape too: compare it as one value.
  if ((bothObjects || bothLists) && before.sensitive !== true && after.sensitive !== true) {
    const keys = bothLists
      ? [...Array(Math.max((before.value as unknown[]).length, (after.value as unknown[]).length)).keys()]
      : [...new Set([...Object.keys(before.value as object), ...Object.keys(after.value as object)])].sort();
    for (const key of keys) {
      diffValues(
        childPath(path, key),
        { value: (before.value as Record<string | number, unknown>)[key], sensitive: markAt(before.sensitive, key) },
        { value: (after.value as Record<string | number, unknown>)[key], sensitive: markAt(after.sensitive, key) },
        markAt(unknownAfter, key),
        into,
      );
    }
    return;
  }
  if (JSON.stringify(before.value ?? null) === JSON.stringify(after.value ?? null) && before.sensitive !== true && after.sensitive !== true) return;
  // Two sensitive values that are equal are still not shown, nor said to differ.
  if (before.sensitive === true && after.sensitive === true && JSON.stringify(before.value) === JSON.stringify(after.value)) return;
  into.push(masked(path, before, after, false));
}

function masked(path: string, before: Side, after: Side, unknownAfter: boolean): AttributeChange {
  const sensitive = before.sensitive === true || after.sensitive === true;
  const change: AttributeChange = { path: path || '(whole value)' };
  const show = (side: Side): unknown => (side.value === undefined || side.value === null ? undefined : side.sensitive === true ? MASKED_VALUE : side.value);
  const beforeValue = show(before);
  const afterValue = show(after);
  if (beforeValue !== undefined) change.before = beforeValue;
  if (afterValue !== undefined && !unknownAfter) change.after = afterValue;
  if (sensitive) change.sensitive = true;
  if (unknownAfter) change.unknownAfter = true;
  return change;
}

/** Shorter values are too common ("1", "on") to mask wherever they occur. */
const MIN_SECRET_LENGTH = 4;

function collectSensitive(value: unknown, marks: unknown, into: Set<string>): void {
  if (marks === true) {
    for (const leaf of leavesOf(value)) if (leaf.length >= MIN_SECRET_LENGTH) into.add(leaf);
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => collectSensitive(item, markAt(marks, index), into));
  else if (isObject(value)) for (const [key, child] of Object.entries(value)) collectSensitive(child, markAt(marks, key), into);
}

function leavesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  if (isObject(value)) return Object.values(value).flatMap(leavesOf);
  return value === null || value === undefined ? [] : [String(value)];
}

/**
 * Every value Terraform marks sensitive anywhere in the plan: sensitive variables and marked
 * attributes. Terraform does not carry the mark through everything derived from them (a
 * `terraform_data`'s `output` copies its `input` unmarked), so such values are masked
 * wherever they appear, not only where they are marked.
 */
function sensitiveValuesOf(showJson: Record<string, unknown>, changes: readonly ResourceChangeJson[]): Set<string> {
  const values = new Set<string>();
  const configuration = isObject(showJson.configuration) && isObject(showJson.configuration.root_module) ? showJson.configuration.root_module : {};
  const declared = isObject(configuration.variables) ? configuration.variables : {};
  const given = isObject(showJson.variables) ? showJson.variables : {};
  for (const [name, variable] of Object.entries(declared)) {
    if (isObject(variable) && variable.sensitive === true && isObject(given[name])) collectSensitive((given[name] as { value?: unknown }).value, true, values);
  }
  for (const entry of changes) {
    collectSensitive(entry.change?.before, entry.change?.before_sensitive, values);
    collectSensitive(entry.change?.after, entry.change?.after_sensitive, values);
  }
  return values;
}

function revealsAny(value: unknown, secrets: ReadonlySet<string>): boolean {
  if (value === undefined || secrets.size === 0) return false;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}

function maskRevealing(change: AttributeChange, secrets: ReadonlySet<string>): AttributeChange {
  const hideBefore = revealsAny(change.before, secrets);
  const hideAfter = revealsAny(change.after, secrets);
  if (!hideBefore && !hideAfter) return change;
  return { ...change, ...(hideBefore ? { before: MASKED_VALUE } : {}), ...(hideAfter ? { after: MASKED_VALUE } : {}), sensitive: true };
}

/** Every resource change of a `terraform show -json` plan, in Terraform's order. */
export function terraformPlanResources(showJson: unknown, findBlock: FindTerraformBlock): PlanResource[] {
  const changes = isObject(showJson) && Array.isArray(showJson.resource_changes) ? (showJson.resource_changes as ResourceChangeJson[]) : [];
  const secrets = isObject(showJson) ? sensitiveValuesOf(showJson, changes) : new Set<string>();
  const resources: PlanResource[] = [];
  for (const entry of changes) {
    if (entry.mode !== 'managed' || !entry.address || !entry.type || !entry.name || !entry.change) continue;
    const action = actionOf(entry.change.actions ?? []);
    if (!action) continue;
    const diffs: AttributeChange[] = [];
    if (action !== 'no-op') {
      diffValues(
        '',
        { value: entry.change.before ?? undefined, sensitive: entry.change.before_sensitive },
        { value: entry.change.after ?? undefined, sensitive: entry.change.after_sensitive },
        entry.change.after_unknown,
        diffs,
      );
    }
    const declaredAt = findBlock({ type: entry.type, name: entry.name, ...(entry.module_address ? { moduleAddress: entry.module_address } : {}) });
    const note = entry.action_reason ? REASONS[entry.action_reason] : undefined;
    resources.push({
      source: 'terraform',
      id: entry.address,
      title: entry.address,
      action,
      precision: 'exact',
      ...(note ? { note } : {}),
      changes: diffs.map((change) => maskRevealing(change, secrets)),
      ...(declaredAt ? { declaredAt } : {}),
    });
  }
  return resources;
}

/**
 * The line of `resource "TYPE" "NAME" {` (or `module "NAME" {`) in a file's text, zero-based.
 * A lexical look, enough for `terraform fmt`-shaped files; a block written on a line with
 * other text is not found, and the resource is then shown without a link.
 */
export function findBlockLine(text: string, keyword: 'resource' | 'module', labels: readonly string[]): number | undefined {
  const quoted = labels.map((label) => `"${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).join('\\s+');
  const match = new RegExp(`^[ \\t]*${keyword}\\s+${quoted}\\s*\\{`, 'm').exec(text);
  if (!match) return undefined;
  return text.slice(0, match.index).split('\n').length - 1;
}
