/**
 * Terraform drift for one root module folder. In a trusted workspace, with Terraform found
 * and the folder initialised, it runs `terraform plan -refresh-only -json -out=PLAN` then
 * `terraform show -json PLAN` (never apply; no input, no lock, and the plan file in a
 * temporary folder removed afterwards) and reports each resource from the refreshed state.
 * Otherwise it compares the configuration with the local `terraform.tfstate`, which can only
 * say which resources exist, and marks the results approximate with the reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { declaredResources, type DeclaredResources } from '../drift/terraform/declarations';
import { refreshOnlyPlanDrift } from '../drift/terraform/planDrift';
import { stateFileDrift } from '../drift/terraform/stateDrift';
import type { DriftEnvironment } from '../drift/types';
import { isTerraformParserLoaded, loadTerraformParser } from '../terraform/parser';
import type { ModuleIndex } from '../terraform/module';
import { parseModuleFiles } from '../terraform/workspace';
import { readModuleFolderFromDisk } from './engineFactory';
import { findOnPath } from './findOnPath';
import { isInitialised, jsonErrorDiagnostics, summarize, terraformEnvironment } from './terraformSchemas';
import { runTool } from './toolProcess';
import { locateWasmFiles } from './wasmFiles';

export interface TerraformDriftOptions {
  /** False in an untrusted workspace: Terraform is then not run, and the state file is compared instead. */
  trusted: boolean;
  env?: NodeJS.ProcessEnv;
  /** For each of plan and show; default 5 minutes (a refresh reads every resource from the provider's API). */
  timeoutMs?: number;
  /** The terraform executable; found on the PATH when absent. */
  terraformPath?: string;
  /** The environment's name in the report; the folder path when absent. */
  name?: string;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The module of a folder on disk, parsed with our Terraform parser; undefined when the folder has no .tf file. */
function moduleIndexFromDisk(folderUri: string): ModuleIndex | undefined {
  const files = readModuleFolderFromDisk(folderUri);
  return files && files.length > 0 ? parseModuleFiles(folderUri, files) : undefined;
}

async function readDeclarations(folder: string): Promise<DeclaredResources> {
  if (!isTerraformParserLoaded()) await loadTerraformParser(locateWasmFiles(__dirname));
  return declaredResources(pathToFileURL(folder).href.replace(/\/$/, ''), moduleIndexFromDisk);
}

export async function terraformDrift(folder: string, options: TerraformDriftOptions): Promise<DriftEnvironment> {
  const env = options.env ?? process.env;
  const name = options.name ?? folder;
  const asOf = new Date().toISOString();
  const declared = await readDeclarations(folder);
  const terraform = options.terraformPath ?? findOnPath('terraform', env);
  const reason = !options.trusted
    ? 'the workspace is not trusted; trust the workspace to run terraform plan -refresh-only'
    : !terraform
      ? 'terraform was not found on the PATH; install Terraform to compare with the live resources'
      : !isInitialised(folder, env)
        ? `the folder is not initialised; run terraform init in ${folder}`
        : undefined;
  if (reason) return stateEnvironment(folder, name, declared, reason);

  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-drift-'));
  const planFile = path.join(temporary, 'refresh-only.tfplan');
  try {
    const run = { cwd: folder, env: terraformEnvironment(env), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal };
    const plan = await runTool(terraform!, ['plan', '-refresh-only', '-json', '-input=false', '-lock=false', '-no-color', `-out=${planFile}`], run);
    if (plan.kind === 'unavailable') return failed(folder, name, declared, `terraform plan -refresh-only could not run: ${plan.reason}`);
    if (plan.code !== 0) return failed(folder, name, declared, `terraform plan -refresh-only failed: ${jsonErrorDiagnostics(plan.stdout) || summarize(plan.stderr) || `exit status ${plan.code}`}`);
    const show = await runTool(terraform!, ['show', '-json', '-no-color', planFile], run);
    if (show.kind === 'unavailable') return failed(folder, name, declared, `terraform show -json could not run: ${show.reason}`);
    if (show.code !== 0) return failed(folder, name, declared, `terraform show -json failed: ${summarize(show.stderr) || `exit status ${show.code}`}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(show.stdout);
    } catch {
      return failed(folder, name, declared, 'terraform show -json printed something that is not JSON');
    }
    const resources = refreshOnlyPlanDrift(parsed, declared);
    if (typeof resources === 'string') return failed(folder, name, declared, `unexpected output of terraform show -json: ${resources}`);
    return { name, source: 'terraform', asOf, resources };
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}

/** Terraform ran and failed: say why, and still show what the state file tells. */
function failed(folder: string, name: string, declared: DeclaredResources, error: string): DriftEnvironment {
  const fallback = stateEnvironment(folder, name, declared, 'terraform plan -refresh-only failed');
  return { ...fallback, error };
}

function stateEnvironment(folder: string, name: string, declared: DeclaredResources, reason: string): DriftEnvironment {
  const asOf = new Date().toISOString();
  const stateFile = path.join(folder, 'terraform.tfstate');
  let text: string;
  try {
    text = fs.readFileSync(stateFile, 'utf8');
  } catch {
    return { name, source: 'terraform', asOf, error: `No live comparison: ${reason}. There is no local terraform.tfstate to compare with either (the state may be in a remote backend).`, resources: [] };
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return { name, source: 'terraform', asOf, error: `${stateFile} is not valid JSON; ${reason}.`, resources: [] };
  }
  const resources = stateFileDrift(state, declared);
  if (typeof resources === 'string') return { name, source: 'terraform', asOf, error: `Cannot read ${stateFile}: ${resources}; ${reason}.`, resources: [] };
  const modified = fs.statSync(stateFile).mtime.toISOString();
  return {
    name,
    source: 'terraform',
    // The state file is as old as the last apply or refresh that wrote it.
    asOf: modified,
    note: `Approximate: compared with terraform.tfstate (written ${modified}) without a refresh, so only resources declared but absent from the state, or the reverse, show; changed values do not. Why: ${reason}.`,
    resources,
  };
}
