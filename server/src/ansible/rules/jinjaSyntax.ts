/**
 * `ansible/jinja-syntax`: a Jinja2 syntax error in a templated string fails the task (or the
 * play) only when Ansible renders it, often late in a run; here it is underlined as you type.
 * Every string value of a playbook, task, vars or inventory file is checked when it contains
 * `{{`, `{%` or `{#`, as Ansible templates it; conditions (`when:` …) are also checked as the
 * bare expressions they are. Values tagged `!unsafe` are never templated and are skipped.
 */
import type { Finding } from '../../core/types';
import type { YamlNode, YamlScalar } from '../../yaml/compose';
import { checkJinjaCondition, checkJinjaTemplate, containsJinja, type JinjaProblem } from '../jinja';
import type { AnsibleFile } from '../types';
import { conditionsOf } from './conditions';
import { findingAt, type AnsibleRule } from './ruleSupport';
import { sourceSpanOfValue } from '../scalarSource';

/** Kinds whose values Ansible templates; requirements and role metadata are read as plain data. */
const TEMPLATED_KINDS = new Set(['playbook', 'tasks', 'handlers', 'vars', 'inventory']);

export const jinjaSyntax: AnsibleRule = {
  id: 'ansible/jinja-syntax',
  defaultSeverity: 'error',
  description: 'Jinja2 templates and conditions must be valid Jinja2: Ansible fails on a broken one when it renders it.',
  check(file) {
    if (!TEMPLATED_KINDS.has(file.kind) || !file.root) return [];
    const conditions = new Set(conditionsOf(file).map((condition) => condition.node));
    const findings: Finding[] = [];
    for (const node of stringValues(file.root)) {
      const text = node.value as string;
      if (isUnsafe(file.lines.text, node)) continue;
      const templated = containsJinja(text);
      if (!templated && !conditions.has(node)) continue;
      const problem = checked(text, templated);
      if (problem) findings.push(report(file, node, problem, templated ? 'template' : 'condition'));
    }
    return findings;
  },
};

/**
 * Results by text: an edit changes one value, and the thousands of others in a large playbook
 * are then not parsed again. Bounded, since the texts come from whatever files are open.
 */
const results = new Map<string, JinjaProblem | undefined>();
const MAX_CACHED = 20_000;

function checked(text: string, templated: boolean): JinjaProblem | undefined {
  const key = (templated ? 't' : 'c') + text;
  if (results.has(key)) return results.get(key);
  if (results.size >= MAX_CACHED) results.clear();
  const problem = templated ? checkJinjaTemplate(text) : checkJinjaCondition(text);
  results.set(key, problem);
  return problem;
}

function report(file: AnsibleFile, node: YamlScalar, problem: JinjaProblem, what: 'template' | 'condition'): Finding {
  // An error at the very end (an unclosed "{{") is shown on the last character rather than as an empty range.
  const start = problem.start === problem.end && problem.start > 0 ? problem.start - 1 : problem.start;
  const span = sourceSpanOfValue(file.lines.text, node, start, problem.end);
  return findingAt(file, span, jinjaSyntax, `Jinja2 syntax error in this ${what}: ${problem.message}`);
}

/** Every string scalar that is a value (not a key), depth first; aliases are not followed, their anchors are checked where they are defined. */
function* stringValues(root: YamlNode): Generator<YamlScalar> {
  const stack: YamlNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'scalar') {
      if (typeof node.value === 'string') yield node;
    } else if (node.kind === 'seq') {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (node.kind === 'map') {
      for (let i = node.pairs.length - 1; i >= 0; i--) stack.push(node.pairs[i].value);
    }
  }
}

/** `!unsafe` marks a value Ansible must never template. The parser keeps no tags, so look just before the value. */
function isUnsafe(text: string, node: YamlScalar): boolean {
  return /!unsafe\s*$/.test(text.slice(Math.max(0, node.start - 16), node.start));
}
