/**
 * Where each workload kind keeps its pod template, so rules can look at pods and
 * containers without knowing every kind.
 */
import type { PathSegment } from '../yaml/path';
import { getIn, isRecord, type KubernetesResource } from './resource';

const POD_SPEC_PATHS: Record<string, PathSegment[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Kinds whose pods run to completion: probes make no sense for them. */
export const RUN_TO_COMPLETION_KINDS = new Set(['Job', 'CronJob']);

/** Kinds with `spec.selector` that must select their own pod template. */
export const SELECTOR_WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export interface PodSpecAt {
  path: PathSegment[];
  spec: Record<string, unknown>;
}

export interface ContainerAt {
  path: PathSegment[];
  container: Record<string, unknown>;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: string;
}

export function podSpecOf(resource: KubernetesResource): PodSpecAt | undefined {
  const path = POD_SPEC_PATHS[resource.kind];
  if (!path || !resource.apiVersion.match(/^(v1|apps\/v1|batch\/v1|extensions\/v1beta1|apps\/v1beta[12]|batch\/v1beta1)$/)) return undefined;
  const spec = getIn(resource.value, path);
  return isRecord(spec) ? { path, spec } : undefined;
}

/** Labels of the pods a workload creates. */
export function podTemplateLabels(resource: KubernetesResource): Record<string, unknown> | undefined {
  const podSpec = podSpecOf(resource);
  if (!podSpec) return undefined;
  const labelsPath = resource.kind === 'Pod' ? ['metadata', 'labels'] : [...podSpec.path.slice(0, -1), 'metadata', 'labels'];
  const labels = getIn(resource.value, labelsPath);
  return isRecord(labels) ? labels : undefined;
}

export function containersOf(resource: KubernetesResource): ContainerAt[] {
  const podSpec = podSpecOf(resource);
  if (!podSpec) return [];
  const found: ContainerAt[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const containers = podSpec.spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      if (isRecord(container)) found.push({ path: [...podSpec.path, list, index], container, list });
    });
  }
  return found;
}
