/**
 * The rules of YAML parsing and of Kubernetes validation itself (schemas, API lifecycle,
 * semantics, workspace checks), beside the best-practice rules in `rules/`. Ids are a
 * contract: users configure and suppress rules by id.
 */
import type { YamlProblemRule } from '../yaml/compose';
import type { RuleMeta } from './resource';
import { PROBLEM_SEVERITY } from './section';

// Every YAML problem rule must be described: the compiler checks this record is complete.
const YAML_DESCRIPTIONS: Record<YamlProblemRule, string> = {
  'yaml/syntax': 'The file must be well-formed YAML.',
  'yaml/duplicate-key': 'A YAML mapping must not repeat a key.',
  'yaml/alias': 'A YAML alias must point at an anchor defined before it.',
  'yaml/limits': 'The YAML must stay within the nesting depth and alias expansion limits that are validated.',
};

export const KUBERNETES_CHECK_RULES: readonly RuleMeta[] = [
  ...(Object.entries(YAML_DESCRIPTIONS) as [YamlProblemRule, string][]).map(([id, description]) => ({ id, defaultSeverity: PROBLEM_SEVERITY[id], description })),
  { id: 'k8s/schema', defaultSeverity: 'error', description: 'A Kubernetes object must match the schema of its apiVersion and kind.' },
  { id: 'k8s/unknown-kind', defaultSeverity: 'info', description: 'An object whose kind has no known schema is not validated.' },
  { id: 'k8s/deprecated-api', defaultSeverity: 'warning', description: 'The apiVersion is deprecated at the target Kubernetes version.' },
  { id: 'k8s/removed-api', defaultSeverity: 'error', description: 'The apiVersion no longer exists at the target Kubernetes version.' },
  { id: 'k8s/invalid-name', defaultSeverity: 'error', description: 'Object, namespace and container names must follow the Kubernetes naming rules.' },
  { id: 'k8s/selector-mismatch', defaultSeverity: 'error', description: "A workload's selector must match its pod template's labels." },
  { id: 'k8s/duplicate-resource', defaultSeverity: 'warning', description: 'The same object must not be defined twice.' },
  { id: 'k8s/service-selects-nothing', defaultSeverity: 'warning', description: 'A Service selector should match some pod template in the workspace.' },
  { id: 'k8s/unresolved-reference', defaultSeverity: 'info', description: 'A ConfigMap, Secret or ServiceAccount a pod spec uses should be defined or generated in the workspace.' },
];
