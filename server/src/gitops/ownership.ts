/**
 * Duplicate ownership: two apps that deploy the same object (same cluster, API group, kind,
 * namespace and name) fight over it. Each sync puts its own version back, and either app
 * may prune the object when it leaves that app's folder. Pure: the objects each app deploys
 * come from deployedObjects.ts, whether a kind is namespaced from the caller.
 */
import { groupOf } from '../kustomize/resources';
import type { AppSource } from './apps';
import type { DeployedObject } from './deployedObjects';

export const DUPLICATE_OWNERSHIP_RULE = 'gitops/duplicate-ownership';

/** One source (path) of an app definition and the objects it deploys. */
export interface OwningSource {
  /** Tells app definitions apart: the sources of one multi-source app never conflict with each other. */
  appId: string;
  /** The file defining the app. */
  uri: string;
  source: AppSource;
  objects: readonly DeployedObject[];
}

export interface OwnershipConflict {
  owner: OwningSource;
  /** The other app (one of its sources, when several deploy the shared objects). */
  other: OwningSource;
  /** The shared objects, `apiVersion kind namespace/name`, sorted. */
  objects: string[];
}

export type IsNamespaced = (apiVersion: string, kind: string) => boolean;

/** Every pair of apps that deploy a common object, once from each side. */
export function ownershipConflicts(owners: readonly OwningSource[], isNamespaced: IsNamespaced): OwnershipConflict[] {
  const claims = new Map<string, { owner: OwningSource; description: string }[]>();
  for (const owner of owners) {
    const { destination } = owner.source;
    if (!destination) continue;
    const seen = new Set<string>();
    for (const object of owner.objects) {
      const namespace = isNamespaced(object.apiVersion, object.kind) ? (destination.namespaceOverride ?? object.namespace ?? destination.defaultNamespace) : undefined;
      const key = [destination.cluster, groupOf(object.apiVersion), object.kind, namespace ?? '', object.name].join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const description = `${object.apiVersion} ${object.kind} ${namespace ? `${namespace}/` : ''}${object.name}`;
      const list = claims.get(key);
      if (list) list.push({ owner, description });
      else claims.set(key, [{ owner, description }]);
    }
  }
  const conflicts = new Map<OwningSource, Map<string, OwnershipConflict>>();
  for (const list of claims.values()) {
    if (list.length < 2) continue;
    for (const claim of list) {
      for (const rival of list) {
        if (rival.owner.appId === claim.owner.appId) continue;
        let byApp = conflicts.get(claim.owner);
        if (!byApp) conflicts.set(claim.owner, (byApp = new Map()));
        const conflict = byApp.get(rival.owner.appId);
        if (!conflict) byApp.set(rival.owner.appId, { owner: claim.owner, other: rival.owner, objects: [claim.description] });
        else if (!conflict.objects.includes(claim.description)) conflict.objects.push(claim.description);
      }
    }
  }
  const result = [...conflicts.values()].flatMap((byApp) => [...byApp.values()]);
  for (const conflict of result) conflict.objects.sort();
  return result;
}

const NAMED_OBJECTS = 3;

/** `Application argocd/b (apps/b.yaml) also deploys v1 Service shop/web; …`, naming the first few objects. */
export function ownershipMessage(conflict: OwnershipConflict, otherFile: string): string {
  const { objects } = conflict;
  const named = objects.slice(0, NAMED_OBJECTS).join(', ');
  const rest = objects.length - NAMED_OBJECTS;
  const what = rest > 0 ? `${named} and ${rest} more object${rest === 1 ? '' : 's'}` : named;
  return `${conflict.other.source.app} (${otherFile}) also deploys ${what}: two apps that own one object undo each other's changes, and either may prune it.`;
}
