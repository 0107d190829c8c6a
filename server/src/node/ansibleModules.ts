/**
 * Module specs for the Node shells: the bundled ansible.builtin specs (read from `schemas/`),
 * and, in a trusted workspace with Ansible installed, the specs of the installed collections
 * from the real `ansible-doc`.
 *
 * Describing every module of a full `ansible` installation (7,700 modules) takes minutes of
 * `ansible-doc`, so the result is cached, in memory and on disk, keyed by the ansible-core
 * version and the installed collections with their versions and paths (what
 * `ansible-galaxy collection list` prints): installing or upgrading a collection changes the key.
 * Nothing here throws or blocks: programs run asynchronously, and a failure comes back as a
 * reason the caller can log.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseModuleBundle } from '../ansible/catalog';
import type { ModuleSpec } from '../ansible/types';
import { convertAnsibleDocs } from '../schemas/ansibleDoc';
import { ANSIBLE_BUILTIN_MODULES_FILE, type AnsibleModuleBundle } from '../schemas/bundle';
import { locateSchemasFolder, nodeSchemaFiles } from './schemaFiles';
import { findOnPath } from './findOnPath';

/** The bundled ansible.builtin specs, or why they cannot be read. */
export function readBuiltinModules(schemasFolder = locateSchemasFolder(__dirname)): AnsibleModuleBundle | string {
  if (!schemasFolder) return `cannot find the bundled schemas folder above ${__dirname}`;
  try {
    const text = nodeSchemaFiles(schemasFolder).read(ANSIBLE_BUILTIN_MODULES_FILE);
    if (text === undefined) return `${path.join(schemasFolder, ANSIBLE_BUILTIN_MODULES_FILE)} is missing`;
    const bundle = parseModuleBundle(text);
    return typeof bundle === 'string' ? `${ANSIBLE_BUILTIN_MODULES_FILE}: ${bundle}` : bundle;
  } catch (error) {
    return `cannot read ${ANSIBLE_BUILTIN_MODULES_FILE}: ${(error as Error).message}`;
  }
}

export interface LoadCollectionModulesOptions {
  /** Whether the workspace is trusted: nothing runs otherwise. */
  trusted: boolean;
  /** Where the specs are cached on disk (created when missing). */
  cacheDir: string;
  /** An absolute path to ansible-doc; by default the first one on the PATH. `ansible-galaxy` is expected beside it. */
  ansibleDocPath?: string;
  /** The folder to run in (the workspace, so that its ansible.cfg and collections/ count). */
  cwd?: string;
  /** Only these collections (`community.general`); all installed ones by default. */
  collections?: string[];
  /** The environment (PATH, HOME, ANSIBLE_*); `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** The in-memory cache; a process-wide one by default (pass a new Map to simulate a restart). */
  memoryCache?: CollectionModulesMemoryCache;
  /** Told why nothing was loaded, and about modules whose documentation could not be read. */
  log?: (message: string) => void;
}

export interface LoadedCollectionModules {
  ansibleVersion: string;
  /** Every module of the installed collections except ansible.builtin (which is bundled), by FQCN. */
  modules: ModuleSpec[];
  source: 'memory' | 'disk' | 'ansible-doc';
  millis: number;
}

export type LoadCollectionModulesResult = LoadedCollectionModules | { error: string } | undefined;
export type CollectionModulesMemoryCache = Map<string, Promise<AnsibleModuleBundle | string>>;

const VERSION_TIMEOUT_MS = 30_000;
/** One batch of module docs; a slow machine still finishes a batch well within this. */
const BATCH_TIMEOUT_MS = 120_000;
const BATCH_SIZE = 150;
const MAX_BUFFER = 512 * 1024 * 1024;
const CACHE_PREFIX = 'ansible-modules-v1-';
/** Collections are cached one by one: room for the collections of several projects and versions. */
const MAX_DISK_ENTRIES = 64;
const defaultMemoryCache: CollectionModulesMemoryCache = new Map();

/**
 * The specs of the installed collections: undefined when the workspace is not trusted or
 * ansible-doc is not installed, `{ error }` when running it failed.
 */
export async function loadCollectionModules(options: LoadCollectionModulesOptions): Promise<LoadCollectionModulesResult> {
  const started = performance.now();
  const skip = (reason: string): undefined => {
    options.log?.(`Ansible collection modules are not loaded: ${reason}`);
    return undefined;
  };
  if (!options.trusted) return skip('the workspace is not trusted, so ansible-doc is not run.');
  const env = options.env ?? process.env;
  const ansibleDoc = options.ansibleDocPath ?? findOnPath('ansible-doc', env);
  if (!ansibleDoc) return skip('ansible-doc is not on the PATH.');
  if (!path.isAbsolute(ansibleDoc)) return { error: `The ansible-doc path must be absolute: ${ansibleDoc}` };
  const run = (file: string, args: string[], timeout: number) => runProgram(file, args, { cwd: options.cwd, env: ansibleEnvironment(env), timeout });

  const [version, installed] = await Promise.all([
    run(ansibleDoc, ['--version'], VERSION_TIMEOUT_MS),
    run(path.join(path.dirname(ansibleDoc), 'ansible-galaxy'), ['collection', 'list', '--format', 'json'], VERSION_TIMEOUT_MS),
  ]);
  if ('error' in version) return { error: `ansible-doc --version failed: ${version.error}` };
  const ansibleVersion = /\[core ([^\]]+)\]/.exec(version.stdout)?.[1];
  if (!ansibleVersion) return { error: `ansible-doc --version did not name an ansible-core version: ${version.stdout.slice(0, 200)}` };
  // Without ansible-galaxy (or with no collection installed it may print nothing) the list of modules itself keys the cache.
  const collectionList = 'error' in installed ? '' : installed.stdout;
  const key = createHash('sha256')
    .update(JSON.stringify({ ansibleDoc, ansibleVersion, collectionList, only: options.collections ?? null, cwd: options.cwd ?? null }))
    .digest('hex');

  const memory = options.memoryCache ?? defaultMemoryCache;
  let source: LoadedCollectionModules['source'] = 'memory';
  let loading = memory.get(key);
  if (!loading) {
    source = 'disk';
    loading = (async (): Promise<AnsibleModuleBundle | string> => {
      const fromDisk = readDiskCache(options.cacheDir, key);
      if (fromDisk) return fromDisk;
      source = 'ansible-doc';
      const described = await describeModules(ansibleDoc, options.collections, run, options.log);
      if (typeof described === 'string') return described;
      const bundle: AnsibleModuleBundle = { ansibleVersion, modules: described };
      writeDiskCache(options.cacheDir, key, bundle, options.log);
      return bundle;
    })();
    memory.set(key, loading);
  }
  const result = await loading;
  if (typeof result === 'string') {
    // A failure is not cached: the next load tries again.
    if (memory.get(key) === loading) memory.delete(key);
    return { error: result };
  }
  return { ansibleVersion: result.ansibleVersion, modules: result.modules, source, millis: performance.now() - started };
}

