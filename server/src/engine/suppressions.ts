/**
 * Inline suppression comments, as users know them from linters:
 *   # gitops-iac-disable-next-line k8s/no-latest-tag
 *   image: nginx:latest  # gitops-iac-disable-line k8s/no-latest-tag
 *   # gitops-iac-disable k8s/missing-probes   (from here to the end of the YAML document)
 * In Terraform files `//` works too, and `disable` lasts to the end of the file.
 * Without rule ids a comment silences every rule. Syntax errors cannot be silenced.
 */
import type { Finding } from '../core/types';

export interface Suppression {
  /** Lines (relative to the text scanned) the comment covers, inclusive. */
  fromLine: number;
  toLine: number;
  /** Rule ids; empty means all rules. */
  rules: string[];
}

/** `#` comments (YAML, HCL) and `//` comments (HCL). */
const DIRECTIVE = /(?:#|\/\/)\s*gitops-iac-(disable-next-line|disable-line|disable)\b([^\n]*)/;

export function parseSuppressions(text: string): Suppression[] {
  if (!text.includes('gitops-iac-disable')) return [];
  const suppressions: Suppression[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (!match) return;
    const rules = match[2].split(/[\s,]+/).filter((word) => word.includes('/'));
    if (match[1] === 'disable-next-line') suppressions.push({ fromLine: index + 1, toLine: index + 1, rules });
    else if (match[1] === 'disable-line') suppressions.push({ fromLine: index, toLine: index, rules });
    else suppressions.push({ fromLine: index, toLine: lines.length - 1, rules });
  });
  return suppressions;
}

/** A file that does not parse is not valid, whatever a comment says. */
const UNSUPPRESSIBLE = new Set(['yaml/syntax', 'tf/syntax', 'tf/template-syntax']);

export function isSuppressed(finding: Finding, suppressions: readonly Suppression[]): boolean {
  if (UNSUPPRESSIBLE.has(finding.rule)) return false;
  const line = finding.range.start.line;
  return suppressions.some((s) => line >= s.fromLine && line <= s.toLine && (s.rules.length === 0 || s.rules.includes(finding.rule)));
}
