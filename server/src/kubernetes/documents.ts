/**
 * Which YAML documents are Kubernetes objects, and the objects inside a `kind: List`.
 */
import type { ComposedDocument, YamlNode } from '../yaml/compose';
import { resolveAlias } from '../yaml/compose';
import { findPair } from '../yaml/path';
import { isRecord, stringAt, type KubernetesResource } from './resource';

/** A document is a Kubernetes object when it is a mapping with `apiVersion` or `kind`. */
export function looksLikeKubernetes(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && ('apiVersion' in value || 'kind' in value);
}

/** Cheap test on raw text, for files whose YAML is too broken to parse. */
export function textLooksLikeKubernetes(text: string): boolean {
  return /^\s*apiVersion\s*:/m.test(text) && /^\s*kind\s*:/m.test(text);
}

/** `kind: List` and the `*List` kinds kubectl accepts hold objects in `items`. */
export function isListKind(kind: string, apiVersion: string): boolean {
  return kind === 'List' && apiVersion === 'v1';
}

export function resourceFrom(value: Record<string, unknown>, node: YamlNode, basePath: KubernetesResource['basePath']): KubernetesResource {
  return {
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
    kind: typeof value.kind === 'string' ? value.kind : '',
    name: stringAt(value, ['metadata', 'name']),
    namespace: stringAt(value, ['metadata', 'namespace']),
    value,
    node,
    basePath,
  };
}

/** The objects a document holds: itself, or the items of a List. */
export function resourcesOf(document: ComposedDocument): KubernetesResource[] {
  const { root, value } = document;
  if (!root || !looksLikeKubernetes(value)) return [];
  const resource = resourceFrom(value, root, []);
  if (!isListKind(resource.kind, resource.apiVersion) || !Array.isArray(value.items)) return [resource];
  const container = resolveAlias(root);
  const itemsPair = container.kind === 'map' ? findPair(container, 'items') : undefined;
  const itemsNode = itemsPair ? resolveAlias(itemsPair.value) : undefined;
  const items: KubernetesResource[] = [];
  value.items.forEach((item, index) => {
    const itemNode = itemsNode?.kind === 'seq' ? itemsNode.items[index] : undefined;
    if (looksLikeKubernetes(item) && itemNode) items.push(resourceFrom(item, itemNode, ['items', index]));
  });
  return [resource, ...items];
}
