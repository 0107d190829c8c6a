/**
 * Kustomize inside the validation engine: rendered output validated and each finding put in
 * the file that caused it, base findings not repeated per overlay, patches checked only as
 * part of what they patch, and an edit re-rendering only the kustomizations that read it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationEngine } from '../../server/src/engine/engine';
import { SchemaStore } from '../../server/src/kubernetes/schemaStore';
import { KustomizeWorkspace } from '../../server/src/kustomize/workspace';
import { parseSettings } from '../../server/src/settings';
import { at, memoryReader, uriOf, webDeployment, yaml } from './kustomize-helpers';

const store = new SchemaStore({ read: (p) => { try { return readFileSync(`schemas/${p}`, 'utf8'); } catch { return undefined; } } });

const DEPLOYMENT = webDeployment(
  'metadata: {name: web}',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '          envFrom: [{configMapRef: {name: settings}}]',
);

/** An engine with the Kustomize workspace over in-memory YAML files (given to the engine) and other files (read as from disk). */
function setUp(yamlFiles: Record<string, string>, otherFiles: Record<string, string> = {}, reads: string[] = []) {
  const disk = memoryReader({ ...yamlFiles, ...otherFiles });
  const counting = { readFile: (uri: string) => { reads.push(uri); return disk.readFile(uri); }, isFolder: disk.isFolder };
  const engine = new ValidationEngine(store, parseSettings({}).settings, [new KustomizeWorkspace(counting)]);
  for (const [path, text] of Object.entries(yamlFiles)) engine.setFile(uriOf(path), text);
  return engine;
}

const findings = (engine: ValidationEngine, path: string, rule?: string): string[] =>
  engine.diagnose(uriOf(path)).filter((f) => !rule || f.rule === rule).map((f) => `${at(f.range)} ${f.rule} ${f.message}`);

const BASE = {
  'base/kustomization.yaml': yaml('resources: [deployment.yaml]', 'configMapGenerator:', '  - name: settings', '    literals: [A=1]'),
  'base/deployment.yaml': DEPLOYMENT,
};

describe('Kustomize in the engine', () => {
  it('shows an error of the rendered output in the patch that caused it, and checks a patch on its own only as YAML', () => {
    const engine = setUp({
      ...BASE,
      'overlays/prod/kustomization.yaml': yaml('resources: [../../base]', 'patches: [{path: patch.yaml}]'),
      'overlays/prod/patch.yaml': yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  template:', '    spec:', '      containers:', '        - name: web', '          imagePullpolicy: Always'),
    });
    assert.deepEqual(findings(engine, 'overlays/prod/patch.yaml', 'k8s/schema'), [
      '9:11 k8s/schema In overlay overlays/prod: Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?',
    ]);
    // On its own the patch lacks the selector and the template's labels; as a patch that is fine.
    assert.deepEqual(findings(engine, 'overlays/prod/patch.yaml').filter((f) => !f.includes('imagePullpolicy')), []);
  });

  it('does not repeat a base error per overlay, and names every overlay of an error that only rendering shows', () => {
    const engine = setUp({
      ...BASE,
      'base/deployment.yaml': DEPLOYMENT.replace('          envFrom', '          imagePullpolicy: Always\n          envFrom'),
      'components/unlabel/kustomization.yaml': yaml(
        'apiVersion: kustomize.config.k8s.io/v1alpha1',
        'kind: Component',
        'patches:',
        '  - target: {kind: Deployment}',
        '    patch: |-',
        '      - op: replace',
        '        path: /spec/template/metadata/labels',
        '        value: {app: other}',
      ),
      'overlays/dev/kustomization.yaml': yaml('resources: [../../base]', 'components: [../../components/unlabel]'),
      'overlays/prod/kustomization.yaml': yaml('resources: [../../base]', 'components: [../../components/unlabel]'),
    });
    assert.deepEqual(findings(engine, 'base/deployment.yaml', 'k8s/schema'), ['14:11 k8s/schema Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?']);
    assert.deepEqual(findings(engine, 'base/deployment.yaml', 'k8s/selector-mismatch').map((f) => f.replace(/: .*/, ':')), ['5:3 k8s/selector-mismatch In overlays overlays/dev, overlays/prod:']);
  });

  it('knows generated ConfigMaps, and checks duplicates among manifests that no kustomization includes', () => {
    const engine = setUp({
      ...BASE,
      'base/stray.yaml': DEPLOYMENT,
      'legacy/web.yaml': DEPLOYMENT,
    });
    assert.deepEqual(findings(engine, 'base/deployment.yaml', 'k8s/unresolved-reference'), []);
    assert.deepEqual(findings(engine, 'base/deployment.yaml', 'k8s/duplicate-resource'), []);
    assert.deepEqual(findings(engine, 'base/stray.yaml', 'k8s/duplicate-resource').map((f) => f.slice(0, 60)), ['3:18 k8s/duplicate-resource Deployment "web" is also defined']);
  });

  it('re-renders after an edit only the kustomizations that read the edited file', () => {
    const reads: string[] = [];
    const engine = setUp({
      ...BASE,
      'overlays/a/kustomization.yaml': yaml('resources: [../../base]'),
      'other/kustomization.yaml': yaml('resources: [cm.yaml]', 'patches:', '  - target: {kind: ConfigMap}', '    path: patch.json'),
      'other/cm.yaml': yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: other}'),
    }, { 'other/patch.json': '[{"op": "add", "path": "/data", "value": {"k": "v"}}]' }, reads);
    findings(engine, 'base/deployment.yaml');
    const patchReads = (): number => reads.filter((uri) => uri.endsWith('patch.json')).length;
    const before = patchReads();
    assert.ok(before >= 1);
    engine.setFile(uriOf('base/deployment.yaml'), DEPLOYMENT.replace('nginx:1.27', 'nginx:latest'));
    assert.deepEqual(findings(engine, 'base/deployment.yaml', 'k8s/no-latest-tag').length, 1);
    findings(engine, 'other/cm.yaml');
    assert.equal(patchReads(), before, 'the unrelated kustomization was rendered again');
    assert.deepEqual(engine.dependentsOf(uriOf('base/deployment.yaml')).sort(), [uriOf('base/kustomization.yaml'), uriOf('overlays/a/kustomization.yaml')]);
  });

  it('reports the kustomization file\'s own problems on it, once however many overlays include it', () => {
    const engine = setUp({
      ...BASE,
      'base/kustomization.yaml': yaml('resources: [deployment.yaml, missing.yaml]'),
      'overlays/a/kustomization.yaml': yaml('resources: [../../base]'),
      'overlays/b/kustomization.yaml': yaml('resources: [../../base]'),
    });
    assert.deepEqual(findings(engine, 'base/kustomization.yaml'), ['1:30 kustomize/missing-path The resource "missing.yaml" does not exist.']);
  });
});
