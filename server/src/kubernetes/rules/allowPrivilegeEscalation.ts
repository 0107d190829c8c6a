/**
 * `k8s/allow-privilege-escalation`: Kubernetes allows a process to gain more privileges
 * than its parent (setuid binaries) unless the container says otherwise, so the safe
 * value has to be written down.
 */
import type { KubernetesRule, ResourceReport } from '../resource';
import { containersOf } from '../workloads';
import { containerLabel, containerNamePath, optionalRecord } from './containerHelpers';

export const allowPrivilegeEscalation: KubernetesRule = {
  id: 'k8s/allow-privilege-escalation',
  defaultSeverity: 'warning',
  description: 'Containers should set `securityContext.allowPrivilegeEscalation: false`.',
  check(resource) {
    const reports: ResourceReport[] = [];
    for (const at of containersOf(resource)) {
      // Ephemeral containers are debugging sessions, started by hand, not part of the manifest's workload.
      if (at.list === 'ephemeralContainers') continue;
      const securityContext = optionalRecord(at.container.securityContext);
      const allowed = securityContext?.allowPrivilegeEscalation ?? undefined;
      if (!securityContext || allowed === false) continue;
      if (allowed === true) {
        reports.push({
          path: [...at.path, 'securityContext', 'allowPrivilegeEscalation'],
          message: `${containerLabel(at)} allows privilege escalation. Set securityContext.allowPrivilegeEscalation to false.`,
        });
      } else if (allowed === undefined) {
        reports.push({
          path: containerNamePath(at),
          message: `${containerLabel(at)} does not forbid privilege escalation, which Kubernetes allows by default. Set securityContext.allowPrivilegeEscalation: false.`,
        });
      }
    }
    return reports;
  },
};
