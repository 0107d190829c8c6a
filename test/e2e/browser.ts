/**
 * Shared plumbing of the e2e tests: the typed launcher (scripts/code-server.mjs), a temporary
 * copy of the fixture workspace, Debian's Chromium driven by playwright-core, and screenshots
 * under test-output/e2e/ (always on failure, on request on success).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'e2e-workspace');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Generous waits: on 2 busy cores the workbench alone can take tens of seconds. */
export const WORKBENCH_TIMEOUT_MS = 60_000;
export const WAIT_TIMEOUT_MS = 30_000;

/** A running code-server, as scripts/code-server.mjs returns it. */
export interface CodeServer {
  url: string;
  port: number;
  workspaceUrl: string;
  userDataDir: string;
  logsDir: string;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  workspace: string;
  extensionDevelopmentPath?: string;
  trust?: 'prompt' | 'restricted' | 'disabled';
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** What the tests use of scripts/code-server.mjs (plain JavaScript, so typed here). */
export interface CodeServerLauncher {
  assertCodeServerInstalled(): void;
  startCodeServer(options: StartOptions): Promise<CodeServer>;
  workspaceUrl(url: string, folder: string, options?: { openFile?: string }): string;
}

export function loadLauncher(): Promise<CodeServerLauncher> {
  return import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'code-server.mjs')).href) as Promise<CodeServerLauncher>;
}

/** A fresh temporary copy of `fixture` (test/fixtures/e2e-workspace by default), under its own name; remove it with `removeWorkspace`. */
export function copyFixtureWorkspace(fixture = FIXTURE_WORKSPACE): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-e2e-'));
  const workspace = path.join(parent, path.basename(fixture));
  fs.cpSync(fixture, workspace, { recursive: true });
  return workspace;
}

/** Removes a folder made by `copyFixtureWorkspace` (its temporary parent included). */
export function removeWorkspace(workspace: string | undefined): void {
  if (workspace) fs.rmSync(path.dirname(workspace), { recursive: true, force: true, maxRetries: 3 });
}

/** Debian's Chromium, headless; playwright adds --headless and a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new isolated browser context with one page, sized so the editor and a panel both fit. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_TIMEOUT_MS);
  return { context, page };
}

/** `test-output/e2e/<name>.png`, with the name made safe for a file name. */
export function screenshotPath(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'screenshot';
  return path.join(SCREENSHOT_DIR, `${safe}.png`);
}

/** Saves a screenshot of `page`; never throws (a failed screenshot must not hide the test's error). */
export async function saveScreenshot(page: Page | undefined, name: string): Promise<string | undefined> {
  if (!page || page.isClosed()) return undefined;
  const file = screenshotPath(name);
  try {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch {
    return undefined;
  }
}

/** Every file under `dir` (recursively) whose base name matches `pattern`. */
export function findFiles(dir: string, pattern: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((relative) => pattern.test(path.basename(relative)))
    .map((relative) => path.join(dir, relative));
}

/** The "GitOps IaC" output channel, as the extension host logged it to disk. */
export function outputChannelLog(server: CodeServer): string {
  return findFiles(server.logsDir, /^GitOps IaC\.log$/)
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n');
}

/**
 * What helps to understand a failure: the last lines of code-server's output, of the remote
 * extension host's log and of the extension's output channel.
 */
export function serverLogTail(server: CodeServer | undefined, lines = 30): string {
  if (!server) return '';
  const tail = (text: string): string => text.trimEnd().split('\n').slice(-lines).join('\n');
  const hostLog = findFiles(server.logsDir, /^remoteexthost\.log$/).map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  return [
    `--- code-server output ---\n${tail(server.output())}`,
    `--- extension host log ---\n${tail(hostLog)}`,
    `--- "GitOps IaC" output channel ---\n${tail(outputChannelLog(server))}`,
  ].join('\n');
}

/**
 * Runs one scenario; if it throws, saves `test-output/e2e/<name>.png` and rethrows with the
 * screenshot's path (and `details()`, such as the server's logs) appended to the message.
 */
export async function screenshotOnFailure(
  page: () => Page | undefined,
  name: string,
  scenario: () => Promise<void>,
  details?: () => string,
): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    const file = await saveScreenshot(page(), name);
    if (error instanceof Error) {
      if (file) error.message += `\n(screenshot: ${path.relative(REPO_ROOT, file)})`;
      const more = details?.();
      if (more) error.message += `\n${more}`;
    }
    throw error;
  }
}
