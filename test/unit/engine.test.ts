import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { locateWasmFiles } from '../../server/src/node/wasmFiles';
import { loadTerraformParser } from '../../server/src/terraform/parser';
import { TerraformWorkspace } from '../../server/src/terraform/workspace';
import { ValidationEngine } from '../../server/src/engine/engine';
import { SchemaStore } from '../../server/src/kubernetes/schemaStore';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/settings';

const store = new SchemaStore({ read: (p) => { try { return readFileSync(`schemas/${p}`, 'utf8'); } catch { return undefined; } } });
const engineWith = (raw: unknown = {}): ValidationEngine => new ValidationEngine(store, parseSettings(raw).settings);
const errorsOf = (engine: ValidationEngine, uri: string): string[] =>
  engine.diagnose(uri).filter((f) => f.severity === 'error').map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule} ${f.message}`);

describe('ValidationEngine', () => {
  it('validates the items of a kind: List at their own lines', () => {
    const engine = engineWith();
    engine.setFile('file:///w/list.yaml', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n    data: {n: 1}\n');
    assert.deepEqual(errorsOf(engine, 'file:///w/list.yaml'), ['7:15 k8s/schema Wrong type for "n": expected a string, found the integer 1.']);
  });

  it('treats a file as Kubernetes only when a document has apiVersion and kind', () => {
    const engine = engineWith();
    engine.setFile('file:///w/chart/Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 1.0.0\n');
    engine.setFile('file:///w/values.yaml', 'replicas: "three"\n');
    assert.deepEqual(engine.diagnose('file:///w/chart/Chart.yaml'), []);
    assert.deepEqual(engine.diagnose('file:///w/values.yaml'), []);
  });

  it('accepts comment-only documents, ... markers, anchors and merge keys', () => {
    const engine = engineWith();
    const text = '# header only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: a}\ndata: &d {k: v}\n...\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {<<: *m}\ndata:\n  <<: *d\n  extra: x\n';
    engine.setFile('file:///w/anchors.yaml', text);
    // The alias in the second document refers to an anchor of the first: YAML scopes anchors per document.
    assert.deepEqual(engine.diagnose('file:///w/anchors.yaml').filter((f) => f.rule.startsWith('yaml/')).map((f) => f.rule), ['yaml/alias', 'yaml/alias']);
    engine.setFile('file:///w/merge.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: merged}\ndata:\n  <<: {k: v}\n  extra: x\n');
    assert.deepEqual(engine.diagnose('file:///w/merge.yaml'), []);
  });

  it('re-analyses only the sections an edit touched', () => {
    const engine = engineWith();
    const doc = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;
    engine.setFile('file:///w/many.yaml', [doc('a'), doc('b'), doc('c')].join('---\n'));
    const before = engine.diagnose('file:///w/many.yaml');
    engine.setFile('file:///w/many.yaml', [doc('a'), doc('b'), doc('c').replace('a: b', 'a: 1')].join('---\n'));
    const after = engine.diagnose('file:///w/many.yaml');
    assert.equal(before.length, 0);
    assert.deepEqual(after.map((f) => [f.range.start.line, f.rule]), [[13, 'k8s/schema']]);
  });

  it('validates custom resources against CRDs found in the workspace, and again when the CRD changes', () => {
    const engine = engineWith();
    const crd = (type: string): string => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: things.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Thing, plural: things}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                size: {type: ${type}}\n`;
    engine.setFile('file:///w/thing.yaml', 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec: {size: big}\n');
    assert.deepEqual(engine.diagnose('file:///w/thing.yaml').map((f) => f.rule), ['k8s/unknown-kind']);
    engine.setFile('file:///w/crd.yaml', crd('integer'));
    assert.deepEqual(errorsOf(engine, 'file:///w/thing.yaml'), ['4:14 k8s/schema Wrong type for "size": expected an integer, found the string "big".']);
    engine.setFile('file:///w/crd.yaml', crd('string'));
    assert.deepEqual(engine.diagnose('file:///w/thing.yaml'), []);
    engine.removeFile('file:///w/crd.yaml');
    assert.deepEqual(engine.diagnose('file:///w/thing.yaml').map((f) => f.rule), ['k8s/unknown-kind']);
  });

  it('skips files over the size limit and binary files with a note', () => {
    const engine = engineWith({ validate: { maxFileSize: 100 } });
    engine.setFile('file:///w/big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: "${'x'.repeat(200)}"}\n`);
    engine.setFile('file:///w/bin.yaml', 'apiVersion: v1\u0000kind');
    assert.deepEqual(engine.diagnose('file:///w/big.yaml').map((f) => [f.rule, f.severity]), [['file/skipped', 'info']]);
    assert.match(engine.diagnose('file:///w/bin.yaml')[0].message, /binary data/);
  });

  it('turns rules off or changes their level from settings', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: "nginx:1.27"}]\n';
    const loud = engineWith();
    loud.setFile('file:///w/pod.yaml', text);
    assert.ok(loud.diagnose('file:///w/pod.yaml').some((f) => f.rule === 'k8s/host-namespaces' && f.severity === 'warning'));
    const quiet = engineWith({ rules: { 'k8s/host-namespaces': 'off', 'k8s/run-as-non-root': 'error' } });
    quiet.setFile('file:///w/pod.yaml', text);
    const rules = quiet.diagnose('file:///w/pod.yaml');
    assert.ok(!rules.some((f) => f.rule === 'k8s/host-namespaces'));
    assert.ok(rules.some((f) => f.rule === 'k8s/run-as-non-root' && f.severity === 'error'));
  });

  it('judges API removals by the target Kubernetes version', () => {
    const text = 'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: i}\n';
    const old = engineWith({ kubernetes: { version: '1.19' } });
    old.setFile('file:///w/i.yaml', text);
    assert.deepEqual(old.diagnose('file:///w/i.yaml').map((f) => [f.rule, f.severity]), [['k8s/deprecated-api', 'warning'], ['k8s/unknown-kind', 'info']]);
    const current = engineWith();
    current.setFile('file:///w/i.yaml', text);
    const [removed] = current.diagnose('file:///w/i.yaml');
    assert.equal(removed.rule, 'k8s/removed-api');
    assert.deepEqual(removed.fixes?.[0].edits[0].newText, 'networking.k8s.io/v1');
    assert.equal(DEFAULT_SETTINGS.kubernetes.version, '1.36');
  });
});

