/** Every rule id the GitOps app checks report, with its default severity and description. */
import type { RuleMeta } from '../kubernetes/resource';
import { DUPLICATE_OWNERSHIP_RULE } from './ownership';
import { APP_PATH_RULE } from './workspace';

export const GITOPS_RULE_TABLE: readonly RuleMeta[] = [
  // An error when the path is missing; a warning when it holds nothing to apply.
  { id: APP_PATH_RULE, defaultSeverity: 'error', description: 'An Argo CD or Flux app deploying from this repository must point at a path that exists and holds something to apply.' },
  { id: DUPLICATE_OWNERSHIP_RULE, defaultSeverity: 'warning', description: 'Two apps must not deploy the same object to the same cluster.' },
];
