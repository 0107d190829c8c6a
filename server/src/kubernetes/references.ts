/**
 * What one object contributes to the workspace index: its identity, the pod labels it
 * creates, the selector it uses (Services) and the ConfigMaps, Secrets and
 * ServiceAccounts it refers to. Paths are relative to the object.
 */
import type { PathSegment } from '../yaml/path';
import { getIn, isRecord, type KubernetesResource } from './resource';
import { podSpecOf, podTemplateLabels } from './workloads';

export type ReferencedKind = 'ConfigMap' | 'Secret' | 'ServiceAccount';

export interface ObjectReference {
  kind: ReferencedKind;
  name: string;
  path: PathSegment[];
}

export interface ResourceFacts {
  podLabels?: Record<string, unknown>;
  /** A Service's `spec.selector`, when it has one. */
  serviceSelector?: Record<string, unknown>;
  references: ObjectReference[];
}

function refFrom(holder: unknown, nameKey: string, kind: ReferencedKind, path: PathSegment[], out: ObjectReference[]): void {
  if (!isRecord(holder) || holder.optional === true) return;
  const name = holder[nameKey];
  if (typeof name === 'string' && name !== '' && !name.includes('{{')) out.push({ kind, name, path: [...path, nameKey] });
}

function containerReferences(containers: unknown, path: PathSegment[], out: ObjectReference[]): void {
  if (!Array.isArray(containers)) return;
  containers.forEach((container, index) => {
    if (!isRecord(container)) return;
    const at = [...path, index];
    if (Array.isArray(container.envFrom)) {
      container.envFrom.forEach((source, i) => {
        if (!isRecord(source)) return;
        refFrom(source.configMapRef, 'name', 'ConfigMap', [...at, 'envFrom', i, 'configMapRef'], out);
        refFrom(source.secretRef, 'name', 'Secret', [...at, 'envFrom', i, 'secretRef'], out);
      });
    }
    if (Array.isArray(container.env)) {
      container.env.forEach((variable, i) => {
        const from = isRecord(variable) ? variable.valueFrom : undefined;
        if (!isRecord(from)) return;
        refFrom(from.configMapKeyRef, 'name', 'ConfigMap', [...at, 'env', i, 'valueFrom', 'configMapKeyRef'], out);
        refFrom(from.secretKeyRef, 'name', 'Secret', [...at, 'env', i, 'valueFrom', 'secretKeyRef'], out);
      });
    }
  });
}

export function factsOf(resource: KubernetesResource): ResourceFacts {
  const references: ObjectReference[] = [];
  const facts: ResourceFacts = { references, podLabels: podTemplateLabels(resource) };
  if (resource.kind === 'Service' && resource.apiVersion === 'v1') {
    const selector = getIn(resource.value, ['spec', 'selector']);
    if (isRecord(selector) && Object.keys(selector).length > 0) facts.serviceSelector = selector;
  }
  const podSpec = podSpecOf(resource);
  if (!podSpec) return facts;
  const { path, spec } = podSpec;
  for (const list of ['initContainers', 'containers']) containerReferences(spec[list], [...path, list], references);
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((volume, i) => {
      if (!isRecord(volume)) return;
      refFrom(volume.configMap, 'name', 'ConfigMap', [...path, 'volumes', i, 'configMap'], references);
      refFrom(volume.secret, 'secretName', 'Secret', [...path, 'volumes', i, 'secret'], references);
    });
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== 'default') {
    references.push({ kind: 'ServiceAccount', name: spec.serviceAccountName, path: [...path, 'serviceAccountName'] });
  }
  if (Array.isArray(spec.imagePullSecrets)) {
    spec.imagePullSecrets.forEach((secret, i) => refFrom(secret, 'name', 'Secret', [...path, 'imagePullSecrets', i], references));
  }
  return facts;
}
