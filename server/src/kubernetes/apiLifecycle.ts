/**
 * Removed and deprecated apiVersions for the target Kubernetes version (Pluto's list,
 * generated into schemas/kubernetes/deprecations.json), with the replacement to move to.
 */
import type { ApiDeprecation } from '../schemas/bundle';
import type { KubernetesResource } from './resource';
import type { ResourceFinding } from './findings';

/** Compares `MAJOR.MINOR` versions numerically (1.9 < 1.16). */
export function compareVersions(a: string, b: string): number {
  const [aMajor, aMinor] = a.split('.').map(Number);
  const [bMajor, bMinor] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export interface LifecycleResult {
  findings: ResourceFinding[];
  /** True when the apiVersion no longer exists at the target version: schema checks are pointless. */
  removed: boolean;
  /** True when the list knows this apiVersion and kind and they still exist at the target version. */
  servedAtTarget: boolean;
}

export function checkApiLifecycle(resource: KubernetesResource, deprecations: readonly ApiDeprecation[], target: string): LifecycleResult {
  const entry = deprecations.find((d) => d.apiVersion === resource.apiVersion && d.kind === resource.kind);
  if (!entry) return { findings: [], removed: false, servedAtTarget: false };
  if (compareVersions(entry.deprecatedIn, target) > 0) return { findings: [], removed: false, servedAtTarget: true };
  const removed = entry.removedIn !== null && compareVersions(entry.removedIn, target) <= 0;
  const replacement = entry.replacement ? `; use ${entry.replacement} instead` : '';
  const message = removed
    ? `${resource.apiVersion} ${resource.kind} was removed in Kubernetes ${entry.removedIn} (target ${target})${replacement}.`
    : `${resource.apiVersion} ${resource.kind} is deprecated since Kubernetes ${entry.deprecatedIn}${entry.removedIn ? ` and removed in ${entry.removedIn}` : ''}${replacement}.`;
  return {
    removed,
    servedAtTarget: !removed,
    findings: [
      {
        rule: removed ? 'k8s/removed-api' : 'k8s/deprecated-api',
        severity: removed ? 'error' : 'warning',
        path: [...resource.basePath, 'apiVersion'],
        message,
        replacements: entry.replacement ? [{ title: `Change apiVersion to ${entry.replacement}`, newText: entry.replacement }] : undefined,
      },
    ],
  };
}
