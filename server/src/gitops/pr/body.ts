/**
 * The body of a GitOps pull request: Summary (the files and their line counts), Validation
 * (our findings), Plan (markdown from the plan service) and Drift (what differed live when
 * the PR was made). Masked as a whole, and cut to the host's size limit, longest sections
 * first, with a note saying what was cut; never cut in the middle of a line or a code block.
 */
import type { DriftReport, DriftResource } from '../../drift/types';
import type { PrProvider, PrValidation } from '../../protocol';
import { maskValues } from './mask';

/** Characters a host accepts in a PR body: GitHub's documented 65,536; GitLab's 1,000,000. */
export const PR_BODY_LIMITS: Record<PrProvider, number> = { github: 65_536, gitlab: 1_000_000, compare: 65_536 };

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChangeSummary {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  status: ChangeStatus;
  added: number;
  removed: number;
  /** Git could not count lines (a binary file). */
  binary?: boolean;
}

export interface PrBodyInput {
  files: FileChangeSummary[];
  validation: PrValidation;
  draft: boolean;
  plan?: string;
  drift?: DriftReport;
  /** For a rollback: the commit this PR reverts. */
  reverts?: { sha: string; title: string };
  maxLength: number;
  /** Secret values and the token: replaced by `***` wherever they appear. */
  masked: Iterable<string>;
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function summarySection(input: PrBodyInput): string {
  const lines: string[] = [];
  if (input.reverts) lines.push(`Reverts ${input.reverts.sha.slice(0, 12)} (${input.reverts.title}).`, '');
  const added = input.files.reduce((sum, file) => sum + file.added, 0);
  const removed = input.files.reduce((sum, file) => sum + file.removed, 0);
  lines.push(`${plural(input.files.length, 'file')} changed (+${added} −${removed}):`, '');
  for (const file of input.files) {
    const counts = file.binary ? 'binary' : `+${file.added} −${file.removed}`;
    lines.push(`- ${code(file.path)} ${file.status}, ${counts}`);
  }
  return lines.join('\n');
}

function validationSection(input: PrBodyInput): string {
  const { validation } = input;
  const shown = validation.findings.filter((finding) => finding.severity === 'error' || finding.severity === 'warning');
  if (shown.length === 0) return `No problems found by GitOps IaC in the ${plural(input.files.length, 'changed file')}.`;
  const lines: string[] = [];
  if (validation.errors > 0) {
    lines.push(`**Validation failed: ${plural(validation.errors, 'error')}, ${plural(validation.warnings, 'warning')}.** ` +
      (input.draft ? 'This draft must not be merged until the errors are fixed.' : ''), '');
  } else lines.push(`No errors; ${plural(validation.warnings, 'warning')}.`, '');
  let currentPath: string | undefined;
  for (const finding of shown) {
    if (finding.path !== currentPath) {
      currentPath = finding.path;
      lines.push(`- ${code(finding.path)}`);
    }
    lines.push(`  - line ${finding.line}: **${finding.severity}** ${code(finding.rule)} ${finding.message.replace(/\s*\n\s*/g, ' ')}`);
  }
  return lines.join('\n').trimEnd();
}

const STATUS_ORDER = ['drifted', 'missing', 'unmanaged'] as const;

function resourceName(resource: DriftResource): string {
  if (!resource.kind) return resource.id;
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;
}

function driftSection(report: DriftReport): string {
  if (report.environments.length === 0) return 'No live environment was compared.';
  const lines: string[] = [];
  for (const environment of report.environments) {
    const heading = `**${environment.name}** (${environment.source}, as of ${environment.asOf})`;
    if (environment.error) {
      lines.push(`${heading}: could not be read: ${environment.error}`, '');
      continue;
    }
    const off = environment.resources.filter((resource) => resource.status !== 'in-sync');
    const inSync = environment.resources.length - off.length;
    if (off.length === 0) {
      lines.push(`${heading}: all ${plural(inSync, 'resource')} in sync.`, '');
      continue;
    }
    lines.push(`${heading}: ${plural(inSync, 'resource')} in sync, ${off.length} not:`, '');
    for (const status of STATUS_ORDER) {
      for (const resource of off.filter((each) => each.status === status)) {
        const approximate = resource.approximate ? ' (approximate)' : '';
        lines.push(`- ${status}${approximate} ${code(resourceName(resource))}`);
        for (const field of resource.fields) lines.push(`  - ${code(field.path)}: ${field.explanation}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

interface Section {
  heading: string;
  text: string;
}

const render = (section: Section): string => `## ${section.heading}\n\n${section.text}`;

/** Keeps whole lines of `text` within `budget` characters, closing a code block it would leave open. */
function cutSection(text: string, budget: number, limit: number): string {
  const kept = text.slice(0, Math.max(0, text.lastIndexOf('\n', Math.max(0, budget))));
  const fences = kept.split('\n').filter((line) => line.trimStart().startsWith('```')).length;
  const closed = fences % 2 === 1 ? `${kept}\n\`\`\`` : kept;
  const omitted = text.length - kept.length;
  return `${closed}\n\n_… ${omitted.toLocaleString('en-US')} more characters of this section are not shown: the host takes at most ${limit.toLocaleString('en-US')} characters in a PR body._`;
}

/** Room kept for the truncation note and a closing fence. */
const NOTE_ROOM = 200;

export function buildPrBody(input: PrBodyInput): string {
  const masked = [...input.masked];
  const sections: Section[] = [
    { heading: 'Summary', text: summarySection(input) },
    { heading: 'Validation', text: validationSection(input) },
  ];
  if (input.plan !== undefined && input.plan.trim() !== '') sections.push({ heading: 'Plan', text: input.plan.trim() });
  if (input.drift) sections.push({ heading: 'Drift', text: driftSection(input.drift) });
  const footer = '\n\n---\n_Opened with GitOps IaC: validated before review, applied only through this PR._';
  // Masked before measuring, since a mask changes the length.
  for (const section of sections) section.text = maskValues(section.text, masked);

  const join = (): string => sections.map(render).join('\n\n') + footer;
  let body = join();
  const truncated = new Set<Section>();
  while (body.length > input.maxLength && truncated.size < sections.length) {
    const longest = sections.filter((section) => !truncated.has(section)).reduce((a, b) => (b.text.length > a.text.length ? b : a));
    const excess = body.length - input.maxLength;
    longest.text = cutSection(longest.text, longest.text.length - excess - NOTE_ROOM, input.maxLength);
    truncated.add(longest);
    body = join();
  }
  // Only a limit smaller than the headings themselves gets here.
  return body.length > input.maxLength ? body.slice(0, input.maxLength) : body;
}
