/**
 * The one catalogue of rules: every rule id any language reports, with its default severity
 * and a one-sentence description, for SARIF's rule metadata and anything else that lists
 * rules. Each language owns its table; this only puts them together, so a rule is described
 * where it is implemented. test/unit/rule-catalog.test.ts checks that every rule id in the
 * sources is here.
 */
import { ANSIBLE_CHECK_TABLE, ANSIBLE_LINT_RULES } from '../ansible/ruleIds';
import { ANSIBLE_RULE_TABLE } from '../ansible/rules/index';
import type { Severity } from '../core/types';
import { GITOPS_RULE_TABLE } from '../gitops/rules';
import { HELM_RULE_TABLE } from '../helm/rules';
import { KUBERNETES_CHECK_RULES } from '../kubernetes/checkRules';
import type { RuleMeta } from '../kubernetes/resource';
import { KUBERNETES_RULES } from '../kubernetes/rules/index';
import { KUSTOMIZE_RULE_TABLE } from '../kustomize/rules';
import { TERRAFORM_RULE_TABLE } from '../terraform/ruleTable';

export type { RuleMeta } from '../kubernetes/resource';

/** Ids made at run time from another tool's rule names, described together by their prefix. */
export interface RuleFamily {
  prefix: string;
  defaultSeverity: Severity;
  description: string;
}

/** Rules of reading files at all, whatever their language. */
const FILE_RULES: readonly RuleMeta[] = [
  { id: 'file/encoding', defaultSeverity: 'error', description: 'Files must be UTF-8 text.' },
  { id: 'file/skipped', defaultSeverity: 'info', description: 'Files that are binary or larger than the size limit are not validated.' },
];

/** Every rule with a fixed id, grouped by language. */
export const RULE_CATALOGUE: readonly RuleMeta[] = [
  ...FILE_RULES,
  ...KUBERNETES_CHECK_RULES,
  ...KUBERNETES_RULES.map(({ id, defaultSeverity, description }) => ({ id, defaultSeverity, description })),
  ...KUSTOMIZE_RULE_TABLE,
  ...HELM_RULE_TABLE,
  ...GITOPS_RULE_TABLE,
  ...ANSIBLE_CHECK_TABLE,
  ...ANSIBLE_RULE_TABLE,
  ...TERRAFORM_RULE_TABLE,
];

export const RULE_FAMILIES: readonly RuleFamily[] = [ANSIBLE_LINT_RULES];

const BY_ID = new Map(RULE_CATALOGUE.map((rule) => [rule.id, rule]));

/** A rule's default severity and description, by its id or its family's prefix; undefined for an unknown id. */
export function describeRule(id: string): RuleMeta | undefined {
  const rule = BY_ID.get(id);
  if (rule) return rule;
  const family = RULE_FAMILIES.find((candidate) => id.startsWith(candidate.prefix) && id.length > candidate.prefix.length);
  return family && { id, defaultSeverity: family.defaultSeverity, description: family.description };
}
