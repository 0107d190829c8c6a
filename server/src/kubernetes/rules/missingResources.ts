/**
 * `k8s/missing-resources`: without requests the scheduler places a pod blind, and
 * without a memory limit one container can starve its whole node.
 */
import type { KubernetesRule, ResourceReport } from '../resource';
import { containersOf } from '../workloads';
import { containerLabel, containerNamePath, isSet, listWords, optionalRecord } from './containerHelpers';

export const missingResources: KubernetesRule = {
  id: 'k8s/missing-resources',
  defaultSeverity: 'warning',
  description: 'Containers should set CPU and memory requests and a memory limit.',
  check(resource) {
    const reports: ResourceReport[] = [];
    for (const at of containersOf(resource)) {
      // Kubernetes forbids resources on ephemeral containers.
      if (at.list === 'ephemeralContainers') continue;
      const resources = optionalRecord(at.container.resources);
      const requests = optionalRecord(resources?.requests);
      const limits = optionalRecord(resources?.limits);
      if (!resources || !requests || !limits) continue;
      const missing = [
        ...(isSet(requests, 'cpu') ? [] : ['resources.requests.cpu']),
        ...(isSet(requests, 'memory') ? [] : ['resources.requests.memory']),
        ...(isSet(limits, 'memory') ? [] : ['resources.limits.memory']),
      ];
      if (missing.length === 0) continue;
      const message = `${containerLabel(at)} does not set ${listWords(missing)}. Set them so the scheduler can place the pod and a runaway container cannot starve the node.`;
      reports.push(
        'resources' in at.container
          ? { path: [...at.path, 'resources'], at: 'key', message }
          : { path: containerNamePath(at), message },
      );
    }
    return reports;
  },
};
