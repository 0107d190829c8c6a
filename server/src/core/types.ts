/**
 * The vocabulary every engine speaks: positions, findings and fixes.
 * Deliberately independent of the LSP types so the core stays free of protocol imports;
 * the LSP shell and the CLI each translate these into their own output.
 */

/** Zero-based line and UTF-16 column, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A severity a user may pick for a rule, or `off` to silence it. */
export type RuleLevel = Severity | 'off';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A change that is certain to be right, offered as a quick fix. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  range: Range;
  severity: Severity;
  /** Stable id such as `yaml/syntax`, `k8s/schema`, `k8s/no-latest-tag`. */
  rule: string;
  message: string;
  fixes?: Fix[];
}

export function rangeOf(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

export function shiftRange(range: Range, lines: number): Range {
  if (lines === 0) return range;
  return {
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  };
}

export function shiftFinding(finding: Finding, lines: number): Finding {
  if (lines === 0) return finding;
  return {
    ...finding,
    range: shiftRange(finding.range, lines),
    fixes: finding.fixes?.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((edit) => ({ range: shiftRange(edit.range, lines), newText: edit.newText })),
    })),
  };
}
