/**
 * Checks a YAML inventory the way Ansible's `yaml` inventory plugin reads it, which the
 * ansible-lint schema describes only loosely (it does not look below `all:`, and refuses what
 * the plugin merely skips). A group is a mapping (or nothing) of `hosts`, `children` and
 * `vars`, each a mapping, nothing or a single name; each host's value is a mapping of its
 * variables or nothing. What makes the plugin fail is an error; what it skips with a
 * warning is a warning.
 */
import { closestMatch } from '../core/spelling';
import type { Finding, Severity } from '../core/types';
import { resolveAlias, type YamlMap, type YamlNode } from '../yaml/compose';
import { firstLineRange } from '../yaml/lines';
import { keyName } from './parse';
import { describeValue } from './schemaErrors';
import { SCHEMA_RULE } from './structure';
import type { AnsibleFile } from './types';
import { Yaml11Reader } from './yaml11';

const GROUP_SECTIONS = ['hosts', 'children', 'vars'];

export function checkInventory(file: AnsibleFile): Finding[] {
  const root = file.root && resolveAlias(file.root);
  if (!root) return [];
  return new InventoryChecker(file).inventory(root);
}

class InventoryChecker {
  private readonly findings: Finding[] = [];
  private readonly values: Yaml11Reader;

  constructor(private readonly file: AnsibleFile) {
    this.values = new Yaml11Reader(file.lines.text);
  }

  inventory(root: YamlNode): Finding[] {
    if (root.kind !== 'map') {
      this.report(root, `A YAML inventory is a mapping of group names to groups, found ${describeValue(this.values.value(root))}.`);
      return this.findings;
    }
    for (const pair of root.pairs) {
      const name = keyName(pair);
      if (name !== undefined && name !== '<<') this.group(name, pair.value, false);
    }
    return this.findings;
  }

  private group(name: string, node: YamlNode, isChild: boolean): void {
    const group = resolveAlias(node);
    if (this.isNothing(group)) return;
    if (group.kind !== 'map') {
      // A top-level entry that is no group is skipped; a child that is none makes the parent's add_child fail.
      const consequence = isChild ? 'Ansible cannot read the inventory' : 'Ansible skips it';
      this.report(group, `Group "${name}" must be a mapping of hosts, children and vars (or nothing), found ${describeValue(this.values.value(group))}: ${consequence}.`, isChild ? 'error' : 'warning');
      return;
    }
    for (const pair of group.pairs) {
      const key = keyName(pair);
      if (key === undefined || key === '<<') continue;
      if (!GROUP_SECTIONS.includes(key)) {
        const suggestion = closestMatch(key, GROUP_SECTIONS);
        this.report(pair.key, `"${key}" is not a group key: Ansible ignores it (a group has only hosts, children and vars).${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, 'warning');
        continue;
      }
      this.section(name, key, pair.value);
    }
  }

  private section(group: string, section: string, node: YamlNode): void {
    const value = resolveAlias(node);
    if (this.isNothing(value) || typeof this.values.value(value) === 'string') return;
    if (value.kind !== 'map') {
      const expected = section === 'hosts' ? 'a mapping of host names (each with its variables, or nothing)' : section === 'children' ? 'a mapping of group names' : 'a mapping of variables';
      this.report(value, `"${section}" of group "${group}" must be ${expected}, found ${describeValue(this.values.value(value))}: Ansible cannot read the inventory.`);
      return;
    }
    if (section === 'children') this.entries(value, (name, child) => this.group(name, child, true));
    if (section === 'hosts') this.entries(value, (name, host) => this.hostVariables(name, host));
  }

  private hostVariables(host: string, node: YamlNode): void {
    const value = resolveAlias(node);
    if (this.isNothing(value) || value.kind === 'map') return;
    this.report(value, `The variables of host "${host}" must be a mapping (or nothing), found ${describeValue(this.values.value(value))}: Ansible cannot read the inventory.`);
  }

  private entries(map: YamlMap, visit: (name: string, value: YamlNode) => void): void {
    for (const pair of map.pairs) {
      const name = keyName(pair);
      if (name !== undefined && name !== '<<') visit(name, pair.value);
    }
  }

  private isNothing(node: YamlNode): boolean {
    return node.kind === 'scalar' && this.values.value(node) === null;
  }

  private report(node: YamlNode, message: string, severity: Severity = 'error'): void {
    this.findings.push({ range: firstLineRange(this.file.lines, node.start, node.end), severity, rule: SCHEMA_RULE, message });
  }
}
