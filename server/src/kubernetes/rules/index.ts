/**
 * Every best-practice and security rule for Kubernetes objects, in the order their
 * findings are listed. Ids are a contract: users configure rules by id.
 */
import type { KubernetesRule, RuleMeta } from '../resource';
import { allowPrivilegeEscalation } from './allowPrivilegeEscalation';
import { hostNamespaces } from './hostNamespaces';
import { missingProbes } from './missingProbes';
import { missingResources } from './missingResources';
import { noLatestTag } from './noLatestTag';
import { privilegedContainer } from './privilegedContainer';
import { runAsNonRoot } from './runAsNonRoot';

export const KUBERNETES_RULES: readonly KubernetesRule[] = [
  noLatestTag,
  missingResources,
  privilegedContainer,
  allowPrivilegeEscalation,
  runAsNonRoot,
  hostNamespaces,
  missingProbes,
];

const META_BY_ID = new Map<string, RuleMeta>(
  KUBERNETES_RULES.map(({ id, defaultSeverity, description }) => [id, { id, defaultSeverity, description }]),
);

/** The id, default severity and description of a rule, or undefined for an unknown id. */
export function ruleMeta(id: string): RuleMeta | undefined {
  return META_BY_ID.get(id);
}
