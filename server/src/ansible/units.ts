/**
 * Splits a parsed playbook into its plays (a task file into its tasks), each as a file of its
 * own, so checks run per play and their findings are reused while the play's text is
 * unchanged: an edit in a 2,000-line playbook re-checks one play, not forty.
 */
import { shiftFinding, type Finding } from '../core/types';
import type { AnsibleFile } from './types';

export interface CheckUnit {
  /** The unit's text and column: equal keys give equal findings, relative to `line`. */
  key: string;
  /** Zero-based line where the unit starts. */
  line: number;
  /** The file reduced to this one play or task (its root is the play's or task's node). */
  file: AnsibleFile;
}

export function checkUnits(file: AnsibleFile): CheckUnit[] {
  const text = file.lines.text;
  const units: CheckUnit[] = [];
  const add = (node: { start: number; end: number }, part: Partial<AnsibleFile>): void => {
    const { line, character } = file.lines.positionAt(node.start);
    units.push({ key: `${character}\u0000${text.slice(node.start, node.end)}`, line, file: { ...file, plays: [], tasks: [], ...part } });
  };
  for (const play of file.plays) add(play.node, { root: play.node, plays: [play] });
  for (const task of file.tasks) add(task.node, { root: task.node, tasks: [task] });
  return units;
}

/** Findings made for a unit at `from`, moved to where the unit now starts. */
export function moveFindings(findings: readonly Finding[], from: number, to: number): Finding[] {
  return findings.map((finding) => shiftFinding(finding, to - from));
}
