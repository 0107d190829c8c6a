/**
 * Applying a kustomization's patches to the objects built so far: choosing the objects (the
 * entry's `target` selector, or the object a strategic merge patch names), then merging or
 * running JSON 6902 operations. Reading the patch text is the build's job (build.ts); a
 * patch that matches nothing and an operation that fails are reported, never thrown.
 */
import type { Severity } from '../core/types';
import { applyJsonPatch, mergeMaps } from './patches';
import { describeResource, groupOf, type Resource } from './resources';
import { matchesSelector, type PatchTarget } from './selectors';
import { documentTree, type ParsedText } from './sources';
import { stringIn, type Origin, type TreeMap, type TreeNode } from './tree';
import { booleanField, field, isString, mapField, mapsIn, stringField } from './treeFields';

export type ReportProblem = (origin: Origin, severity: Severity, rule: string, message: string, at?: 'key' | 'value') => void;

/** A `target` selector and the node it is written at, where a patch matching nothing is reported. */
interface SelectedTarget {
  target: PatchTarget;
  node: TreeNode;
}

/** One entry of `patches` or `patchesJson6902` (`jsonOnly`), its patch text already parsed. */
export function applyPatch(entry: TreeMap, parsed: ParsedText, into: Resource[], jsonOnly: boolean, report: ReportProblem): void {
  const targetNode = field(entry, 'target');
  const target = targetNode?.kind === 'map' ? targetFrom(targetNode) : undefined;
  const first = parsed.documents[0];
  if (Array.isArray(first?.value) || jsonOnly) {
    if (!target || !targetNode) {
      report(entry.origin, 'error', 'kustomize/schema', 'A JSON 6902 patch needs a "target" naming the object to patch.', 'key');
      return;
    }
    const matched = into.filter((resource) => matchesSelector(resource, target));
    if (matched.length === 0) reportNoTarget(targetNode, describeTarget(target), report);
    const operations = first ? documentTree(parsed, first, 'patch') : undefined;
    for (const resource of matched) applyJsonOperations(operations, resource, report);
    return;
  }
  const allowNameChange = booleanField(mapField(entry, 'options'), 'allowNameChange') ?? false;
  applyStrategicPatches(parsed, into, target && targetNode ? { target, node: targetNode } : undefined, report, allowNameChange);
}

/** Each document of a strategic merge patch, on `selected`'s objects or else on the object it names. */
export function applyStrategicPatches(parsed: ParsedText, into: Resource[], selected: SelectedTarget | undefined, report: ReportProblem, allowNameChange = false): void {
  for (const document of parsed.documents) {
    const patch = documentTree(parsed, document, 'patch');
    if (patch.kind !== 'map') continue;
    const ownTarget: PatchTarget = {
      group: groupOf(stringField(patch, 'apiVersion') ?? ''),
      kind: stringField(patch, 'kind'),
      name: stringIn(patch, ['metadata', 'name']),
      namespace: stringIn(patch, ['metadata', 'namespace']),
      exact: true,
    };
    const target = selected?.target ?? ownTarget;
    const matched = into.filter((resource) => matchesSelector(resource, target));
    if (matched.length === 0) {
      const metadata = mapField(patch, 'metadata');
      const nameNode = metadata ? field(metadata, 'name') : undefined;
      reportNoTarget(selected?.node ?? nameNode ?? patch, describeTarget(target), report);
      continue;
    }
    for (const resource of matched) {
      const merged = mergeMaps(resource.tree, patch);
      if (!merged) {
        into.splice(into.indexOf(resource), 1);
        continue;
      }
      // The object keeps its identity unless the patch may rename it: a patch chosen by target often names something else.
      for (const path of [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'namespace']]) {
        if (allowNameChange && path[1] === 'name') continue;
        const original = path.length === 1 ? resource.tree.entries.get(path[0]) : mapField(resource.tree, 'metadata')?.entries.get(path[1]);
        const holder = path.length === 1 ? merged : mapField(merged, 'metadata');
        if (!holder) continue;
        if (original) holder.entries.set(path[path.length - 1], original);
        else holder.entries.delete(path[path.length - 1]);
      }
      resource.tree = merged;
    }
  }
}

function applyJsonOperations(operations: TreeNode | undefined, resource: Resource, report: ReportProblem): void {
  for (const operation of mapsIn(operations)) {
    const op = stringField(operation, 'op') ?? '';
    const path = field(operation, 'path');
    const from = stringField(operation, 'from');
    const problem = applyJsonPatch(resource.tree, { op, path: isString(path) ? path.value : '', from, value: field(operation, 'value') });
    if (problem) report((path ?? operation).origin, 'error', 'kustomize/patch', `In ${describeResource(resource)}: ${problem}.`);
  }
}

function reportNoTarget(node: TreeNode, what: string, report: ReportProblem): void {
  report(node.origin, 'error', 'kustomize/patch-target', `This patch targets ${what}, which this kustomization does not produce.`, 'key');
}

function targetFrom(node: TreeMap): PatchTarget {
  return {
    group: stringField(node, 'group'),
    version: stringField(node, 'version'),
    kind: stringField(node, 'kind'),
    name: stringField(node, 'name'),
    namespace: stringField(node, 'namespace'),
    labelSelector: stringField(node, 'labelSelector'),
    annotationSelector: stringField(node, 'annotationSelector'),
  };
}

function describeTarget(target: PatchTarget): string {
  const parts = [target.kind ?? 'any kind'];
  if (target.name) parts.push(`"${target.namespace ? `${target.namespace}/` : ''}${target.name}"`);
  if (target.labelSelector) parts.push(`with labels ${target.labelSelector}`);
  if (target.annotationSelector) parts.push(`with annotations ${target.annotationSelector}`);
  return parts.join(' ');
}
