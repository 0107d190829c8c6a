/**
 * Every language check, in the order they run. Syntax problems come from the model itself
 * (see document.ts); these need the module.
 */
import { checkArgumentValues } from './arguments';
import type { BlockCheck, ModuleCheck } from './context';
import { checkCycles } from './cycles';
import { checkDuplicates, checkUnused } from './declarations';
import { checkFunctionCalls } from './functions';
import { checkModuleCalls } from './moduleCalls';
import { checkMovedBlocks } from './movedBlocks';
import { checkReferences } from './references';
import { checkStructure, checkTopLevelArguments } from './structure';
import { checkInterpolationOnly } from './style';
import { checkTfvars } from './tfvars';
import { checkVariables } from './variables';

/** Checks of one top-level block: the expensive part, kept per block (see workspace.ts). */
export const BLOCK_CHECKS: readonly BlockCheck[] = [
  checkStructure,
  checkReferences,
  checkFunctionCalls,
  checkVariables,
  checkArgumentValues,
  checkMovedBlocks,
  checkModuleCalls,
  checkInterpolationOnly,
];

/** Checks of the module as a whole. */
export const MODULE_CHECKS: readonly ModuleCheck[] = [
  checkTopLevelArguments,
  checkDuplicates,
  checkCycles,
  checkTfvars,
  checkUnused,
];

/** Every rule id the Terraform checks report, with its default severity. */
export const TERRAFORM_RULES: Readonly<Record<string, 'error' | 'warning'>> = {
  'tf/syntax': 'error',
  'tf/template-syntax': 'error',
  'tf/duplicate-argument': 'error',
  'tf/unknown-block': 'error',
  'tf/unknown-argument': 'error',
  'tf/required-argument': 'error',
  'tf/block-labels': 'error',
  'tf/duplicate-declaration': 'error',
  'tf/undeclared-reference': 'error',
  'tf/invalid-reference': 'error',
  'tf/function-call': 'error',
  'tf/count-and-for-each': 'error',
  'tf/output-without-value': 'error',
  'tf/variable-type': 'error',
  'tf/variable-default-type': 'error',
  'tf/validation-reference': 'error',
  'tf/argument-value': 'error',
  'tf/moved-block': 'error',
  'tf/module-source': 'error',
  'tf/module-inputs': 'error',
  'tf/module-outputs': 'error',
  'tf/reference-cycle': 'error',
  'tf/tfvars-unknown-variable': 'warning',
  'tf/tfvars-value': 'error',
  'tf/unused-declaration': 'warning',
  'tf/interpolation-only': 'warning',
};
