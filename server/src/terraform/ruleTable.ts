/**
 * Every Terraform rule id with its default severity and description: the severities come from
 * the tables the checks use (checks/index.ts, providerSchemaChecks.ts, security/), the words
 * for the language and provider-schema checks from here.
 */
import type { RuleMeta } from '../kubernetes/resource';
import { TERRAFORM_RULES } from './checks/index';
import { PROVIDER_SCHEMA_RULES } from './providerSchemaChecks';
import { TERRAFORM_SECURITY_RULES } from './security/index';

/** Keyed by the ids of `TERRAFORM_RULES` and `PROVIDER_SCHEMA_RULES` (a test checks they agree). */
export const TERRAFORM_RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'tf/syntax': 'A .tf or .tfvars file must be valid HCL.',
  'tf/template-syntax': 'A string template (${...}, %{...}) must be valid.',
  'tf/duplicate-argument': 'An argument may be set only once in a block.',
  'tf/unknown-block': 'A block must be one the language, or the provider schema, allows where it is.',
  'tf/unknown-argument': 'An argument must be one the language allows where it is, at the target Terraform version.',
  'tf/required-argument': 'A block must set the arguments Terraform requires.',
  'tf/block-labels': 'A block must have the number of labels its type takes.',
  'tf/duplicate-declaration': 'Names of variables, locals, outputs, modules, resources and data sources must be unique in a module.',
  'tf/undeclared-reference': 'A reference must name something declared in the module.',
  'tf/invalid-reference': 'A reference must have the shape its kind takes (var.NAME, TYPE.NAME, ...), in a place that allows it.',
  'tf/function-call': 'A function call must name a function that exists, with a valid number of arguments.',
  'tf/count-and-for-each': 'A block must not set both count and for_each.',
  'tf/output-without-value': 'An output must set value.',
  'tf/variable-type': 'A variable type must be a valid type constraint.',
  'tf/variable-default-type': "A variable's default must match its type and nullable setting.",
  'tf/validation-reference': 'A variable validation must test the variable, and before Terraform 1.9 refer to nothing else.',
  'tf/argument-value': 'Arguments Terraform reads before evaluating anything must be literal, and of the kind they take.',
  'tf/moved-block': 'moved, import and removed blocks must name valid addresses that agree with the configuration.',
  'tf/module-source': 'A module call must have a valid source, and a local one must exist.',
  'tf/module-inputs': "A call to a local module must set its required variables, no unknown ones, and literals of their types.",
  'tf/module-outputs': 'A reference to a module output must name an output the module declares.',
  'tf/reference-cycle': 'Declarations must not refer to each other in a cycle.',
  'tf/tfvars-unknown-variable': 'A .tfvars value must be for a variable the module declares; Terraform ignores it otherwise.',
  'tf/tfvars-value': "A .tfvars file holds literal values of the variables' types, not blocks or expressions.",
  'tf/unused-declaration': 'A variable, local value or data source that nothing uses.',
  'tf/interpolation-only': 'A string that is only "${expression}": write the expression itself.',
  'tf/unknown-resource-type': 'A resource, data source or ephemeral resource type must exist in its provider.',
  'tf/unknown-attribute': 'An argument must exist in the provider schema of its block.',
  'tf/missing-required-attribute': 'A block must set the arguments and blocks its provider schema requires.',
  'tf/attribute-type': 'A literal must have the type the provider schema gives the argument.',
  'tf/read-only-attribute': 'An argument only the provider sets (computed) cannot be set.',
  'tf/too-many-blocks': 'A nested block must not appear more times than the provider schema allows.',
  'tf/deprecated-attribute': 'An argument or block the provider schema marks as deprecated.',
};

const SEVERITIES = { ...TERRAFORM_RULES, ...PROVIDER_SCHEMA_RULES };

export const TERRAFORM_RULE_TABLE: readonly RuleMeta[] = [
  ...Object.entries(SEVERITIES).map(([id, defaultSeverity]) => ({ id, defaultSeverity, description: TERRAFORM_RULE_DESCRIPTIONS[id] })),
  ...TERRAFORM_SECURITY_RULES,
];
