import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, REPO_ROOT } from './lspClient';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
const uriOf = (name: string): string => pathToFileURL(path.join(FIXTURES, name)).href;

const BROKEN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
          imagePullpolicy: Always
`;

describe('diagnostics over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: FIXTURES });
    await client.ready();
  });
  after(() => client.stop());

  it('reports schema errors on the offending key or value, in plain words', async () => {
    const uri = uriOf('apps/broken.yaml');
    client.open(uri, BROKEN, 1);
    const errors = (await client.diagnosticsFor(uri, 1)).filter((d) => d.severity === 1);
    assert.deepEqual(errors.map((d) => [d.range, d.code, d.message]), [
      [{ start: { line: 5, character: 12 }, end: { line: 5, character: 15 } }, 'k8s/schema', 'Wrong type for "replicas": expected an integer, found the string "3".'],
      [{ start: { line: 15, character: 10 }, end: { line: 15, character: 25 } }, 'k8s/schema',
        'Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?'],
    ]);
  });

  it('clears an error once the text is fixed, publishing for the new version', async () => {
    const uri = uriOf('apps/fixed.yaml');
    client.open(uri, BROKEN, 1);
    await client.diagnosticsFor(uri, 1);
    client.edit(uri, 2, { start: { line: 5, character: 12 }, end: { line: 5, character: 15 } }, '3');
    const errors = (await client.diagnosticsFor(uri, 2)).filter((d) => d.severity === 1);
    assert.deepEqual(errors.map((d) => d.range.start.line), [15]);
  });

  it('shifts the other documents\' diagnostics when lines are inserted above them', async () => {
    const uri = uriOf('apps/multi.yaml');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\n${BROKEN}`;
    client.open(uri, text, 1);
    const first = (await client.diagnosticsFor(uri, 1)).filter((d) => d.severity === 1).map((d) => d.range.start.line);
    assert.deepEqual(first, [9, 19]);
    client.edit(uri, 2, { start: { line: 2, character: 21 }, end: { line: 2, character: 21 } }, '\n# a comment\n# another');
    const shifted = (await client.diagnosticsFor(uri, 2)).filter((d) => d.severity === 1).map((d) => d.range.start.line);
    assert.deepEqual(shifted, [11, 21]);
  });

  it('never publishes diagnostics for a version older than one already sent', async () => {
    const uri = uriOf('apps/burst.yaml');
    client.open(uri, BROKEN, 1);
    for (let version = 2; version <= 30; version++) client.replace(uri, BROKEN.replace('"3"', `"${version}"`), version);
    const last = await client.diagnosticsFor(uri, 30);
    assert.ok(last.some((d) => String(d.message).includes('"30"')));
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version ?? -1);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `versions out of order: ${versions.join(',')}`);
  });

  it('validates a custom resource with a CustomResourceDefinition from another file of the workspace', async () => {
    const uri = uriOf('apps/gadget.yaml');
    client.open(uri, 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec:\n  size: 0\n  colour: red\n', 1);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.code, d.message]), [
      [4, 'k8s/schema', '"size" must be >= 1, found 0.'],
      [5, 'k8s/schema', 'Unknown field "colour" in spec. Did you mean "color"?'],
    ]);
  });

  it('reports references that no file defines at information level, and not those another file defines', async () => {
    const uri = uriOf('apps/app.yaml');
    client.open(uri, readFileSync(path.join(FIXTURES, 'apps/app.yaml'), 'utf8'), 1);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const references = diagnostics.filter((d) => d.code === 'k8s/unresolved-reference');
    assert.deepEqual(references.map((d) => [d.severity, d.message]), [[3, 'Secret "app-secrets" is not defined in the workspace (it may exist only in the cluster).']]);
  });

  it('applies rule settings from workspace/configuration when they change', async () => {
    const uri = uriOf('apps/settings.yaml');
    client.open(uri, BROKEN, 1);
    assert.ok((await client.diagnosticsFor(uri, 1)).some((d) => d.code === 'k8s/run-as-non-root'));
    client.settings = { rules: { 'k8s/run-as-non-root': 'off', 'k8s/schema': 'warning' } };
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    const updated = await client.diagnosticsWhen(uri, (list) => !list.some((d) => d.code === 'k8s/run-as-non-root'), 'the rule to be turned off');
    assert.ok(updated.filter((d) => d.code === 'k8s/schema').every((d) => d.severity === 2));
    client.settings = {};
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    await client.diagnosticsWhen(uri, (list) => list.some((d) => d.code === 'k8s/run-as-non-root'), 'the rule to come back');
  });

  it('honours inline suppression comments', async () => {
    const uri = uriOf('apps/suppressed.yaml');
    const text = BROKEN.replace('        - name: web\n', '        # gitops-iac-disable-next-line k8s/run-as-non-root, k8s/missing-probes\n        - name: web\n');
    client.open(uri, text, 1);
    const codes = (await client.diagnosticsFor(uri, 1)).map((d) => d.code);
    assert.ok(!codes.includes('k8s/run-as-non-root') && !codes.includes('k8s/missing-probes'));
    assert.ok(codes.includes('k8s/allow-privilege-escalation'));
  });
});
