/**
 * Loading provider schemas from the real Terraform, for the Node shells: runs
 * `terraform providers schema -json` in an initialised folder of a trusted workspace and
 * indexes the output (see `terraform/providerSchema.ts`).
 *
 * Running it starts every provider plugin of `.terraform/` (the AWS one takes about 4 s), so
 * the index is cached by the SHA-256 of `.terraform.lock.hcl`, which changes whenever
 * `terraform init` selects other providers: in memory, and on disk under `cacheDir` so that a
 * restart is fast. Nothing here throws: a failure comes back as a reason the caller can log,
 * and a folder that cannot be checked (untrusted, no Terraform, not initialised) as undefined.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexProviderSchemas, reviveProviderSchemaIndex, type ProviderSchemaIndex } from '../terraform/providerSchema';

/** In-memory cache: cache key → the index being loaded or loaded. */
export type ProviderSchemaMemoryCache = Map<string, Promise<ProviderSchemaIndex | string>>;

export interface LoadProviderSchemasOptions {
  /** Whether the workspace is trusted: nothing runs otherwise. */
  trusted: boolean;
  /** An absolute path to the terraform binary; by default the first one on the PATH. */
  terraformPath?: string;
  /** Where the indexes are cached on disk (created when missing). */
  cacheDir: string;
  /** The environment to take PATH, HOME and the TF_* variables from; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** The in-memory cache; a process-wide one by default (pass a new Map to simulate a restart). */
  memoryCache?: ProviderSchemaMemoryCache;
  /** Told why a folder is not checked when the result is undefined (no Terraform, not initialised, …). */
  log?: (message: string) => void;
}

export interface LoadedProviderSchemas {
  schemas: ProviderSchemaIndex;
  /** Where the index came from. */
  source: 'memory' | 'disk' | 'terraform';
  millis: number;
}

export type LoadProviderSchemasResult = LoadedProviderSchemas | { error: string } | undefined;

const TIMEOUT_MS = 60_000;
/** Several large providers together (AWS alone is 13 MB) must fit. */
const MAX_BUFFER = 256 * 1024 * 1024;
/** Each index of a large provider takes tens of MB of heap: keep only the recent ones. */
const MAX_MEMORY_ENTRIES = 4;
const MAX_DISK_ENTRIES = 16;
const CACHE_PREFIX = 'provider-schemas-v1-';

const defaultMemoryCache: ProviderSchemaMemoryCache = new Map();

/**
 * The provider schemas of a Terraform folder: undefined unless the workspace is trusted,
 * `terraform` is found and the folder is initialised; `{ error }` when loading failed.
 */
