/**
 * A plain YAML file of a chart (Chart.yaml, a values file) parsed once: its first
 * document's tree and value, its syntax problems as findings, and ranges for paths.
 */
import type { Finding, Range } from '../core/types';
import { PROBLEM_SEVERITY } from '../kubernetes/section';
import type { YamlNode } from '../yaml/compose';
import type { LineIndex } from '../yaml/lines';
import { parseSection } from '../yaml/parse';
import { nodeAtPath, type PathSegment } from '../yaml/path';

export interface YamlFile {
  lines: LineIndex;
  root: YamlNode | null;
  /** The document's value; undefined when it is broken or empty. */
  value: unknown;
  problems: Finding[];
}

export function parseYamlFile(text: string): YamlFile {
  const parsed = parseSection(text);
  const document = parsed.documents[0];
  const problems = [...parsed.problems, ...parsed.documents.flatMap((d) => d.problems)].map(
    (problem): Finding => ({
      range: parsed.lines.rangeOf(problem.start, Math.max(problem.end, problem.start)),
      severity: PROBLEM_SEVERITY[problem.rule],
      rule: problem.rule,
      message: problem.message,
    }),
  );
  return { lines: parsed.lines, root: document?.root ?? null, value: document?.value, problems };
}

/** A node's range, cut to its first line: the rest of a block is noise. */
export function nodeRange(file: YamlFile, node: YamlNode): Range {
  const range = file.lines.rangeOf(node.start, node.end);
  if (range.end.line === range.start.line) return range;
  return { start: range.start, end: { line: range.start.line, character: file.lines.lineEnd(range.start.line) - file.lines.lineStart(range.start.line) } };
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Where to underline a path: its key or its value; the deepest existing ancestor when it is absent. */
export function pathRange(file: YamlFile, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Range {
  if (!file.root) return FILE_START;
  const found = nodeAtPath(file.root, path);
  if (at === 'key' && found.key) return nodeRange(file, found.key);
  if (!found.exact && found.key) return nodeRange(file, found.key);
  return nodeRange(file, found.node);
}
