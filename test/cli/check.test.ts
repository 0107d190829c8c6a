/**
 * The `gitops-iac` command line as a process: the bundled `server/out/cli.js`, run with
 * argument arrays on temporary copies of `test/fixtures/cli/`. Fixture folders keep their
 * ignore rules in files named `gitignore`, renamed to `.gitignore` in the copy, because a
 * real `.gitignore` in the repository would keep the very files it excludes out of git.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { CLI, runCli, type CliRun } from './runCli';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');
const JSON_KEYS = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'rule', 'message'];

function diagnosticsOf(result: CliRun): JsonDiagnostic[] {
  return (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

const temporaryFolders: string[] = [];

/** A fresh temporary folder, removed after the tests. */
function temporaryFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-cli-'));
  temporaryFolders.push(folder);
  return folder;
}

/** Renames every `gitignore` under `folder` to `.gitignore`. */
function activateGitignores(folder: string): void {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) activateGitignores(full);
    else if (entry.name === 'gitignore') fs.renameSync(full, path.join(folder, '.gitignore'));
  }
}

/** A temporary copy of the named fixture folders, side by side; returns the copy's root. */
function workspace(...fixtures: string[]): string {
  const root = temporaryFolder();
  for (const fixture of fixtures) fs.cpSync(path.join(FIXTURES, fixture), path.join(root, fixture), { recursive: true });
  activateGitignores(root);
  return root;
}

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const cliIsFresh = (): boolean => fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= newestMtime(path.join(ROOT, 'server', 'src'));

before(async () => {
  if (cliIsFresh()) return;
  const build = await new Promise<CliRun>((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? 1 : 0, stdout, stderr });
    });
  });
  // The build bundles the client, the server and the CLI side by side; what these tests
  // need is a CLI bundle at least as new as the sources.
  assert.ok(cliIsFresh(), `scripts/build.mjs did not produce a fresh server/out/cli.js:\n${build.stderr}`);
  if (build.code !== 0) console.warn(`scripts/build.mjs failed, but server/out/cli.js is fresh:\n${build.stderr}`);
});

after(() => {
  for (const folder of temporaryFolders) fs.rmSync(folder, { recursive: true, force: true });
});

describe('gitops-iac check: exit status and formats', () => {
  it('exits 0 on a clean folder, with only the summary line', async () => {
    const root = workspace('clean');
    const result = await runCli(['check', 'clean'], root);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '0 errors, 0 warnings, 0 infos in 2 files\n');
    assert.equal(result.stderr, '');
  });

  it('checks the current folder when no PATH is given', async () => {
    const root = workspace('clean');
    const result = await runCli(['check', '--format', 'json'], path.join(root, 'clean'));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '{"diagnostics":[]}\n');
  });

  it('exits 1 with errors and prints the exact JSON contract, 1-based', async () => {
    const root = workspace('errors');
    const result = await runCli(['check', '--format', 'json', 'errors'], root);
    assert.equal(result.code, 1, result.stderr);
    assert.ok(result.stdout.startsWith('{"diagnostics":[{"file":'), result.stdout);
    assert.equal(result.stdout.split('\n').length, 2, 'one line of JSON');
    assert.deepEqual(Object.keys(JSON.parse(result.stdout) as object), ['diagnostics']);
    const diagnostics = diagnosticsOf(result);
    for (const diagnostic of diagnostics) assert.deepEqual(Object.keys(diagnostic), JSON_KEYS);
    // `  replicas: "3"` is line 13; the value `"3"` spans columns 13 to 15.
    const schema = diagnostics.find((d) => d.rule === 'k8s/schema');
    assert.deepEqual(schema, {
      file: 'errors/replicas.yaml',
      line: 13,
      column: 13,
      endLine: 13,
      endColumn: 16,
      severity: 'error',
      rule: 'k8s/schema',
      message: schema?.message,
    });
    assert.match(schema.message, /replicas/);
    assert.ok(diagnostics.every((d) => d.line >= 1 && d.column >= 1));
  });

  it('prints files as given: relative to the cwd, or absolute when given absolute', async () => {
    const root = workspace('errors');
    const fromInside = diagnosticsOf(await runCli(['check', '--format', 'json'], path.join(root, 'errors')));
    assert.ok(fromInside.every((d) => d.file === 'replicas.yaml'));
    const dotted = diagnosticsOf(await runCli(['check', '--format', 'json', './errors/'], root));
    assert.ok(dotted.every((d) => d.file === 'errors/replicas.yaml' || d.file === path.join('errors', 'replicas.yaml')));
    const absolute = path.join(root, 'errors', 'replicas.yaml');
    const byAbsolutePath = diagnosticsOf(await runCli(['check', '--format', 'json', absolute], os.tmpdir()));
    assert.ok(byAbsolutePath.length > 0 && byAbsolutePath.every((d) => d.file === absolute));
  });

  it('prints text lines as path:line:col: severity rule message, then the summary', async () => {
    const root = workspace('errors');
    const result = await runCli(['check', 'errors'], root);
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^errors\/replicas\.yaml:13:13: error k8s\/schema .*replicas/);
    assert.equal(lines.at(-1), '1 error, 3 warnings, 1 info in 1 file');
    assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  });

  it('reports a CustomResourceDefinition found in the files before the resources that use it', async () => {
    const root = workspace('crd');
    const result = await runCli(['check', '--format', 'json', 'crd'], root);
    assert.equal(result.code, 1, result.stderr);
    const diagnostics = diagnosticsOf(result);
    assert.equal(diagnostics.length, 1, result.stdout);
    assert.equal(diagnostics[0].file, 'crd/a-widget.yaml');
    assert.equal(diagnostics[0].rule, 'k8s/schema');
    assert.equal(diagnostics[0].line, 6);
  });
});

