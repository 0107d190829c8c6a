/**
 * The conditions of a file: values of `when:`, `changed_when:`, `failed_when:` and `until:` on
 * tasks, blocks and a play's role entries. Ansible evaluates these as bare Jinja2 expressions;
 * elsewhere the same key is just data (a variable named `when` in a vars file).
 */
import { resolveAlias, type YamlMap, type YamlScalar } from '../../yaml/compose';
import { findPair } from '../../yaml/path';
import type { AnsibleFile } from '../types';
import { allTasks, stringScalar } from './ruleSupport';

export const CONDITION_KEYS = ['when', 'changed_when', 'failed_when', 'until'] as const;

export interface ConditionAt {
  key: (typeof CONDITION_KEYS)[number];
  /** One condition: the value, or one item of a list of conditions. */
  node: YamlScalar;
}

export function conditionsOf(file: AnsibleFile): ConditionAt[] {
  const conditions: ConditionAt[] = [];
  const collect = (map: YamlMap): void => {
    for (const key of CONDITION_KEYS) {
      const value = findPair(map, key)?.value;
      const target = value && resolveAlias(value);
      const items = target?.kind === 'seq' ? target.items : target ? [target] : [];
      for (const item of items) {
        const node = stringScalar(item);
        if (node) conditions.push({ key, node });
      }
    }
  };
  for (const { task } of allTasks(file)) collect(task.node);
  for (const play of file.plays) {
    const roles = findPair(play.node, 'roles')?.value;
    const list = roles && resolveAlias(roles);
    if (list?.kind !== 'seq') continue;
    for (const entry of list.items) {
      const role = resolveAlias(entry);
      if (role.kind === 'map') collect(role);
    }
  }
  return conditions;
}