export async function loadProviderSchemas(folder: string, options: LoadProviderSchemasOptions): Promise<LoadProviderSchemasResult> {
  const started = performance.now();
  const skip = (reason: string): undefined => {
    options.log?.(`Provider schema checks are off for ${folder}: ${reason}`);
    return undefined;
  };
  if (!options.trusted) return skip('the workspace is not trusted, so Terraform is not run.');
  const env = options.env ?? process.env;
  const terraform = options.terraformPath ?? findOnPath('terraform', env);
  if (!terraform) return skip('terraform is not on the PATH.');
  if (!path.isAbsolute(terraform)) return { error: `The Terraform path must be absolute: ${terraform}` };
  if (!isFile(terraform)) return { error: `Terraform was not found at ${terraform}.` };
  const dataDir = path.resolve(folder, env.TF_DATA_DIR || '.terraform');
  if (!isDirectory(dataDir)) return skip(`it is not initialised (no ${path.basename(dataDir)} folder): run terraform init.`);

  let lockHash: string | undefined;
  try {
    lockHash = createHash('sha256').update(fs.readFileSync(path.join(folder, '.terraform.lock.hcl'))).digest('hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { error: `Cannot read ${path.join(folder, '.terraform.lock.hcl')}: ${(error as Error).message}` };
  }
  // Without a lock file (a module without providers) the index is small: keep it in memory only.
  const key = lockHash ?? `no-lock-file:${path.resolve(folder)}`;
  const memory = options.memoryCache ?? defaultMemoryCache;
  const cached = memory.get(key);
  if (cached) {
    // Most recently used last, so the oldest entry is the first to go.
    memory.delete(key);
    memory.set(key, cached);
    const result = await cached;
    return typeof result === 'string' ? { error: result } : { schemas: result, source: 'memory', millis: performance.now() - started };
  }

  let source: LoadedProviderSchemas['source'] = 'disk';
  const loading = (async (): Promise<ProviderSchemaIndex | string> => {
    const fromDisk = lockHash ? readDiskCache(options.cacheDir, lockHash) : undefined;
    if (fromDisk) return fromDisk;
    source = 'terraform';
    const result = await runTerraform(terraform, folder, env);
    if (typeof result !== 'string' && lockHash) writeDiskCache(options.cacheDir, lockHash, result, options.log);
    return result;
  })();
  memory.set(key, loading);
  const result = await loading;
  if (typeof result === 'string') {
    // A failure is not cached: the next load tries again (after the user fixes the folder).
    if (memory.get(key) === loading) memory.delete(key);
    return { error: result };
  }
  while (memory.size > MAX_MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
  return { schemas: result, source, millis: performance.now() - started };
}

/** The first executable of that name in an absolute folder of the PATH (a relative one could be the workspace). */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pathVariable = env.PATH ?? env.Path ?? '';
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, command + extension.toLowerCase());
      if (isFile(candidate) && isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  if (process.platform === 'win32') return true;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment Terraform runs with: what it needs to find its configuration and plugins
 * (TF_CLI_CONFIG_FILE, TF_DATA_DIR, TF_PLUGIN_CACHE_DIR, …), without logging, which would
 * flood stderr, or TF_CLI_ARGS, which could add arguments `providers schema` rejects.
 */
function terraformEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const passed: NodeJS.ProcessEnv = { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  const keep = new Set(['PATH', 'Path', 'HOME', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'SystemRoot', 'TEMP', 'TMP', 'TMPDIR', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME']);
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const terraformVariable = name.startsWith('TF_') && !name.startsWith('TF_LOG') && !name.startsWith('TF_CLI_ARGS');
    if (keep.has(name) || terraformVariable) passed[name] = value;
  }
  return passed;
}

function runTerraform(terraform: string, folder: string, env: NodeJS.ProcessEnv): Promise<ProviderSchemaIndex | string> {
  return new Promise((resolve) => {
    execFile(
      terraform,
      ['providers', 'schema', '-json', '-no-color'],
      { cwd: folder, env: terraformEnvironment(env), timeout: TIMEOUT_MS, maxBuffer: MAX_BUFFER, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
          if (failure.killed || failure.signal) resolve(`terraform providers schema -json did not finish within ${TIMEOUT_MS / 1000} s (or ran out of buffer) in ${folder}.`);
          else resolve(`terraform providers schema -json failed in ${folder}: ${summarize(stderr) || failure.message}`);
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch (parseError) {
          resolve(`terraform providers schema -json printed something that is not JSON in ${folder}: ${(parseError as Error).message}`);
          return;
        }
        const index = indexProviderSchemas(json);
        resolve(typeof index === 'string' ? `Unexpected output of terraform providers schema -json in ${folder}: ${index}.` : index);
      },
    );
  });
}

/** Terraform's error box, on one line: `Error: Inconsistent dependency lock file: The following …`. */
function summarize(stderr: string): string {
  const plain = stderr.replace(/\u001b\[[0-9;]*m/g, '').replace(/^[╷│╵]\s?/gm, '');
  const text = plain.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
  return text.length > 600 ? `${text.slice(0, 599)}…` : text;
}

function cacheFile(cacheDir: string, lockHash: string): string {
  return path.join(cacheDir, `${CACHE_PREFIX}${lockHash}.json`);
}

function readDiskCache(cacheDir: string, lockHash: string): ProviderSchemaIndex | undefined {
  try {
    const file = cacheFile(cacheDir, lockHash);
    const value = reviveProviderSchemaIndex(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!value) return undefined;
    // Recently used, so that pruning keeps it.
    const now = new Date();
    fs.utimesSync(file, now, now);
    return value;
  } catch {
    // Missing or damaged: Terraform is run again and the file rewritten.
    return undefined;
  }
}

/** Writes atomically (a temporary file renamed), so a concurrent reader never sees half a file. */
function writeDiskCache(cacheDir: string, lockHash: string, index: ProviderSchemaIndex, log?: (message: string) => void): void {
  const target = cacheFile(cacheDir, lockHash);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify(index));
    fs.renameSync(temporary, target);
    pruneDiskCache(cacheDir);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    log?.(`Could not cache the provider schemas in ${cacheDir}: ${(error as Error).message}`);
  }
}

/** Keeps the most recently written indexes only: every `terraform init -upgrade` adds one. */
function pruneDiskCache(cacheDir: string): void {
  const files = fs.readdirSync(cacheDir)
    .filter((name) => name.startsWith(CACHE_PREFIX) && name.endsWith('.json'))
    .map((name) => ({ file: path.join(cacheDir, name), time: fs.statSync(path.join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of files.slice(MAX_DISK_ENTRIES)) fs.rmSync(old.file, { force: true });
}
