/**
 * Gives each Terraform module folder of the workspace its provider schemas, for both shells:
 * for every folder that `terraform init` has prepared, in a trusted workspace, it loads the
 * schemas (node/terraformSchemas.ts) one folder at a time, hands them to the Terraform
 * workspace and says which folder to diagnose again. A folder that is not initialised is
 * skipped quietly: that is the usual case, and the language checks still run.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { folderOf } from '../terraform/module';
import type { TerraformWorkspace } from '../terraform/workspace';
import { isInitialised, loadProviderSchemas } from './terraformSchemas';

export interface TerraformSchemaLoaderOptions {
  /** Whether the workspace is trusted: Terraform never runs otherwise. */
  trusted: boolean;
  /** Where the output of `terraform providers schema -json` is cached across runs. */
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  /** Told what was loaded and, as a problem, why an initialised folder is not checked against provider schemas. */
  log: (message: string, problem?: boolean) => void;
  /** A folder's schemas were set or removed: its files need diagnosing again. */
  onChange?: (folderUri: string) => void;
  /** Loading started (what, in words) or stopped (undefined), for a status display. */
  onBusy?: (message: string | undefined) => void;
}

/** The lock file whose changes mean `terraform init` selected other providers. */
const LOCK_FILE = '.terraform.lock.hcl';

/** Where the schemas are cached when the editor offers no folder: the OS's cache folder. */
export function defaultSchemaCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'gitops-iac', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'gitops-iac');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'gitops-iac');
}

export class TerraformSchemaLoader {
  /** Folders asked for, so that each is loaded once (until its lock file changes). */
  private readonly requested = new Set<string>();
  /** One folder at a time: each load may start provider plugins, and the machine may have two cores. */
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private untrustedNoted = false;

  constructor(private readonly terraform: TerraformWorkspace, private readonly options: TerraformSchemaLoaderOptions) {}

  /** Loads the schemas of the folder of a Terraform file, once. */
  ensureForFile(uri: string): Promise<void> {
    return this.terraform.handles(uri) ? this.ensure(folderOf(uri)) : Promise.resolve();
  }

  /** Loads the schemas of each folder not asked for before; resolves when all are done. */
  async ensureAll(folderUris: Iterable<string>): Promise<void> {
    await Promise.all([...folderUris].map((folder) => this.ensure(folder)));
  }

  /** Loads a folder's schemas, once. */
  ensure(folderUri: string): Promise<void> {
    if (this.requested.has(folderUri) || !folderUri.startsWith('file:')) return Promise.resolve();
    this.requested.add(folderUri);
    if (!this.options.trusted) {
      if (!this.untrustedNoted) this.options.log('Provider schema checks are off: the workspace is not trusted, so Terraform is not run.');
      this.untrustedNoted = true;
      return Promise.resolve();
    }
    if (!isInitialised(fileURLToPath(folderUri), this.options.env)) return Promise.resolve();
    return this.enqueue(folderUri);
  }

  /** Whether a changed file is a lock file; if so, its folder's schemas are loaded again. */
  lockFileChanged(uri: string): boolean {
    if (!uri.endsWith(`/${LOCK_FILE}`)) return false;
    const folder = folderOf(uri);
    this.requested.delete(folder);
    void this.ensure(folder);
    return true;
  }

  private enqueue(folderUri: string): Promise<void> {
    this.pending++;
    const load = this.queue.then(() => this.load(folderUri)).catch((error: unknown) => this.options.log(`Loading the provider schemas of ${folderUri} failed: ${String(error)}`, true));
    this.queue = load.finally(() => {
      if (--this.pending === 0) this.options.onBusy?.(undefined);
    });
    return this.queue;
  }

  private async load(folderUri: string): Promise<void> {
    const folder = fileURLToPath(folderUri);
    this.options.onBusy?.(`Loading the Terraform provider schemas of ${path.basename(folder)}`);
    const result = await loadProviderSchemas(folder, { trusted: true, cacheDir: this.options.cacheDir, env: this.options.env, log: (message) => this.options.log(message, true) });
    const had = this.terraform.hasProviderSchemas(folderUri);
    if (result && 'schemas' in result) {
      const count = Object.keys(result.schemas.providers).length;
      this.options.log(`Loaded the provider schemas of ${folder} (${count} provider${count === 1 ? '' : 's'}) from ${result.source} in ${Math.round(result.millis)} ms.`);
      this.terraform.setProviderSchemas(folderUri, result.schemas);
    } else {
      if (result) this.options.log(`Provider schema checks are off for ${folder}: ${result.error}`, true);
      this.terraform.setProviderSchemas(folderUri, undefined);
    }
    if (had || this.terraform.hasProviderSchemas(folderUri)) this.options.onChange?.(folderUri);
  }
}

/**
 * For the CLI, which checks a trusted checkout: loads the provider schemas of the folders of
 * the given files (those holding .tf files) before the files are checked.
 */
export async function loadSchemasForFiles(absolutePaths: readonly string[], terraform: TerraformWorkspace, log: TerraformSchemaLoaderOptions['log']): Promise<void> {
  const folders = new Set(absolutePaths.filter((file) => file.endsWith('.tf')).map((file) => folderOf(pathToFileURL(file).href)));
  if (folders.size === 0) return;
  await new TerraformSchemaLoader(terraform, { trusted: true, cacheDir: defaultSchemaCacheDir(), log }).ensureAll(folders);
}
