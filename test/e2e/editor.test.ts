/**
 * The extension as a user meets it: a real VS Code (code-server) in headless Chromium, driven
 * by playwright-core, on a temporary copy of test/fixtures/e2e-workspace with a fresh user data
 * directory. One code-server and one browser context for the whole file; the scenarios run in
 * order on the same window. Every wait is on a selector or a condition, never a fixed sleep.
 * A failing scenario leaves test-output/e2e/<scenario>.png behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WAIT_TIMEOUT_MS, WORKBENCH_TIMEOUT_MS } from './browser';
import { EditorSession, STATUS_BAR_ITEM } from './editorSession';

const MANIFEST = 'broken.yaml';

const REPLICAS_ERROR = 'Wrong type for "replicas": expected an integer, found the string "3".';
const UNKNOWN_FIELD_ERROR = 'Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?';
const LATEST_TAG_WARNING =
  'Container "web": image "nginx:latest" uses the "latest" tag, so it can change without notice. Pin a version tag or a digest (image@sha256:...).';

describe('GitOps IaC in VS Code (code-server + Chromium)', { timeout: 170_000 }, () => {
  const session = new EditorSession();
  before(() => session.open(), { timeout: 120_000 });
  after(() => session.close());

  /** Opens the manifest from the Explorer (a double click keeps it open and focuses the editor). */
  async function openManifest(): Promise<void> {
    const p = session.page;
    await p.locator('.explorer-folders-view .monaco-list-row', { hasText: MANIFEST }).dblclick();
    await p.locator('.tabs-container .tab.active', { hasText: MANIFEST }).waitFor();
    await p.locator('.editor-instance .monaco-editor.focused').waitFor();
  }

  /** Runs a command from the F1 palette by its full title. */
  async function runCommand(title: string): Promise<void> {
    const p = session.page;
    await p.keyboard.press('F1');
    const input = p.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await p.keyboard.type(title);
    await p.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await p.keyboard.press('Enter');
    await p.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Ctrl+G to `line:column`, waiting until the status bar shows the cursor there. */
  async function goTo(line: number, column: number): Promise<void> {
    const p = session.page;
    await p.keyboard.press('Control+G');
    await p.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await p.keyboard.type(`${line}:${column}`);
    await p.keyboard.press('Enter');
    await p.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await p.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** The Problems panel's rows as their text: message, source and code, and `[Ln x, Col y]`. */
  async function problemRows(): Promise<string[]> {
    return (await session.page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((text) => text.trim());
  }

  /** Waits until `check(rows)` holds for the Problems rows; fails with the rows last seen. */
  async function waitForProblems(what: string, check: (rows: string[]) => boolean): Promise<string[]> {
    let rows: string[] = [];
    try {
      await waitUntil(async () => check((rows = await problemRows())), WAIT_TIMEOUT_MS);
    } catch {
      assert.fail(`Problems panel never showed ${what}; last rows:\n${rows.join('\n---\n')}`);
    }
    return rows;
  }

  /** Polls `condition` on each animation frame of the page (no fixed sleep) until it holds. */
  async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      // Yields to the page until it has painted again: the rows can only change between frames.
      await session.page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    }
  }

  const squiggles = (kind: 'error' | 'warning') => session.page.locator(`.editor-instance .monaco-editor .squiggly-${kind}`);

  it('status bar item shows the language server is ready', async () => {
    await session.scenario('status-bar-ready', async () => {
      const p = session.page;
      const item = p.locator(STATUS_BAR_ITEM);
      await item.locator('.codicon-check').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
      assert.equal((await item.innerText()).trim(), 'GitOps IaC');
      // The tooltip is a custom hover: it appears when the mouse rests on the item.
      await item.hover();
      const tooltip = p.locator('.monaco-hover, .workbench-hover', { hasText: 'Click to show the output.' });
      await tooltip.waitFor();
      const text = await tooltip.innerText();
      // The server's state message, the Kubernetes version, the index size (the fixture's 2 files).
      assert.match(text, /Validating against Kubernetes 1\.36/);
      assert.match(text, /2 indexed files/);
      await p.mouse.move(700, 300);
    });
  });

  it('shows the errors of a broken manifest as squiggles and in the Problems panel, with their lines', async () => {
    await session.scenario('problems', async () => {
      await openManifest();
      await squiggles('error').nth(1).waitFor();
      assert.equal(await squiggles('error').count(), 2, 'one error squiggle per schema error');
      await squiggles('warning').first().waitFor();

      await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
      const rows = await waitForProblems('the file and its three findings', (found) => found.length === 4);
      // A file row, then the findings, errors first; each reads "message, source, code, [Ln, Col]".
      assert.deepEqual(rows, [
        `${MANIFEST}\n3`,
        `${REPLICAS_ERROR}\ngitops-iac\nk8s/schema\n[Ln 6, Col 13]`,
        `${UNKNOWN_FIELD_ERROR}\ngitops-iac\nk8s/schema\n[Ln 18, Col 11]`,
        `${LATEST_TAG_WARNING}\ngitops-iac\nk8s/no-latest-tag\n[Ln 17, Col 18]`,
      ]);
      await session.screenshot('problems');
    });
  });
  it('hover on a key shows its schema documentation', async () => {
    await session.scenario('hover', async () => {
      const p = session.page;
      await openManifest();
      await goTo(6, 5); // inside `replicas`
      await p.keyboard.press('Control+K');
      await p.keyboard.press('Control+I'); // Show or Focus Hover
      const hover = p.locator('.monaco-editor .monaco-hover', { hasText: 'Number of desired pods' });
      await hover.waitFor();
      const text = await hover.innerText();
      assert.match(text, /replicas: integer/);
      assert.match(text, /Number of desired pods\. This is a pointer to distinguish between explicit zero and not specified\. Defaults to 1\./);
      await p.keyboard.press('Escape');
      await hover.waitFor({ state: 'hidden' });
    });
  });

  it('completion inside a container offers the keys of its schema', async () => {
    await session.scenario('completion', async () => {
      const p = session.page;
      await openManifest();
      await goTo(17, 1); // `image: nginx:latest`, in the container mapping
      await p.keyboard.press('End');
      await p.keyboard.press('Enter'); // a new line, indented like `image:`
      await p.keyboard.press('Control+Space');
      const rows = p.locator('.editor-widget.suggest-widget .monaco-list-row');
      await rows.filter({ hasText: 'imagePullPolicy' }).first().waitFor();
      const labels = (await rows.locator('.label-name').allInnerTexts()).map((label) => label.trim());
      assert.ok(labels.includes('imagePullPolicy'), `imagePullPolicy offered; got ${labels.join(', ')}`);
      assert.ok(!labels.includes('image'), 'a key already present (image) is not offered again');
      await p.keyboard.press('Escape');
      await p.locator('.editor-widget.suggest-widget').waitFor({ state: 'hidden' });
      await p.keyboard.press('Control+Z'); // take the new line back out
      await p.locator('.statusbar-item', { hasText: 'Ln 17, Col 30' }).waitFor();
    });
  });

  it('fixing the text by typing clears the squiggles and the Problems rows', async () => {
    await session.scenario('fix-clears-errors', async () => {
      const p = session.page;
      await openManifest();
      // replicas: "3" → replicas: 3
      await goTo(6, 13);
      await p.keyboard.press('Shift+End');
      await p.keyboard.type('3');
      await waitForProblems('the replicas error gone', (rows) => rows.length === 3 && !rows.some((row) => row.includes('"replicas"')));
      assert.equal(await squiggles('error').count(), 1);

      // imagePullpolicy → imagePullPolicy
      await goTo(18, 11);
      await p.keyboard.press('Control+Shift+ArrowRight');
      await p.keyboard.type('imagePullPolicy');
      await p.keyboard.press('Escape'); // whatever suggestion the typing opened
      await squiggles('error').first().waitFor({ state: 'detached' });
      const rows = await waitForProblems('only the latest-tag warning', (found) => found.length === 2);
      assert.deepEqual(rows, [`${MANIFEST}\n1`, `${LATEST_TAG_WARNING}\ngitops-iac\nk8s/no-latest-tag\n[Ln 17, Col 18]`]);
      await squiggles('warning').first().waitFor();
    });
  });
});
