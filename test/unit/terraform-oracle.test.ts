/**
 * Real Terraform as the oracle for the language checks: for each module under
 * test/fixtures/terraform/oracle, `terraform init -backend=false` and `terraform validate -json`
 * run on a copy, and every error Terraform reports (file and line) must be reported by us as an
 * error too. We may report more (plan-time errors, warnings). Modules named valid-* must pass
 * both. The few deliberate disagreements are listed below with their reason.
 *
 * Offline: providers come from a filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins)
 * through a CLI configuration written for the test. Skipped only when terraform is not on PATH;
 * modules that need the AWS provider are skipped when the mirror is missing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_FUNCTIONS } from '../../server/src/terraform/checks/functions';
import { TerraformWorkspace } from '../../server/src/terraform/workspace';
import { loadParser } from './terraform-helpers';

const ORACLE = resolve('test/fixtures/terraform/oracle');
const MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';

/**
 * Lines Terraform reports that we deliberately do not. HCL keeps reading after an unclosed
 * string as if the string went on, so it reports the next line as a second multi-line string;
 * we report the one string that is actually broken, once.
 */
const DISAGREEMENTS: Record<string, string[]> = {
  'err-syntax-string': ['main.tf:7'],
  'err-syntax-interpolation': ['main.tf:7'],
};

/** Errors Terraform reports without a position, and the rule we report them under instead. */
const UNPOSITIONED: Array<{ summary: RegExp; rule: string }> = [
  { summary: /^Cycle: /, rule: 'tf/reference-cycle' },
  { summary: /^Provider configuration not present/, rule: 'tf/undeclared-reference' },
];

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const terraform = which('terraform');

interface TerraformDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  range?: { filename: string; start: { line: number } };
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done) => {
    execFile(terraform!, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => done(stdout));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry.startsWith('.') ? [] : filesUnder(path);
    return /\.(tf|tfvars)$/.test(entry) ? [path] : [];
  });
}

/** The checks as the shells will run them: the module's files fed in, called modules read from disk. */
function ourErrors(dir: string): { lines: Set<string>; rules: Set<string> } {
  const workspace = new TerraformWorkspace({
    readModuleFolder: (uri) => {
      const folder = fileURLToPath(uri);
      if (!existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
      return readdirSync(folder).filter((f) => f.endsWith('.tf')).map((f) => ({ uri: pathToFileURL(join(folder, f)).href, text: readFileSync(join(folder, f), 'utf8') }));
    },
  });
  try {
    const files = readdirSync(dir).filter((f) => /\.(tf|tfvars)$/.test(f)).map((f) => join(dir, f));
    for (const file of files) workspace.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
    const lines = new Set<string>();
    const rules = new Set<string>();
    for (const file of files) {
      for (const finding of workspace.diagnose(pathToFileURL(file).href)) {
        if (finding.severity !== 'error') continue;
        lines.add(`${relative(dir, file)}:${finding.range.start.line + 1}`);
        rules.add(finding.rule);
      }
    }
    return { lines, rules };
  } finally {
    workspace.dispose();
  }
}

const cases = existsSync(ORACLE) ? readdirSync(ORACLE).filter((entry) => statSync(join(ORACLE, entry)).isDirectory()).sort() : [];
let work = '';
let env: NodeJS.ProcessEnv = {};

before(async () => {
  await loadParser();
  work = mkdtempSync(join(tmpdir(), 'tf-oracle-'));
  const config = join(work, 'terraform.rc');
  writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(MIRROR)}\n  }\n}\n`);
  env = { ...process.env, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('terraform validate as the oracle', { concurrency: 4 }, () => {
  it('has at least 20 modules, with and without errors', () => {
    assert.ok(cases.length >= 20, `only ${cases.length} oracle modules`);
    assert.ok(cases.some((c) => c.startsWith('valid-')) && cases.some((c) => c.startsWith('err-')));
  });

  for (const name of cases) {
    it(name, async (t) => {
      if (!terraform) {
        t.skip('terraform is not on PATH: install Terraform to compare the checks with terraform validate');
        return;
      }
      const source = join(ORACLE, name);
      const usesAws = filesUnder(source).some((file) => readFileSync(file, 'utf8').includes('hashicorp/aws'));
      if (usesAws && !existsSync(MIRROR)) {
        t.skip(`the AWS provider mirror ${MIRROR} is missing (set TF_PLUGIN_MIRROR)`);
        return;
      }
      const dir = join(work, name);
      cpSync(source, dir, { recursive: true });
      await run(['init', '-backend=false', '-input=false', '-no-color'], dir, env);
      const output = await run(['validate', '-json', '-no-color'], dir, env);
      const diagnostics = (JSON.parse(output) as { diagnostics: TerraformDiagnostic[] }).diagnostics;
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const ours = ourErrors(source);

      if (name.startsWith('valid-')) {
        assert.deepEqual(errors.map((e) => e.summary), [], 'terraform should accept this module');
        assert.deepEqual([...ours.lines], [], 'we should accept this module');
        return;
      }
      assert.ok(errors.length > 0, 'terraform should reject this module');
      const expectedMissing = new Set(DISAGREEMENTS[name] ?? []);
      const positioned = new Set(errors.filter((e) => e.range).map((e) => `${e.range!.filename}:${e.range!.start.line}`));
      for (const line of expectedMissing) assert.ok(positioned.has(line), `${line} is listed as a disagreement but terraform no longer reports it`);
      const missing = [...positioned].filter((line) => !ours.lines.has(line) && !expectedMissing.has(line));
      assert.deepEqual(missing, [], `terraform reports errors we do not: ${JSON.stringify(errors.filter((e) => e.range && missing.includes(`${e.range.filename}:${e.range.start.line}`)).map((e) => e.summary))}`);
      for (const error of errors.filter((e) => !e.range)) {
        const known = UNPOSITIONED.find((u) => u.summary.test(error.summary));
        assert.ok(known, `terraform reports an error without position we do not know: ${error.summary}`);
        assert.ok(ours.rules.has(known.rule), `terraform reports "${error.summary}"; we should report ${known.rule}`);
      }
    });
  }

  it('knows the functions of the installed Terraform', async (t) => {
    if (!terraform) {
      t.skip('terraform is not on PATH');
      return;
    }
    const output = await run(['metadata', 'functions', '-json'], work, env);
    const signatures = (JSON.parse(output) as { function_signatures: Record<string, { parameters?: unknown[]; variadic_parameter?: unknown }> }).function_signatures;
    const theirs = Object.entries(signatures)
      .filter(([name]) => !name.includes('::'))
      .map(([name, s]) => `${name}/${s.parameters?.length ?? 0}${s.variadic_parameter ? '+' : ''}`)
      .sort();
    const ours = Object.entries(BUILTIN_FUNCTIONS).map(([name, s]) => `${name}/${s.parameters}${s.variadic ? '+' : ''}`).sort();
    assert.deepEqual(ours, theirs);
  });
});
