/**
 * Terraform drift from a refresh-only plan, as `terraform show -json PLAN` prints it:
 * `resource_drift[]` holds each resource whose refreshed (live) values differ from the
 * state, with `before` (what Terraform last recorded), `after` (live) and which values are
 * sensitive. Each differing attribute becomes a FieldDrift; sensitive ones are masked here,
 * so their values never leave this module. Resources in the refreshed state without drift
 * are in sync; declared ones absent from it are missing.
 */
import { stringify } from 'yaml';
import type { Block } from '../../terraform/model';
import { describeValue } from '../kubernetes/explain';
import { formatFieldPath, type FieldPath } from '../kubernetes/fieldPath';
import { HIDDEN, HIDDEN_DIFFERS } from '../kubernetes/mask';
import type { DriftResource, DriftStatus, FieldDrift } from '../types';
import { blockAddress, type DeclaredResources } from './declarations';
import { notInStateResource, terraformResource, undeclaredResource } from './resource';

type Json = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Absent in the sense providers mean: null, an empty string, map or list. A provider often
 * reads back `{}` where the state had null (an unset `tags`), which Terraform reports as
 * drift although nothing changed.
 */
function isAbsent(value: Json): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

function sameJson(a: Json, b: Json): boolean {
  if (isAbsent(a) && isAbsent(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameJson(a[key], b[key]));
  }
  return a === b;
}

/** The part of a `*_sensitive` map at `path`: `true` when the value there (or above it) is sensitive. */
function sensitivityAt(map: Json, path: FieldPath): Json {
  let node = map;
  for (const segment of path) {
    if (node === true) return true;
    if (typeof segment === 'string') node = isRecord(node) ? node[segment] : undefined;
    else node = Array.isArray(node) ? node[segment.index] : undefined;
  }
  return node;
}

/** Whether anything at or under this part of a `*_sensitive` map is sensitive. */
function containsSensitive(node: Json): boolean {
  if (node === true) return true;
  if (Array.isArray(node)) return node.some(containsSensitive);
  return isRecord(node) && Object.values(node).some(containsSensitive);
}

/** Both sides' sensitivity in one map: a value sensitive on either side is masked on both. */
function mergeSensitivity(a: Json, b: Json): Json {
  if (a === true || b === true) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    const left = Array.isArray(a) ? a : [];
    const right = Array.isArray(b) ? b : [];
    return Array.from({ length: Math.max(left.length, right.length) }, (_, i) => mergeSensitivity(left[i], right[i]));
  }
  if (isRecord(a) || isRecord(b)) {
    const left = isRecord(a) ? a : {};
    const right = isRecord(b) ? b : {};
    return Object.fromEntries([...new Set([...Object.keys(left), ...Object.keys(right)])].map((key) => [key, mergeSensitivity(left[key], right[key])]));
  }
  return undefined;
}

interface Sensitivity {
  before: Json;
  after: Json;
}

const isSensitive = (sensitivity: Sensitivity, path: FieldPath): boolean =>
  containsSensitive(sensitivityAt(sensitivity.before, path)) || containsSensitive(sensitivityAt(sensitivity.after, path));

interface AttributeDrift {
  path: FieldPath;
  before: Json;
  after: Json;
  sensitive: boolean;
}

/** The attributes that differ, as deep as both sides share a shape (maps by key, lists of equal length by position). */
function diffAttributes(path: FieldPath, before: Json, after: Json, sensitivity: Sensitivity, out: AttributeDrift[]): void {
  if (sameJson(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) diffAttributes([...path, key], before[key], after[key], sensitivity, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, index) => diffAttributes([...path, { index }], item, after[index], sensitivity, out));
    return;
  }
  out.push({ path, before, after, sensitive: isSensitive(sensitivity, path) });
}

function explainAttribute(name: string, drift: AttributeDrift): string {
  if (drift.sensitive) return `${name} is sensitive and differs live from what Terraform last recorded (values hidden)`;
  if (isAbsent(drift.before)) return `${name} was set outside Terraform to ${describeValue(drift.after)}`;
  if (isAbsent(drift.after)) return `${name} is missing live; Terraform last recorded ${describeValue(drift.before)}`;
  return `${name} is ${describeValue(drift.after)} live; Terraform last recorded ${describeValue(drift.before)}`;
}

/** The range of the attribute (or of a key inside a map attribute, `tags.env`) in the resource block. */
function attributeRange(block: Block, path: FieldPath): FieldDrift['declaredRange'] {
  const name = path[0];
  const attribute = typeof name === 'string' ? block.attributes.get(name) : undefined;
  if (!attribute) return undefined;
  const key = path[1];
  const entry = typeof key === 'string' ? attribute.expression.entries?.find((e) => e.name === key) : undefined;
  return entry ? entry.value.range : attribute.expression.range;
}

function fieldDrift(drift: AttributeDrift, block: Block): FieldDrift {
  const path = formatFieldPath(drift.path);
  const field: FieldDrift = { path, explanation: explainAttribute(path, drift) };
  if (!isAbsent(drift.before)) field.desired = drift.sensitive ? HIDDEN : drift.before;
  if (!isAbsent(drift.after)) field.live = drift.sensitive ? HIDDEN_DIFFERS : drift.after;
  const range = attributeRange(block, drift.path);
  if (range) field.declaredRange = range;
  return field;
}

