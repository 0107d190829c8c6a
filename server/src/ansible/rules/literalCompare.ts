/**
 * `ansible/literal-compare`: `when: x == true` compares with a literal where the value itself
 * (or `not x`) says the same more simply, and `== True` misses truthy values such as `"yes"`
 * or `1` that Ansible's conditions otherwise accept. Also `!= false`, `is true`, `is false`.
 */
import type { Finding } from '../../core/types';
import { conditionTokens, type JinjaToken } from '../jinja';
import { conditionsOf } from './conditions';
import { findingAt, type AnsibleRule } from './ruleSupport';
import { sourceSpanOfValue } from '../scalarSource';

const LITERALS: Record<string, boolean> = { true: true, True: true, false: false, False: false };

function literal(token: JinjaToken | undefined): boolean | undefined {
  return token?.type === 'name' && Object.hasOwn(LITERALS, token.value) ? LITERALS[token.value] : undefined;
}

function isComparison(token: JinjaToken | undefined): boolean {
  return token?.type === 'operator' && (token.value === '==' || token.value === '!=');
}

/** The tokens from the comparison operator (or `is`) through the literal, and whether the test is positive. */
function literalComparisons(tokens: JinjaToken[]): Array<{ first: JinjaToken; last: JinjaToken; positive: boolean }> {
  const found: Array<{ first: JinjaToken; last: JinjaToken; positive: boolean }> = [];
  tokens.forEach((token, i) => {
    if (isComparison(token)) {
      const after = literal(tokens[i + 1]);
      const before = literal(tokens[i - 1]);
      const value = after ?? before;
      if (value === undefined) return;
      const positive = value === (token.value === '==');
      found.push(after !== undefined ? { first: token, last: tokens[i + 1], positive } : { first: tokens[i - 1], last: token, positive });
    } else if (token.type === 'name' && token.value === 'is') {
      const negated = tokens[i + 1]?.type === 'name' && tokens[i + 1].value === 'not';
      const test = tokens[i + (negated ? 2 : 1)];
      const value = literal(test);
      if (value === undefined || (test.value !== 'true' && test.value !== 'false')) return;
      found.push({ first: token, last: test, positive: value !== negated });
    }
  });
  return found;
}

export const literalCompare: AnsibleRule = {
  id: 'ansible/literal-compare',
  defaultSeverity: 'warning',
  description: 'Conditions should not compare with true or false: write "x" or "not x".',
  check(file) {
    const findings: Finding[] = [];
    for (const condition of conditionsOf(file)) {
      const text = condition.node.value as string;
      for (const { first, last, positive } of literalComparisons(conditionTokens(text))) {
        const written = text.slice(first.start, last.end);
        const span = sourceSpanOfValue(file.lines.text, condition.node, first.start, last.end);
        const advice = positive ? 'test the value itself ("when: x")' : 'use "not" ("when: not x")';
        findings.push(findingAt(file, span, literalCompare, `Comparison with a literal boolean ("${written}"): ${advice}.`));
      }
    }
    return findings;
  },
};
