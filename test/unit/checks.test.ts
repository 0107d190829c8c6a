/**
 * Each semantic and workspace check with a failing and a passing case, through the engine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationEngine } from '../../server/src/engine/engine';
import { SchemaStore } from '../../server/src/kubernetes/schemaStore';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

const store = new SchemaStore({ read: (p) => { try { return readFileSync(`schemas/${p}`, 'utf8'); } catch { return undefined; } } });

/** Findings of one rule per file, as `file:line message`, for a set of files. */
function findings(files: Record<string, string>, rule: string): string[] {
  const engine = new ValidationEngine(store, DEFAULT_SETTINGS);
  for (const [name, text] of Object.entries(files)) engine.setFile(`file:///w/${name}`, text);
  return Object.keys(files).flatMap((name) =>
    engine.diagnose(`file:///w/${name}`).filter((f) => f.rule === rule).map((f) => `${name}:${f.range.start.line + 1} ${f.message}`));
}

const deployment = (options: { name?: string; selector?: string; labels?: string; container?: string; namespace?: string } = {}): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${options.name ?? 'web'}\n${options.namespace ? `  namespace: ${options.namespace}\n` : ''}spec:\n  selector:\n    matchLabels: {${options.selector ?? 'app: web'}}\n  template:\n    metadata:\n      labels: {${options.labels ?? 'app: web'}}\n    spec:\n      containers: [{name: ${options.container ?? 'web'}, image: "web:1.0"}]\n`;

describe('k8s/selector-mismatch', () => {
  it('fails when the selector does not select the pod template', () => {
    assert.deepEqual(findings({ 'd.yaml': deployment({ labels: 'app: other' }) }, 'k8s/selector-mismatch'), [
      "d.yaml:6 spec.selector does not match the pod template's labels (it wants app=web): the API server rejects this Deployment.",
    ]);
  });
  it('passes when matchLabels and matchExpressions select it', () => {
    const text = deployment({ labels: 'app: web, tier: front' }).replace('matchLabels: {app: web}', 'matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: In, values: [front]}]');
    assert.deepEqual(findings({ 'd.yaml': text }, 'k8s/selector-mismatch'), []);
  });
  it('fails when a matchExpression excludes the pods', () => {
    const text = deployment({ labels: 'app: web, tier: front' }).replace('matchLabels: {app: web}', 'matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: NotIn, values: [front]}]');
    assert.equal(findings({ 'd.yaml': text }, 'k8s/selector-mismatch').length, 1);
  });
});

describe('k8s/invalid-name', () => {
  it('fails on names that are not DNS names, with the kind-specific rule', () => {
    assert.deepEqual(findings({ 'd.yaml': deployment({ name: 'Web_App', container: 'Web' }) }, 'k8s/invalid-name').map((f) => f.split(' ').slice(0, 4).join(' ')), [
      'd.yaml:4 Deployment name "Web_App"',
      'd.yaml:12 Container name "Web"',
    ]);
    assert.equal(findings({ 's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web.front}\n' }, 'k8s/invalid-name').length, 1, 'a Service name is a DNS label: no dots');
  });
  it('passes on valid names, including dotted names where subdomains are allowed', () => {
    assert.deepEqual(findings({ 'd.yaml': deployment({ name: 'web.front-1' }) }, 'k8s/invalid-name'), []);
  });
});

describe('k8s/duplicate-resource', () => {
  it('fails when two files define the same kind, namespace and name', () => {
    assert.deepEqual(findings({ 'a.yaml': deployment(), 'b.yaml': deployment() }, 'k8s/duplicate-resource'), [
      'a.yaml:4 Deployment "web" is also defined at b.yaml:4: one would overwrite the other when applied.',
      'b.yaml:4 Deployment "web" is also defined at a.yaml:4: one would overwrite the other when applied.',
    ]);
  });
  it('passes for different namespaces, and inside kustomization folders (bases and overlays)', () => {
    assert.deepEqual(findings({ 'a.yaml': deployment({ namespace: 'one' }), 'b.yaml': deployment({ namespace: 'two' }) }, 'k8s/duplicate-resource'), []);
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml]\n';
    assert.deepEqual(findings({ 'base/kustomization.yaml': kustomization, 'base/web.yaml': deployment(), 'overlays/prod/kustomization.yaml': kustomization, 'overlays/prod/web.yaml': deployment() }, 'k8s/duplicate-resource'), []);
  });
});

describe('k8s/service-selects-nothing', () => {
  const service = (selector: string, namespace?: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  selector: {${selector}}\n  ports: [{port: 80}]\n`;
  it('fails when no workload creates pods with the selected labels', () => {
    assert.deepEqual(findings({ 'd.yaml': deployment(), 's.yaml': service('app: api') }, 'k8s/service-selects-nothing'), [
      's.yaml:6 This Service selects app=api, but no workload in the workspace creates pods with these labels.',
    ]);
    assert.equal(findings({ 'd.yaml': deployment({ namespace: 'a' }), 's.yaml': service('app: web', 'b') }, 'k8s/service-selects-nothing').length, 1, 'other namespace');
  });
  it('passes when a workload in another file creates matching pods', () => {
    assert.deepEqual(findings({ 'd.yaml': deployment(), 's.yaml': service('app: web') }, 'k8s/service-selects-nothing'), []);
  });
});

describe('k8s/unresolved-reference', () => {
  const withRefs = deployment().replace('image: "web:1.0"}', 'image: "web:1.0", envFrom: [{configMapRef: {name: settings}}, {secretRef: {name: creds, optional: true}}]}');
  it('notes references no file defines, skipping optional ones', () => {
    assert.deepEqual(findings({ 'd.yaml': withRefs }, 'k8s/unresolved-reference'), [
      'd.yaml:12 ConfigMap "settings" is not defined in the workspace (it may exist only in the cluster).',
    ]);
  });
  it('passes when another file defines the ConfigMap', () => {
    assert.deepEqual(findings({ 'd.yaml': withRefs, 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n' }, 'k8s/unresolved-reference'), []);
  });
});

describe('k8s/unknown-kind', () => {
  it('notes a kind with no schema at information level, never an error', () => {
    const engine = new ValidationEngine(store, DEFAULT_SETTINGS);
    engine.setFile('file:///w/x.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: goes}\n');
    assert.deepEqual(engine.diagnose('file:///w/x.yaml').map((f) => [f.rule, f.severity]), [['k8s/unknown-kind', 'info']]);
  });
  it('says "did you mean" for a misspelled built-in kind instead', () => {
    assert.deepEqual(findings({ 'x.yaml': 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: w}\n' }, 'k8s/schema'), ['x.yaml:2 Unknown kind "Deploymnet" in apps/v1. Did you mean "Deployment"?']);
  });
});
