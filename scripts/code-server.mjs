// Starts code-server (VS Code in the browser) for `npm start` and the e2e tests, each run
// isolated from the user's own VS Code and code-server: its own port on 127.0.0.1, its own
// config, user data, extensions and XDG folders (temporary unless given). code-server itself
// is installed by scripts/install-code-server.sh into .tools/code-server/.
//
//   import { startCodeServer, workspaceUrl } from '../scripts/code-server.mjs';
//   const server = await startCodeServer({ workspace: 'examples', extensionDevelopmentPath: REPO_ROOT });
//   ... drive server.workspaceUrl with a browser ...
//   await server.stop();
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_DIR = join(REPO_ROOT, '.tools', 'code-server');
export const CODE_SERVER_BIN = join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
const HOST = '127.0.0.1';

/**
 * Settings written to the user settings of every instance: keep VS Code quiet and offline.
 * Workspace trust stays on (VS Code's default); pass `trust: 'disabled'` to turn it off.
 */
const BASE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.startupEditor': 'none',
  // Workspaces such as examples/ sit inside this repository; without this, the Git extension
  // asks in a toast whether to open the parent repository, which covers part of the window.
  'git.openRepositoryInParentFolders': 'never',
};

/** True when scripts/install-code-server.sh has installed the expected version. */
export function isCodeServerInstalled() {
  return installedCodeServerVersion() === CODE_SERVER_VERSION && existsSync(CODE_SERVER_BIN);
}

