/**
 * `ansible/risky-octal`: `mode: 644` is the decimal number 644, which is 0o1204 as a file
 * mode (sticky bit, owner write only, others read): YAML reads an integer without a leading
 * zero as decimal. Quoting it (`mode: '0644'`) lets the module read it as octal. As in
 * ansible-lint, a decimal that is itself a sensible mode (420 = 0o644) is taken as meant.
 */
import type { Finding } from '../../core/types';
import { resolveAlias } from '../../yaml/compose';
import { allTasks, argumentOf, findingAt, isBuiltinModule, replaceFix, type AnsibleRule } from './ruleSupport';

/** Modules whose `mode` is a file permission (ansible-lint's list, with get_url and blockinfile). */
const FILE_MODULES = new Set(['assemble', 'copy', 'file', 'ini_file', 'lineinfile', 'blockinfile', 'replace', 'synchronize', 'template', 'unarchive', 'get_url']);

/** Whether a mode makes no sense as permissions: write without read, or others allowed more than the owner (ansible-lint's test). */
function isUnlikelyMode(mode: number): boolean {
  const other = mode % 8;
  const group = (mode >> 3) % 8;
  const user = (mode >> 6) % 8;
  const userExecutes = user % 2 === 1;
  const otherWriteWithoutRead = other > 0 && other < 4 && !(other === 1 && userExecutes);
  const groupWriteWithoutRead = group > 0 && group < 4 && !(group === 1 && userExecutes);
  const userWriteWithoutRead = user > 0 && user < 4 && user !== 1;
  return otherWriteWithoutRead || groupWriteWithoutRead || userWriteWithoutRead || other > group || other > user || group > user;
}

export const riskyOctal: AnsibleRule = {
  id: 'ansible/risky-octal',
  defaultSeverity: 'warning',
  description: 'File modes must be quoted octal strings (\'0644\'): YAML reads mode: 644 as the decimal 644.',
  check(file) {
    const findings: Finding[] = [];
    for (const { task } of allTasks(file)) {
      if (!task.action || !isBuiltinModule(task.action, FILE_MODULES)) continue;
      const mode = argumentOf(file, task.action, 'mode');
      const node = mode?.node && resolveAlias(mode.node);
      if (!node || node.kind !== 'scalar' || !node.plain || typeof node.value !== 'number') continue;
      const written = file.lines.text.slice(node.start, node.end);
      // A leading zero is YAML 1.1 octal, which is what Ansible's YAML reader uses: 0644 is fine.
      if (!/^[1-9][0-9]*$/.test(written) || !isUnlikelyMode(node.value)) continue;
      const fixes = /^[0-7]+$/.test(written) ? [replaceFix(file, `Quote it as '0${written}'`, node, `'0${written}'`)] : [];
      findings.push(findingAt(file, node, riskyOctal,
        `mode: ${written} is read by YAML as the decimal number ${written} (octal ${node.value.toString(8)}), not as octal ${written}: write '0${written}' in quotes.`, fixes));
    }
    return findings;
  },
};