describe('ValidationEngine with Terraform', () => {
  before(() => loadTerraformParser(locateWasmFiles('/nonexistent')));
  const terraformEngine = (raw: unknown = {}): ValidationEngine => new ValidationEngine(store, parseSettings(raw).settings, [new TerraformWorkspace()]);
  const rulesOf = (engine: ValidationEngine, uri: string): string[] => engine.diagnose(uri).map((f) => `${f.rule}:${f.severity}`);

  it('routes .tf files to Terraform and applies rule levels to its findings', () => {
    const loud = terraformEngine();
    loud.setFile('file:///w/main.tf', 'variable "v" {}\n');
    assert.deepEqual(rulesOf(loud, 'file:///w/main.tf'), ['tf/unused-declaration:warning']);
    const quiet = terraformEngine({ rules: { 'tf/unused-declaration': 'off' } });
    quiet.setFile('file:///w/main.tf', 'variable "v" {}\n');
    assert.deepEqual(rulesOf(quiet, 'file:///w/main.tf'), []);
  });

  it('honours # and // suppression comments in Terraform, but never silences a syntax error', () => {
    const engine = terraformEngine();
    engine.setFile('file:///w/a.tf', '# gitops-iac-disable-next-line tf/unused-declaration\nvariable "v" {}\n');
    engine.setFile('file:///w/b/b.tf', '// gitops-iac-disable-next-line tf/unused-declaration\nvariable "w" {}\n');
    engine.setFile('file:///w/c/c.tf', '# gitops-iac-disable\nlocals {\n  a = "x\n}\n');
    assert.deepEqual(rulesOf(engine, 'file:///w/a.tf'), []);
    assert.deepEqual(rulesOf(engine, 'file:///w/b/b.tf'), []);
    assert.deepEqual(rulesOf(engine, 'file:///w/c/c.tf').filter((r) => r.startsWith('tf/syntax')), ['tf/syntax:error']);
  });
});