type Run = (file: string, args: string[], timeout: number) => Promise<{ stdout: string } | { error: string }>;

/** `ansible-doc --list`, then the docs of the listed modules in batches, one batch at a time. */
async function describeModules(ansibleDoc: string, collections: string[] | undefined, run: Run, log?: (message: string) => void): Promise<ModuleSpec[] | string> {
  const names: string[] = [];
  for (const filter of collections?.length ? collections : [undefined]) {
    const listed = await run(ansibleDoc, ['--list', '--json', '-t', 'module', ...(filter ? [filter] : [])], BATCH_TIMEOUT_MS);
    if ('error' in listed) return `ansible-doc --list failed: ${listed.error}`;
    const parsed = parseJsonObject(listed.stdout);
    if (typeof parsed === 'string') return `ansible-doc --list printed ${parsed}`;
    names.push(...Object.keys(parsed));
  }
  const wanted = [...new Set(names)].filter((fqcn) => !fqcn.startsWith('ansible.builtin.') && !fqcn.startsWith('ansible.legacy.')).sort();
  const modules: ModuleSpec[] = [];
  for (let start = 0; start < wanted.length; start += BATCH_SIZE) {
    const batch = wanted.slice(start, start + BATCH_SIZE);
    const described = await run(ansibleDoc, ['--json', '-t', 'module', ...batch], BATCH_TIMEOUT_MS);
    const parsed = 'error' in described ? described.error : parseJsonObject(described.stdout);
    if (typeof parsed === 'string') {
      // One broken module's documentation must not cost the others: note it and go on.
      log?.(`ansible-doc could not describe ${batch[0]} … ${batch[batch.length - 1]}: ${parsed}`);
      continue;
    }
    const { modules: converted, problems } = convertAnsibleDocs(parsed);
    modules.push(...converted);
    for (const problem of problems) log?.(problem);
  }
  return modules;
}

function parseJsonObject(text: string): Record<string, unknown> | string {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : 'JSON that is not an object';
  } catch (error) {
    return `something that is not JSON (${(error as Error).message})`;
  }
}

function runProgram(file: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv; timeout: number }): Promise<{ stdout: string } | { error: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, maxBuffer: MAX_BUFFER, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout });
      const failure = error as NodeJS.ErrnoException & { killed?: boolean };
      if (failure.killed) return resolve({ error: `${path.basename(file)} did not finish within ${options.timeout / 1000} s` });
      resolve({ error: stderr.trim().split('\n').slice(-3).join(' ') || failure.message });
    });
  });
}

/** Plain output: no colours, no deprecation chatter on stderr. */
function ansibleEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, ANSIBLE_NOCOLOR: '1', ANSIBLE_DEPRECATION_WARNINGS: 'False', ANSIBLE_FORCE_COLOR: '0' };
}

function cacheFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${CACHE_PREFIX}${key}.json`);
}

function readDiskCache(cacheDir: string, key: string): AnsibleModuleBundle | undefined {
  try {
    const bundle = parseModuleBundle(fs.readFileSync(cacheFile(cacheDir, key), 'utf8'));
    return typeof bundle === 'string' ? undefined : bundle;
  } catch {
    // Missing or damaged: ansible-doc is run again and the file rewritten.
    return undefined;
  }
}

/** Writes atomically (a temporary file renamed), then keeps only the newest few caches. */
function writeDiskCache(cacheDir: string, key: string, bundle: AnsibleModuleBundle, log?: (message: string) => void): void {
  const target = cacheFile(cacheDir, key);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify(bundle));
    fs.renameSync(temporary, target);
    const caches = fs.readdirSync(cacheDir)
      .filter((name) => name.startsWith(CACHE_PREFIX) && name.endsWith('.json'))
      .map((name) => ({ file: path.join(cacheDir, name), time: fs.statSync(path.join(cacheDir, name)).mtimeMs }))
      .sort((a, b) => b.time - a.time);
    for (const old of caches.slice(MAX_DISK_ENTRIES)) fs.rmSync(old.file, { force: true });
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    log?.(`Could not cache the Ansible module specs in ${cacheDir}: ${(error as Error).message}`);
  }
}
