/**
 * A unified diff of two texts, as `ansible-playbook --diff` prints it with its default
 * callback: the JSON callback gives only the two texts, and people read a change to a file
 * best as the lines that differ with a little context.
 */

/** Past this many lines on both sides the line-by-line table gets too big to build; the diff then says so. */
const MAX_LINES = 4000;
const CONTEXT_LINES = 3;

type Line = { kind: ' ' | '-' | '+'; text: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script from the longest common subsequence of lines; a removed line comes before the line that replaces it, as diff prints them. */
function editScript(before: string[], after: string[]): Line[] {
  const n = before.length;
  const m = after.length;
  // common[i][j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) common[i][j] = before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
  }
  const script: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      script.push({ kind: ' ', text: before[i++] });
      j++;
    } else if (i < n && (j === m || common[i + 1][j] >= common[i][j + 1])) script.push({ kind: '-', text: before[i++] });
    else script.push({ kind: '+', text: after[j++] });
  }
  return script;
}

/** `--- before` / `+++ after` and hunks with three lines of context; empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, beforeLabel: string, afterLabel: string): string {
  if (before === after) return '';
  const beforeLines = splitLines(before);
  const afterLines = splitLines(after);
  const header = `--- ${beforeLabel}\n+++ ${afterLabel}\n`;
  if (beforeLines.length + afterLines.length > MAX_LINES) return `${header}(${beforeLines.length} lines before, ${afterLines.length} after: too long to compare line by line)\n`;
  const script = editScript(beforeLines, afterLines);
  const changed = script.map((line, index) => (line.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  let text = header;
  let cursor = 0;
  while (cursor < changed.length) {
    const start = Math.max(0, changed[cursor] - CONTEXT_LINES);
    let end = changed[cursor];
    // A hunk goes on while the next change is close enough for the contexts to touch.
    while (cursor + 1 < changed.length && changed[cursor + 1] - end <= 2 * CONTEXT_LINES) end = changed[++cursor];
    cursor++;
    const last = Math.min(script.length - 1, end + CONTEXT_LINES);
    const hunk = script.slice(start, last + 1);
    const oldStart = script.slice(0, start).filter((line) => line.kind !== '+').length;
    const newStart = script.slice(0, start).filter((line) => line.kind !== '-').length;
    const oldCount = hunk.filter((line) => line.kind !== '+').length;
    const newCount = hunk.filter((line) => line.kind !== '-').length;
    text += `@@ -${oldStart + (oldCount > 0 ? 1 : 0)},${oldCount} +${newStart + (newCount > 0 ? 1 : 0)},${newCount} @@\n`;
    text += hunk.map((line) => `${line.kind}${line.text}\n`).join('');
  }
  return text;
}