describe('gitops-iac check: which files', () => {
  it('skips what .gitignore files exclude, with nested rules and negations, and node_modules', async () => {
    const root = workspace('ignored');
    const project = path.join(root, 'ignored');
    fs.mkdirSync(path.join(project, 'node_modules', 'dep'), { recursive: true });
    fs.copyFileSync(path.join(project, 'app.local.yaml'), path.join(project, 'node_modules', 'dep', 'bad.yaml'));
    const result = await runCli(['check', '--format', 'json'], project);
    assert.equal(result.code, 1, result.stderr);
    // Only the file a nested `!keep.tmp.yaml` re-includes is reported: generated/ (folder
    // rule), *.local.yaml, scratch.tmp.yaml, nested/bad-nested.yaml (nested rule) and
    // node_modules are all skipped.
    assert.deepEqual([...new Set(diagnosticsOf(result).map((d) => d.file))], ['nested/keep.tmp.yaml']);
    const text = await runCli(['check'], project);
    assert.match(text.stdout, / in 3 files\n$/, 'good.yaml, nested/keep.tmp.yaml, nested/ok.yaml');
  });

  it('applies the .gitignore files between the repository root and the PATH', async () => {
    const root = workspace('ignored');
    const project = path.join(root, 'ignored');
    const nested = path.join(project, 'nested');
    fs.copyFileSync(path.join(project, 'app.local.yaml'), path.join(nested, 'other.local.yaml'));
    // Outside a git work tree only the PATH's own .gitignore files count.
    const outside = diagnosticsOf(await runCli(['check', '--format', 'json'], nested));
    assert.deepEqual([...new Set(outside.map((d) => d.file))].sort(), ['keep.tmp.yaml', 'other.local.yaml']);
    // Once the project is a work tree, its root .gitignore (`*.local.yaml`) applies too.
    fs.mkdirSync(path.join(project, '.git'));
    const inside = diagnosticsOf(await runCli(['check', '--format', 'json'], nested));
    assert.deepEqual([...new Set(inside.map((d) => d.file))], ['keep.tmp.yaml']);
    // A folder that is itself excluded: nothing checked, and stderr says why.
    const excluded = await runCli(['check', 'generated'], project);
    assert.equal(excluded.code, 0);
    assert.match(excluded.stderr, /generated is excluded by a \.gitignore/);
    assert.match(excluded.stdout, / in 0 files\n$/);
  });

  it('checks a file given by name whatever its extension, but walks folders for YAML only', async () => {
    const root = workspace('explicit');
    const named = await runCli(['check', '--format', 'json', 'explicit/manifest.txt'], root);
    assert.equal(named.code, 1, named.stderr);
    const [diagnostic] = diagnosticsOf(named);
    assert.equal(diagnostic.file, 'explicit/manifest.txt');
    assert.equal(diagnostic.rule, 'k8s/schema');
    assert.equal(diagnostic.line, 5);
    const walked = await runCli(['check', 'explicit'], root);
    assert.equal(walked.code, 0);
    assert.equal(walked.stdout, '0 errors, 0 warnings, 0 infos in 0 files\n');
  });

  it('does not follow symbolic links to folders, so a link loop cannot hang the walk', { skip: process.platform === 'win32' }, async () => {
    const root = workspace('errors');
    fs.symlinkSync('.', path.join(root, 'errors', 'loop'));
    fs.symlinkSync(path.join(root, 'errors'), path.join(root, 'errors', 'elsewhere'));
    fs.symlinkSync('replicas.yaml', path.join(root, 'errors', 'linked.yaml'));
    const result = await runCli(['check', '--format', 'json', 'errors'], root);
    assert.equal(result.code, 1, result.stderr);
    const files = [...new Set(diagnosticsOf(result).map((d) => d.file))];
    // A link to a file is a file: it is checked under its own name.
    assert.deepEqual(files, ['errors/linked.yaml', 'errors/replicas.yaml']);
  });

  it('lists files in a stable, sorted order and each file once', async () => {
    const root = workspace('errors', 'explicit');
    fs.writeFileSync(path.join(root, 'errors', 'B.yaml'), fs.readFileSync(path.join(root, 'errors', 'replicas.yaml')));
    fs.mkdirSync(path.join(root, 'errors', 'a'));
    fs.writeFileSync(path.join(root, 'errors', 'a', 'z.yml'), fs.readFileSync(path.join(root, 'errors', 'replicas.yaml')));
    const args = ['check', '--format', 'json', 'errors', 'errors/replicas.yaml'];
    const first = await runCli(args, root);
    const files = [...new Set(diagnosticsOf(first).map((d) => d.file))];
    assert.deepEqual(files, ['errors/B.yaml', 'errors/a/z.yml', 'errors/replicas.yaml']);
    assert.equal((await runCli(args, root)).stdout, first.stdout);
  });
});

