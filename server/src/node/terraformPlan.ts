/**
 * Runs `terraform plan` for one module folder and reads the saved plan back with
 * `terraform show -json`: what would change if the configuration were applied. The plan file
 * goes to a temporary folder that is removed afterwards, the state is neither locked nor
 * written, and nothing runs in an untrusted workspace. Planning never downloads: a folder that
 * needs `terraform init` makes plan fail at once, and the user is told to run it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rangeOf } from '../core/types';
import type { DeclaredAt } from '../drift/types';
import { planEnvironment } from '../plan/model';
import { findBlockLine, terraformPlanResources, type FindTerraformBlock } from '../plan/terraform';
import type { PlanEnvironment } from '../plan/types';
import { findOnPath } from './findOnPath';
import { isInitialised, jsonErrorDiagnostics, summarize, terraformEnvironment } from './terraformSchemas';
import { runTool } from './toolProcess';

const TIMEOUT_MS = 5 * 60_000;

export interface TerraformPlanOptions {
  /** The repository root: environments are named relative to it. */
  root: string;
  /** False in an untrusted workspace: then nothing runs. */
  trusted: boolean;
  env?: NodeJS.ProcessEnv;
}

type RunResult = { ok: true; stdout: string } | { ok: false; error: string };

async function run(terraform: string, args: string[], folder: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const command = `terraform ${args[0]}`;
  const result = await runTool(terraform, args, { cwd: folder, env: terraformEnvironment(env), timeoutMs: TIMEOUT_MS });
  if (result.kind === 'unavailable') return { ok: false, error: `${command} could not run: ${result.reason}.` };
  if (result.code !== 0) return { ok: false, error: `${command} failed: ${jsonErrorDiagnostics(result.stdout) || summarize(result.stderr) || `exit status ${result.code}`}` };
  return { ok: true, stdout: result.stdout };
}

/** Finds resource and module blocks in the folder's .tf files, reading each file once. */
function blockFinder(folder: string): FindTerraformBlock {
  let files: { file: string; text: string }[] | undefined;
  const load = (): { file: string; text: string }[] => {
    files ??= fs
      .readdirSync(folder)
      .filter((name) => name.endsWith('.tf'))
      .sort()
      .map((name) => ({ file: path.join(folder, name), text: fs.readFileSync(path.join(folder, name), 'utf8') }));
    return files;
  };
  return ({ type, name, moduleAddress }) => {
    // A resource inside a module call links to the call (`module "x"`), which is what this folder declares.
    const moduleName = moduleAddress ? /^module\.([^.[]+)/.exec(moduleAddress)?.[1] : undefined;
    for (const { file, text } of load()) {
      const line = moduleName ? findBlockLine(text, 'module', [moduleName]) : findBlockLine(text, 'resource', [type, name]);
      if (line !== undefined) return { uri: pathToFileURL(file).href, range: rangeOf(line, 0, line, (text.split('\n')[line] ?? '').length) } satisfies DeclaredAt;
    }
    return undefined;
  };
}

export async function planTerraformFolder(folder: string, options: TerraformPlanOptions): Promise<PlanEnvironment> {
  const env = options.env ?? process.env;
  const name = path.relative(options.root, folder).split(path.sep).join('/') || '.';
  const failed = (error: string): PlanEnvironment => planEnvironment('terraform', name, [], error);
  if (!options.trusted) return failed('The workspace is not trusted, so Terraform was not run. Trust the workspace to plan it.');
  const terraform = findOnPath('terraform', env);
  if (!terraform) return failed('terraform was not found on the PATH. Install Terraform to plan this folder.');

  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-plan-'));
  try {
    const planFile = path.join(temporary, 'plan.tfplan');
    const planned = await run(terraform, ['plan', '-json', '-input=false', '-lock=false', '-no-color', `-out=${planFile}`], folder, env);
    // A module without providers, modules or a backend plans without `terraform init`; any other fails fast, before any download.
    if (!planned.ok) return failed(isInitialised(folder, env) ? planned.error : `The folder has not been initialised. Run "terraform init" in ${name}, then plan again. (${planned.error})`);
    const shown = await run(terraform, ['show', '-json', '-no-color', planFile], folder, env);
    if (!shown.ok) return failed(shown.error);
    let json: unknown;
    try {
      json = JSON.parse(shown.stdout);
    } catch {
      return failed('terraform show -json printed something that is not JSON.');
    }
    return planEnvironment('terraform', name, terraformPlanResources(json, blockFinder(folder)));
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}
