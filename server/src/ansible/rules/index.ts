/**
 * Every Ansible lint rule and cross-reference check, in the order their findings are listed.
 * Ids are a contract: users configure rules by id and silence them with suppression comments.
 */
import type { RuleMeta } from '../../kubernetes/resource';
import type { AnsibleCheck } from '../types';
import { commandInsteadOfModule } from './commandInsteadOfModule';
import { commandInsteadOfShell } from './commandInsteadOfShell';
import { fqcn } from './fqcn';
import { jinjaSyntax } from './jinjaSyntax';
import { literalCompare } from './literalCompare';
import { missingRole } from './missingRole';
import { name, nameCasing } from './name';
import { noChangedWhen } from './noChangedWhen';
import { noJinjaWhen } from './noJinjaWhen';
import { packageLatest } from './packageLatest';
import { riskyOctal } from './riskyOctal';
import type { AnsibleRule } from './ruleSupport';
import { undefinedHandler } from './undefinedHandler';

const RULES: readonly AnsibleRule[] = [
  jinjaSyntax,
  noJinjaWhen,
  undefinedHandler,
  missingRole,
  commandInsteadOfModule,
  commandInsteadOfShell,
  noChangedWhen,
  fqcn,
  name,
  nameCasing,
  riskyOctal,
  packageLatest,
  literalCompare,
];

export const ANSIBLE_RULES: readonly AnsibleCheck[] = RULES.map((rule) => rule.check);

/** Id, default severity and one-line description of every rule, for the README and settings. */
export const ANSIBLE_RULE_TABLE: readonly RuleMeta[] = RULES.map(({ id, defaultSeverity, description }) => ({ id, defaultSeverity, description }));
