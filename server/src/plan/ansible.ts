/**
 * The Ansible plan from a check-mode run: the drift side runs `ansible-playbook --check --diff`
 * and reads each task result per host (drift/ansible/checkModeDrift.ts); here each of those
 * becomes a plan resource. Check mode is Ansible's own prediction, so every resource is exact.
 * A task whose output no_log hides keeps only the fact that it would change.
 */
import { NO_LOG_EXPLANATION } from '../drift/ansible/checkModeDrift';
import type { DriftResource, FieldDrift } from '../drift/types';
import { MASKED_VALUE, type AttributeChange, type PlanAction, type PlanResource } from './types';

/** A loop item's prefix on its fields' paths: `loop item 2: state`. */
const LOOP_ITEM_PREFIX = /^loop item \d+: /;

/** The loop item a field belongs to; empty for a task without a loop. */
const loopItemOf = (path: string): string => LOOP_ITEM_PREFIX.exec(path)?.[0] ?? '';

function stateChange(fields: readonly FieldDrift[]): PlanAction {
  const state = fields.find((field) => field.path.slice(loopItemOf(field.path).length) === 'state');
  if (!state) return 'update';
  if (state.live === 'absent' && state.desired !== undefined && state.desired !== 'absent') return 'create';
  if (state.desired === 'absent' && state.live !== undefined && state.live !== 'absent') return 'delete';
  return 'update';
}

/**
 * `create` when the diff says a path would come into existence (`state` absent → file,
 * directory, link…; checkModeDrift adds that field for a copy or template to a new file),
 * `delete` when it would be removed, `update` for any other change. A loop changes one path
 * per item: the task is a create (or delete) only when every changed item is.
 */
function actionOf(fields: readonly FieldDrift[]): PlanAction {
  const byItem = new Map<string, FieldDrift[]>();
  for (const field of fields) {
    const item = loopItemOf(field.path);
    byItem.set(item, [...(byItem.get(item) ?? []), field]);
  }
  const actions = new Set([...byItem.values()].map(stateChange));
  return actions.size === 1 ? [...actions][0] : 'update';
}

/** A field with values becomes an attribute change, a no_log one a masked change; one without values (diff: false, a diff too long to keep) is said in words. */
function changeOf(field: FieldDrift): AttributeChange | undefined {
  if (field.explanation.endsWith(NO_LOG_EXPLANATION)) return { path: field.path, before: MASKED_VALUE, after: MASKED_VALUE, sensitive: true };
  if (field.live === undefined && field.desired === undefined) return undefined;
  const change: AttributeChange = { path: field.path };
  if (field.live !== undefined) change.before = field.live;
  if (field.desired !== undefined) change.after = field.desired;
  return change;
}

/** The words for a field shown without values: its explanation's first line, as a sentence. */
function sentenceOf(field: FieldDrift): string {
  if (field.explanation.endsWith(NO_LOG_EXPLANATION)) return 'Ansible hides what it would change (no_log).';
  const first = field.explanation.split('\n')[0].replace(/:$/, '');
  const withPath = first.startsWith('would change') ? `${field.path} ${first}` : first;
  return `${withPath.charAt(0).toUpperCase()}${withPath.slice(1)}.`;
}

/**
 * One plan resource per task and host of a check-mode run. `relativeId` turns the drift id
 * (`/abs/site.yml:14@host`) into the one the plan shows (`site.yml:14@host`).
 */
export function ansiblePlanResources(resources: readonly DriftResource[], relativeId: (id: string) => string = (id) => id): PlanResource[] {
  return resources.map((resource): PlanResource => {
    const drifted = resource.status !== 'in-sync';
    const changes = drifted ? resource.fields.map(changeOf).filter((change): change is AttributeChange => change !== undefined) : [];
    const unshown = drifted ? resource.fields.filter((field) => changeOf(field) === undefined || field.explanation.endsWith(NO_LOG_EXPLANATION)) : [];
    const note = [...new Set(unshown.map(sentenceOf))].join(' ');
    return {
      source: 'ansible',
      id: relativeId(resource.id),
      title: resource.host ? `${resource.name} on ${resource.host}` : resource.name,
      action: drifted ? actionOf(resource.fields) : 'no-op',
      precision: 'exact',
      ...(note ? { note } : {}),
      changes,
      ...(resource.declaredAt ? { declaredAt: resource.declaredAt } : {}),
    };
  });
}
