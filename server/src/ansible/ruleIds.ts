/**
 * The rule ids of the Ansible structure and module-argument checks (the lint rules have their
 * own table in rules/index.ts), and the family of ids ansible-lint's findings get.
 */
import type { Severity } from '../core/types';
import type { RuleMeta } from '../kubernetes/resource';
import { ARGUMENTS_RULE, UNKNOWN_MODULE_RULE } from './arguments';
import { DEPRECATED_RULE, SCHEMA_RULE, TASK_ACTION_RULE } from './structure';

export const ANSIBLE_CHECK_TABLE: readonly RuleMeta[] = [
  { id: SCHEMA_RULE, defaultSeverity: 'error', description: 'Play, block and task keywords, variable names, role metadata, requirements and inventories must match the ansible-lint schemas.' },
  { id: TASK_ACTION_RULE, defaultSeverity: 'error', description: 'A task must run exactly one module and loop one way.' },
  { id: ARGUMENTS_RULE, defaultSeverity: 'error', description: "A module's arguments must match its argument spec." },
  // Info for a short name that is no builtin.
  { id: UNKNOWN_MODULE_RULE, defaultSeverity: 'warning', description: 'An ansible.builtin module must exist.' },
  { id: DEPRECATED_RULE, defaultSeverity: 'warning', description: 'A keyword removed from ansible-core (include:).' },
];

/** ansible-lint's findings are `ansible-lint/<its rule>`: ids known only when it reports them. */
export const ANSIBLE_LINT_RULES: { prefix: string; defaultSeverity: Severity; description: string } = {
  prefix: 'ansible-lint/',
  // Its internal-error is an error.
  defaultSeverity: 'warning',
  description: 'A finding of ansible-lint, run on save; see its documentation for the rule after the slash.',
};
