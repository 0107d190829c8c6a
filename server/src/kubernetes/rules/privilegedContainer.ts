/**
 * `k8s/privileged-container`: a privileged container can do nearly anything the host's
 * root can, so one compromised process owns the node.
 */
import type { KubernetesRule, ResourceReport } from '../resource';
import { getIn } from '../resource';
import { containersOf } from '../workloads';
import { containerLabel } from './containerHelpers';

export const privilegedContainer: KubernetesRule = {
  id: 'k8s/privileged-container',
  defaultSeverity: 'warning',
  description: 'Containers should not run privileged.',
  check(resource) {
    const reports: ResourceReport[] = [];
    for (const at of containersOf(resource)) {
      if (getIn(at.container, ['securityContext', 'privileged']) !== true) continue;
      reports.push({
        path: [...at.path, 'securityContext', 'privileged'],
        message: `${containerLabel(at)} runs privileged, with nearly full access to the host. Remove privileged: true and add only the capabilities it needs (securityContext.capabilities.add).`,
      });
    }
    return reports;
  },
};
