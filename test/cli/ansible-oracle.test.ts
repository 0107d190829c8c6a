/**
 * The real Ansible tools as oracles for `gitops-iac check` on the corpus in
 * test/fixtures/ansible/ (a small project: playbooks, roles, inventory, requirements, vars).
 *
 * - `ansible-playbook --syntax-check` on every playbook, and on every task, handler and role
 *   meta file through a generated playbook that imports it; `ansible-inventory` (unparsed
 *   inventories failing) on inventories; `ansible-lint` on every file. A file they reject
 *   (syntax-check or ansible-inventory fails, or ansible-lint reports a syntax-check,
 *   load-failure, internal-error or schema finding on it) must get an error from us.
 * - A file we give a syntax or schema error (yaml/*, ansible/schema, ansible/task-action)
 *   must be rejected by them.
 * - Every ansible-lint finding of a rule we implement too (DUPLICATED_RULES of
 *   server/src/node/ansibleLint.ts) must be reported by us, with our rule, near its line
 *   (ansible-lint points at a task's first line, we at the key concerned).
 *
 * The agreement figures are printed as test diagnostics. Needs the bundles
 * (node scripts/build.mjs) and ansible-core + ansible-lint (bash scripts/install-ansible.sh).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { DUPLICATED_RULES, duplicateOf } from '../../server/src/node/ansibleLint';
import { findOnPath } from '../../server/src/node/findOnPath';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'ansible');
const missingTools = ['ansible-playbook', 'ansible-inventory', 'ansible-lint'].filter((tool) => !findOnPath(tool));
const skip = missingTools.length ? `not installed: ${missingTools.join(', ')} (bash scripts/install-ansible.sh)` : false;

/** Our rules that say a file is not valid Ansible (as opposed to advice or module arguments). */
const OUR_SYNTAX_RULES = /^(yaml\/|ansible\/schema$|ansible\/task-action$)/;
/** ansible-lint rules that say a file is not valid Ansible. */
const THEIR_SYNTAX_RULES = /^(syntax-check|load-failure|internal-error|parser-error|schema\[)/;
/** How far below ansible-lint's line (a task's first line) our finding may be (the key it concerns). */
const LINE_WINDOW = { before: 1, after: 6 };

type Kind = 'playbook' | 'tasks' | 'handlers' | 'role-meta' | 'inventory' | 'other';

function kindOf(file: string): Kind {
  if (file === 'site.yml' || file.startsWith('playbooks/')) return 'playbook';
  if (/^roles\/[^/]+\/tasks\//.test(file)) return 'tasks';
  if (/^roles\/[^/]+\/handlers\//.test(file)) return 'handlers';
  if (/^roles\/[^/]+\/meta\/main\.yml$/.test(file)) return 'role-meta';
  if (file.startsWith('inventory/')) return 'inventory';
  return 'other';
}

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Output> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Runs `jobs` two at a time (the machine has two cores). */
async function inPairs<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

function yamlFiles(folder: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...yamlFiles(folder, relative));
    else if (/\.ya?ml$/.test(entry.name)) files.push(relative);
  }
  return files.sort();
}

interface Verdicts {
  /** Files the tools reject, with their words. */
  rejected: Map<string, string>;
  /** ansible-lint findings (on files it does not reject). */
  lint: Array<{ file: string; line: number; rule: string }>;
}

/** `The error appears to be in '/abs/file': line 3` → that file, when it is in the corpus. */
function blamedFile(output: string, project: string, fallback: string): string {
  const match = /The error appears to be in '([^']+)'/.exec(output);
  if (!match?.[1]) return fallback;
  const relative = path.relative(project, match[1]).split(path.sep).join('/');
  return relative.startsWith('..') ? fallback : relative;
}

function firstError(output: string): string {
  return (/ERROR! ([^\n]*)/.exec(output)?.[1] ?? output.trim().split('\n')[0] ?? '').slice(0, 160);
}

