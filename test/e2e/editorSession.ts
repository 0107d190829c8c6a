/**
 * One e2e test file's VS Code window: code-server on a temporary copy of a fixture folder (or
 * on a folder the test made), headless Chromium on its workbench, and what the scenarios share
 * on that window (screenshots on failure, the editor's focus, the Problems panel, what the
 * extension logged). Open it in `before`, close it in `after`.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  FIXTURE_WORKSPACE,
  REPO_ROOT,
  WORKBENCH_TIMEOUT_MS,
  copyFixtureWorkspace,
  launchBrowser,
  loadLauncher,
  newPage,
  outputChannelLog,
  removeWorkspace,
  saveScreenshot,
  screenshotOnFailure,
  serverLogTail,
  type CodeServer,
} from './browser';

export interface EditorSessionOptions {
  /** The folder the window opens a temporary copy of; test/fixtures/e2e-workspace by default. */
  fixture?: string;
  /** A file (relative to the folder) open in an editor from the start; without one, the window is ready once the Explorer lists the folder. */
  openFile?: string;
  /** Put before every screenshot's name, so that the files of the e2e tests do not overwrite each other's. */
  screenshotPrefix?: string;
}

/** What a test prepares before its window opens: a folder of its own, the addresses of its doubles. */
export interface EditorLaunch {
  /** A folder the test made (and removes), opened instead of a copy of the fixture. */
  workspace?: string;
  /** User settings, over the quiet defaults of scripts/code-server.mjs. */
  settings?: Record<string, unknown>;
  /** More environment variables for code-server and its extension host. */
  env?: Record<string, string>;
}

/**
 * Our status bar item, by the id VS Code gives it (publisher.name.itemId). Its text alone is not
 * enough: while the workspace is read, VS Code's progress item also says "GitOps IaC: …".
 */
export const STATUS_BAR_ITEM = '[id="gitops-iac.gitops-iac.gitopsIac.status"]';

export class EditorSession {
  private server: CodeServer | undefined;
  private browser: Browser | undefined;
  private context: BrowserContext | undefined;
  private openPage: Page | undefined;
  /** The fixture's copy this session made, and removes. */
  private copiedWorkspace: string | undefined;

  constructor(private readonly options: EditorSessionOptions = {}) {}

  /** The workbench page, once `open` has loaded it. */
  get page(): Page {
    assert.ok(this.openPage, 'the workbench page is open');
    return this.openPage;
  }

  /** Starts code-server and the browser at once and loads the workbench; on failure, ends what it started and says why. */
  async open(launch: EditorLaunch = {}): Promise<void> {
    const { fixture = FIXTURE_WORKSPACE, openFile } = this.options;
    try {
      const launcher = await loadLauncher();
      launcher.assertCodeServerInstalled();
      const workspace = launch.workspace ?? (this.copiedWorkspace = copyFixtureWorkspace(fixture));
      // If one of the two fails, the other is still kept so that close() can end it.
      const [started, launched] = await Promise.allSettled([
        launcher.startCodeServer({ workspace, extensionDevelopmentPath: REPO_ROOT, trust: 'disabled', settings: launch.settings, env: launch.env }),
        launchBrowser(),
      ]);
      if (started.status === 'fulfilled') this.server = started.value;
      if (launched.status === 'fulfilled') this.browser = launched.value;
      if (started.status === 'rejected') throw started.reason;
      if (launched.status === 'rejected') throw launched.reason;
      assert.ok(this.server && this.browser);
      let page: Page;
      ({ context: this.context, page } = await newPage(this.browser));
      this.openPage = page;
      await page.goto(launcher.workspaceUrl(this.server.url, workspace, { openFile }), { timeout: WORKBENCH_TIMEOUT_MS });
      const ready = openFile
        ? page.locator('.tabs-container .tab.active', { hasText: path.basename(openFile) })
        : page.locator('.explorer-folders-view .monaco-list-row').first();
      await ready.waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    } catch (error) {
      await saveScreenshot(this.openPage, this.screenshotName('workbench-startup'));
      const logs = serverLogTail(this.server);
      await this.close();
      if (logs && error instanceof Error) error.message += `\n${logs}`;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    await this.browser?.close().catch(() => undefined);
    await this.server?.stop();
    removeWorkspace(this.copiedWorkspace);
    this.context = this.browser = this.openPage = this.server = this.copiedWorkspace = undefined;
  }

  /** Runs one scenario: on failure, a screenshot named after it and the server's logs. */
  scenario(name: string, body: () => Promise<void>): Promise<void> {
    return screenshotOnFailure(() => this.openPage, this.screenshotName(name), body, () => serverLogTail(this.server));
  }

  /** Saves a screenshot of the window now, named like the scenarios'. */
  async screenshot(name: string): Promise<void> {
    await saveScreenshot(this.openPage, this.screenshotName(name));
  }

  /** Waits until the language server is ready: the check mark on the "GitOps IaC" status bar item. */
  async languageServerReady(): Promise<void> {
    await this.page.locator(STATUS_BAR_ITEM).locator('.codicon-check').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  }

  /** What the extension's output channel and code-server have written so far, by where: for the tests that no secret leaks. */
  logs(): Record<string, string> {
    assert.ok(this.server, 'code-server is running');
    return { 'output channel': outputChannelLog(this.server), 'code-server output': this.server.output() };
  }

  /** Puts the cursor in the active editor. */
  async focusEditor(): Promise<void> {
    await this.page.locator('.editor-instance .monaco-editor .view-lines').click();
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor();
  }

  /**
   * Waits for the active editor's first error squiggle, then opens the Problems panel and
   * returns the text of its row with `message` (message, source, code, `[Ln x, Col y]`).
   */
  async problemRowOfError(message: string): Promise<string> {
    const p = this.page;
    await p.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    await this.focusEditor();
    await p.keyboard.press('Control+Shift+M');
    const row = p.locator('.markers-panel .monaco-list-row', { hasText: message });
    await row.waitFor();
    return (await row.innerText()).trim();
  }

  private screenshotName(name: string): string {
    return `${this.options.screenshotPrefix ?? ''}${name}`;
  }
}
