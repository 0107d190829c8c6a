/**
 * The three output formats of `gitops-iac check`, as pure functions of the check result:
 * text for people, JSON for scripts (a contract: keys and their order never change) and
 * SARIF 2.1.0 for code-scanning services such as GitHub's.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../core/types';
import { describeRule } from '../engine/ruleCatalog';
import type { CheckResult } from './check';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ToolInfo {
  version: string;
  informationUri: string;
}

/** 1-based line and column of a finding's range, as every output format counts them. */
function oneBased(finding: Finding): { line: number; column: number; endLine: number; endColumn: number } {
  const { start, end } = finding.range;
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

// ANSI colours for the text format; used only when the caller says the terminal wants them.
const COLOURS: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', hint: '\u001b[2m' };
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/** `path:line:col: severity rule message` per finding, then a one-line summary. */
export function formatText(result: CheckResult, options: { color: boolean }): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${RESET}` : text);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  const lines: string[] = [];
  for (const file of result.files) {
    for (const finding of file.findings) {
      counts[finding.severity]++;
      const { line, column } = oneBased(finding);
      lines.push(`${paint(BOLD, `${file.displayPath}:${line}:${column}`)}: ${paint(COLOURS[finding.severity], finding.severity)} ${paint(DIM, finding.rule)} ${finding.message}`);
    }
  }
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning'), plural(counts.info, 'info')];
  if (counts.hint > 0) parts.push(plural(counts.hint, 'hint'));
  lines.push(`${parts.join(', ')} in ${plural(result.files.length, 'file')}`);
  return `${lines.join('\n')}\n`;
}

/** One entry of `--format json`: the contract CI scripts rely on (1-based positions). */
export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  rule: string;
  message: string;
}

/** Exactly `{"diagnostics":[{"file",...,"message"}]}`, one line, in this key order. */
export function formatJson(result: CheckResult): string {
  const diagnostics: JsonDiagnostic[] = result.files.flatMap((file) =>
    file.findings.map((finding) => ({
      file: file.displayPath,
      ...oneBased(finding),
      severity: finding.severity,
      rule: finding.rule,
      message: finding.message,
    })),
  );
  return `${JSON.stringify({ diagnostics })}\n`;
}

/** SARIF's words for a rule, from the rule catalogue; an id it does not know still gets a sentence. */
function sarifRuleText(id: string): { text: string; defaultSeverity?: Severity } {
  const rule = describeRule(id);
  return rule ? { text: rule.description, defaultSeverity: rule.defaultSeverity } : { text: `GitOps IaC rule ${id}.` };
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const SOURCE_ROOT = '%SRCROOT%';

/** A folder's `file://` URI with the trailing slash SARIF wants for a base URI. */
function folderUri(folder: string): string {
  const href = pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Where a file is, for SARIF: relative to `cwd` (the checkout root in CI) with forward
 * slashes and each segment percent-encoded, or an absolute `file://` URI when it lies
 * outside `cwd`.
 */
function artifactLocation(absolutePath: string, cwd: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(cwd, absolutePath);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return { uri: pathToFileURL(absolutePath).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

/** A SARIF 2.1.0 log with one run, the shape GitHub code scanning accepts. */
export function formatSarif(result: CheckResult, options: { cwd: string; tool: ToolInfo }): string {
  const ruleIds = [...new Set(result.files.flatMap((file) => file.findings.map((finding) => finding.rule)))].sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const rules = ruleIds.map((id) => {
    const { text, defaultSeverity } = sarifRuleText(id);
    return {
      id,
      shortDescription: { text },
      fullDescription: { text },
      help: { text },
      ...(defaultSeverity ? { defaultConfiguration: { level: SARIF_LEVEL[defaultSeverity] } } : {}),
    };
  });
  const results = result.files.flatMap((file) => {
    const location = artifactLocation(file.absolutePath, options.cwd);
    return file.findings.map((finding) => {
      const { line, column, endLine, endColumn } = oneBased(finding);
      // An empty or reversed range (a note about the whole file) becomes a point.
      const ordered = endLine > line || (endLine === line && endColumn >= column);
      return {
        ruleId: finding.rule,
        ruleIndex: ruleIndex.get(finding.rule)!,
        level: SARIF_LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: location,
              region: ordered ? { startLine: line, startColumn: column, endLine, endColumn } : { startLine: line, startColumn: column },
            },
          },
        ],
      };
    });
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitops-iac',
            informationUri: options.tool.informationUri,
            version: options.tool.version,
            rules,
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: folderUri(options.cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
