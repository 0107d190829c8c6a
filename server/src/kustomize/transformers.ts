/**
 * kustomize's built-in transformers on provenance trees: namespace, name prefix and
 * suffix, labels (and selectors), annotations, images and replicas. What they write is
 * attributed to the kustomization field that asked for it.
 */
import { podSpecOf as podSpecAt } from '../kubernetes/workloads';
import { apiVersionOf, CLUSTER_SCOPED_KINDS, kindOf, nameOf, type Resource } from './resources';
import type { PathSegment } from '../yaml/path';
import { ensureMap, setScalar, stringIn, treeAt, type Origin, type TreeMap, type TreeNode } from './tree';

export function setNamespace(resources: readonly Resource[], namespace: string, origin: Origin): void {
  for (const resource of resources) {
    if (CLUSTER_SCOPED_KINDS.has(kindOf(resource))) continue;
    const metadata = ensureMap(resource.tree, ['metadata'], origin);
    if (metadata) setScalar(metadata, 'namespace', namespace, origin);
  }
}

export function addNamePrefixSuffix(resources: readonly Resource[], prefix: string, suffix: string, origin: Origin): void {
  for (const resource of resources) {
    if (kindOf(resource) === 'CustomResourceDefinition' || kindOf(resource) === 'Namespace') continue;
    const metadata = ensureMap(resource.tree, ['metadata'], origin);
    if (metadata) setScalar(metadata, 'name', `${prefix}${nameOf(resource)}${suffix}`, origin);
  }
}

/** A place that holds labels or annotations, and whether to create it when it is absent. */
interface FieldSpec {
  kinds: readonly string[];
  path: readonly string[];
  create: boolean;
}

const WORKLOADS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'];

const TEMPLATE_LABELS: FieldSpec[] = [
  { kinds: [...WORKLOADS, 'Job', 'ReplicationController'], path: ['spec', 'template', 'metadata', 'labels'], create: true },
  { kinds: ['CronJob'], path: ['spec', 'jobTemplate', 'metadata', 'labels'], create: true },
  { kinds: ['CronJob'], path: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], create: true },
];

const SELECTOR_LABELS: FieldSpec[] = [
  { kinds: ['Service', 'ReplicationController'], path: ['spec', 'selector'], create: true },
  { kinds: WORKLOADS, path: ['spec', 'selector', 'matchLabels'], create: true },
  { kinds: ['Job'], path: ['spec', 'selector', 'matchLabels'], create: false },
  { kinds: ['CronJob'], path: ['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], create: false },
  { kinds: ['PodDisruptionBudget'], path: ['spec', 'selector', 'matchLabels'], create: false },
  { kinds: ['NetworkPolicy'], path: ['spec', 'podSelector', 'matchLabels'], create: false },
];

const TEMPLATE_ANNOTATIONS: FieldSpec[] = TEMPLATE_LABELS.map((spec) => ({ ...spec, path: [...spec.path.slice(0, -1), 'annotations'] }));

function addPairs(resource: Resource, spec: FieldSpec | { path: readonly string[]; create: boolean }, pairs: ReadonlyMap<string, TreeNode>): void {
  if ('kinds' in spec && !spec.kinds.includes(kindOf(resource))) return;
  if (!spec.create && !treeAt(resource.tree, spec.path)) return;
  // The parent must exist for a template path (`spec.template`): kustomize does not invent pod templates.
  if (spec.path.length > 2 && !treeAt(resource.tree, spec.path.slice(0, 2))) return;
  const target = ensureMap(resource.tree, spec.path, [...pairs.values()][0].origin);
  if (!target) return;
  for (const [name, value] of pairs) target.entries.set(name, value);
}

export interface LabelOptions {
  includeSelectors: boolean;
  includeTemplates: boolean;
}

/** `commonLabels` (selectors and templates too) or one `labels` entry (as its options say). */
export function addLabels(resources: readonly Resource[], pairs: ReadonlyMap<string, TreeNode>, options: LabelOptions): void {
  if (pairs.size === 0) return;
  for (const resource of resources) {
    addPairs(resource, { path: ['metadata', 'labels'], create: true }, pairs);
    if (options.includeSelectors || options.includeTemplates) for (const spec of TEMPLATE_LABELS) addPairs(resource, spec, pairs);
    if (options.includeSelectors) for (const spec of SELECTOR_LABELS) addPairs(resource, spec, pairs);
  }
}

export function addAnnotations(resources: readonly Resource[], pairs: ReadonlyMap<string, TreeNode>): void {
  if (pairs.size === 0) return;
  for (const resource of resources) {
    addPairs(resource, { path: ['metadata', 'annotations'], create: true }, pairs);
    for (const spec of TEMPLATE_ANNOTATIONS) addPairs(resource, spec, pairs);
  }
}

/** Every place a pod spec can be, so the engine's table of workloads answers with the path for a kind. */
const POD_SPEC_SKELETON = { spec: { template: { spec: {} }, jobTemplate: { spec: { template: { spec: {} } } } } };
const podSpecPaths = new Map<string, readonly PathSegment[] | undefined>();

/** The pod spec of a workload, where containers, volumes and references live. */
export function podSpecOf(resource: Resource): TreeMap | undefined {
  const apiVersion = apiVersionOf(resource);
  const kind = kindOf(resource);
  const key = `${apiVersion} ${kind}`;
  if (!podSpecPaths.has(key)) podSpecPaths.set(key, podSpecAt({ apiVersion, kind, value: POD_SPEC_SKELETON, node: resource.origin.node, basePath: [] })?.path);
  const path = podSpecPaths.get(key);
  const spec = path ? treeAt(resource.tree, path) : undefined;
  return spec?.kind === 'map' ? spec : undefined;
}

export interface ImageChange {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  origin: Origin;
}

/** `registry:5000/app:1.2@sha256:…` → its name without tag or digest. */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

function changedImage(image: string, change: ImageChange): string {
  const name = imageName(image);
  const rest = image.slice(name.length);
  const tag = rest.startsWith(':') ? rest.slice(1).split('@')[0] : undefined;
  const digest = rest.includes('@') ? rest.slice(rest.indexOf('@') + 1) : undefined;
  const newName = change.newName ?? name;
  if (change.digest) return `${newName}@${change.digest}`;
  if (change.newTag) return `${newName}:${change.newTag}`;
  return `${newName}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
}

export function setImages(resources: readonly Resource[], changes: readonly ImageChange[]): void {
  for (const resource of resources) {
    const spec = podSpecOf(resource);
    if (!spec) continue;
    for (const list of ['initContainers', 'containers']) {
      const containers = spec.entries.get(list);
      if (containers?.kind !== 'seq') continue;
      for (const container of containers.items) {
        const image = stringIn(container, ['image']);
        if (container.kind !== 'map' || image === undefined) continue;
        const change = changes.find((candidate) => candidate.name === imageName(image));
        if (change) setScalar(container, 'image', changedImage(image, change), change.origin);
      }
    }
  }
}

const SCALABLE_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);

export function setReplicas(resources: readonly Resource[], name: string, count: number, origin: Origin): boolean {
  let matched = false;
  for (const resource of resources) {
    if (!SCALABLE_KINDS.has(kindOf(resource)) || (nameOf(resource) !== name && resource.originalName !== name)) continue;
    const spec = ensureMap(resource.tree, ['spec'], origin);
    if (spec) setScalar(spec, 'replicas', count, origin);
    matched = true;
  }
  return matched;
}
