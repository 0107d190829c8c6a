/**
 * Terraform as a user meets it in the real editor: code-server in headless Chromium (the
 * launcher and browser helpers of ./browser), on a temporary copy of
 * test/fixtures/terraform-e2e opened with main.tf in an editor. One scenario per feature, in
 * order on the same window; every wait is on a selector, never a fixed sleep.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from './browser';
import { EditorSession } from './editorSession';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'terraform-e2e');
const UNDECLARED = 'No variable "cidr" is declared in this module. Declare it with variable "cidr" {}.';

describe('Terraform in VS Code (code-server + Chromium)', { timeout: 150_000 }, () => {
  const session = new EditorSession({ fixture: FIXTURE, openFile: 'main.tf', screenshotPrefix: 'terraform-' });
  before(() => session.open(), { timeout: 120_000 });
  after(() => session.close());

  it('reports an undeclared variable as a squiggle and in the Problems panel', async () => {
    await session.scenario('problems', async () => {
      assert.equal(await session.problemRowOfError(UNDECLARED), `${UNDECLARED}\ngitops-iac\ntf/undeclared-reference\n[Ln 6, Col 16]`);
    });
  });

  it('lists the blocks of the file in Go to Symbol (the outline)', async () => {
    await session.scenario('outline', async () => {
      const p = session.page;
      await session.focusEditor();
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
    await session.scenario('format', async () => {
      const p = session.page;
      await session.focusEditor();
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
