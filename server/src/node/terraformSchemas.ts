/**
 * Loading provider schemas from the real Terraform, for the Node shells: runs
 * `terraform providers schema -json` in an initialised folder of a trusted workspace and
 * indexes the output in slices that yield the event loop (see `terraform/providerSchemaIndex.ts`).
 *
 * Running it starts every provider plugin of `.terraform/` (the AWS one takes about 4 s), so
 * the output is cached by the SHA-256 of `.terraform.lock.hcl`, which changes whenever
 * `terraform init` selects other providers: the index in memory, and the output as is on disk
 * under `cacheDir`, so that a restart only reads and indexes it again (about 0.1 s for AWS).
 * Nothing here throws: a failure comes back as a reason the caller can log, and a folder that
 * cannot be checked (untrusted, not initialised, no Terraform) as undefined.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { indexProviderSchemasInSlices, type ProviderSchemaIndex } from '../terraform/providerSchemaIndex';
import { findOnPath } from './findOnPath';

/** In-memory cache: cache key → the index being loaded or loaded. */
export type ProviderSchemaMemoryCache = Map<string, Promise<ProviderSchemaIndex | string>>;

export interface LoadProviderSchemasOptions {
  /** Whether the workspace is trusted: nothing runs otherwise. */
  trusted: boolean;
  /** An absolute path to the terraform binary; by default the first one on the PATH. */
  terraformPath?: string;
  /** Where the indexes are cached on disk (created when missing). */
  cacheDir: string;
  /** The environment Terraform runs with (see `terraformEnvironment`); `process.env` by default. */
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
const CACHE_PREFIX = 'provider-schemas-v2-';

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
  if (!isInitialised(folder, env)) return skip(`it is not initialised (no ${path.basename(dataDirectory(folder, env))} folder): run terraform init.`);
  const terraform = options.terraformPath ?? findOnPath('terraform', env);
  if (!terraform) return skip('terraform is not on the PATH.');
  if (!path.isAbsolute(terraform)) return { error: `The Terraform path must be absolute: ${terraform}` };
  if (!isFile(terraform)) return { error: `Terraform was not found at ${terraform}.` };

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
    const fromDisk = lockHash ? await readDiskCache(options.cacheDir, lockHash) : undefined;
    if (fromDisk) return fromDisk;
    source = 'terraform';
    const output = await runTerraform(terraform, folder, env);
    if (!output.ok) return output.error;
    const index = await indexProviderSchemasInSlices(output.bytes);
    if (typeof index === 'string') return `Unexpected output of terraform providers schema -json in ${folder}: ${index}.`;
    if (lockHash) await writeDiskCache(options.cacheDir, lockHash, output.bytes, options.log);
    return index;
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

function dataDirectory(folder: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(folder, env.TF_DATA_DIR || '.terraform');
}

/** Whether `terraform init` has run in the folder (it has a `.terraform` folder, or TF_DATA_DIR's). */
export function isInitialised(folder: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return isDirectory(dataDirectory(folder, env));
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

/**
 * The environment Terraform runs with: the whole of it, since providers need their credentials
 * (AWS_PROFILE, GOOGLE_APPLICATION_CREDENTIALS, ARM_*, …) and Terraform its configuration
 * (TF_CLI_CONFIG_FILE, TF_DATA_DIR, …), but without TF_CLI_ARGS, which could add arguments a
 * command rejects or that change a plan, and TF_LOG, which would flood the output.
 */
export function terraformEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const passed: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.startsWith('TF_CLI_ARGS') && !name.startsWith('TF_LOG')) passed[name] = value;
  }
  return { ...passed, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
}

type TerraformOutput = { ok: true; bytes: Buffer } | { ok: false; error: string };

function runTerraform(terraform: string, folder: string, env: NodeJS.ProcessEnv): Promise<TerraformOutput> {
  return new Promise((resolve) => {
    execFile(
      terraform,
      ['providers', 'schema', '-json', '-no-color'],
      { cwd: folder, env: terraformEnvironment(env), timeout: TIMEOUT_MS, maxBuffer: MAX_BUFFER, windowsHide: true, encoding: 'buffer' },
      (error, stdout, stderr) => {
        if (error) {
          const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
          const timedOut = failure.killed || failure.signal;
          const reason = timedOut ? `did not finish within ${TIMEOUT_MS / 1000} s (or ran out of buffer) in ${folder}.` : `failed in ${folder}: ${summarize(stderr.toString('utf8')) || failure.message}`;
          resolve({ ok: false, error: `terraform providers schema -json ${reason}` });
          return;
        }
        resolve({ ok: true, bytes: stdout });
      },
    );
  });
}

/** Terraform's error box, on one line: `Error: Inconsistent dependency lock file: The following …`. */
export function summarize(stderr: string): string {
  const plain = stderr.replace(/\u001b\[[0-9;]*m/g, '').replace(/^[╷│╵]\s?/gm, '');
  const text = plain.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
  return text.length > 600 ? `${text.slice(0, 599)}…` : text;
}

/**
 * The error diagnostics of a `terraform ... -json` event stream (plan, validate), on one line,
 * each with its file and line when Terraform gives them.
 */
export function jsonErrorDiagnostics(stdout: string): string {
  const messages: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const event = JSON.parse(line) as { '@level'?: string; diagnostic?: { summary?: string; detail?: string; range?: { filename?: string; start?: { line?: number } } } };
      const diagnostic = event.diagnostic;
      if (event['@level'] !== 'error' || !diagnostic) continue;
      const where = diagnostic.range?.filename ? ` (${diagnostic.range.filename}:${diagnostic.range.start?.line ?? 1})` : '';
      messages.push(`${diagnostic.summary ?? 'error'}${where}${diagnostic.detail ? `: ${diagnostic.detail}` : ''}`);
    } catch {
      // A line that is not an event (Terraform prints a few before -json takes effect).
    }
  }
  return summarize(messages.join('\n'));
}

function cacheFile(cacheDir: string, lockHash: string): string {
  return path.join(cacheDir, `${CACHE_PREFIX}${lockHash}.json`);
}

async function readDiskCache(cacheDir: string, lockHash: string): Promise<ProviderSchemaIndex | undefined> {
  try {
    const file = cacheFile(cacheDir, lockHash);
    const value = await indexProviderSchemasInSlices(await readFile(file));
    if (typeof value === 'string') return undefined;
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
async function writeDiskCache(cacheDir: string, lockHash: string, output: Buffer, log?: (message: string) => void): Promise<void> {
  const target = cacheFile(cacheDir, lockHash);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    await writeFile(temporary, output);
    await rename(temporary, target);
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
