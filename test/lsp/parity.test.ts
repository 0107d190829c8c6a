/**
 * The editor and the CLI report identical diagnostics for the same file and settings: every
 * YAML and Terraform file under examples/ is opened through the language server (with
 * examples/ as the workspace) and checked by `gitops-iac check --format json`, and the two
 * lists must match exactly, once LSP's 0-based positions and numeric severities are put in
 * the CLI's terms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, REPO_ROOT } from './lspClient';
import type { JsonDiagnostic } from '../../server/src/cli/format';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const CLI = path.join(REPO_ROOT, 'server', 'out', 'cli.js');

/** One diagnostic, in the CLI's JSON terms (1-based, severity as a word), without `file`. */
type Row = Omit<JsonDiagnostic, 'file' | 'severity'> & { severity: string };
type CliDiagnostic = JsonDiagnostic;

const SEVERITY_NAMES: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function fromLsp(diagnostic: Diagnostic): Row {
  const { start, end } = diagnostic.range;
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: SEVERITY_NAMES[diagnostic.severity ?? 0] ?? `severity ${String(diagnostic.severity)}`,
    rule: String(diagnostic.code),
    // The CLI prints plain text; a markup message would be a difference in itself.
    message: typeof diagnostic.message === 'string' ? diagnostic.message : `(${diagnostic.message.kind}) ${diagnostic.message.value}`,
  };
}

function fromCli({ line, column, endLine, endColumn, severity, rule, message }: CliDiagnostic): Row {
  return { line, column, endLine, endColumn, severity, rule, message };
}

/** Every file the CLI walks (*.yaml, *.yml, *.tf, *.tfvars) under `folder`, as paths relative to it with forward slashes, sorted. */
function checkedFilesUnder(folder: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...checkedFilesUnder(folder, relative));
    else if (entry.isFile() && /\.(ya?ml|tf|tfvars)$/i.test(entry.name)) found.push(relative);
  }
  return found.sort();
}

/** `gitops-iac check --format json .` run inside `folder`; the exit code is 0 or 1 either way. */
function runCli(folder: string): Promise<{ code: number; diagnostics: CliDiagnostic[]; stderr: string }> {
  const env = { ...process.env };
  delete env.GITOPS_IAC_DEBUG;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'check', '--format', 'json', '.'], { cwd: folder, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      try {
        resolve({ code, diagnostics: (JSON.parse(stdout) as { diagnostics: CliDiagnostic[] }).diagnostics, stderr });
      } catch (parseError) {
        reject(new Error(`the CLI printed no JSON (exit ${code}): ${String(parseError)}\n${stderr}`));
      }
    });
  });
}

describe('parity of the editor and the CLI on examples/', () => {
  const files = checkedFilesUnder(EXAMPLES);
  const editor = new Map<string, Row[]>();
  const cli = new Map<string, Row[]>();
  let client: LspClient;

  before(async () => {
    const checked = await runCli(EXAMPLES);
    assert.ok(checked.code === 0 || checked.code === 1, `the CLI failed (exit ${checked.code}): ${checked.stderr}`);
    assert.equal(checked.stderr, '', 'the CLI has nothing to say on stderr with the default settings');
    for (const file of files) cli.set(file, []);
    for (const diagnostic of checked.diagnostics) {
      const rows = cli.get(diagnostic.file);
      assert.ok(rows, `the CLI reported a file the walk did not find: ${diagnostic.file}`);
      rows.push(fromCli(diagnostic));
    }

    client = await LspClient.start({ workspaceFolder: EXAMPLES });
    await client.ready();
    const uris = files.map((file) => pathToFileURL(path.join(EXAMPLES, file)).href);
    files.forEach((file, i) => client.open(uris[i], readFileSync(path.join(EXAMPLES, file), 'utf8'), 1));
    for (const [i, file] of files.entries()) editor.set(file, (await client.diagnosticsFor(uris[i], 1)).map(fromLsp));
  });
  after(() => client?.stop());

  it('finds the example files, and the CLI checks the same ones', () => {
    assert.ok(files.length >= 5, `only ${files.length} YAML and Terraform files under examples/`);
    assert.ok(files.includes('apps/worker/deployment.yaml'));
    assert.ok(files.includes('terraform/main.tf'));
  });

  it('has something to compare: the examples produce diagnostics of several rules and severities', () => {
    const rows = [...cli.values()].flat();
    assert.ok(new Set(rows.map((row) => row.rule)).size >= 5, rows.map((row) => row.rule).join());
    assert.ok(new Set(rows.map((row) => row.severity)).size >= 2, rows.map((row) => row.severity).join());
  });

  for (const file of files) {
    it(`reports the same diagnostics for ${file}`, () => {
      assert.deepEqual(editor.get(file), cli.get(file));
    });
  }

  it('keeps reporting the same once the server has refreshed the other open documents', async () => {
    // Opening one document makes the server re-publish the others a little later; those
    // re-published lists must still be the CLI's.
    await new Promise((resolve) => setTimeout(resolve, 800));
    for (const file of files) {
      const uri = pathToFileURL(path.join(EXAMPLES, file)).href;
      const latest = client.published.findLast((p) => p.uri === uri);
      assert.ok(latest, `nothing published for ${file}`);
      assert.deepEqual(latest.diagnostics.map(fromLsp), cli.get(file), file);
    }
  });
});
