/**
 * An object while a kustomization builds: its provenance tree and the identity it was
 * defined with, which patches and reference fix-ups still match after renaming.
 */
import { stringIn, type Origin, type TreeMap } from './tree';

export interface Resource {
  tree: TreeMap;
  /** The document (or generator entry) that defined it. */
  origin: Origin;
  originalName: string;
  originalNamespace?: string;
  /** A generated ConfigMap or Secret whose name gets the hash of its content. */
  hashed: boolean;
}

export const apiVersionOf = (resource: Resource): string => stringIn(resource.tree, ['apiVersion']) ?? '';
export const kindOf = (resource: Resource): string => stringIn(resource.tree, ['kind']) ?? '';
export const nameOf = (resource: Resource): string => stringIn(resource.tree, ['metadata', 'name']) ?? '';
export const namespaceOf = (resource: Resource): string | undefined => stringIn(resource.tree, ['metadata', 'namespace']);

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export function describeResource(resource: Resource): string {
  const namespace = namespaceOf(resource);
  return `${kindOf(resource)} "${namespace ? `${namespace}/` : ''}${nameOf(resource)}"`;
}

/** Kinds that live outside namespaces: kustomize's `namespace` leaves them alone. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass',
  'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'IngressClass', 'RuntimeClass', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'ClusterIssuer', 'ClusterPolicy',
]);