describe('gitops-iac check: file contents', () => {
  it('reports a file that is not UTF-8 with file/encoding at the first bad byte', async () => {
    const root = temporaryFolder();
    // Latin-1 "é" (0xE9) on line 4, after `  name: caf`.
    fs.writeFileSync(path.join(root, 'latin1.yaml'), Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'));
    const result = await runCli(['check', '--format', 'json'], root);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(diagnosticsOf(result), [
      {
        file: 'latin1.yaml',
        line: 4,
        column: 12,
        endLine: 4,
        endColumn: 13,
        severity: 'error',
        rule: 'file/encoding',
        message: 'File is not valid UTF-8 (first bad byte at line 4, column 12).',
      },
    ]);
  });

  it('counts columns in UTF-16 code units before the bad byte, as the editor does', async () => {
    const root = temporaryFolder();
    // An emoji (two UTF-16 units), then a lone surrogate encoded in UTF-8, which is invalid.
    fs.writeFileSync(path.join(root, 'emoji.yaml'), Buffer.concat([Buffer.from('a: \u{1F600} '), Buffer.from([0xed, 0xa0, 0x80, 0x0a])]));
    const [diagnostic] = diagnosticsOf(await runCli(['check', '--format', 'json'], root));
    assert.equal(diagnostic.rule, 'file/encoding');
    assert.deepEqual([diagnostic.line, diagnostic.column], [1, 7]);
  });

  it('notes a binary file instead of validating it, and exits 0', async () => {
    const root = temporaryFolder();
    fs.writeFileSync(path.join(root, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff]));
    const result = await runCli(['check', '--format', 'json', 'image.png'], root);
    assert.equal(result.code, 0, result.stderr);
    const [diagnostic] = diagnosticsOf(result);
    assert.equal(diagnostic.rule, 'file/skipped');
    assert.equal(diagnostic.severity, 'info');
    assert.match(diagnostic.message, /binary/);
  });

  it('reports API deprecations for the --kubernetes-version given', async () => {
    const root = workspace('deprecated');
    const rulesAt = async (version: string): Promise<{ rules: string[]; stderr: string }> => {
      const result = await runCli(['check', '--format', 'json', '--kubernetes-version', version, 'deprecated'], root);
      return { rules: diagnosticsOf(result).map((d) => `${d.severity} ${d.rule}`), stderr: result.stderr };
    };
    // policy/v1beta1 PodDisruptionBudget: deprecated in 1.21, removed in 1.25.
    const current = await rulesAt('1.36');
    assert.deepEqual(current.rules, ['error k8s/removed-api']);
    assert.equal(current.stderr, '');
    assert.deepEqual((await rulesAt('v1.36.2')).rules, ['error k8s/removed-api']);
    // Still served at 1.22 and 1.20, but not in the bundled 1.36 schemas: a note, never an error.
    assert.deepEqual((await rulesAt('1.22')).rules, ['warning k8s/deprecated-api', 'info k8s/unknown-kind']);
    const before = await rulesAt('1.20');
    assert.deepEqual(before.rules, ['info k8s/unknown-kind']);
    // Only some versions have bundled schemas; the fallback is said on stderr.
    assert.match(before.stderr, /No schemas for Kubernetes 1\.20 are bundled/);
  });

  it('checks Terraform against the --terraform-version given', async () => {
    const root = temporaryFolder();
    fs.writeFileSync(path.join(root, 'main.tf'), 'output "x" {\n  value = templatestring("a", {})\n}\n');
    const rulesAt = async (version: string): Promise<string[]> => diagnosticsOf(await runCli(['check', '--format', 'json', '--terraform-version', version, '.'], root)).map((d) => `${d.rule} ${d.message}`);
    // templatestring arrived in Terraform 1.9.
    assert.deepEqual(await rulesAt('1.8'), ['tf/function-call There is no function "templatestring". It needs Terraform 1.9 or later (the target is 1.8).']);
    assert.deepEqual(await rulesAt('v1.11.4'), []);
  });
});