/** A playbook that makes syntax-check read a task, handler or role meta file. */
function wrapperPlaybook(kind: Kind, absolute: string): string {
  const quoted = JSON.stringify(absolute);
  if (kind === 'tasks') return `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.import_tasks: ${quoted}\n`;
  if (kind === 'handlers') return `- hosts: localhost\n  gather_facts: false\n  handlers:\n    - ansible.builtin.import_tasks: ${quoted}\n`;
  return `- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: ${JSON.stringify(path.dirname(path.dirname(absolute)))}\n`;
}

async function syntaxVerdicts(project: string, files: string[], rejected: Map<string, string>): Promise<void> {
  const env = { ANSIBLE_CONFIG: path.join(project, 'ansible.cfg'), ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false' };
  const wrappers = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-oracle-wrappers-'));
  const jobs = files.map((file, index) => async (): Promise<void> => {
    const kind = kindOf(file);
    let output: Output;
    if (kind === 'playbook') output = await run('ansible-playbook', ['--syntax-check', file], project, env);
    else if (kind === 'tasks' || kind === 'handlers' || kind === 'role-meta') {
      const wrapper = path.join(wrappers, `wrapper-${index}.yml`);
      fs.writeFileSync(wrapper, wrapperPlaybook(kind, path.join(project, file)));
      output = await run('ansible-playbook', ['--syntax-check', wrapper], project, env);
    } else if (kind === 'inventory') {
      output = await run('ansible-inventory', ['-i', file, '--list'], project, { ...env, ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true', ANSIBLE_INVENTORY_ENABLED: 'yaml' });
    } else return;
    if (output.code === 0) return;
    const text = `${output.stdout}\n${output.stderr}`;
    const blamed = blamedFile(text, project, file);
    if (!rejected.has(blamed)) rejected.set(blamed, `${kind === 'inventory' ? 'ansible-inventory' : 'syntax-check'}: ${firstError(text)}`);
  });
  try {
    await inPairs(jobs);
  } finally {
    fs.rmSync(wrappers, { recursive: true, force: true });
  }
}

interface LintIssue {
  check_name: string;
  description?: string;
  location: { path: string; lines?: { begin: number | { line: number } }; positions?: { begin: { line: number } } };
}

function issueLine(issue: LintIssue): number {
  const begin = issue.location.lines?.begin ?? issue.location.positions?.begin;
  return typeof begin === 'number' ? begin : (begin?.line ?? 1);
}

/**
 * ansible-lint stops at its first profile when any file fails to load or pass syntax-check,
 * so those files are set aside and it is run again on the rest, until a run rejects nothing.
 */
async function lintVerdicts(project: string, files: string[], verdicts: Verdicts): Promise<void> {
  let remaining = files.filter((file) => !verdicts.rejected.has(file));
  for (let round = 0; round < 4 && remaining.length; round++) {
    const output = await run('ansible-lint', ['--offline', '--nocolor', '-f', 'codeclimate', ...remaining], project, { ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') });
    let issues: LintIssue[];
    try {
      issues = JSON.parse(output.stdout || '[]') as LintIssue[];
    } catch {
      throw new Error(`ansible-lint printed no JSON (exit ${output.code}): ${output.stderr.slice(-1500)}`);
    }
    const newlyRejected = issues.filter((issue) => THEIR_SYNTAX_RULES.test(issue.check_name));
    for (const issue of newlyRejected) {
      const file = issue.location.path;
      if (!verdicts.rejected.has(file)) verdicts.rejected.set(file, `ansible-lint ${issue.check_name}: ${(issue.description ?? '').slice(0, 160)}`);
    }
    const coreFailure = newlyRejected.some((issue) => !issue.check_name.startsWith('schema['));
    if (!coreFailure) {
      for (const issue of issues) if (!THEIR_SYNTAX_RULES.test(issue.check_name)) verdicts.lint.push({ file: issue.location.path, line: issueLine(issue), rule: issue.check_name });
      return;
    }
    remaining = remaining.filter((file) => !verdicts.rejected.has(file));
  }
}

describe('ansible oracle: gitops-iac check agrees with ansible-playbook --syntax-check and ansible-lint', { skip }, () => {
  let project: string;
  let files: string[];
  let ours: JsonDiagnostic[];
  const theirs: Verdicts = { rejected: new Map(), lint: [] };

  before(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-oracle-'));
    fs.cpSync(CORPUS, project, { recursive: true });
    files = yamlFiles(project);
    const checked = await run(process.execPath, [CLI, 'check', '--format', 'json', '.'], project);
    assert.ok(checked.code === 0 || checked.code === 1, `gitops-iac check failed (${checked.code}): ${checked.stderr}`);
    ours = (JSON.parse(checked.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    await syntaxVerdicts(project, files, theirs.rejected);
    await lintVerdicts(project, files, theirs);
  });

  after(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('has a corpus laid out like a real project, valid and invalid files', () => {
    assert.ok(files.length >= 25, `${files.length} YAML files`);
    for (const kind of ['playbook', 'tasks', 'handlers', 'role-meta', 'inventory', 'other'] as const) assert.ok(files.some((f) => kindOf(f) === kind), kind);
    assert.ok(theirs.rejected.size >= 8, `the tools reject ${theirs.rejected.size} files`);
    assert.ok(files.length - theirs.rejected.size >= 15, 'most files are valid');
  });

  it('flags with an error every file the tools reject, and gives syntax or schema errors only to files they reject', (t) => {
    const errorsIn = (file: string, rules = /./): JsonDiagnostic[] => ours.filter((d) => d.file === file && d.severity === 'error' && rules.test(d.rule));
    const missedFiles = [...theirs.rejected.keys()].filter((file) => errorsIn(file).length === 0);
    const ourSyntaxFiles = [...new Set(ours.filter((d) => d.severity === 'error' && OUR_SYNTAX_RULES.test(d.rule)).map((d) => d.file))];
    const extraFiles = ourSyntaxFiles.filter((file) => !theirs.rejected.has(file));
    const ourWords = (file: string): string => ours.filter((d) => d.file === file).map((d) => `${d.severity} ${d.rule}`).join(', ') || 'nothing';
    const missed = missedFiles.map((file) => `${file}: they say ${theirs.rejected.get(file)}; we report ${ourWords(file)}`);
    const extra = extraFiles.map((file) => `${file}: we say ${errorsIn(file, OUR_SYNTAX_RULES).map((d) => `${d.rule} (${d.message})`).join('; ')}; they accept it`);
    const agreed = files.length - missedFiles.length - extraFiles.length;
    t.diagnostic(`files: ${files.length}; rejected by the tools: ${theirs.rejected.size}; with a syntax/schema error from us: ${ourSyntaxFiles.length}; same verdict: ${agreed}/${files.length}`);
    for (const line of [...missed, ...extra]) t.diagnostic(`disagreement: ${line}`);
    assert.deepEqual({ missed, extra }, { missed: [], extra: [] });
  });

  it('reports every ansible-lint finding of a rule we implement too', (t) => {
    const inOurSet = theirs.lint.filter((issue) => duplicateOf(issue.rule));
    const unused = new Set(ours);
    const unmatched: string[] = [];
    for (const issue of inOurSet.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
      const rule = duplicateOf(issue.rule);
      const match = [...unused].find((d) => d.file === issue.file && d.rule === rule && d.line >= issue.line - LINE_WINDOW.before && d.line <= issue.line + LINE_WINDOW.after);
      if (match) unused.delete(match);
      else unmatched.push(`${issue.file}:${issue.line} ${issue.rule} (ours would be ${rule})`);
    }
    const ourRules = new Set([...DUPLICATED_RULES.values()].filter((rule) => !OUR_SYNTAX_RULES.test(rule)));
    const oursOnly = [...unused].filter((d) => ourRules.has(d.rule) && !theirs.rejected.has(d.file)).map((d) => `${d.file}:${d.line} ${d.rule}`);
    t.diagnostic(`ansible-lint findings: ${theirs.lint.length}, of rules we implement: ${inOurSet.length}, reported by us too: ${inOurSet.length - unmatched.length}`);
    t.diagnostic(`our findings of those rules that ansible-lint does not report: ${oursOnly.length}${oursOnly.length ? ` (${oursOnly.join(', ')})` : ''}`);
    for (const line of unmatched) t.diagnostic(`not reported by us: ${line}`);
    assert.ok(inOurSet.length >= 10, `only ${inOurSet.length} comparable findings`);
    assert.deepEqual(unmatched, []);
  });
});
