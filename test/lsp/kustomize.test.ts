/**
 * Kustomize through the real language server on the fixture GitOps repository: errors of
 * the rendered output in the patch that caused them, missing paths at their text, and an
 * edit to a base re-publishing the findings of an overlay's open patch.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient, REPO_ROOT } from './lspClient';

const REPO = path.join(REPO_ROOT, 'test', 'fixtures', 'gitops-repo');
const uriOf = (name: string): string => pathToFileURL(path.join(REPO, name)).href;
const textOf = (name: string): string => readFileSync(path.join(REPO, name), 'utf8');

describe('Kustomize over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: REPO, initializationOptions: { workspaceTrusted: false } });
    await client.ready();
  });
  after(() => client.stop());

  it('shows an error of the rendered overlay in the patch file, at the field the patch sets', async () => {
    const uri = uriOf('overlays/broken/bad-field.yaml');
    client.open(uri, textOf('overlays/broken/bad-field.yaml'));
    const diagnostics = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.code, d.message]), [
      [9, 10, 25, 'k8s/schema', 'In overlay overlays/broken: Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?'],
    ]);
  });

  it('reports a missing resource path as an error on the path\'s text', async () => {
    const uri = uriOf('overlays/broken/kustomization.yaml');
    client.open(uri, textOf('overlays/broken/kustomization.yaml'));
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const missing = diagnostics.filter((d) => d.code === 'kustomize/missing-path');
    assert.deepEqual(missing.map((d) => [d.range, d.severity, d.message]), [
      [{ start: { line: 6, character: 4 }, end: { line: 6, character: 16 } }, 1, 'The resource "ingress.yaml" does not exist.'],
      [{ start: { line: 13, character: 8 }, end: { line: 13, character: 19 } }, 1, 'The file "missing.txt" does not exist.'],
    ]);
  });

  it('re-publishes an open patch\'s findings when its base changes', async () => {
    const patch = uriOf('overlays/staging/replicas.yaml');
    const base = uriOf('base/web/deployment.yaml');
    client.open(patch, textOf('overlays/staging/replicas.yaml'));
    assert.deepEqual(await client.diagnosticsFor(patch, 1), []);
    const baseText = textOf('base/web/deployment.yaml');
    client.open(base, baseText);
    await client.diagnosticsFor(base, 1);
    // Renaming the base's Deployment leaves the overlay's patch with nothing to patch.
    client.replace(base, baseText.replace('  name: web\n  labels', '  name: web-server\n  labels'), 2);
    const after = await client.diagnosticsWhen(patch, (d) => d.length > 0, 'the patch to lose its target');
    assert.deepEqual(after.map((d) => [d.range.start.line, d.code, d.message]), [
      [3, 'kustomize/patch-target', 'This patch targets Deployment "web", which this kustomization does not produce.'],
    ]);
    client.replace(base, baseText, 3);
    await client.diagnosticsWhen(patch, (d) => d.length === 0, 'the patch to find its target again');
  });
});