function installedCodeServerVersion() {
  try {
    return JSON.parse(readFileSync(join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Throws an error telling how to install code-server when it is missing. */
export function assertCodeServerInstalled() {
  if (isCodeServerInstalled()) return;
  const found = installedCodeServerVersion();
  throw new Error(
    `code-server ${CODE_SERVER_VERSION} is not installed in .tools/code-server` +
      (found ? ` (found ${found})` : '') +
      ': run `npm run install:code-server` (bash scripts/install-code-server.sh) first.',
  );
}

/** `<publisher>.<name>-<version>`: the folder name VS Code expects in an extensions dir. */
export function extensionFolderName(extensionPath = REPO_ROOT) {
  const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

/**
 * Makes `extensionsDir` (a new temporary folder if not given) hold the unpacked extension
 * at `extensionPath` through a symlink, so code-server runs the working copy with no .vsix.
 * Whatever the dir held under that extension's folder name is replaced. Returns the dir.
 */
export function linkDevelopmentExtension(extensionPath = REPO_ROOT, extensionsDir = makeTempDir('extensions')) {
  const target = resolve(extensionPath);
  const link = join(extensionsDir, extensionFolderName(target));
  mkdirSync(extensionsDir, { recursive: true });
  let existing;
  try {
    existing = lstatSync(link);
  } catch {
    existing = undefined;
  }
  if (existing?.isSymbolicLink() && resolve(extensionsDir, readlinkSync(link)) === target) return extensionsDir;
  if (existing) rmSync(link, { recursive: true, force: true });
  symlinkSync(target, link, 'dir');
  return extensionsDir;
}

/**
 * Installs a .vsix into `extensionsDir` with `code-server --install-extension`, isolated like
 * startCodeServer. Returns code-server's output; throws with that output when it fails.
 */
export function installVsix(vsixPath, extensionsDir, { timeoutMs = 120_000 } = {}) {
  mkdirSync(extensionsDir, { recursive: true });
  return runCodeServerCommand(['--extensions-dir', resolve(extensionsDir), '--force', '--install-extension', resolve(vsixPath)], timeoutMs);
}

/** The ids (`publisher.name@version`) of the extensions code-server finds in `extensionsDir`. */
export async function listExtensions(extensionsDir, { timeoutMs = 60_000 } = {}) {
  const output = await runCodeServerCommand(['--extensions-dir', resolve(extensionsDir), '--list-extensions', '--show-versions'], timeoutMs);
  return output.split('\n').map((line) => line.trim()).filter((line) => /^[\w-]+\.[\w-]+@/.test(line));
}

/** Runs a one-shot code-server command (no server) in an isolated temporary home. */
async function runCodeServerCommand(commandArgs, timeoutMs) {
  assertCodeServerInstalled();
  const home = makeTempDir('command');
  try {
    const { configFile, userDataDir, env } = prepareHome(home, {});
    const args = [codeServerEntry(), '--config', configFile, '--user-data-dir', userDataDir, ...commandArgs];
    return await new Promise((resolvePromise, reject) => {
      execFile(process.execPath, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error) reject(new Error(`code-server ${commandArgs.join(' ')} failed: ${error.message}\n${output}`));
        else resolvePromise(output);
      });
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * `http://127.0.0.1:PORT/?folder=/abs/path`: the workbench with `folder` open. With
 * `openFile` (a path inside the folder, or absolute), that file is opened in an editor too,
 * through the workbench's `payload` parameter.
 */
export function workspaceUrl(url, folder, { openFile } = {}) {
  const base = url.replace(/\/+$/, '');
  const absolute = resolve(folder);
  let result = `${base}/?folder=${encodePath(absolute)}`;
  if (openFile) {
    const fileUri = `vscode-remote://${new URL(base).host}${pathToFileURL(resolve(absolute, openFile)).pathname}`;
    result += `&payload=${encodeURIComponent(JSON.stringify([['openFile', fileUri]]))}`;
  }
  return result;
}

/** Percent-encodes a path for a query string, but keeps its slashes readable. */
function encodePath(path) {
  return encodeURIComponent(path).replace(/%2F/g, '/');
}

/**
 * Starts code-server and resolves once it answers /healthz.
 *
 * Options (all optional but `workspace`):
 * - `workspace`: the folder the returned `workspaceUrl` opens.
 * - `extensionDevelopmentPath`: an unpacked extension to load, linked into the extensions dir.
 * - `extensionsDir`, `userDataDir`: kept as given (and not deleted by stop()); temporary otherwise.
 * - `port`: default a free port on 127.0.0.1.
 * - `trust`: 'prompt' (default: VS Code's workspace trust, which asks on first open),
 *   'restricted' (no prompt, the folder opens in Restricted Mode) or 'disabled'
 *   (`--disable-workspace-trust`: everything counts as trusted).
 * - `settings`: user settings merged over quiet defaults.
 * - `env`: extra environment for code-server and its extension host.
 * - `readyTimeoutMs`: how long to wait for /healthz (default 60 s).
 * - `onOutput(line)`: called with every line code-server prints.
 *
 * The user data dir's User/settings.json is written from `settings` on every start.
 *
 * Resolves to `{ url, port, workspaceUrl, extensionsDir, userDataDir, logsDir, process, exited,
 * output(), stop() }`: `exited` resolves with `{ code, signal }` when code-server exits,
 * `output()` returns its last lines, `stop()` ends its whole process group and deletes the
 * temporary folders.
 */
export async function startCodeServer(options) {
  if (!options?.workspace) throw new Error('startCodeServer: `workspace` is required');
  assertCodeServerInstalled();
  // A free port can be taken by someone else between the probe and code-server's bind:
  // when no port was asked for, try a few.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort());
    try {
      return await startOnPort(options, port);
    } catch (error) {
      if (attempt >= attempts || !/EADDRINUSE/.test(String(error?.message))) throw error;
    }
  }
}

async function startOnPort(options, port) {
  const {
    workspace,
    extensionDevelopmentPath,
    trust = 'prompt',
    settings = {},
    env: extraEnv = {},
    readyTimeoutMs = 60_000,
    onOutput,
  } = options;
  if (!['prompt', 'restricted', 'disabled'].includes(trust)) throw new Error(`startCodeServer: unknown trust mode ${trust}`);

  const home = makeTempDir('home');
  const extensionsDir = resolve(options.extensionsDir ?? join(home, 'extensions'));
  mkdirSync(extensionsDir, { recursive: true });
  if (extensionDevelopmentPath) linkDevelopmentExtension(extensionDevelopmentPath, extensionsDir);

  const trustSettings = trust === 'restricted' ? { 'security.workspace.trust.startupPrompt': 'never' } : {};
  const { configFile, userDataDir, env } = prepareHome(home, {
    userDataDir: options.userDataDir,
    settings: { ...BASE_SETTINGS, ...trustSettings, ...settings },
    env: extraEnv,
  });

  const args = [
    codeServerEntry(),
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--bind-addr', `${HOST}:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(trust === 'disabled' ? ['--disable-workspace-trust'] : []),
  ];
  // detached: code-server, its extension host and the language server get a process group
  // of their own, so stop() can end all of them, and Ctrl+C in a terminal reaches only the
  // caller, which then stops the group itself.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const collect = (stream) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop();
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 500) lines.shift();
        onOutput?.(line);
      }
    });
    stream.on('end', () => {
      if (partial) lines.push(partial);
    });
  };
  collect(child.stdout);
  collect(child.stderr);

  let exited = false;
  const exitPromise = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      exited = true;
      resolveExit({ code, signal });
    });
    child.once('error', (error) => {
      lines.push(`spawn error: ${error.message}`);
      exited = true;
      resolveExit({ code: null, signal: null });
    });
  });

  // If the caller dies without calling stop(), the group must not outlive it.
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      // SIGTERM lets code-server stop the extension host, which stops the language server;
      // whatever is still running after 5 s is killed.
      killGroup(child.pid, 'SIGTERM');
      const deadline = Date.now() + 5_000;
      while ((!exited || groupAlive(child.pid)) && Date.now() < deadline) {
        await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
      }
      killGroup(child.pid, 'SIGKILL');
      await exitPromise;
      rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopping;
  };

  const url = `http://${HOST}:${port}`;
  try {
    await waitForHealth(url, { timeoutMs: readyTimeoutMs, exitPromise, isExited: () => exited });
  } catch (error) {
    await stop();
    const tail = lines.slice(-30).join('\n');
    throw new Error(`${error.message}\n--- last lines of code-server's output ---\n${tail}`);
  }
  return {
    url,
    port,
    workspaceUrl: workspaceUrl(url, workspace),
    extensionsDir,
    userDataDir,
    logsDir: join(userDataDir, 'logs'),
    process: child,
    exited: exitPromise,
    output: () => lines.join('\n'),
    stop,
  };
}

