/**
 * The real ansible-lint, on save (`gitopsIac.ansible.lint.onSave`, trusted workspaces only).
 *
 * ansible-lint takes seconds, so it never runs while typing: a save starts it on that one file
 * (execFile, an argument array, the workspace folder as cwd, killed after a timeout), its
 * findings are kept for the file until the next edit, and the caller republishes. One run per
 * file: a newer save kills the older run, whose output is then dropped. Findings of rules
 * GitOps IaC implements itself are left out (DUPLICATED_RULES), so nothing is reported twice.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, Severity } from '../core/types';
import type { Settings } from '../settings';

/**
 * ansible-lint rules (a `rule` or `rule[tag]` id, or a `rule[` prefix for every tag) that
 * GitOps IaC reports itself, mapped to the rule id that reports it (`yaml/syntax` for files
 * that do not load).
 */
export const DUPLICATED_RULES: ReadonlyMap<string, string> = new Map([
  ['fqcn[', 'ansible/fqcn'],
  ['name[missing]', 'ansible/name'],
  ['name[play]', 'ansible/name'],
  ['no-changed-when', 'ansible/no-changed-when'],
  ['risky-octal', 'ansible/risky-octal'],
  ['package-latest', 'ansible/package-latest'],
  ['literal-compare', 'ansible/literal-compare'],
  ['command-instead-of-module', 'ansible/command-instead-of-module'],
  ['command-instead-of-shell', 'ansible/command-instead-of-shell'],
  ['name[casing]', 'ansible/name-casing'],
  ['no-jinja-when', 'ansible/no-jinja-when'],
  ['args[', 'ansible/module-arguments'],
  ['jinja[invalid]', 'ansible/jinja-syntax'],
  ['schema[', 'ansible/schema'],
  ['syntax-check', 'ansible/schema'],
  ['load-failure', 'yaml/syntax'],
  ['parser-error', 'yaml/syntax'],
]);

/** Our rule id for an ansible-lint rule we implement too, or undefined. */
export function duplicateOf(ansibleLintRule: string): string | undefined {
  const bracket = ansibleLintRule.indexOf('[');
  return DUPLICATED_RULES.get(ansibleLintRule) ?? (bracket > 0 ? DUPLICATED_RULES.get(ansibleLintRule.slice(0, bracket + 1)) : undefined);
}

