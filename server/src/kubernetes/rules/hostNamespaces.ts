/**
 * `k8s/host-namespaces`: sharing the host's network, process or IPC namespace lets a pod
 * see and talk to everything else on the node, past the isolation containers give.
 */
import type { KubernetesRule, ResourceReport } from '../resource';
import { podSpecOf } from '../workloads';

const HOST_NAMESPACES: ReadonlyArray<{ field: string; shares: string }> = [
  { field: 'hostNetwork', shares: "the node's network (its interfaces and every port on it)" },
  { field: 'hostPID', shares: "the node's process list" },
  { field: 'hostIPC', shares: "the node's shared memory and IPC" },
];

export const hostNamespaces: KubernetesRule = {
  id: 'k8s/host-namespaces',
  defaultSeverity: 'warning',
  description: "Pods should not share the node's network, process or IPC namespace.",
  check(resource) {
    const podSpec = podSpecOf(resource);
    if (!podSpec) return [];
    const reports: ResourceReport[] = [];
    for (const { field, shares } of HOST_NAMESPACES) {
      if (podSpec.spec[field] !== true) continue;
      reports.push({
        path: [...podSpec.path, field],
        message: `The pod sets ${field}: true, so it shares ${shares}. Remove it unless the workload truly needs it.`,
      });
    }
    return reports;
  },
};
