/**
 * Places reports (a path under a node, key or value) on the text of an Ansible file.
 */
import type { Finding, Severity } from '../core/types';
import type { ResourceReport } from '../kubernetes/resource';
import type { YamlNode } from '../yaml/compose';
import { firstLineRange } from '../yaml/lines';
import { nodeAtPath } from '../yaml/path';
import type { AnsibleFile } from './types';

/** A report whose path starts at `base` (a play, task or document root), as a finding; replacements become fixes. */
export function placeReport(file: AnsibleFile, base: YamlNode, report: ResourceReport, rule: string, severity: Severity): Finding {
  const found = nodeAtPath(base, report.path);
  const node = report.at === 'key' && found.key ? found.key : found.node;
  const placed: Finding = { range: firstLineRange(file.lines, node.start, node.end), severity, rule, message: report.message };
  if (report.replacements && found.exact) {
    const range = file.lines.rangeOf(node.start, node.end);
    placed.fixes = report.replacements.map((replacement) => ({ title: replacement.title, edits: [{ range, newText: replacement.newText }] }));
  }
  return placed;
}
