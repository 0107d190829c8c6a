/**
 * `k8s/missing-probes`: without a readiness probe a pod gets traffic before it can serve,
 * and without a liveness probe a hung process is never restarted. Pods of Jobs and
 * CronJobs run to completion, so probes do not apply to them.
 */
import type { KubernetesRule, ResourceReport } from '../resource';
import { containersOf, RUN_TO_COMPLETION_KINDS } from '../workloads';
import { containerLabel, containerNamePath, isSet, listWords } from './containerHelpers';

const PROBES = ['livenessProbe', 'readinessProbe'];

export const missingProbes: KubernetesRule = {
  id: 'k8s/missing-probes',
  defaultSeverity: 'info',
  description: 'Long-running containers should have a liveness and a readiness probe.',
  check(resource) {
    if (RUN_TO_COMPLETION_KINDS.has(resource.kind)) return [];
    const reports: ResourceReport[] = [];
    for (const at of containersOf(resource)) {
      // Init containers run to completion; ephemeral containers may not have probes.
      if (at.list !== 'containers') continue;
      const missing = PROBES.filter((probe) => !isSet(at.container, probe));
      if (missing.length === 0) continue;
      reports.push({
        path: containerNamePath(at),
        message: `${containerLabel(at)} has no ${listWords(missing, 'or')}. Add ${missing.length > 1 ? 'them' : 'it'} so Kubernetes knows when the container is ready for traffic and when to restart it.`,
      });
    }
    return reports;
  },
};
