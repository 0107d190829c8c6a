/**
 * What a real kube-apiserver adds to an object it stores, for the test API server in
 * kubeApiServer.ts: the defaults of the built-in kinds (as the API reference documents them),
 * server metadata, a plausible `status`, and `managedFields` in the FieldsV1 format. Pure: the
 * server passes the clock, the counters and the identities in.
 */
import { createHash } from 'node:crypto';

export type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

type Json = Record<string, unknown>;

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A shallow copy of `object` without `keys`. */
export function without<T extends Json>(object: T, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function setDefault(target: Json, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function defaultProbe(probe: unknown): void {
  if (!isMap(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isMap(probe.httpGet)) setDefault(probe.httpGet, 'scheme', 'HTTP');
}

function imagePullPolicyOf(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  return !lastSegment.includes(':') || lastSegment.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

const BINARY_SUFFIXES: Array<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
const DECIMAL_SUFFIXES: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** The canonical form the API server stores a quantity in: `1000m` → `1`, `0.5Gi` → `512Mi`, `2` (a number) → `"2"`. */
export function canonicalQuantity(value: unknown): unknown {
  const match = /^([0-9.]+)([A-Za-z]*)$/.exec(String(value));
  if (!match) return value;
  const amount = Number(match[1]);
  const binary = BINARY_SUFFIXES.find(([suffix]) => suffix === match[2]);
  if (binary) {
    const bytes = amount * binary[1];
    const fit = BINARY_SUFFIXES.find(([, size]) => bytes >= size && Number.isInteger(bytes / size));
    return fit ? `${bytes / fit[1]}${fit[0]}` : String(bytes);
  }
  const scale = DECIMAL_SUFFIXES[match[2]];
  if (scale === undefined) return value;
  if (match[2] !== '' && match[2] !== 'm' && Number.isInteger(amount)) return `${amount}${match[2]}`;
  const base = amount * scale;
  if (Number.isInteger(base)) return String(base);
  return Number.isInteger(Math.round(base * 1000 * 1e6) / 1e6) ? `${Math.round(base * 1000)}m` : value;
}

function canonicalResources(resources: unknown): void {
  if (!isMap(resources)) return;
  for (const group of ['requests', 'limits']) {
    const quantities = resources[group];
    if (isMap(quantities)) for (const key of Object.keys(quantities)) quantities[key] = canonicalQuantity(quantities[key]);
  }
}

function defaultContainer(container: unknown): void {
  if (!isMap(container)) return;
  canonicalResources(container.resources);
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'imagePullPolicy', imagePullPolicyOf(container.image));
  setDefault(container, 'resources', {});
  for (const port of Array.isArray(container.ports) ? container.ports : []) if (isMap(port)) setDefault(port, 'protocol', 'TCP');
  for (const variable of Array.isArray(container.env) ? container.env : []) {
    if (isMap(variable) && isMap(variable.valueFrom) && isMap(variable.valueFrom.fieldRef)) setDefault(variable.valueFrom.fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
}

function defaultPodSpec(spec: unknown): void {
  if (!isMap(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of [spec.containers, spec.initContainers]) for (const container of Array.isArray(list) ? list : []) defaultContainer(container);
  for (const volume of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isMap(volume)) continue;
    for (const source of ['configMap', 'secret']) if (isMap(volume[source])) setDefault(volume[source] as Json, 'defaultMode', 420);
  }
}

function defaultPodTemplate(template: unknown): void {
  if (!isMap(template)) return;
  const metadata = isMap(template.metadata) ? template.metadata : (template.metadata = {});
  // The API server serialises the template's unset creationTimestamp as an explicit null.
  setDefault(metadata as Json, 'creationTimestamp', null);
  defaultPodSpec(template.spec);
}

/** Allocates ClusterIPs from 10.96.0.0/12 the way the service IP allocator does: one per Service. */
function clusterIpFor(serviceKey: string): string {
  const digest = createHash('sha256').update(serviceKey).digest();
  return `10.96.${digest[0]}.${Math.max(1, digest[1] % 255)}`;
}

function defaultService(object: KubeObject): void {
  const spec = isMap(object.spec) ? object.spec : (object.spec = {});
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    const ip = spec.clusterIP ?? clusterIpFor(`${object.metadata.namespace}/${object.metadata.name}`);
    setDefault(spec, 'clusterIP', ip);
    setDefault(spec, 'clusterIPs', [spec.clusterIP]);
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isMap(port)) continue;
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'targetPort', port.port);
  }
}

/** Applies the defaults a real API server applies to the built-in kinds; other kinds are kept as they are. */
export function applyDefaults(object: KubeObject): void {
  const spec = isMap(object.spec) ? object.spec : undefined;
  switch (object.kind) {
    case 'Pod':
      defaultPodSpec(spec);
      break;
    case 'Deployment':
      if (!spec) break;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      setDefault(spec, 'strategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
      defaultPodTemplate(spec.template);
      break;
    case 'StatefulSet':
      if (!spec) break;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setDefault(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      defaultPodTemplate(spec.template);
      break;
    case 'DaemonSet':
      if (!spec) break;
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      defaultPodTemplate(spec.template);
      break;
    case 'Job':
      if (!spec) break;
      setDefault(spec, 'backoffLimit', 6);
      setDefault(spec, 'completionMode', 'NonIndexed');
      setDefault(spec, 'parallelism', 1);
      setDefault(spec, 'completions', 1);
      setDefault(spec, 'suspend', false);
      defaultPodTemplate(spec.template);
      break;
    case 'CronJob':
      if (!spec) break;
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
      if (isMap(spec.jobTemplate) && isMap(spec.jobTemplate.spec)) defaultPodTemplate(spec.jobTemplate.spec.template);
      break;
    case 'Service':
      defaultService(object);
      break;
    case 'Secret': {
      setDefault(object, 'type', 'Opaque');
      // stringData is write-only: the server folds it into data, base64-encoded.
      if (isMap(object.stringData)) {
        const data = isMap(object.data) ? object.data : (object.data = {});
        for (const [key, value] of Object.entries(object.stringData)) (data as Json)[key] = Buffer.from(String(value)).toString('base64');
        delete object.stringData;
      }
      break;
    }
    case 'Namespace':
      setDefault(object, 'spec', { finalizers: ['kubernetes'] });
      object.metadata.labels = { ...(isMap(object.metadata.labels) ? object.metadata.labels : {}), 'kubernetes.io/metadata.name': object.metadata.name };
      break;
    default:
      break;
  }
}

/** A plausible, settled `status` for the kinds that have one: what a healthy cluster reports. */
export function statusFor(object: KubeObject): Json | undefined {
  const spec = isMap(object.spec) ? object.spec : {};
  const generation = object.metadata.generation;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const condition = (type: string, reason: string) => ({ type, status: 'True', lastUpdateTime: object.metadata.creationTimestamp, lastTransitionTime: object.metadata.creationTimestamp, reason, message: `${type} (test API server)` });
  switch (object.kind) {
    case 'Deployment':
      return { observedGeneration: generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, conditions: [condition('Available', 'MinimumReplicasAvailable'), condition('Progressing', 'NewReplicaSetAvailable')] };
    case 'StatefulSet':
      return { observedGeneration: generation, replicas, readyReplicas: replicas, currentReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas, collisionCount: 0 };
    case 'DaemonSet':
      return { observedGeneration: generation, currentNumberScheduled: 1, desiredNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1, updatedNumberScheduled: 1 };
    case 'Service':
      return { loadBalancer: {} };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Pod':
      return { phase: 'Running', podIP: '10.244.0.12', hostIP: '172.18.0.2', qosClass: 'BestEffort', startTime: object.metadata.creationTimestamp };
    default:
      return undefined;
  }
}

/** Kinds whose spec changes bump `metadata.generation`; the rest carry no generation. */
export function hasGeneration(object: KubeObject): boolean {
  return object.spec !== undefined && !['Pod', 'Service', 'Namespace'].includes(object.kind);
}

/** The key a real server uses for an item of a list in FieldsV1 (`k:{...}` for keyed lists, `v:` for sets). */
function listItemKey(listName: string, item: unknown, index: number): string {
  if (!isMap(item)) return `v:${JSON.stringify(item)}`;
  if (listName === 'ports' && item.port !== undefined) return `k:${JSON.stringify({ port: item.port, protocol: item.protocol ?? 'TCP' })}`;
  if (listName === 'ports' && item.containerPort !== undefined) return `k:${JSON.stringify({ containerPort: item.containerPort, protocol: item.protocol ?? 'TCP' })}`;
  if (listName === 'volumeMounts' && item.mountPath !== undefined) return `k:${JSON.stringify({ mountPath: item.mountPath })}`;
  if (item.name !== undefined) return `k:${JSON.stringify({ name: item.name })}`;
  if (item.type !== undefined) return `k:${JSON.stringify({ type: item.type })}`;
  return `i:${index}`;
}

/** The FieldsV1 set of every field `value` sets, as the API server records it in managedFields. */
export function fieldsV1Of(value: Json, withSelf = false): Json {
  const fields: Json = withSelf ? { '.': {} } : {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    if (isMap(child) && Object.keys(child).length > 0) fields[`f:${key}`] = fieldsV1Of(child, true);
    else if (Array.isArray(child) && child.length > 0 && child.every((item) => isMap(item))) {
      const list: Json = {};
      child.forEach((item, index) => { list[listItemKey(key, item, index)] = fieldsV1Of(item as Json, true); });
      fields[`f:${key}`] = list;
    } else fields[`f:${key}`] = {};
  }
  return fields;
}

/** The FieldsV1 of an object's own fields (no kind/apiVersion/status, metadata without server fields). */
export function ownedFieldsOf(object: Json): Json {
  const metadata = object.metadata;
  const fields = fieldsV1Of(without(object, ['apiVersion', 'kind', 'status', 'metadata']));
  if (isMap(metadata)) {
    const ownMetadata: Json = {};
    for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences']) if (metadata[key] !== undefined) ownMetadata[key] = metadata[key];
    if (Object.keys(ownMetadata).length > 0) fields['f:metadata'] = fieldsV1Of(ownMetadata);
  }
  return fields;
}

/** Removes from `fields` every leaf that `taken` also has: a field has one owner after an Update. */
export function subtractFields(fields: Json, taken: Json): Json {
  const result: Json = {};
  for (const [key, child] of Object.entries(fields)) {
    const other = taken[key];
    if (other === undefined) result[key] = child;
    else if (isMap(child) && isMap(other) && Object.keys(child).some((k) => k !== '.') && Object.keys(other).length > 0) {
      const rest = subtractFields(child, other);
      if (Object.keys(rest).some((k) => k !== '.')) result[key] = rest;
    }
  }
  return result;
}

/** The dotted paths of leaves whose value differs between two versions of an object, in FieldsV1 form. */
export function changedFields(before: unknown, after: unknown, listName = ''): Json | undefined {
  if (JSON.stringify(before) === JSON.stringify(after)) return undefined;
  if (isMap(before) && isMap(after)) {
    const fields: Json = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (after[key] === undefined) continue;
      const child = changedFields(before[key], after[key], key);
      if (child) fields[`f:${key}`] = child;
    }
    return fields;
  }
  if (Array.isArray(before) && Array.isArray(after) && after.every((item) => isMap(item))) {
    const fields: Json = {};
    const previous = new Map(before.map((item, index) => [listItemKey(listName, item, index), item]));
    after.forEach((item, index) => {
      const key = listItemKey(listName, item, index);
      const child = previous.has(key) ? changedFields(previous.get(key), item) : fieldsV1Of(item as Json, true);
      if (child) fields[key] = child;
    });
    return fields;
  }
  return {};
}

/** Leaf paths (as FieldsV1 key chains) of a FieldsV1 set, for conflict detection. */
export function fieldLeaves(fields: Json, prefix: string[] = []): string[][] {
  const leaves: string[][] = [];
  for (const [key, child] of Object.entries(fields)) {
    if (key === '.') continue;
    const childKeys = isMap(child) ? Object.keys(child).filter((k) => k !== '.') : [];
    if (childKeys.length === 0) leaves.push([...prefix, key]);
    else leaves.push(...fieldLeaves(child as Json, [...prefix, key]));
  }
  return leaves;
}

/** Whether `fields` contains the leaf path `leaf`. */
export function hasField(fields: Json, leaf: readonly string[]): boolean {
  let cursor: unknown = fields;
  for (const key of leaf) {
    if (!isMap(cursor) || cursor[key] === undefined) return false;
    cursor = cursor[key];
  }
  return true;
}

/** The value at a FieldsV1 leaf path inside an object (`k:` keys matched against list items). */
export function valueAtField(object: unknown, leaf: readonly string[]): unknown {
  let cursor: unknown = object;
  let listName = '';
  for (const key of leaf) {
    if (key.startsWith('f:') && isMap(cursor)) {
      listName = key.slice(2);
      cursor = cursor[listName];
    } else if (Array.isArray(cursor)) {
      const list = cursor;
      cursor = list.find((item, index) => listItemKey(listName, item, index) === key);
    } else return undefined;
  }
  return cursor;
}

/** Merges an apply configuration into an object the way server-side apply does for the fields it names. */
export function mergeApplied(target: unknown, patch: unknown, listName = ''): unknown {
  if (isMap(target) && isMap(patch)) {
    const merged: Json = { ...target };
    for (const [key, value] of Object.entries(patch)) merged[key] = value === null ? undefined : mergeApplied(target[key], value, key);
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    return merged;
  }
  if (Array.isArray(target) && Array.isArray(patch) && patch.every((item) => isMap(item))) {
    const previous = new Map(target.map((item, index) => [listItemKey(listName, item, index), item]));
    return patch.map((item, index) => {
      const key = listItemKey(listName, item, index);
      return previous.has(key) ? mergeApplied(previous.get(key), item) : item;
    });
  }
  return structuredClone(patch);
}
