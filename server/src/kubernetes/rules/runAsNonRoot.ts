/**
 * `k8s/run-as-non-root`: a process that is root inside the container is one kernel or
 * runtime bug away from being root on the node. Only an explicit setting proves that a
 * container does not run as root; many images default to root.
 */
import type { PathSegment } from '../../yaml/path';
import type { KubernetesRule, ResourceReport } from '../resource';
import { containersOf, podSpecOf, type ContainerAt } from '../workloads';
import { containerLabel, containerNamePath, optionalRecord } from './containerHelpers';

/** One place a securityContext can sit: the container's, then the pod's. */
interface Level {
  securityContext: Record<string, unknown>;
  path: PathSegment[];
}

interface Setting<T> {
  value: T;
  path: PathSegment[];
}

/** The container's own setting wins over the pod's, as in Kubernetes. */
function effective<T>(
  key: string,
  accept: (value: unknown) => value is T,
  levels: readonly Level[],
): Setting<T> | undefined {
  for (const level of levels) {
    const value = level.securityContext[key];
    if (accept(value)) return { value, path: [...level.path, 'securityContext', key] };
  }
  return undefined;
}

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isUserId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

function rootReport(at: ContainerAt, levels: readonly Level[]): ResourceReport | undefined {
  const label = containerLabel(at);
  const user = effective('runAsUser', isUserId, levels);
  if (user && user.value > 0) return undefined;
  if (user) {
    return { path: user.path, message: `${label} runs as root (runAsUser: 0). Run it as a non-root user id and set securityContext.runAsNonRoot: true.` };
  }
  const nonRoot = effective('runAsNonRoot', isBoolean, levels);
  if (nonRoot?.value === true) return undefined;
  const fix = 'Set securityContext.runAsNonRoot: true (on the container or the pod), or a runAsUser above 0.';
  return nonRoot
    ? { path: nonRoot.path, message: `${label} may run as root: runAsNonRoot is false. ${fix}` }
    : { path: containerNamePath(at), message: `${label} may run as root: nothing sets runAsNonRoot. ${fix}` };
}

export const runAsNonRoot: KubernetesRule = {
  id: 'k8s/run-as-non-root',
  defaultSeverity: 'warning',
  description: 'Containers should run as a non-root user (`runAsNonRoot: true` or `runAsUser` above 0).',
  check(resource) {
    const podSpec = podSpecOf(resource);
    const podSecurityContext = optionalRecord(podSpec?.spec.securityContext);
    if (!podSpec || !podSecurityContext) return [];
    const reports: ResourceReport[] = [];
    for (const at of containersOf(resource)) {
      const securityContext = optionalRecord(at.container.securityContext);
      if (!securityContext) continue;
      const levels: Level[] = [
        { securityContext, path: at.path },
        { securityContext: podSecurityContext, path: podSpec.path },
      ];
      const report = rootReport(at, levels);
      if (report) reports.push(report);
    }
    return reports;
  },
};
