/**
 * The values the API server fills in when a manifest omits them (its defaulting functions
 * and admission), per kind and path. When git omits such a field, the live value is no
 * drift and is left out of the diff text; when git sets it, it is compared like any other.
 */
import { isRecord } from '../../kubernetes/resource';
import type { FieldPath } from './fieldPath';

/** Whatever the server chose (an allocated IP, a node port, a bound volume). */
const ANY = Symbol('any value');

/** Holds when `value` is the default at that place; `parent` is the live map holding the field. */
type DefaultTest = (value: unknown, parent: Record<string, unknown>) => boolean;

type DefaultValue = string | number | boolean | null | typeof ANY | DefaultTest;

/** `imagePullPolicy` is Always for `:latest` or an untagged image, IfNotPresent otherwise (and with a digest). */
const defaultPullPolicy: DefaultTest = (value, container) => {
  const image = typeof container.image === 'string' ? container.image : '';
  const tagged = /:[^/]+$/.test(image.split('@')[0]) && !image.split('@')[0].endsWith(':latest');
  return value === (tagged || image.includes('@') ? 'IfNotPresent' : 'Always');
};

/** A Service port's `targetPort` defaults to its `port`. */
const targetPortIsPort: DefaultTest = (value, port) => String(value) === String(port.port);

const PROBE_DEFAULTS: Record<string, DefaultValue> = {
  timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, 'httpGet.scheme': 'HTTP',
};

const CONTAINER_DEFAULTS: Record<string, DefaultValue> = {
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: defaultPullPolicy,
  'ports.*.protocol': 'TCP',
  'env.*.valueFrom.fieldRef.apiVersion': 'v1',
  ...Object.fromEntries(['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((probe) =>
    Object.entries(PROBE_DEFAULTS).map(([field, value]) => [`${probe}.${field}`, value]))),
};

const POD_SPEC_DEFAULTS: Record<string, DefaultValue> = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  terminationGracePeriodSeconds: 30,
  serviceAccount: ANY, // the deprecated twin of serviceAccountName, copied by the server
  'volumes.*.configMap.defaultMode': 420,
  'volumes.*.secret.defaultMode': 420,
  'volumes.*.projected.defaultMode': 420,
  'volumes.*.downwardAPI.defaultMode': 420,
  ...Object.fromEntries(['containers', 'initContainers'].flatMap((list) =>
    Object.entries(CONTAINER_DEFAULTS).map(([field, value]) => [`${list}.*.${field}`, value]))),
};

/** Pods made directly get more from admission (service account, scheduling, tolerations, node). */
const POD_DEFAULTS: Record<string, DefaultValue> = {
  'spec.enableServiceLinks': true,
  'spec.priority': 0,
  'spec.preemptionPolicy': 'PreemptLowerPriority',
  'spec.serviceAccountName': 'default',
  'spec.nodeName': ANY,
  'spec.tolerations': ANY,
};

const TEMPLATE_METADATA = { 'spec.template.metadata.creationTimestamp': null };

