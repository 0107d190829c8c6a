/**
 * The Drift view as a user meets it: a real VS Code (code-server) in headless Chromium on a
 * temporary copy of test/fixtures/drift/e2e/, against the local HTTPS Kubernetes API server
 * (test/support/kubeApiServer.ts) through a kubeconfig that trusts its certificate by
 * certificate-authority-data. Live, `web` was scaled with kubectl edit (drifted), `api` is as
 * applied (in sync, with the server's defaults and metadata), the `settings` ConfigMap was
 * never applied (missing) and the Secret's password was changed (drifted; neither password
 * may reach the page or any log). The scenarios run in order on one window: the tree, the
 * diff, masking, the code lens, Adopt Live Value from the tree (an unsaved edit; the cluster
 * sees only GETs), auto-refresh after the cluster changes again, the quick fix, and another
 * context chosen in the view whose token is refused. Every
 * wait is on a selector or a condition, never a fixed sleep.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { KubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';
import { REPO_ROOT, copyFixtureWorkspace, removeWorkspace } from './browser';
import { EditorSession } from './editorSession';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'drift', 'e2e');
const GIT_PASSWORD = 'git-declared-Xq7pw-e2e';
const LIVE_PASSWORD = 'live-changed-Zr9k-e2e';
/** Every form a password could leak in: as text and base64. */
const SECRET_FORMS = [GIT_PASSWORD, LIVE_PASSWORD].flatMap((value) => [value, Buffer.from(value).toString('base64')]);

/** The Drift view's rows live in the side bar; each row's text is its label and description. */
const DRIFT_ROWS = '.part.sidebar .monaco-list-row';

