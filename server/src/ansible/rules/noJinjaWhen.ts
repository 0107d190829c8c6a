/**
 * `ansible/no-jinja-when`: `when:`, `changed_when:`, `failed_when:` and `until:` are already
 * Jinja2 expressions. Braces inside them template the value first and evaluate the result a
 * second time, which misreads strings and which Ansible warns about on every run.
 */
import type { Fix } from '../../core/types';
import type { AnsibleFile } from '../types';
import { conditionsOf, type ConditionAt } from './conditions';
import { findingAt, type AnsibleRule } from './ruleSupport';
import { sourceSpanOfValue } from '../scalarSource';

/** `{{ expression }}` with the opening and closing parts, white space included. */
const SINGLE_EXPRESSION = /^(\s*\{\{-?\s*)([\s\S]*?\S)(\s*-?\}\}\s*)$/;

export const noJinjaWhen: AnsibleRule = {
  id: 'ansible/no-jinja-when',
  defaultSeverity: 'warning',
  description: 'Conditions (when, changed_when, failed_when, until) are already expressions: no {{ }} in them.',
  check(file) {
    return conditionsOf(file).flatMap((condition) => {
      const text = condition.node.value as string;
      const open = firstOpening(text);
      if (open === -1) return [];
      const close = text.indexOf(text.startsWith('{%', open) ? '%}' : '}}', open);
      const span = sourceSpanOfValue(file.lines.text, condition.node, open, close === -1 ? text.length : close + 2);
      const message = `"${condition.key}:" is already a Jinja2 expression: write it without {{ }} or {% %}. With them, the value is templated first and the result evaluated again.`;
      return [findingAt(file, span, noJinjaWhen, message, removeBracesFix(file, condition))];
    });
  },
};

function firstOpening(text: string): number {
  const candidates = [text.indexOf('{{'), text.indexOf('{%')].filter((index) => index !== -1);
  return candidates.length > 0 ? Math.min(...candidates) : -1;
}

function removeBracesFix(file: AnsibleFile, condition: ConditionAt): Fix[] {
  const text = condition.node.value as string;
  const match = SINGLE_EXPRESSION.exec(text);
  // Only a condition that is one expression and nothing else keeps its meaning without the braces.
  if (!match || /\{\{|\}\}|\{%|\{#/.test(match[2])) return [];
  const opening = sourceSpanOfValue(file.lines.text, condition.node, 0, match[1].length);
  const closing = sourceSpanOfValue(file.lines.text, condition.node, match[1].length + match[2].length, text.length);
  if (!opening.exact || !closing.exact) return [];
  return [{
    title: 'Remove the {{ }}',
    edits: [
      { range: file.lines.rangeOf(opening.start, opening.end), newText: '' },
      { range: file.lines.rangeOf(closing.start, closing.end), newText: '' },
    ],
  }];
}
