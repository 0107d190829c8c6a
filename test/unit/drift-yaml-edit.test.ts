/**
 * "Adopt live value" as a pure edit: each case applies the edit to a real manifest text, then
 * reads the result back with the `yaml` package (an independent parser) and checks both the
 * exact text (the style a reviewer sees in the pull request) and the value at the field.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import type { Range, TextEdit } from '../../server/src/core/types';
import type { DriftResource, FieldDrift } from '../../server/src/drift/types';
import { adoptLiveValueEdit, adoptRefusal, lastPathSegment } from '../../server/src/drift/yamlEdit';
import { LineIndex } from '../../server/src/yaml/lines';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
    tier: frontend
spec:
  replicas: 3
  template:
    metadata:
      labels: {}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: [--port, "8080"]
          env:
            - name: MODE
              value: "production"
            - name: DEBUG
              value: "false"
`;

/** The range of the `occurrence`-th (0-based) `needle` in `text`. */
function rangeOfText(text: string, needle: string, occurrence = 0): Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.notEqual(offset, -1, `"${needle}" occurs ${occurrence + 1} times`);
  }
  const lines = new LineIndex(text);
  return lines.rangeOf(offset, offset + needle.length);
}

function resource(overrides: Partial<DriftResource> = {}): DriftResource {
  return {
    source: 'kubernetes',
    id: 'apps/v1/Deployment/shop/web',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    status: 'drifted',
    fields: [],
    declaredAt: { uri: 'file:///ws/web.yaml', range: rangeOfText(DEPLOYMENT, 'apiVersion') },
    ...overrides,
  };
}

function field(path: string, desired: unknown, live: unknown, declaredRange: Range | undefined): FieldDrift {
  return { path, desired, live, explanation: `${path} differs`, declaredRange };
}

function apply(text: string, edit: TextEdit): string {
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + text.slice(lines.offsetAt(edit.range.end));
}

/** Applies the adopt edit and returns the new text; fails with the refusal if there is one. */
function adopt(text: string, drift: FieldDrift, target: DriftResource = resource()): string {
  const result = adoptLiveValueEdit(text, target, drift);
  assert.ok('edit' in result, 'refusal' in result ? result.refusal : 'an edit');
  return apply(text, result.edit);
}

/** The documents of `text` as plain values, read by the `yaml` package; fails on any parse error. */
function documents(text: string): unknown[] {
  return parseAllDocuments(text).map((document) => {
    assert.deepEqual(document.errors, [], `the edited text parses:\n${text}`);
    return document.toJS();
  });
}

type Json = Record<string, unknown>;
const container = (text: string): Json => {
  const spec = ((documents(text)[0] as Json).spec as Json).template as Json;
  return ((spec.spec as Json).containers as Json[])[0];
};

