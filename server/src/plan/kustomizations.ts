/**
 * The Kustomize half of the Kubernetes plan: a changed file that a kustomization reads (the
 * kustomization itself, a base resource, a patch, a generator's file, a component) changes
 * what every top kustomization including it renders (an overlay no other kustomization
 * includes), so those are rendered at the merge base and at the head and compared object by
 * object. Objects rendered the same on both sides are left out; those only at the base are
 * deletions. Pure: the two sides of the repository come in as snapshots.
 */
import { isRecord } from '../kubernetes/resource';
import { folderOf, isKustomizationUri } from '../kustomize/paths';
import type { RenderedObject, RenderResult } from '../kustomize/render';
import type { PathSegment } from '../yaml/path';
import { objectKey, uriOf, type ManifestObject } from './kubernetes';
import { relativeToRoot } from './model';

/** The repository at one commit (or the work tree), as the renderer sees it. */
export interface KustomizeSnapshot {
  /** Its kustomization files (`kustomization.yaml`, `.yml`, `Kustomization`), repository-relative and `/`-separated. */
  kustomizationPaths: readonly string[];
  /** Renders the kustomization folder at `folderUri` (under the repository's root URI) as it is in this snapshot. */
  render(folderUri: string): Promise<RenderResult>;
}

export interface KustomizeChanges {
  /** The repository root as a file URI; the snapshots' URIs are under it. */
  rootUri: string;
  /** Repository-relative paths of the changed files. */
  changedPaths: readonly string[];
  base: KustomizeSnapshot;
  head: KustomizeSnapshot;
}

export interface KustomizePlanInput {
  /** Objects whose render differs at the head, or exists only there. */
  objects: ManifestObject[];
  /** Objects only the base's render holds, with the kustomization that rendered them (repository-relative). */
  removed: { object: ManifestObject; path: string }[];
  /** Every file any kustomization reads on either side (repository-relative): none of them is a plain manifest. */
  readPaths: Set<string>;
  /** The changed files that a planned kustomization reads. */
  plannedPaths: string[];
  /** Kustomizations that could not be planned, in words. */
  notes: string[];
}

export const isKustomizationPath = (path: string): boolean => isKustomizationUri(`/${path}`);

interface SnapshotRenders {
  /** By kustomization folder, repository-relative. */
  renders: Map<string, { kustomizationPath: string; result: RenderResult; reads: Set<string> }>;
  /** Folders of the kustomizations no other one includes. */
  top: Set<string>;
}

/** The folder of a repository-relative path, `.` for the root. */
export const folderOfPath = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');

async function renderAll(rootUri: string, snapshot: KustomizeSnapshot): Promise<SnapshotRenders> {
  const renders: SnapshotRenders['renders'] = new Map();
  const included = new Set<string>();
  for (const path of [...snapshot.kustomizationPaths].sort()) {
    const folder = folderOfPath(path);
    if (renders.has(folder)) continue;
    const result = await snapshot.render(folderOf(uriOf(rootUri, path)));
    // Compared as decoded relative paths: the renderer and `uriOf` escape URIs differently. A path outside the repository stays a URI.
    const reads = new Set(result.dependencies.map((uri) => relativeToRoot(uri, rootUri)));
    for (const read of reads) if (isKustomizationPath(read) && folderOfPath(read) !== folder) included.add(folderOfPath(read));
    renders.set(folder, { kustomizationPath: path, result, reads });
  }
  return { renders, top: new Set([...renders.keys()].filter((folder) => !included.has(folder))) };
}

/** The first path at which two rendered values differ; undefined when they are the same. */
function firstDifference(before: unknown, after: unknown, path: PathSegment[] = []): PathSegment[] | undefined {
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let index = 0; index < Math.max(before.length, after.length); index++) {
      if (index >= before.length || index >= after.length) return [...path, index];
      const found = firstDifference(before[index], after[index], [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(after), ...Object.keys(before)])) {
      if (!(key in before) || !(key in after)) return [...path, key];
      const found = firstDifference(before[key], after[key], [...path, key]);
      if (found) return found;
    }
    return undefined;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? undefined : path;
}

function manifestObject(rendered: RenderedObject, declaredAt: ManifestObject['declaredAt']): ManifestObject {
  return {
    apiVersion: rendered.apiVersion,
    kind: rendered.kind,
    ...(rendered.namespace ? { namespace: rendered.namespace } : {}),
    name: rendered.name,
    value: rendered.value,
    declaredAt,
  };
}

/** The patch (or transformer) that wrote the first changed field; the defining document when the base wrote it. */
function declarationOf(head: RenderedObject, base: RenderedObject | undefined): ManifestObject['declaredAt'] {
  const changed = base ? firstDifference(base.value, head.value) : undefined;
  const source = changed ? head.sourceOf(changed) : undefined;
  if (source && source.producer !== 'resource') return { uri: source.uri, range: source.range };
  return { uri: head.source.uri, range: head.source.range };
}

export async function planKustomizations(changes: KustomizeChanges): Promise<KustomizePlanInput> {
  const [base, head] = [await renderAll(changes.rootUri, changes.base), await renderAll(changes.rootUri, changes.head)];
  const plan: KustomizePlanInput = { objects: [], removed: [], readPaths: new Set(), plannedPaths: [], notes: [] };
  for (const { renders } of [base, head]) for (const { reads } of renders.values()) for (const read of reads) plan.readPaths.add(read);

  const changed = new Set(changes.changedPaths);
  const planned = new Set<string>();
  for (const folder of [...new Set([...head.top, ...base.top])].sort()) {
    const atHead = head.renders.get(folder);
    const atBase = base.renders.get(folder);
    const affected = [...changed].filter((path) => atHead?.reads.has(path) || atBase?.reads.has(path));
    if (affected.length === 0) continue;
    for (const path of affected) planned.add(path);
    const notRendered = atHead?.result.notRendered ?? atBase?.result.notRendered;
    if (notRendered) {
      // A partial render would plan objects that are not the real ones.
      plan.notes.push(`${(atHead ?? atBase)!.kustomizationPath}: not planned, ${notRendered}`);
      continue;
    }
    const baseObjects = new Map((atBase?.result.objects ?? []).map((object) => [objectKey(object), object]));
    const headKeys = new Set<string>();
    for (const object of atHead?.result.objects ?? []) {
      const key = objectKey(object);
      headKeys.add(key);
      const twin = baseObjects.get(key);
      if (twin && JSON.stringify(twin.value) === JSON.stringify(object.value)) continue;
      plan.objects.push(manifestObject(object, declarationOf(object, twin)));
    }
    for (const [key, object] of baseObjects) {
      if (!headKeys.has(key)) plan.removed.push({ object: manifestObject(object, { uri: object.source.uri, range: object.source.range }), path: atBase!.kustomizationPath });
    }
  }
  plan.plannedPaths = [...planned].sort();
  return plan;
}
