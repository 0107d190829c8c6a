/**
 * Kustomize as a user meets it in the real editor: code-server in headless Chromium (the
 * launcher and browser helpers of ./browser), on a temporary copy of the fixture GitOps
 * repository, with a patch of the broken overlay open. The error that rendering the overlay
 * finds shows in the Problems panel at the patch's line, naming the overlay.
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

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'gitops-repo');
const PATCH = 'overlays/broken/bad-field.yaml';
const MAPPED_ERROR = 'In overlay overlays/broken: Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?';

describe('Kustomize in VS Code (code-server + Chromium)', { timeout: 150_000 }, () => {
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
      workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-e2e-')), 'gitops-repo');
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
      await page.goto(launcher.workspaceUrl(server.url, workspace, { openFile: PATCH }), { timeout: WORKBENCH_TIMEOUT_MS });
      await page.locator('.tabs-container .tab.active', { hasText: path.basename(PATCH) }).waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    } catch (error) {
      await saveScreenshot(page, 'kustomize-workbench-startup');
      const logs = serverLogTail(server);
      await cleanUp();
      if (logs && error instanceof Error) error.message += `\n${logs}`;
      throw error;
    }
  }, { timeout: 120_000 });

  after(cleanUp);

  const scenario = (name: string, body: () => Promise<void>) => screenshotOnFailure(() => page, `kustomize-${name}`, body, () => serverLogTail(server));

  it('shows the error of the rendered overlay in the patch that caused it, in the Problems panel', async () => {
    await scenario('problems', async () => {
      const p = ui();
      await p.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
      await p.locator('.editor-instance .monaco-editor .view-lines').click();
      await p.keyboard.press('Control+Shift+M');
      const row = p.locator('.markers-panel .monaco-list-row', { hasText: MAPPED_ERROR });
      await row.waitFor();
      assert.equal((await row.innerText()).trim(), `${MAPPED_ERROR}\ngitops-iac\nk8s/schema\n[Ln 10, Col 11]`);
      // The patch lacks the selector and template labels a whole Deployment needs: as a patch, that is no error.
      const fileRow = p.locator('.markers-panel .monaco-list-row', { hasText: path.basename(PATCH) }).first();
      assert.match((await fileRow.innerText()).trim(), /^bad-field\.yaml[\s\S]*\n1$/);
      await saveScreenshot(p, 'kustomize-problems');
    });
  });
});