/** The value with every sensitive part replaced by a marker; `differing` are the formatted paths that drifted. */
function masked(value: Json, sensitive: Json, differing: ReadonlySet<string>, path: FieldPath = []): Json {
  if (containsSensitive(sensitive) && (sensitive === true || !(isRecord(value) || Array.isArray(value)))) {
    const here = formatFieldPath(path);
    const differs = [...differing].some((p) => p === here || p.startsWith(`${here}.`) || p.startsWith(`${here}[`));
    return differs ? HIDDEN_DIFFERS : HIDDEN;
  }
  if (isRecord(value)) {
    const result: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] === null) continue;
      result[key] = masked(value[key], isRecord(sensitive) ? sensitive[key] : undefined, differing, [...path, key]);
    }
    return result;
  }
  if (Array.isArray(value)) return value.map((item, index) => masked(item, Array.isArray(sensitive) ? sensitive[index] : undefined, differing, [...path, { index }]));
  return value;
}

const toYaml = (value: Json): string => (value === null || value === undefined ? '' : stringify(value, { lineWidth: 0 }));

interface DriftEntry {
  address: string;
  mode?: string;
  change?: { actions?: string[]; before?: Json; after?: Json; before_sensitive?: Json; after_sensitive?: Json };
}

/** Managed resource addresses of a `values` module tree (prior_state), recursively through child modules. */
function stateAddresses(module: Json, out: Set<string>, depth = 0): void {
  if (!isRecord(module) || depth > 64) return;
  for (const resource of Array.isArray(module.resources) ? module.resources : []) {
    if (isRecord(resource) && resource.mode === 'managed' && typeof resource.address === 'string') out.add(resource.address);
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) stateAddresses(child, out, depth + 1);
}

/** Drift per resource from `terraform show -json` of a refresh-only plan; a string says why the text is not such a plan. */
export function refreshOnlyPlanDrift(plan: Json, declared: DeclaredResources): DriftResource[] | string {
  if (!isRecord(plan) || typeof plan.format_version !== 'string') return 'the output of terraform show -json is not a plan (no format_version)';
  if (plan.resource_drift !== undefined && !Array.isArray(plan.resource_drift)) return 'resource_drift in the plan is not a list';
  const resources = new Map<string, DriftResource>();
  for (const entry of (plan.resource_drift ?? []) as DriftEntry[]) {
    if (!isRecord(entry) || typeof entry.address !== 'string' || entry.mode === 'data') continue;
    const resource = driftedResource(entry, declared);
    if (resource) resources.set(entry.address, resource);
  }
  const inState = new Set<string>();
  const priorState = isRecord(plan.prior_state) && isRecord(plan.prior_state.values) ? plan.prior_state.values.root_module : undefined;
  stateAddresses(priorState, inState);
  for (const address of inState) {
    if (resources.has(address)) continue;
    const declaration = declared.get(blockAddress(address));
    resources.set(address, declaration ? terraformResource(address, 'in-sync', declaration.declaredAt) : undeclaredResource(address));
  }
  const seenBlocks = new Set([...resources.keys()].map(blockAddress));
  for (const [address, declaration] of declared) {
    if (!seenBlocks.has(address)) resources.set(address, notInStateResource(address, declaration));
  }
  return [...resources.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Undefined for a resource gone both from the configuration and live: the next apply only forgets it. */
function driftedResource(entry: DriftEntry, declared: DeclaredResources): DriftResource | undefined {
  const declaration = declared.get(blockAddress(entry.address));
  const change = isRecord(entry.change) ? entry.change : {};
  const actions = Array.isArray(change.actions) ? change.actions : [];
  // Deleted outside Terraform: the refreshed state has no object for it any more.
  const deleted = actions.includes('delete') || change.after === null || change.after === undefined;
  const sensitivity: Sensitivity = { before: change.before_sensitive, after: change.after_sensitive };
  const drifts: AttributeDrift[] = [];
  if (!deleted) diffAttributes([], change.before, change.after, sensitivity, drifts);
  const status: DriftStatus = deleted ? 'missing' : drifts.length > 0 ? 'drifted' : 'in-sync';
  if (!declaration) return deleted ? undefined : undeclaredResource(entry.address);
  const resource = terraformResource(entry.address, status, declaration.declaredAt);
  if (deleted) resource.explanation = 'deleted outside Terraform: the refresh found no object for it';
  resource.fields = drifts.map((drift) => fieldDrift(drift, declaration.block));
  if (drifts.length > 0) {
    const differing = new Set(drifts.map((drift) => formatFieldPath(drift.path)));
    const sensitive = mergeSensitivity(change.before_sensitive, change.after_sensitive);
    resource.desiredText = toYaml(masked(change.before, sensitive, differing));
    resource.liveText = toYaml(masked(change.after, sensitive, differing));
  }
  return resource;
}