describe('adopt live value: replacing what git declares', () => {
  it('replaces a scalar in place, keeping the rest of the line', () => {
    const result = adopt(DEPLOYMENT, field('spec.replicas', 3, 5, rangeOfText(DEPLOYMENT, '3')));
    assert.equal(result, DEPLOYMENT.replace('replicas: 3', 'replicas: 5'));
  });

  it('quotes a string that would read as another type', () => {
    const result = adopt(DEPLOYMENT, field('spec.replicas', 3, 'yes', rangeOfText(DEPLOYMENT, '3')));
    assert.match(result, /^ {2}replicas: "yes"$/m);
    const image = adopt(DEPLOYMENT, field('spec.template.spec.containers[name=web].image', 'nginx:1.27', 'nginx:1.28', rangeOfText(DEPLOYMENT, 'nginx:1.27')));
    assert.equal(container(image).image, 'nginx:1.28');
    assert.match(image, /^ {10}image: nginx:1\.28$/m);
  });

  it('replaces a block map with a block map indented under its key', () => {
    const labels = rangeOfText(DEPLOYMENT, 'app: web\n    tier: frontend');
    const result = adopt(DEPLOYMENT, field('metadata.labels', { app: 'web', tier: 'frontend' }, { app: 'web', team: 'shop' }, labels));
    assert.equal(result, DEPLOYMENT.replace('  labels:\n    app: web\n    tier: frontend', '  labels:\n    app: web\n    team: shop'));
  });

  it('turns a scalar into a block list when live has a list (quoting YAML 1.1 booleans)', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostname: a # keep\n';
    const result = adopt(text, field('spec.hostname', 'a', ['x', 'no'], shrink(text, 'a #')));
    assert.equal(result, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostname:\n    - x\n    - "no" # keep\n');
  });

  it('replaces a whole list item, keeping it behind its dash', () => {
    const env = rangeOfText(DEPLOYMENT, 'name: MODE\n              value: "production"');
    const result = adopt(DEPLOYMENT, field('spec.template.spec.containers[name=web].env[name=MODE]', { name: 'MODE', value: 'production' }, { name: 'MODE', value: 'staging' }, env));
    assert.deepEqual(container(result).env, [
      { name: 'MODE', value: 'staging' },
      { name: 'DEBUG', value: 'false' },
    ]);
    assert.match(result, /^ {12}- name: MODE\n {14}value: staging$/m);
  });

  it('keeps a flow list flow', () => {
    const args = rangeOfText(DEPLOYMENT, '"8080"');
    const result = adopt(DEPLOYMENT, field('spec.template.spec.containers[name=web].args[1]', '8080', '9090', args));
    assert.match(result, /args: \[--port, "9090"\]/);
  });

  it('writes a multi-line string as a block scalar indented under its key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  script: |\n    echo one\n';
    const result = adopt(text, field('data.script', 'echo one\n', 'echo one\necho two\n', rangeOfText(text, 'echo one\n')));
    assert.equal(result, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  script: |\n    echo one\n    echo two\n');
    assert.equal(((documents(result)[0] as Json).data as Json).script, 'echo one\necho two\n');
  });

  it('edits the right document of a multi-document file', () => {
    const text = `${DEPLOYMENT}---\n${DEPLOYMENT.replace('name: web', 'name: api')}`;
    const result = adopt(text, field('spec.replicas', 3, 7, shiftToValue(text, 'replicas: 3', 1)));
    const [first, second] = documents(result) as Json[];
    assert.equal((first.spec as Json).replicas, 3);
    assert.equal((second.spec as Json).replicas, 7);
  });
});

describe('adopt live value: keys and items git lacks', () => {
  it('adds a key at the end of its map, at the map indentation', () => {
    const labels = rangeOfText(DEPLOYMENT, 'labels', 0);
    const result = adopt(DEPLOYMENT, field('metadata.labels["app.kubernetes.io/version"]', undefined, '1.4.2', labels));
    assert.match(result, /^ {4}tier: frontend\n {4}app\.kubernetes\.io\/version: 1\.4\.2\nspec:$/m);
  });

  it('fills an empty flow map as a block map', () => {
    const labels = rangeOfText(DEPLOYMENT, '{}');
    const result = adopt(DEPLOYMENT, field('spec.template.metadata.labels.app', undefined, 'web', labels));
    assert.match(result, /^ {6}labels:\n {8}app: web\n {4}spec:$/m);
  });

  it('appends a list item (an env var added live) in the list style', () => {
    const env = rangeOfText(DEPLOYMENT, 'env');
    const result = adopt(DEPLOYMENT, field('spec.template.spec.containers[name=web].env[name=EXTRA]', undefined, { name: 'EXTRA', value: '1' }, env));
    assert.match(result, /value: "false"\n {12}- name: EXTRA\n {14}value: "1"\n$/);
    assert.deepEqual(container(result).env, [
      { name: 'MODE', value: 'production' },
      { name: 'DEBUG', value: 'false' },
      { name: 'EXTRA', value: '1' },
    ]);
  });
});

describe('adopt live value: a list item live has at a position', () => {
  it('appends it to a flow list, keeping the list flow', () => {
    const args = rangeOfText(DEPLOYMENT, 'args');
    const result = adopt(DEPLOYMENT, field('spec.template.spec.containers[name=web].args[2]', undefined, '--verbose', args));
    assert.match(result, /^ {10}args: \[--port, "8080", --verbose\]$/m);
  });
});

