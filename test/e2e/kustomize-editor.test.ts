/**
 * Kustomize as a user meets it in the real editor: code-server in headless Chromium (the
 * launcher and browser helpers of ./browser), on a temporary copy of the fixture GitOps
 * repository, with a patch of the broken overlay open. The error that rendering the overlay
 * finds shows in the Problems panel at the patch's line, naming the overlay.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from './browser';
import { EditorSession } from './editorSession';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'gitops-repo');
const PATCH = 'overlays/broken/bad-field.yaml';
const MAPPED_ERROR = 'In overlay overlays/broken: Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?';

describe('Kustomize in VS Code (code-server + Chromium)', { timeout: 150_000 }, () => {
  const session = new EditorSession({ fixture: FIXTURE, openFile: PATCH, screenshotPrefix: 'kustomize-' });
  before(() => session.open(), { timeout: 120_000 });
  after(() => session.close());

  it('shows the error of the rendered overlay in the patch that caused it, in the Problems panel', async () => {
    await session.scenario('problems', async () => {
      assert.equal(await session.problemRowOfError(MAPPED_ERROR), `${MAPPED_ERROR}\ngitops-iac\nk8s/schema\n[Ln 10, Col 11]`);
      // The patch lacks the selector and template labels a whole Deployment needs: as a patch, that is no error.
      const fileRow = session.page.locator('.markers-panel .monaco-list-row', { hasText: path.basename(PATCH) }).first();
      assert.match((await fileRow.innerText()).trim(), /^bad-field\.yaml[\s\S]*\n1$/);
      await session.screenshot('problems');
    });
  });
});
