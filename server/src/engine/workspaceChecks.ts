/**
 * Checks that need the whole workspace: the same object defined twice, references to
 * ConfigMaps/Secrets/ServiceAccounts no file defines, and Services that select no pods.
 * The index is rebuilt from the per-section facts when any file changed: a few
 * milliseconds even for thousands of objects, and it keeps no state to go stale.
 */
import { shiftRange, type Finding, type Range } from '../core/types';
import type { IndexedResource } from '../kubernetes/section';
import { selectorMatches } from '../kubernetes/semantics';

export interface LocatedResource {
  uri: string;
  resource: IndexedResource;
  /** The resource's range in its file (section offset applied). */
  range: Range;
  /** Line of the resource's section in its file: the index ranges inside `resource` are relative to it. */
  sectionLine: number;
}

export interface WorkspaceIndex {
  byIdentity: Map<string, LocatedResource[]>;
  /** `Kind/name` → namespaces (undefined = not set) that define it. */
  definedNames: Map<string, (string | undefined)[]>;
  /** Pod label sets by each of their `key=value` pairs: a selector only looks at sets sharing a pair. */
  podLabelsByPair: Map<string, PodLabels[]>;
  /** Folders holding a kustomization: their objects are templates, so duplicates there are expected. */
  kustomizationFolders: Set<string>;
  /** Files whose objects a kustomization includes (known from rendering it); when given, this decides instead of the folder. */
  includedByKustomization?: (uri: string) => boolean;
}

const identityOf = (r: IndexedResource): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
/** An unset namespace is decided at deploy time (kubectl -n, Argo CD, kustomize): treat it as compatible. */
const sameNamespace = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || a === b;
const folderOf = (uri: string): string => uri.slice(0, uri.lastIndexOf('/'));
const KUSTOMIZATION_FILE = /\/(kustomization\.ya?ml|Kustomization)$/;

interface PodLabels {
  namespace?: string;
  labels: Record<string, unknown>;
}

const pairKey = (key: string, value: unknown): string => `${key}=${String(value)}`;

/** What other languages know about the workspace's objects. */
export interface RenderedKnowledge {
  includedByKustomization?: (uri: string) => boolean;
  /** Objects that no file defines but a tool generates (a kustomization's ConfigMaps and Secrets). */
  generated?: readonly { kind: string; name: string; namespace?: string }[];
}

export function buildWorkspaceIndex(resources: Iterable<LocatedResource>, uris: Iterable<string>, knowledge: RenderedKnowledge = {}): WorkspaceIndex {
  const index: WorkspaceIndex = { byIdentity: new Map(), definedNames: new Map(), podLabelsByPair: new Map(), kustomizationFolders: new Set(), includedByKustomization: knowledge.includedByKustomization };
  for (const { kind, name, namespace } of knowledge.generated ?? []) {
    const namespaces = index.definedNames.get(`${kind}/${name}`);
    if (namespaces) namespaces.push(namespace);
    else index.definedNames.set(`${kind}/${name}`, [namespace]);
  }
  for (const uri of uris) if (KUSTOMIZATION_FILE.test(uri)) index.kustomizationFolders.add(folderOf(uri));
  for (const located of resources) {
    const { resource } = located;
    if (resource.name) {
      const identity = identityOf(resource);
      const same = index.byIdentity.get(identity);
      if (same) same.push(located);
      else index.byIdentity.set(identity, [located]);
      const named = `${resource.kind}/${resource.name}`;
      const namespaces = index.definedNames.get(named);
      if (namespaces) namespaces.push(resource.namespace);
      else index.definedNames.set(named, [resource.namespace]);
    }
    if (resource.podLabels) {
      const pods: PodLabels = { namespace: resource.namespace, labels: resource.podLabels };
      for (const [key, value] of Object.entries(resource.podLabels)) {
        const sets = index.podLabelsByPair.get(pairKey(key, value));
        if (sets) sets.push(pods);
        else index.podLabelsByPair.set(pairKey(key, value), [pods]);
      }
    }
  }
  return index;
}

/**
 * Objects a kustomization includes are checked in what it renders (where a duplicate stops
 * the build); a manifest that no kustomization includes is checked like any other, even in
 * a kustomization's folder.
 */
function inKustomization(uri: string, index: WorkspaceIndex): boolean {
  if (index.includedByKustomization) return index.includedByKustomization(uri);
  for (let folder = folderOf(uri); folder.includes('/'); folder = folderOf(folder)) if (index.kustomizationFolders.has(folder)) return true;
  return false;
}

function describeLocation(other: LocatedResource, uri: string): string {
  const line = other.range.start.line + 1;
  return other.uri === uri ? `line ${line} of this file` : `${decodeURIComponent(other.uri.slice(other.uri.lastIndexOf('/') + 1))}:${line}`;
}

/** Workspace findings for one file's resources. */
export function workspaceFindings(uri: string, located: readonly LocatedResource[], index: WorkspaceIndex): Finding[] {
  const findings: Finding[] = [];
  for (const { resource, range, sectionLine } of located) {
    const shift = (relative: IndexedResource['range']) => shiftRange(relative, sectionLine);
    if (resource.name && !inKustomization(uri, index)) {
      const isThis = (o: LocatedResource): boolean => o.uri === uri && o.range.start.line === range.start.line && o.range.start.character === range.start.character;
      const others = (index.byIdentity.get(identityOf(resource)) ?? []).filter((o) => !isThis(o) && !inKustomization(o.uri, index));
      if (others.length > 0) {
        findings.push({
          range,
          severity: 'warning',
          rule: 'k8s/duplicate-resource',
          message: `${resource.kind} "${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}" is also defined at ${others.map((o) => describeLocation(o, uri)).join(', ')}: one would overwrite the other when applied.`,
        });
      }
    }
    for (const reference of resource.references) {
      const namespaces = index.definedNames.get(`${reference.kind}/${reference.name}`) ?? [];
      if (namespaces.some((ns) => sameNamespace(ns, resource.namespace))) continue;
      findings.push({
        range: shift(reference.range),
        severity: 'info',
        rule: 'k8s/unresolved-reference',
        message: `${reference.kind} "${reference.name}" is not defined in the workspace (it may exist only in the cluster).`,
      });
    }
    if (resource.serviceSelector && resource.serviceSelectorRange) {
      const selector = { matchLabels: resource.serviceSelector };
      const [firstKey, firstValue] = Object.entries(resource.serviceSelector)[0];
      const candidates = index.podLabelsByPair.get(pairKey(firstKey, firstValue)) ?? [];
      const matched = candidates.some((pods) => sameNamespace(pods.namespace, resource.namespace) && selectorMatches(selector, pods.labels));
      if (!matched) {
        const wanted = Object.entries(resource.serviceSelector).map(([k, v]) => `${k}=${String(v)}`).join(', ');
        findings.push({
          range: shift(resource.serviceSelectorRange),
          severity: 'warning',
          rule: 'k8s/service-selects-nothing',
          message: `This Service selects ${wanted}, but no workload in the workspace creates pods with these labels.`,
        });
      }
    }
  }
  return findings;
}