describe('adopt live value: what live lacks', () => {
  it('removes a label with its line', () => {
    const result = adopt(DEPLOYMENT, field('metadata.labels.tier', 'frontend', undefined, rangeOfText(DEPLOYMENT, 'frontend')));
    assert.equal(result, DEPLOYMENT.replace('    tier: frontend\n', ''));
  });

  it('removes a list item with its lines', () => {
    const item = rangeOfText(DEPLOYMENT, 'name: DEBUG\n              value: "false"');
    const result = adopt(DEPLOYMENT, field('spec.template.spec.containers[name=web].env[name=DEBUG]', { name: 'DEBUG', value: 'false' }, undefined, item));
    assert.equal(result, DEPLOYMENT.replace('            - name: DEBUG\n              value: "false"\n', ''));
  });
});

describe('adopt live value: refusals', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: SHVudGVyMi1wYTU1cGhyYXNl\n';
  const secretResource = resource({ kind: 'Secret', apiVersion: 'v1', id: 'v1/Secret/shop/db' });

  it('never adopts a Secret value, and says why without any value', () => {
    const drift = field('data.password', '(masked)', '(masked)', rangeOfText(secret, 'SHVudGVyMi1wYTU1cGhyYXNl'));
    const result = adoptLiveValueEdit(secret, secretResource, drift);
    assert.ok('refusal' in result);
    assert.match(result.refusal, /Secret value/);
    assert.doesNotMatch(result.refusal, /SHVudGVyMi1wYTU1cGhyYXNl|Hunter2/);
    assert.equal(adoptRefusal(secretResource, field('metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]', 'x', 'y', undefined)), result.refusal.replace('data.password', 'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]'));
  });

  it('refuses when the manifest changed since the report', () => {
    const moved = field('spec.replicas', 3, 5, rangeOfText(DEPLOYMENT, 'web'));
    const result = adoptLiveValueEdit(DEPLOYMENT, resource(), moved);
    assert.ok('refusal' in result);
    assert.match(result.refusal, /Refresh the Drift view/);
  });

  it('refuses a field whose place in the manifest is unknown, and other sources', () => {
    assert.match(adoptRefusal(resource(), field('spec.replicas', 3, 5, undefined)) ?? '', /not known/);
    assert.match(adoptRefusal(resource({ source: 'terraform', id: 'aws_s3_bucket.logs' }), field('tags', 'a', 'b', rangeOfText(DEPLOYMENT, '3'))) ?? '', /Terraform configuration/);
  });
});

describe('drift paths', () => {
  it('reads the last segment as a key, a list item by merge key, or a position', () => {
    assert.deepEqual(lastPathSegment('spec.replicas'), { key: 'replicas' });
    assert.deepEqual(lastPathSegment('spec.containers[name=web]'), { item: { name: 'web' } });
    assert.deepEqual(lastPathSegment('spec.containers[name=web].ports[containerPort=80,protocol=TCP]'), { item: { containerPort: '80', protocol: 'TCP' } });
    assert.deepEqual(lastPathSegment('metadata.annotations["a]b"]'), { key: 'a]b' });
    assert.deepEqual(lastPathSegment('metadata.labels["app.kubernetes.io/name"]'), { key: 'app.kubernetes.io/name' });
    assert.deepEqual(lastPathSegment('spec.args[2]'), { index: 2 });
  });
});

/** The range of the first character of `needle`. */
function shrink(text: string, needle: string): Range {
  const range = rangeOfText(text, needle);
  return { start: range.start, end: { line: range.start.line, character: range.start.character + 1 } };
}

/** The range of the value in the `occurrence`-th `key: value` text. */
function shiftToValue(text: string, keyAndValue: string, occurrence: number): Range {
  const range = rangeOfText(text, keyAndValue, occurrence);
  const valueLength = keyAndValue.length - keyAndValue.indexOf(': ') - 2;
  return { start: { line: range.end.line, character: range.end.character - valueLength }, end: range.end };
}
