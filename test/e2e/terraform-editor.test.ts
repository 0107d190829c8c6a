/**
 * Terraform as a user meets it in the real editor: code-server in headless Chromium (the
 * launcher and browser helpers of ./browser), on a temporary copy of
 * test/fixtures/terraform-e2e opened with main.tf in an editor. One scenario per feature, in
 * order on the same window; every wait is on a selector, never a fixed sleep.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  REPO_ROOT,
  WORKBENCH_TIMEOUT_MS,
  launchBrowser,
  loadLauncher,
  newPage,
  removeWorkspace,
  saveScreenshot,
  screenshotOnFailure,
  serverLogTail,
  type CodeServer,
} from './browser';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'terraform-e2e');
const UNDECLARED = 'No variable "cidr" is declared in this module. Declare it with variable "cidr" {}.';

describe('Terraform in VS Code (code-server + Chromium)', { timeout: 150_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let workspace: string | undefined;

  const ui = (): Page => {
    assert.ok(page, 'the workbench page is open');
    return page;
  };

  async function cleanUp(): Promise<void> {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    removeWorkspace(workspace);
    context = browser = page = server = workspace = undefined;
  }

  before(async () => {
    try {
      const launcher = await loadLauncher();
      launcher.assertCodeServerInstalled();
      // removeWorkspace deletes the folder's temporary parent too.
      workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-e2e-')), 'terraform');
      fs.cpSync(FIXTURE, workspace, { recursive: true });
      const [started, launched] = await Promise.allSettled([
        launcher.startCodeServer({ workspace, extensionDevelopmentPath: REPO_ROOT, trust: 'disabled' }),
        launchBrowser(),
      ]);
      if (started.status === 'fulfilled') server = started.value;
      if (launched.status === 'fulfilled') browser = launched.value;
      if (started.status === 'rejected') throw started.reason;
      if (launched.status === 'rejected') throw launched.reason;
      assert.ok(server && browser);
      ({ context, page } = await newPage(browser));
      await page.goto(launcher.workspaceUrl(server.url, workspace, { openFile: 'main.tf' }), { timeout: WORKBENCH_TIMEOUT_MS });
      await page.locator('.tabs-container .tab.active', { hasText: 'main.tf' }).waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    } catch (error) {
      await saveScreenshot(page, 'terraform-workbench-startup');
      const logs = serverLogTail(server);
      await cleanUp();
      if (logs && error instanceof Error) error.message += `\n${logs}`;
      throw error;
    }
  }, { timeout: 120_000 });

  after(cleanUp);

  const scenario = (name: string, body: () => Promise<void>) => screenshotOnFailure(() => page, `terraform-${name}`, body, () => serverLogTail(server));

  /** Puts the cursor in the editor of main.tf. */
  async function focusEditor(): Promise<void> {
    const p = ui();
    await p.locator('.editor-instance .monaco-editor .view-lines').click();
    await p.locator('.editor-instance .monaco-editor.focused').waitFor();
  }

  it('reports an undeclared variable as a squiggle and in the Problems panel', async () => {
    await scenario('problems', async () => {
      const p = ui();
      await p.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
      await focusEditor();
      await p.keyboard.press('Control+Shift+M');
      const row = p.locator('.markers-panel .monaco-list-row', { hasText: UNDECLARED });
      await row.waitFor();
      assert.equal((await row.innerText()).trim(), `${UNDECLARED}\ngitops-iac\ntf/undeclared-reference\n[Ln 6, Col 16]`);
    });
  });

  it('lists the blocks of the file in Go to Symbol (the outline)', async () => {
    await scenario('outline', async () => {
      const p = ui();
      await focusEditor();
      await p.keyboard.press('Control+Shift+O');
      const rows = p.locator('.quick-input-list .monaco-list-row');
      await rows.filter({ hasText: 'aws_vpc' }).first().waitFor();
      const labels = (await rows.locator('.label-name').allInnerTexts()).map((label) => label.trim());
      assert.ok(labels.some((label) => label.includes('region')), labels.join(' | '));
      assert.ok(labels.some((label) => label.includes('aws_vpc') && label.includes('main')), labels.join(' | '));
      await p.keyboard.press('Escape');
      await p.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    });
  });

  it('formats the file the way terraform fmt does', async () => {
    await scenario('format', async () => {
      const p = ui();
      await focusEditor();
      await p.keyboard.press('Control+Shift+I'); // Format Document, on Linux
      // terraform fmt aligns the equals signs of the arguments in a block. The editor renders
      // spaces as no-break spaces, and Playwright's text matching would collapse them.
      const aligned = ['  cidr_block = var.cidr', '  tags       = { region = var.region }'];
      await p.waitForFunction(`(() => {
        const lines = [...document.querySelectorAll('.editor-instance .view-line')].map((line) => line.textContent.replace(/\\u00a0/g, ' '));
        return ${JSON.stringify(aligned)}.every((text) => lines.includes(text));
      })()`);
    });
  });
});