/** One issue of `ansible-lint -f codeclimate`, as far as we use it. */
export interface AnsibleLintIssue {
  rule: string;
  message: string;
  /** The file, as ansible-lint printed it (relative to its cwd). */
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, when ansible-lint knows it. */
  column?: number;
  level: 'error' | 'warning';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `ansible-lint -f codeclimate` output → issues (anything unrecognisable is skipped). */
export function parseAnsibleLintOutput(stdout: string): AnsibleLintIssue[] | string {
  let value: unknown;
  try {
    value = JSON.parse(stdout.trim() || '[]');
  } catch (error) {
    return `ansible-lint printed something that is not JSON (${(error as Error).message})`;
  }
  if (!Array.isArray(value)) return 'ansible-lint printed JSON that is not a list of issues';
  const issues: AnsibleLintIssue[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.check_name !== 'string' || !isRecord(item.location)) continue;
    const { location } = item;
    const begin = isRecord(location.lines) ? location.lines.begin : isRecord(location.positions) && isRecord(location.positions.begin) ? location.positions.begin : undefined;
    const line = typeof begin === 'number' ? begin : isRecord(begin) && typeof begin.line === 'number' ? begin.line : 1;
    const column = isRecord(begin) && typeof begin.column === 'number' ? begin.column : undefined;
    const body = isRecord(item.content) && typeof item.content.body === 'string' ? item.content.body : '';
    // Descriptions are written for rich's console markup, which escapes brackets: `\\[false, true]`.
    const description = typeof item.description === 'string' ? item.description.replace(/\\\[/g, '[') : item.check_name;
    issues.push({
      rule: item.check_name,
      message: body && !body.startsWith('Task/Handler:') ? `${description} ${body}` : description,
      path: typeof location.path === 'string' ? location.path : '',
      line: Math.max(1, line),
      column,
      level: item.level === 'warning' || item.severity === 'minor' || item.severity === 'info' ? 'warning' : 'error',
    });
  }
  return issues;
}

/**
 * Issues of one file → findings (`ansible-lint/<rule>`), leaving out the rules we report
 * ourselves. ansible-lint gives a line (rarely a column): the finding underlines that line's
 * text, from its first non-blank character or the column.
 */
export function ansibleLintFindings(issues: AnsibleLintIssue[], fileText: string): Finding[] {
  const lines = fileText.split(/\r?\n/);
  const findings: Finding[] = [];
  for (const issue of issues) {
    if (duplicateOf(issue.rule)) continue;
    const lineIndex = Math.min(issue.line, Math.max(lines.length, 1)) - 1;
    const text = lines[lineIndex] ?? '';
    const firstNonBlank = text.length - text.trimStart().length;
    const start = issue.column !== undefined ? Math.min(issue.column - 1, text.length) : firstNonBlank;
    const end = Math.max(start, text.trimEnd().length);
    // ansible-lint's "errors" fail its run; next to our own checks they are advice, like our lint rules.
    const severity: Severity = issue.rule === 'internal-error' ? 'error' : 'warning';
    findings.push({
      range: { start: { line: lineIndex, character: start }, end: { line: lineIndex, character: end } },
      severity,
      rule: `ansible-lint/${issue.rule}`,
      message: issue.message,
    });
  }
  return findings;
}

export type AnsibleLintResult =
  | { kind: 'linted'; issues: AnsibleLintIssue[] }
  | { kind: 'failed'; reason: string }
  /** ansible-lint could not be started (not installed, not executable), timed out or was replaced by a newer run. */
  | { kind: 'unavailable'; reason: string }
  | { kind: 'cancelled' };

export interface AnsibleLintRun {
  result: Promise<AnsibleLintResult>;
  /** Kills the run; its result becomes `cancelled`. */
  cancel(): void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** Runs `ansible-lint --offline -f codeclimate <file>` in `cwd`. Exit status 2 means issues were found. */
export function runAnsibleLint(executable: string, file: string, cwd: string, timeoutMs = DEFAULT_TIMEOUT_MS): AnsibleLintRun {
  let cancelled = false;
  let child: ChildProcess | undefined;
  const env = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' };
  const result = new Promise<AnsibleLintResult>((resolve) => {
    child = execFile(
      executable,
      ['--offline', '--nocolor', '-f', 'codeclimate', file],
      { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (cancelled) return resolve({ kind: 'cancelled' });
        // execFile's error has the errno name (ENOENT) or the exit status in `code`.
        const failure = error as (Omit<NodeJS.ErrnoException, 'code'> & { killed?: boolean; code?: string | number }) | null;
        if (failure?.code === 'ENOENT' || failure?.code === 'EACCES') {
          return resolve({ kind: 'unavailable', reason: `cannot run "${executable}" (${failure.code}); set gitopsIac.ansible.lint.path to the ansible-lint executable` });
        }
        if (failure?.killed) return resolve({ kind: 'unavailable', reason: `ansible-lint did not finish within ${timeoutMs / 1000} s` });
        if (failure && failure.code !== 2) return resolve({ kind: 'failed', reason: lastLines(stderr) || failure.message });
        const issues = parseAnsibleLintOutput(stdout);
        resolve(typeof issues === 'string' ? { kind: 'failed', reason: `${issues}; stderr: ${lastLines(stderr)}` } : { kind: 'linted', issues });
      },
    );
  });
  return {
    result,
    cancel() {
      cancelled = true;
      child?.kill('SIGKILL');
    },
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').slice(0, 600);
}

export interface AnsibleLintOnSaveContext {
  settings(): Settings;
  trusted: boolean;
  /** The folder to run ansible-lint in (the workspace folder holding the file), from the file's path. */
  cwdFor(file: string): string;
  log(message: string): void;
  /** Republishes a file's diagnostics. */
  publish(uri: string): void;
  /** Overrides the run (tests); runAnsibleLint by default. */
  run?: typeof runAnsibleLint;
}

/** ansible-lint after saves: one run per file, the newest wins; findings kept until the file is edited. */
export class AnsibleLintOnSave {
  private readonly findings = new Map<string, Finding[]>();
  private readonly runs = new Map<string, AnsibleLintRun>();
  private unavailableReported = false;

  constructor(private readonly context: AnsibleLintOnSaveContext) {}

  /** The findings of the last finished run on this file, after the rule levels of the settings. */
  findingsFor(uri: string): Finding[] {
    const levels = this.context.settings().rules;
    const result: Finding[] = [];
    for (const finding of this.findings.get(uri) ?? []) {
      const level = levels[finding.rule];
      if (level !== 'off') result.push(level ? { ...finding, severity: level } : finding);
    }
    return result;
  }

  /** Lints a saved Ansible file (whose text on disk is `text`), when the setting is on and the workspace trusted. */
  async fileSaved(uri: string, text: string): Promise<void> {
    const { settings, trusted, cwdFor, log, publish } = this.context;
    if (!settings().ansible.lint.onSave || !trusted || !uri.startsWith('file:')) return;
    const file = fileURLToPathSafe(uri);
    if (!file) return;
    this.runs.get(uri)?.cancel();
    const run = (this.context.run ?? runAnsibleLint)(settings().ansible.lint.path, file, cwdFor(file));
    this.runs.set(uri, run);
    const started = performance.now();
    const result = await run.result;
    if (this.runs.get(uri) !== run) return;
    this.runs.delete(uri);
    if (result.kind === 'cancelled') return;
    if (result.kind === 'unavailable') {
      // Said once: a missing ansible-lint is a setup matter, not news on every save.
      if (!this.unavailableReported) log(`ansible-lint is not run: ${result.reason}.`);
      this.unavailableReported = true;
      return;
    }
    if (result.kind === 'failed') {
      log(`ansible-lint failed on ${file}: ${result.reason}`);
      return;
    }
    const own = result.issues.filter((issue) => path.resolve(cwdFor(file), issue.path) === file);
    this.findings.set(uri, ansibleLintFindings(own, text));
    log(`ansible-lint checked ${file} in ${Math.round(performance.now() - started)} ms: ${own.length} issue(s).`);
    publish(uri);
  }

  /**
   * The file changed: its ansible-lint findings no longer match its lines, and a running lint
   * is out of date. Nothing is published: the validation of the edit publishes without them.
   */
  fileEdited(uri: string): void {
    this.runs.get(uri)?.cancel();
    this.runs.delete(uri);
    this.findings.delete(uri);
  }

  /** The setting was turned off: every ansible-lint finding goes. */
  settingsChanged(): void {
    if (this.context.settings().ansible.lint.onSave) return;
    for (const run of this.runs.values()) run.cancel();
    this.runs.clear();
    const uris = [...this.findings.keys()];
    this.findings.clear();
    for (const uri of uris) this.context.publish(uri);
  }
}

function fileURLToPathSafe(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
