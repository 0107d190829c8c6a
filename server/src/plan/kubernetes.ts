/**
 * The pure half of the Kubernetes plan: which objects the changed manifests declare (and which
 * the branch removed), and how a predicted object (a dry-run apply's answer, or git's own
 * object when the dry-run was refused) compares with the live one. The comparison is the drift
 * engine's, so server noise (defaults, metadata, status) never shows as a change and Secret
 * values never leave it.
 */
import { shiftRange, type Range } from '../core/types';
import { compareKubernetes, type CompareOptions } from '../drift/kubernetes/compare';
import { HIDDEN, HIDDEN_DIFFERS, isSecret, maskSecret } from '../drift/kubernetes/mask';
import type { DeclaredAt } from '../drift/types';
import { isListKind, resourcesOf } from '../kubernetes/documents';
import { firstLineRange } from '../yaml/lines';
import { parseSection } from '../yaml/parse';
import { splitSections } from '../yaml/sections';
import { MASKED_VALUE, type AttributeChange, type PlanAction, type PlanPrecision, type PlanResource } from './types';

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  /** As written; absent when the manifest leaves it to the context's namespace. */
  namespace?: string;
  name: string;
  value: Record<string, unknown>;
  declaredAt: DeclaredAt;
}

/** The URI of a repository-relative, `/`-separated path under the repository's root URI. */
export const uriOf = (rootUri: string, path: string): string => `${rootUri.replace(/\/$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;

/** Objects tools build rather than apply: they never reach the API server as they are. */
const NOT_APPLIED = /^(kustomize\.config\.k8s\.io|config\.kubernetes\.io)\//;

/** The named objects of a manifest file, each with the range of its first line. Templates (`{{`) are not manifests. */
export function manifestObjects(uri: string, text: string): ManifestObject[] {
  if (text.includes('{{')) return [];
  const objects: ManifestObject[] = [];
  for (const section of splitSections(text)) {
    const parsed = parseSection(section.text);
    for (const document of parsed.documents) {
      for (const resource of resourcesOf(document)) {
        if (!resource.apiVersion || !resource.kind || !resource.name || isListKind(resource.kind, resource.apiVersion) || NOT_APPLIED.test(resource.apiVersion)) continue;
        const range: Range = shiftRange(firstLineRange(parsed.lines, resource.node.start, resource.node.end), section.line);
        objects.push({
          apiVersion: resource.apiVersion,
          kind: resource.kind,
          ...(resource.namespace ? { namespace: resource.namespace } : {}),
          name: resource.name,
          value: resource.value,
          declaredAt: { uri, range },
        });
      }
    }
  }
  return objects;
}

/** The same object whatever file declares it: group (not version), kind, namespace as written, name. */
export function objectKey(object: Pick<ManifestObject, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
  return JSON.stringify([group, object.kind, object.namespace ?? '', object.name]);
}

/** Objects the base declared that no changed file declares any more: this branch deletes them. */
export function removedObjects(atBase: readonly ManifestObject[], current: readonly ManifestObject[]): ManifestObject[] {
  const kept = new Set(current.map(objectKey));
  return atBase.filter((object) => !kept.has(objectKey(object)));
}

export function resourceTitle(object: Pick<ManifestObject, 'kind' | 'namespace' | 'name'>, namespace: string): string {
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${object.name}`;
}

const isHidden = (value: unknown): boolean => value === HIDDEN || value === HIDDEN_DIFFERS;

/** Every leaf of a new object, Secret data masked, for a create (metadata.name and the identity are in the title). */
export function creationChanges(value: Record<string, unknown>): AttributeChange[] {
  const shown = isSecret(value) ? maskSecret(value, new Set()) : value;
  const changes: AttributeChange[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node) && node.length > 0) node.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length > 0) {
      for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key);
    } else if (!['apiVersion', 'kind', 'metadata.name', 'metadata.namespace'].includes(path)) {
      changes.push(isHidden(node) ? { path, after: MASKED_VALUE, sensitive: true } : { path, after: node });
    }
  };
  walk(shown, '');
  return changes;
}

export interface Comparison {
  action: PlanAction;
  changes: AttributeChange[];
}

/**
 * `predicted` (what the object would become) against `live` (undefined: it does not exist),
 * through the drift engine: the drift's desired side is the predicted one.
 */
export function compareWithLive(object: ManifestObject, predicted: Record<string, unknown>, live: Record<string, unknown> | undefined, options: CompareOptions): Comparison {
  if (!live) return { action: 'create', changes: creationChanges(object.value) };
  const [drift] = compareKubernetes([{ value: predicted, declaredAt: object.declaredAt }], [live], options);
  const changes = (drift?.fields ?? []).map((field): AttributeChange => {
    const sensitive = isHidden(field.desired) || isHidden(field.live);
    const change: AttributeChange = { path: field.path };
    if (field.live !== undefined) change.before = isHidden(field.live) ? MASKED_VALUE : field.live;
    if (field.desired !== undefined) change.after = isHidden(field.desired) ? MASKED_VALUE : field.desired;
    if (sensitive) change.sensitive = true;
    return change;
  });
  return { action: changes.length > 0 ? 'update' : 'no-op', changes };
}

export function kubernetesResource(object: ManifestObject, namespace: string, comparison: Comparison, precision: PlanPrecision, note?: string): PlanResource {
  const id = [object.apiVersion, object.kind, ...(namespace ? [namespace] : []), object.name].join('/');
  return {
    source: 'kubernetes',
    id,
    title: resourceTitle(object, namespace),
    action: comparison.action,
    precision,
    ...(note ? { note } : {}),
    changes: comparison.changes,
    declaredAt: object.declaredAt,
  };
}
