/**
 * The pieces of Kubernetes drift that stand alone: reading `kubectl get -o json` output
 * (with clear words for bad input), comparing quantities by value, and writing the diff
 * editor's YAML so that the `yaml` parser reads back exactly what was written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { sameQuantity } from '../../server/src/drift/kubernetes/quantities';
import { readSnapshot } from '../../server/src/drift/kubernetes/snapshot';
import { toYamlText } from '../../server/src/drift/kubernetes/yamlText';

describe('drift: kubectl get -o json snapshots', () => {
  it('reads a List, a typed list and a single object', () => {
    const item = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' } };
    assert.deepEqual(readSnapshot(JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [item] })), { ok: true, objects: [item] });
    const typed = readSnapshot(JSON.stringify({ apiVersion: 'apps/v1', kind: 'DeploymentList', items: [{ metadata: { name: 'web' } }] }));
    assert.deepEqual(typed, { ok: true, objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }] });
    assert.deepEqual(readSnapshot(JSON.stringify(item)), { ok: true, objects: [item] });
    assert.deepEqual(readSnapshot('{"apiVersion":"v1","kind":"List","items":[]}'), { ok: true, objects: [] });
  });

  it('says what is wrong with bad input', () => {
    const messages = ['', 'apiVersion: v1', '[1]', '{"kind":"List","items":[3]}', '{"kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{}}]}', '{"kind":"PodList"}', '{"apiVersion":"v1"}']
      .map((text) => {
        const result = readSnapshot(text);
        assert.equal(result.ok, false, text);
        return result.ok ? '' : result.message.replace(/ Expected the JSON.*$/, '');
      });
    assert.deepEqual(messages.map((message) => message.replace(/\(.*\)/, '(…)')), [
      'The snapshot is empty.',
      'The snapshot is not valid JSON (…).',
      'The snapshot is not a JSON object.',
      'Item 1 of the list is not an object.',
      'Item 1 of the list (…) has no metadata.name.',
      'The PodList has no "items" array.',
      'The snapshot has no apiVersion or kind.',
    ]);
  });
});

describe('drift: quantities by value', () => {
  it('treats equal amounts as equal, whatever the notation', () => {
    for (const [a, b] of [['1000m', '1'], ['0.5Gi', '512Mi'], ['1e3', '1k'], ['1048576Ki', '1Gi'], [1, '1'], ['100M', '1e8'], ['.5', '500m'], ['1E3', '1000']]) {
      assert.ok(sameQuantity(a, b), `${a} = ${b}`);
    }
  });

  it('tells different amounts and non-quantities apart', () => {
    for (const [a, b] of [['1', '1001m'], ['1Gi', '1G'], ['1', 'one'], ['1e999', '1'], ['', '0'], ['1Ki', '1k']]) {
      assert.ok(!sameQuantity(a, b), `${a} ≠ ${b}`);
    }
  });
});

describe('drift: YAML texts for the diff editor', () => {
  /** Read back as YAML 1.2 and as YAML 1.1 (where `on`, `y`, `12:30` are no strings), the text must give `value` again. */
  function assertReadsBack(value: Record<string, unknown> | unknown[]): void {
    const text = toYamlText(value);
    for (const version of ['1.2', '1.1'] as const) assert.deepEqual(parse(text, { version }), value, `YAML ${version} of ${JSON.stringify(value)}:\n${text}`);
  }

  const TRICKY_STRINGS = [
    '', ' ', 'a ', ' a', 'true', 'True', 'on', 'No', 'y', '~', 'null', 'NULL', '1', '1.0', '-1', '+1', '0x1F', '0o7', '1e3', 'e0', '.5', '.inf', '-.INF', '.nan',
    '12:30', '1_000', '1.2.3', '-', '- a', '--flag', '---', '...', '#c', 'a #c', 'a#b', 'a: b', 'a:', 'a:b', 'http://x/y?z=1&q', ':a', '?', '? a', '!tag', '&a', '*a',
    '|', '>', "'q'", '"q"', '@x', '`x', '%x', '[a]', '{a}', '(hidden)', '(a: b)', 'a, b', '<<', '\\', 'a\\nb', '$HOME', '100m', '0.5Gi', 'app.kubernetes.io/name',
    'a\nb', 'a\nb\n', 'a\nb\n\n', 'a\n\n\nb\n\n\n', '\na', '\n', '\n\n', ' a\nb', 'a\n b', 'a \nb', 'a\t\nb', '\ta\nb', 'a\r\nb', 'a\rb',
    '#!/bin/sh\necho hi\n', 'key: value\n- item\n', 'a\n#b\n', 'a\n---\nb', 'a\n...\n',
    '\u0085', 'a\u0085b\nc', '\u2028', 'x\u2028y\nz', '\ufeffx', '\x7f', '\x00', '\x1b[31m', 'café', 'é\né', '\ud83d\ude00', '\ud800', 'a\ud800\nb', 'x'.repeat(1100),
  ];

  it('writes strings that need quotes or blocks exactly, as values, items and keys', () => {
    for (const text of TRICKY_STRINGS) {
      assertReadsBack({ value: text });
      assertReadsBack([text, [text]]);
      assertReadsBack({ [text]: { nested: [{ item: text, list: [text] }] } });
    }
  });

  it('writes any string of awkward characters exactly (seeded, so a failure repeats)', () => {
    const alphabet = ['(', ' ', '\n', 'a', ':', '#', '-', '\t', '"', "'", '1', '.', '\r', 'é', '?', '|', 'e', 'y', '\\', '0', 'x'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      for (let length = next() % 10; length > 0; length--) text += alphabet[next() % alphabet.length];
      assertReadsBack({ value: text, list: [text], [text]: { nested: text } });
    }
  });

  it('writes numbers, booleans, null and empty collections as YAML reads them', () => {
    assertReadsBack({ a: {}, b: [], c: null, d: [null, {}, [], [[]]], e: -0, f: 1.5, g: 1e21, h: -3, i: true, j: false, k: Infinity, l: -Infinity });
    assert.ok(Number.isNaN(parse(toYamlText({ n: NaN })).n));
    assert.equal(toYamlText({}), '{}\n');
    assert.equal(toYamlText({ gone: undefined }), '{}\n');
  });

  it('writes block style that reads like a manifest', () => {
    const text = toYamlText({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'x' } },
      data: { 'app.conf': 'listen 80\nworkers 4\n', port: '8080', enabled: 'on' },
      spec: { containers: [{ name: 'web', args: ['--verbose', '-v'], ports: [{ containerPort: 80 }], env: [] }], matrix: [[1, 2], []] },
    });
    assert.equal(text, [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: x',
      '  labels:',
      '    app.kubernetes.io/name: x',
      'data:',
      '  app.conf: |',
      '    listen 80',
      '    workers 4',
      '  port: "8080"',
      '  enabled: "on"',
      'spec:',
      '  containers:',
      '    - name: web',
      '      args:',
      '        - --verbose',
      '        - -v',
      '      ports:',
      '        - containerPort: 80',
      '      env: []',
      '  matrix:',
      '    - - 1',
      '      - 2',
      '    - []',
      '',
    ].join('\n'));
  });
});