async function waitForHealth(url, { timeoutMs, exitPromise, isExited }) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (isExited()) {
      const { code, signal } = await exitPromise;
      throw new Error(`code-server exited before it was ready (exit code ${code}, signal ${signal})`);
    }
    try {
      // Raced with the exit, so a crash is reported at once rather than after a request timeout.
      const response = await Promise.race([
        fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }),
        exitPromise.then(() => undefined),
      ]);
      if (!response) continue;
      await response.arrayBuffer();
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error?.cause?.code ?? error?.message ?? String(error);
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms (last: ${lastError})`);
}

/** True while any process of the group led by `pid` is left. */
function groupAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function findFreePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function makeTempDir(purpose) {
  return mkdtempSync(join(tmpdir(), `gitops-iac-code-server-${purpose}-`));
}

/** The JavaScript entry point, run with this Node so a different `node` on PATH cannot interfere. */
function codeServerEntry() {
  return realpathSync(CODE_SERVER_BIN);
}

/**
 * Config file, user data dir, XDG folders and environment under `home`: code-server writes
 * ~/.config/code-server and ~/.local/share/code-server on any run unless told otherwise.
 */
function prepareHome(home, { userDataDir, settings, env: extraEnv = {} }) {
  const configFile = join(home, 'config.yaml');
  // Every flag is also passed on the command line; this file only keeps code-server from
  // creating (and reading) the user's ~/.config/code-server/config.yaml.
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const dataDir = resolve(userDataDir ?? join(home, 'user-data'));
  mkdirSync(join(dataDir, 'User'), { recursive: true });
  if (settings) writeFileSync(join(dataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  for (const dir of ['config', 'data', 'cache']) mkdirSync(join(home, 'xdg', dir), { recursive: true });

  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Inside a VS Code or code-server terminal these would make code-server hand the request
    // to that instance instead of starting its own.
    if (key.startsWith('VSCODE_') || key === 'PASSWORD' || key === 'HASHED_PASSWORD' || key === 'PORT') continue;
    env[key] = value;
  }
  Object.assign(env, {
    XDG_CONFIG_HOME: join(home, 'xdg', 'config'),
    XDG_DATA_HOME: join(home, 'xdg', 'data'),
    XDG_CACHE_HOME: join(home, 'xdg', 'cache'),
    ...extraEnv,
  });
  return { configFile, userDataDir: dataDir, env };
}
