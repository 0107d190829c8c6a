/**
 * Kubernetes drift by meaning: what git declares against what the API server holds.
 * Pure: the live objects come from a cluster LIST or a `kubectl get -o json` snapshot,
 * read elsewhere; everything that leaves here is masked (Secret values never do).
 */
import { isRecord } from '../../kubernetes/resource';
import { CLUSTER_SCOPED_KINDS, groupOf } from '../../kustomize/resources';
import type { SourceLocation } from '../../kustomize/render';
import type { PathSegment } from '../../yaml/path';
import type { DeclaredAt, DriftResource, FieldDrift } from '../types';
import { diffValue, type RawDrift } from './diff';
import { explain } from './explain';
import { declaredPathOf, formatFieldPath } from './fieldPath';
import { fieldManagerOf } from './managedFields';
import { explainSecretKey, isSecret, maskSecret, secretDataDrift } from './mask';
import { diffTexts, type DiffTexts } from './texts';

/** One object git declares, with where it is declared. */
export interface DesiredObject {
  value: Record<string, unknown>;
  declaredAt: DeclaredAt;
  /**
   * Where git writes the field at `path` (its value, or its key), for the ranges of drifted
   * fields; the deepest ancestor that exists when the path does not. A kustomize patch may
   * write a field in another file than the resource.
   */
  locateField?: (path: readonly PathSegment[], at: 'key' | 'value') => SourceLocation | undefined;
}

/** One object as the API server returns it (an item of a LIST or of a `kubectl get -o json` List). */
export type LiveObject = Record<string, unknown>;

/** Which live objects belong to this app although git lacks them: labels and annotations that tools set when they apply. */
export interface TrackingKeys {
  labels: string[];
  annotations: string[];
}

export const DEFAULT_TRACKING_KEYS: TrackingKeys = {
  labels: ['app.kubernetes.io/instance', 'kustomize.toolkit.fluxcd.io/name'],
  annotations: ['argocd.argoproj.io/tracking-id'],
};

export interface CompareOptions {
  /** The namespace of a namespaced object that names none (the kubeconfig context's, or `default`). */
  defaultNamespace: string;
  /** Report live objects that carry a tracking key but are absent from git. */
  includeUnmanaged?: boolean;
  trackingKeys?: TrackingKeys;
  /** Whether a kind is namespaced, from the schema store; undefined when unknown (then the built-in list of cluster-scoped kinds decides). */
  isNamespaced?: (apiVersion: string, kind: string) => boolean | undefined;
  /** Write `desiredText` and `liveText` for a diff editor (default true); a caller that never shows them saves most of the cost. */
  includeDiffTexts?: boolean;
}

interface Identity {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

const stringField = (value: unknown, key: string): string => (isRecord(value) && typeof value[key] === 'string' ? value[key] : '');

function identityOf(object: Record<string, unknown>, options: CompareOptions): Identity {
  const apiVersion = stringField(object, 'apiVersion');
  const kind = stringField(object, 'kind');
  const namespaced = options.isNamespaced?.(apiVersion, kind) ?? !CLUSTER_SCOPED_KINDS.has(kind);
  const namespace = namespaced ? stringField(object.metadata, 'namespace') || options.defaultNamespace : '';
  return { apiVersion, kind, namespace, name: stringField(object.metadata, 'name') };
}

/** Objects match across API versions of a group: a LIST may serve another version than git names. */
const matchKey = (identity: Identity): string => JSON.stringify([groupOf(identity.apiVersion), identity.kind, identity.namespace, identity.name]);

const resourceId = ({ apiVersion, kind, namespace, name }: Identity): string => [apiVersion, kind, ...(namespace ? [namespace] : []), name].join('/');

function isTracked(live: LiveObject, keys: TrackingKeys): boolean {
  const metadata = isRecord(live.metadata) ? live.metadata : {};
  const labels = isRecord(metadata.labels) ? metadata.labels : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  return keys.labels.some((key) => key in labels) || keys.annotations.some((key) => key in annotations);
}

/** Identity is how objects were matched; comparing it again would only repeat the namespace defaulting. */
const IDENTITY_FIELDS = new Set(['apiVersion', 'kind']);
const IDENTITY_METADATA = new Set(['name', 'namespace']);

function withoutIdentity(object: Record<string, unknown>): Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(object).filter(([key]) => !IDENTITY_FIELDS.has(key)));
  if (isRecord(object.metadata)) rest.metadata = Object.fromEntries(Object.entries(object.metadata).filter(([key]) => !IDENTITY_METADATA.has(key)));
  return rest;
}