describe('gitops-iac check --format sarif', () => {
  it('writes a SARIF 2.1.0 log that code scanning accepts', async () => {
    const root = workspace('errors', 'deprecated');
    fs.writeFileSync(path.join(root, 'blob.bin'), Buffer.from([0, 1, 2, 3]));
    const result = await runCli(['check', '--format', 'sarif', 'errors', 'deprecated', 'blob.bin'], root);
    assert.equal(result.code, 1, result.stderr);
    const log = JSON.parse(result.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.runs.length, 1);
    const [runLog] = log.runs;
    const { driver } = runLog.tool;
    assert.equal(driver.name, 'gitops-iac');
    const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(driver.version, packageJson.version);
    assert.match(driver.informationUri, /^https:\/\//);
    assert.match(runLog.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);

    const ruleIds = driver.rules.map((rule: { id: string }) => rule.id);
    assert.equal(new Set(ruleIds).size, ruleIds.length, 'each rule once');
    for (const rule of driver.rules) assert.ok(rule.shortDescription.text.length > 0, rule.id);
    const missingResources = driver.rules.find((rule: { id: string }) => rule.id === 'k8s/missing-resources');
    assert.match(missingResources.shortDescription.text, /requests/, 'descriptions come from ruleMeta');

    assert.ok(runLog.results.length >= 4);
    for (const found of runLog.results) {
      assert.equal(driver.rules[found.ruleIndex].id, found.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(found.level), found.level);
      assert.ok(found.message.text.length > 0);
      const { artifactLocation, region } = found.locations[0].physicalLocation;
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
      assert.doesNotMatch(artifactLocation.uri, /\\|^\//);
      assert.ok(region.startLine >= 1 && region.startColumn >= 1, JSON.stringify(region));
      if (region.endLine !== undefined) assert.ok(region.endLine > region.startLine || (region.endLine === region.startLine && region.endColumn >= region.startColumn));
    }
    const schema = runLog.results.find((r: { ruleId: string }) => r.ruleId === 'k8s/schema');
    assert.equal(schema.level, 'error');
    assert.equal(schema.locations[0].physicalLocation.artifactLocation.uri, 'errors/replicas.yaml');
    assert.deepEqual(schema.locations[0].physicalLocation.region, { startLine: 13, startColumn: 13, endLine: 13, endColumn: 16 });
    const binary = runLog.results.find((r: { ruleId: string }) => r.ruleId === 'file/skipped');
    assert.equal(binary.level, 'note', 'info becomes note');
    assert.equal(binary.locations[0].physicalLocation.region.startLine, 1);
    assert.ok(runLog.results.some((r: { level: string }) => r.level === 'warning'));
  });

  it('validates against the official SARIF 2.1.0 schema', async () => {
    // @microsoft/jest-sarif (a devDependency) ships the OASIS schema (draft-04).
    const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', { paths: [ROOT] });
    const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    // ajv speaks draft-07: drop the draft-04 markers, and compile the schema's patterns
    // without the `u` flag, which one of them does not survive.
    delete schema.$schema;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: Object.assign((pattern: string) => new RegExp(pattern), { code: 'RegExp' }) } });
    const validate = ajv.compile(schema);
    const root = workspace('errors', 'deprecated');
    const log = JSON.parse((await runCli(['check', '--format', 'sarif', 'errors', 'deprecated'], root)).stdout) as unknown;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  it('percent-encodes file names in artifact URIs', async () => {
    const root = workspace('errors');
    fs.renameSync(path.join(root, 'errors'), path.join(root, 'my errors#1'));
    const log = JSON.parse((await runCli(['check', '--format', 'sarif'], root)).stdout);
    assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20errors%231/replicas.yaml');
  });

  it('writes an empty results array when nothing is found', async () => {
    const root = workspace('clean');
    const result = await runCli(['check', '--format', 'sarif', 'clean'], root);
    assert.equal(result.code, 0);
    const log = JSON.parse(result.stdout);
    assert.deepEqual(log.runs[0].results, []);
    assert.deepEqual(log.runs[0].tool.driver.rules, []);
  });
});

describe('gitops-iac: usage and failures', () => {
  const usageCases: [string, string[], RegExp][] = [
    ['an unknown format', ['check', '--format', 'xml'], /--format must be one of text, json, sarif/],
    ['an unknown option', ['check', '--colour'], /unknown option --colour/],
    ['an option without its value', ['check', '--format'], /--format needs a value/],
    ['a bad Kubernetes version', ['check', '--kubernetes-version', 'latest'], /--kubernetes-version must be a version/],
    ['a bad Terraform version', ['check', '--terraform-version', 'latest'], /--terraform-version must be a version such as 1\.11/],
    ['no command', [], /no command given/],
    ['an unknown command', ['lint', '.'], /unknown command "lint"/],
  ];
  for (const [name, args, message] of usageCases) {
    it(`exits 2 on ${name}`, async () => {
      const result = await runCli(args, temporaryFolder());
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /gitops-iac --help/);
      assert.equal(result.stdout, '');
    });
  }

  it('exits 2 when a PATH does not exist, checking nothing', async () => {
    const root = workspace('errors');
    const result = await runCli(['check', 'errors', 'no-such-folder'], root);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no-such-folder: no such file or folder/);
    assert.equal(result.stdout, '');
  });

  it('prints help and the version, exiting 0', async () => {
    const help = await runCli(['check', '--help'], ROOT);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: gitops-iac check/);
    assert.equal((await runCli(['check', '-h'], ROOT)).code, 0);
    const version = await runCli(['--version'], ROOT);
    const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout, `${packageJson.version}\n`);
  });

  it('reports an internal failure in one line on stderr and exits 2; GITOPS_IAC_DEBUG=1 shows the stack', async () => {
    // A copy of the CLI beside a broken schemas/index.json.
    const root = temporaryFolder();
    fs.mkdirSync(path.join(root, 'server', 'out'), { recursive: true });
    fs.mkdirSync(path.join(root, 'schemas'));
    // The CLI as installed: the bundle with the Terraform parser's .wasm files beside it.
    for (const name of ['cli.js', 'tree-sitter.wasm', 'tree-sitter-terraform.wasm']) {
      fs.copyFileSync(path.join(path.dirname(CLI), name), path.join(root, 'server', 'out', name));
    }
    fs.writeFileSync(path.join(root, 'schemas', 'index.json'), '{ broken');
    fs.writeFileSync(path.join(root, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const broken = (env: NodeJS.ProcessEnv): Promise<CliRun> =>
      new Promise((resolve) => {
        execFile(process.execPath, [path.join(root, 'server', 'out', 'cli.js'), 'check', 'a.yaml'], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
        });
      });
    const quiet = await broken({ GITOPS_IAC_DEBUG: '' });
    assert.equal(quiet.code, 2);
    assert.equal(quiet.stderr.trimEnd().split('\n').length, 1, quiet.stderr);
    assert.match(quiet.stderr, /^gitops-iac: internal error: .*JSON/);
    const debug = await broken({ GITOPS_IAC_DEBUG: '1' });
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /\n\s+at /, 'a stack trace');
  });

  it('says plainly when the bundled schemas cannot be found', async () => {
    const root = temporaryFolder();
    fs.mkdirSync(path.join(root, 'out'));
    fs.copyFileSync(CLI, path.join(root, 'out', 'cli.js'));
    fs.writeFileSync(path.join(root, 'a.yaml'), 'a: 1\n');
    const result = await new Promise<CliRun>((resolve) => {
      execFile(process.execPath, [path.join(root, 'out', 'cli.js'), 'check', 'a.yaml'], { cwd: root }, (error, stdout, stderr) => {
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      });
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^gitops-iac: cannot find the bundled schemas/);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  });
});