const KIND_DEFAULTS: Record<string, Record<string, DefaultValue>> = {
  Deployment: {
    ...TEMPLATE_METADATA,
    'metadata.annotations.deployment.kubernetes.io/revision': ANY,
    'spec.replicas': 1,
    'spec.revisionHistoryLimit': 10,
    'spec.progressDeadlineSeconds': 600,
    'spec.strategy.type': 'RollingUpdate',
    'spec.strategy.rollingUpdate.maxSurge': '25%',
    'spec.strategy.rollingUpdate.maxUnavailable': '25%',
  },
  StatefulSet: {
    ...TEMPLATE_METADATA,
    'spec.replicas': 1,
    'spec.revisionHistoryLimit': 10,
    'spec.podManagementPolicy': 'OrderedReady',
    'spec.updateStrategy.type': 'RollingUpdate',
    'spec.updateStrategy.rollingUpdate.partition': 0,
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted': 'Retain',
    'spec.persistentVolumeClaimRetentionPolicy.whenScaled': 'Retain',
    'spec.volumeClaimTemplates.*.spec.volumeMode': 'Filesystem',
    'spec.volumeClaimTemplates.*.status': ANY,
    'spec.volumeClaimTemplates.*.apiVersion': 'v1',
    'spec.volumeClaimTemplates.*.kind': 'PersistentVolumeClaim',
    'spec.volumeClaimTemplates.*.metadata.creationTimestamp': null,
  },
  DaemonSet: {
    ...TEMPLATE_METADATA,
    'spec.revisionHistoryLimit': 10,
    'spec.updateStrategy.type': 'RollingUpdate',
    'spec.updateStrategy.rollingUpdate.maxUnavailable': 1,
    'spec.updateStrategy.rollingUpdate.maxSurge': 0,
  },
  ReplicaSet: { ...TEMPLATE_METADATA, 'spec.replicas': 1 },
  Job: {
    ...TEMPLATE_METADATA,
    'spec.backoffLimit': 6,
    'spec.completions': 1,
    'spec.parallelism': 1,
    'spec.completionMode': 'NonIndexed',
    'spec.suspend': false,
    'spec.manualSelector': ANY,
    'spec.podReplacementPolicy': 'TerminatingOrFailed',
    // The Job controller labels its pods and selects them by its uid.
    'spec.selector': ANY,
    'spec.template.metadata.labels': ANY,
  },
  CronJob: {
    'spec.concurrencyPolicy': 'Allow',
    'spec.suspend': false,
    'spec.successfulJobsHistoryLimit': 3,
    'spec.failedJobsHistoryLimit': 1,
    'spec.jobTemplate.metadata.creationTimestamp': null,
    'spec.jobTemplate.spec.template.metadata.creationTimestamp': null,
  },
  Service: {
    'spec.clusterIP': ANY,
    'spec.clusterIPs': ANY,
    'spec.ipFamilies': ANY,
    'spec.ipFamilyPolicy': 'SingleStack',
    'spec.sessionAffinity': 'None',
    'spec.type': 'ClusterIP',
    'spec.internalTrafficPolicy': 'Cluster',
    'spec.externalTrafficPolicy': 'Cluster',
    'spec.allocateLoadBalancerNodePorts': true,
    'spec.healthCheckNodePort': ANY,
    'spec.ports.*.protocol': 'TCP',
    'spec.ports.*.targetPort': targetPortIsPort,
    'spec.ports.*.nodePort': ANY,
  },
  PersistentVolumeClaim: { 'spec.volumeMode': 'Filesystem', 'spec.volumeName': ANY, 'spec.storageClassName': ANY },
  Namespace: { 'spec.finalizers': ANY, 'metadata.labels.kubernetes.io/metadata.name': ANY },
  Secret: { type: 'Opaque' },
  Pod: POD_DEFAULTS,
};

/** Where each kind keeps its pod spec. */
const POD_SPEC_PREFIX: Record<string, string> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** The path as a table key: list items become `*`, keys are joined with dots. */
const patternOf = (path: FieldPath): string => path.map((segment) => (typeof segment === 'string' ? segment : '*')).join('.');

function defaultAt(kind: string, pattern: string): DefaultValue | undefined {
  const own = KIND_DEFAULTS[kind]?.[pattern];
  if (own !== undefined) return own;
  const prefix = POD_SPEC_PREFIX[kind];
  if (prefix && pattern.startsWith(`${prefix}.`)) return POD_SPEC_DEFAULTS[pattern.slice(prefix.length + 1)];
  return undefined;
}

/** True when the live `value` at `path` is what the API server fills in for a field git omits. */
export function isServerDefault(kind: string, path: FieldPath, value: unknown, parent: unknown): boolean {
  const expected = defaultAt(kind, patternOf(path));
  if (expected === undefined) return false;
  if (expected === ANY) return true;
  if (typeof expected === 'function') return expected(value, isRecord(parent) ? parent : {});
  return value === expected;
}
