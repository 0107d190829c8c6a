/**
 * `gitops-iac check` on the fixture GitOps repository: the overlays are rendered and what
 * they produce is validated, with each problem reported in the file that caused it, and the
 * healthy overlays' patches (partial objects) raise no false errors.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { runCli } from './runCli';

const ROOT = path.resolve(__dirname, '..', '..');
const REPO = path.join(ROOT, 'test', 'fixtures', 'gitops-repo');

async function check(args: readonly string[]): Promise<{ code: number; diagnostics: JsonDiagnostic[]; stderr: string }> {
  const { code, stdout, stderr } = await runCli(['check', '--format', 'json', ...args], REPO);
  return { code, diagnostics: (JSON.parse(stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics, stderr };
}

const KUSTOMIZE_FOLDERS = ['base', 'components', 'overlays'];

describe('gitops-iac check on a Kustomize repository', () => {
  it('reports the broken overlay\'s problems where they come from, and nothing false elsewhere', async () => {
    const { code, diagnostics, stderr } = await check(KUSTOMIZE_FOLDERS);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`), [
      'overlays/broken/bad-field.yaml:10:11 k8s/schema',
      'overlays/broken/kustomization.yaml:4:1 kustomize/schema',
      'overlays/broken/kustomization.yaml:7:5 kustomize/missing-path',
      'overlays/broken/kustomization.yaml:14:9 kustomize/missing-path',
      'overlays/broken/no-target.yaml:4:3 kustomize/patch-target',
    ]);
    // The qa overlay uses replacements, which only kubectl renders: the CLI says so instead of guessing.
    assert.deepEqual(diagnostics.filter((d) => d.severity !== 'error').map((d) => `${d.file}:${d.line} ${d.rule}`), [
      'overlays/prod/kustomization.yaml:8 kustomize/deprecated-field',
      'overlays/qa/kustomization.yaml:10 kustomize/not-rendered',
    ]);
  });

  it('exits 0 for the healthy overlays checked on their own (with the bases they include)', async () => {
    const { code, diagnostics } = await check(['base', 'components', 'overlays/dev', 'overlays/staging', 'overlays/prod']);
    assert.equal(code, 0);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  });
});
