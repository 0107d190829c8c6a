/**
 * Checks the Ansible files that hold data rather than tasks: variables, role metadata,
 * requirements and YAML inventories. Role metadata and requirements are checked against their
 * ansible-lint schemas; variable files directly (their schema is one anyOf that can only say
 * "not valid" for the whole file), and inventories as Ansible reads them (inventory.ts).
 */
import type { Finding } from '../core/types';
import { resolveAlias, valueOf } from '../yaml/compose';
import { firstLineRange } from '../yaml/lines';
import { checkInventory } from './inventory';
import { placeReport } from './place';
import { keyName } from './parse';
import { reportsFromAnsibleSchemaErrors } from './schemaErrors';
import type { AnsibleSchemaName, AnsibleSchemaStore } from './schemaStore';
import { SCHEMA_RULE } from './structure';
import type { AnsibleFile, AnsibleFileKind } from './types';
import { Yaml11Reader } from './yaml11';

const SCHEMA_OF: Partial<Record<AnsibleFileKind, AnsibleSchemaName>> = {
  'role-meta': 'meta',
  requirements: 'requirements',
};

/** Names Ansible refuses for variables: Python keywords and play keywords. */
const RESERVED_VARIABLE_NAMES = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'any_errors_fatal', 'become', 'become_exe', 'become_flags', 'become_method',
  'become_user', 'check_mode', 'collections', 'connection', 'debugger', 'diff', 'environment', 'fact_path', 'force_handlers',
  'gather_facts', 'gather_subset', 'gather_timeout', 'handlers', 'hosts', 'ignore_errors', 'ignore_unreachable',
  'max_fail_percentage', 'module_defaults', 'name', 'no_log', 'order', 'port', 'post_tasks', 'pre_tasks', 'remote_user', 'roles',
  'run_once', 'serial', 'strategy', 'tags', 'tasks', 'throttle', 'timeout', 'vars', 'vars_files', 'vars_prompt',
]);

const VARIABLE_NAME = /^[a-zA-Z_]\w*$/;

export function checkDataFile(file: AnsibleFile, schemas: AnsibleSchemaStore): Finding[] {
  if (file.kind === 'vars') return checkVariables(file);
  if (file.kind === 'inventory') return checkInventory(file);
  const schemaName = SCHEMA_OF[file.kind];
  const root = file.root;
  if (!schemaName || !root) return [];
  const validator = schemas.validatorFor(schemaName);
  const document = schemas.document(schemaName);
  const value = new Yaml11Reader(file.lines.text).value(root);
  if (!validator || !document || validator(value)) return [];
  return reportsFromAnsibleSchemaErrors(validator.errors ?? [], document).map((report) => placeReport(file, root, report, SCHEMA_RULE, 'error'));
}

function checkVariables(file: AnsibleFile): Finding[] {
  const root = file.root && resolveAlias(file.root);
  if (!root || (root.kind === 'scalar' && (root.value === null || String(root.value).startsWith('$ANSIBLE_VAULT;')))) return [];
  if (root.kind !== 'map') {
    return [{ range: firstLineRange(file.lines, root.start, root.end), severity: 'error', rule: SCHEMA_RULE, message: 'A variables file is a mapping of variable names to values.' }];
  }
  const findings: Finding[] = [];
  for (const pair of root.pairs) {
    const name = keyName(pair) ?? String(valueOf(pair.key));
    if (name === '<<') continue;
    const range = firstLineRange(file.lines, pair.key.start, pair.key.end);
    if (!VARIABLE_NAME.test(name)) {
      findings.push({ range, severity: 'error', rule: SCHEMA_RULE, message: `"${name}" is not a valid variable name: use letters, digits and underscores, not starting with a digit.` });
    } else if (RESERVED_VARIABLE_NAMES.has(name)) {
      // Ansible only warns about these, and the variable is then unusable where the keyword applies.
      findings.push({ range, severity: 'warning', rule: SCHEMA_RULE, message: `"${name}" is a reserved name (a Python or play keyword): Ansible warns about it and it may not work as a variable. Rename it.` });
    }
  }
  return findings;
}