function toFieldDrift(drift: RawDrift, desired: DesiredObject, live: LiveObject, explanation: string): FieldDrift {
  const field: FieldDrift = { path: formatFieldPath(drift.path), explanation };
  if (drift.desired !== undefined) field.desired = drift.desired;
  if (drift.live !== undefined) field.live = drift.live;
  const changedBy = fieldManagerOf(live, drift.path);
  if (changedBy) field.changedBy = changedBy;
  const declaredPath = declaredPathOf(drift.path);
  // An item only live has no node in git: the key of its list is where it would go.
  const exact = declaredPath.length === drift.path.length;
  const location = desired.locateField?.(declaredPath, exact ? 'value' : 'key');
  if (location) {
    field.declaredRange = location.range;
    if (location.uri !== desired.declaredAt.uri) field.declaredUri = location.uri;
  }
  return field;
}

type TextsOf = (kind: string, desired: Record<string, unknown> | undefined, live: Record<string, unknown> | undefined) => Partial<DiffTexts>;

const noTexts: TextsOf = () => ({});

function compareOne(identity: Identity, desired: DesiredObject, live: LiveObject | undefined, textsOf: TextsOf): DriftResource {
  const base = { source: 'kubernetes' as const, id: resourceId(identity), ...identity, declaredAt: desired.declaredAt };
  const secret = isSecret(desired.value);
  const secretData = secret ? secretDataDrift(desired.value, live) : undefined;
  const shownDesired = secretData ? maskSecret(desired.value, secretData.differing) : desired.value;
  if (!live) return { ...base, status: 'missing', fields: [], ...textsOf(identity.kind, shownDesired, undefined) };
  const shownLive = secretData ? maskSecret(live, secretData.differing) : live;
  const raw: RawDrift[] = [];
  // Secret content was compared on the real bytes above; the walk sees only the masked copies, without it.
  const desiredFields = withoutIdentity(shownDesired);
  const liveFields = withoutIdentity(shownLive);
  if (secret) {
    delete desiredFields.data;
    delete liveFields.data;
  }
  diffValue(identity.kind, [], desiredFields, liveFields, raw);
  const fields = [
    ...(secretData?.drifts ?? []).map((drift) => toFieldDrift(drift, desired, live, explainSecretKey(drift))),
    ...raw.map((drift) => toFieldDrift(drift, desired, live, explain(drift))),
  ];
  return {
    ...base,
    status: fields.length ? 'drifted' : 'in-sync',
    fields,
    ...textsOf(identity.kind, shownDesired, shownLive),
  };
}

function unmanaged(identity: Identity, live: LiveObject, textsOf: TextsOf): DriftResource {
  const shown = isSecret(live) ? maskSecret(live, new Set()) : live;
  return { source: 'kubernetes', id: resourceId(identity), ...identity, status: 'unmanaged', fields: [], ...textsOf(identity.kind, undefined, shown) };
}

/**
 * Compares each object git declares with its live counterpart (matched by API group, kind,
 * namespace and name), in git's order; then, when asked, the live objects that carry a
 * tracking key but are absent from git. Objects without a name (generateName) are skipped.
 */
export function compareKubernetes(desired: readonly DesiredObject[], live: readonly LiveObject[], options: CompareOptions): DriftResource[] {
  const textsOf: TextsOf = options.includeDiffTexts === false ? noTexts : diffTexts;
  const liveByKey = new Map<string, LiveObject>();
  for (const object of live) liveByKey.set(matchKey(identityOf(object, options)), object);
  const matched = new Set<LiveObject>();
  const resources: DriftResource[] = [];
  for (const object of desired) {
    const identity = identityOf(object.value, options);
    if (!identity.kind || !identity.name) continue;
    const counterpart = liveByKey.get(matchKey(identity));
    if (counterpart) matched.add(counterpart);
    resources.push(compareOne(identity, object, counterpart, textsOf));
  }
  if (!options.includeUnmanaged) return resources;
  const trackingKeys = options.trackingKeys ?? DEFAULT_TRACKING_KEYS;
  for (const object of live) {
    if (matched.has(object) || !isTracked(object, trackingKeys)) continue;
    resources.push(unmanaged(identityOf(object, options), object, textsOf));
  }
  return resources;
}