describe('the Drift view in VS Code (code-server + Chromium)', { timeout: 200_000 }, () => {
  const session = new EditorSession({ screenshotPrefix: 'drift-' });
  let api: KubeApiServer | undefined;
  /** A copy of the fixture, with the kubeconfig next to it. */
  let workspace: string | undefined;

  before(async () => {
    workspace = copyFixtureWorkspace(FIXTURE);
    api = await KubeApiServer.start();
    for (const file of ['web.yaml', 'api.yaml', 'db-credentials.yaml']) api.seed(fs.readFileSync(path.join(workspace, 'apps', file), 'utf8'));
    api.mutate({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, (object) => {
      (object.spec as Record<string, unknown>).replicas = 5;
    });
    api.mutate({ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db-credentials' }, (object) => {
      object.data = { password: Buffer.from(LIVE_PASSWORD).toString('base64') };
    });
    const kubeconfig = writeKubeconfig(path.dirname(workspace), [
      { name: 'e2e-cluster', server: api.url, caPem: api.caPem, token: api.token, namespace: 'shop' },
      { name: 'e2e-expired', server: api.url, caPem: api.caPem, token: 'expired-token' },
    ]);
    // The session's window is trusted: the server reads a live cluster only in a trusted workspace.
    await session.open({
      workspace,
      // VS Code in a browser saves after a delay by default; the desktop default (off) shows
      // that Adopt Live Value leaves an unsaved change.
      settings: { 'gitopsIac.drift.kubeconfig': kubeconfig, 'files.autoSave': 'off' },
    });
  }, { timeout: 150_000 });

  after(async () => {
    await session.close();
    await api?.close();
    removeWorkspace(workspace);
    api = workspace = undefined;
  });

  const row = (label: string): Locator => session.page.locator(DRIFT_ROWS, { hasText: label });
  /** The row's own icon (a status icon of a resource), not the icons of its inline actions. */
  const rowIcon = (label: string, codicon: string): Locator => row(label).locator(`.custom-view-tree-node-item-icon.codicon-${codicon}`);

  /** Picks `label` with the view's "Choose Cluster Context…" action, keeping the namespace. */
  async function chooseContext(label: string): Promise<void> {
    const p = session.page;
    await p.locator('.part.sidebar .action-label[aria-label="Choose Cluster Context…"]').first().click();
    await p.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
    await p.locator('.quick-input-widget', { hasText: 'Drift: namespace' }).waitFor();
    await p.keyboard.press('Enter');
    await p.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Fails unless no password, in any form, is in the page's text, the extension's output channel or code-server's output. */
  async function assertNoSecretShown(): Promise<void> {
    const outputs = { page: await session.page.locator('body').innerText(), ...session.logs() };
    for (const [where, text] of Object.entries(outputs)) {
      for (const form of SECRET_FORMS) assert.ok(!text.includes(form), `the ${where} shows a Secret value (${form.length} characters)`);
    }
  }

  it('lists every resource of the workspace with its status, drifted first', async () => {
    await session.scenario('view-rows', async () => {
      // Once the language server is ready (it has read the settings that name the kubeconfig),
      // the activity bar container "GitOps": its Drift view reads the cluster when first shown.
      await session.languageServerReady();
      await session.page.locator('.activitybar .action-item a[aria-label^="GitOps"]').click();
      await row('e2e-cluster').waitFor({ timeout: 60_000 });
      await row('Deployment/shop/web').waitFor({ timeout: 60_000 });

      await rowIcon('Deployment/shop/web', 'diff').waitFor();
      assert.match(await row('Deployment/shop/web').innerText(), /1 field drifted/);
      await rowIcon('Deployment/shop/api', 'pass').waitFor();
      assert.match(await row('Deployment/shop/api').innerText(), /in sync/);
      await rowIcon('ConfigMap/shop/settings', 'circle-slash').waitFor();
      assert.match(await row('ConfigMap/shop/settings').innerText(), /missing live/);
      await rowIcon('Secret/shop/db-credentials', 'diff').waitFor();
      assert.match(await row('e2e-cluster').innerText(), /as of \d\d:\d\d/);

      const labels = (await session.page.locator(DRIFT_ROWS).allInnerTexts()).map((text) => text.split('\n')[0]);
      const order = ['Deployment/shop/web', 'ConfigMap/shop/settings', 'Deployment/shop/api'].map((label) => labels.findIndex((text) => text.startsWith(label)));
      assert.deepEqual([...order].sort((a, b) => a - b), order, `drifted, then missing, then in sync: ${labels.join(' | ')}`);

      // Two drifted and one missing: the status bar counts them, and a click brings the view back.
      const count = session.page.locator('.statusbar-item', { hasText: '3 drifted' });
      await count.waitFor();
      await session.page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
      await row('Deployment/shop/web').waitFor({ state: 'hidden' });
      await count.click();
      await row('Deployment/shop/web').waitFor();
    });
  });

  it('shows the drifted field as desired → live, and opens the diff on a click', async () => {
    await session.scenario('view-diff', async () => {
      const web = row('Deployment/shop/web');
      await web.locator('.monaco-tl-twistie').click();
      const field = row('spec.replicas');
      await field.waitFor();
      assert.match(await field.innerText(), /3 → 5/);

      await web.click();
      const p = session.page;
      await p.locator('.tabs-container .tab.active', { hasText: 'web (git ↔ live)' }).waitFor();
      const diff = p.locator('.editor-instance .monaco-diff-editor');
      await diff.waitFor();
      await diff.locator('.editor.original .view-lines', { hasText: 'replicas: 3' }).waitFor();
      await diff.locator('.editor.modified .view-lines', { hasText: 'replicas: 5' }).waitFor();
    });
  });

  it('never shows a Secret value, in the tree or the diff', async () => {
    await session.scenario('view-secret', async () => {
      const secret = row('Secret/shop/db-credentials');
      await secret.locator('.monaco-tl-twistie').click();
      await row('data.password').waitFor();
      await secret.click();
      const p = session.page;
      await p.locator('.tabs-container .tab.active', { hasText: 'db-credentials (git ↔ live)' }).waitFor();
      await p.locator('.editor-instance .monaco-diff-editor .editor.modified .view-lines', { hasText: 'password' }).waitFor();
      await assertNoSecretShown();
    });
  });

  it('puts a code lens above the drifted resource in its manifest', async () => {
    await session.scenario('code-lens', async () => {
      const p = session.page;
      await p.keyboard.press('Control+P');
      await p.locator('.quick-input-widget input').waitFor({ state: 'visible' });
      await p.keyboard.type('web.yaml');
      await p.locator('.quick-input-list .monaco-list-row', { hasText: 'web.yaml' }).first().waitFor();
      await p.keyboard.press('Enter');
      await p.locator('.tabs-container .tab.active', { hasText: 'web.yaml' }).waitFor();
      const lens = p.locator('.editor-instance .monaco-editor .codelens-decoration', { hasText: 'Drift: replicas 3 → 5 live' });
      await lens.waitFor();
      assert.match(await lens.innerText(), /kubectl-edit/);
    });
  });

  it('adopts the live value as an unsaved edit of the manifest, never a cluster write', async () => {
    await session.scenario('adopt-live', async () => {
      const p = session.page;
      await row('spec.replicas').click({ button: 'right' });
      await p.locator('.context-view .monaco-menu .action-item', { hasText: 'Adopt Live Value' }).click();
      await p.locator('.tabs-container .tab.active.dirty', { hasText: 'web.yaml' }).waitFor();
      await p.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'replicas: 5' }).waitFor();
      assert.ok(workspace);
      assert.match(fs.readFileSync(path.join(workspace, 'apps', 'web.yaml'), 'utf8'), /replicas: 3/, 'the file on disk is unchanged until saved');
      assert.ok(api);
      assert.deepEqual(api.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`), [], 'drift only reads the cluster');

      // The unsaved edit is what git will declare: after a refresh, web is in sync.
      await p.locator('.part.sidebar .action-label.codicon-refresh').first().click();
      await rowIcon('Deployment/shop/web', 'pass').waitFor();
      await p.locator('.statusbar-item', { hasText: '2 drifted' }).waitFor();
    });
  });

  it('refreshes by itself every gitopsIac.drift.autoRefreshSeconds while visible', async () => {
    await session.scenario('auto-refresh', async () => {
      assert.ok(api);
      api.mutate({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, (object) => {
        (object.spec as Record<string, unknown>).replicas = 7;
      });
      // Workspace settings, as a team would commit them; VS Code picks the file up as it changes.
      assert.ok(workspace);
      fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'gitopsIac.drift.autoRefreshSeconds': 1 }));
      await rowIcon('Deployment/shop/web', 'diff').waitFor();
      // The open manifest's lens follows too (git's side is the unsaved edit: 5).
      await session.page.locator('.editor-instance .monaco-editor .codelens-decoration', { hasText: 'Drift: replicas 5 → 7 live' }).waitFor();
    });
  });

  it('offers Adopt Live Value as a quick fix on the drifted value', async () => {
    await session.scenario('quick-fix', async () => {
      const p = session.page;
      await p.locator('.editor-instance .monaco-editor .view-lines').click();
      await p.keyboard.press('Control+G');
      await p.locator('.quick-input-widget input').waitFor({ state: 'visible' });
      await p.keyboard.type('10:13');
      await p.keyboard.press('Enter');
      await p.locator('.statusbar-item', { hasText: 'Ln 10, Col 13' }).waitFor();
      await p.keyboard.press('Control+.');
      // The only fix offered there, so it is the focused one.
      await p.getByText('Adopt live value of spec.replicas').waitFor();
      await p.keyboard.press('Enter');
      await p.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'replicas: 7' }).waitFor();
    });
  });

  it('reads another context chosen in the view, and says in words why it cannot', async () => {
    await session.scenario('choose-context', async () => {
      const p = session.page;
      await chooseContext('e2e-expired');
      // The environment (first row) and its error (the message names the context too).
      const environment = session.page.locator(DRIFT_ROWS).first();
      await environment.locator('.custom-view-tree-node-item-icon.codicon-warning').waitFor();
      assert.match(await environment.innerText(), /^e2e-expired/);
      const error = row('401 Unauthorized');
      await error.locator('.custom-view-tree-node-item-icon.codicon-warning').waitFor();
      assert.match(await error.innerText(), /credentials of context "e2e-expired" were refused/);
      await error.click();
      await p.locator('.tabs-container .tab.active', { hasText: 'Settings' }).waitFor();

      await chooseContext('Current context');
      await row('Deployment/shop/web').waitFor();
      await row('e2e-expired').waitFor({ state: 'detached' });
    });
  });
});
