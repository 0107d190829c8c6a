/**
 * Helm charts in the engine: which files a chart claims, Chart.yaml checks, values against
 * values.schema.json, and that templates full of Go template syntax never get a finding.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../server/src/core/types';
import { ValidationEngine } from '../../server/src/engine/engine';
import { checkChartFile } from '../../server/src/helm/chartFile';
import { chartMembership, roleInChart } from '../../server/src/helm/chartLayout';
import { classifyVersion, invalidConstraintPart } from '../../server/src/helm/semver';
import { compileValuesSchema } from '../../server/src/helm/valuesSchema';
import { ChartWorkspace, type ChartFiles } from '../../server/src/helm/workspace';
import { SchemaStore } from '../../server/src/kubernetes/schemaStore';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

const CHARTS = path.join(__dirname, '..', 'fixtures', 'gitops-repo', 'charts');
const store = new SchemaStore({ read: (p) => { try { return readFileSync(`schemas/${p}`, 'utf8'); } catch { return undefined; } } });

const at = (f: Finding): string => `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.severity} ${f.rule} ${f.message}`;
const chartFindings = (text: string, exists: (p: string) => boolean = () => true): string[] => checkChartFile(text, exists).findings.map(at);

/** Files in memory, as the editor would hold them; nothing on disk. */
function memoryFiles(files: Record<string, string>): ChartFiles {
  return {
    hasChartFile: (folder) => `${folder}/Chart.yaml` in files,
    readFile: (uri) => files[uri],
  };
}

describe('semver', () => {
  it('tells SemVer 2 from what Helm merely accepts', () => {
    assert.equal(classifyVersion('1.2.3'), 'semver2');
    assert.equal(classifyVersion('1.2.3-rc.1+build.5'), 'semver2');
    assert.equal(classifyVersion('v1.2.3'), 'loose');
    assert.equal(classifyVersion('1.2'), 'loose');
    assert.equal(classifyVersion('1.2.3.4'), 'invalid');
    assert.equal(classifyVersion('latest'), 'invalid');
  });

  it('accepts the constraint forms Helm accepts and names the bad part', () => {
    for (const good of ['>=1.25.0-0', '^1.2', '~1.2.x', '1.2 - 1.4', '>= 1.22, < 1.30', '>=1.22.0 <1.30.0 || 2.x', '*', '=1.0.0']) {
      assert.equal(invalidConstraintPart(good), undefined, good);
    }
    assert.equal(invalidConstraintPart('>=1.22 <one'), '<one');
    assert.equal(invalidConstraintPart('1.2 ||'), '');
  });
});

describe('chart layout', () => {
  it('finds the nearest chart above a file and the file role', () => {
    const charts = new Set(['file:///r/charts/web', 'file:///r/charts/web/charts/sub']);
    const has = (folder: string): boolean => charts.has(folder);
    assert.deepEqual(chartMembership('file:///r/charts/web/templates/a/b.yaml', has), { chartRoot: 'file:///r/charts/web', relativePath: 'templates/a/b.yaml', role: 'template' });
    assert.equal(chartMembership('file:///r/charts/web/charts/sub/values.yaml', has)?.chartRoot, 'file:///r/charts/web/charts/sub');
    assert.equal(chartMembership('file:///r/apps/web.yaml', has), undefined);
    // The boundary is the workspace folder: nothing above it is asked about.
    assert.equal(chartMembership('file:///r/charts/web/x.yaml', () => false, ['file:///r/charts']), undefined);
    assert.equal(roleInChart('charts/vendored/templates/x.yaml'), 'template');
    assert.equal(roleInChart('crds/widgets.yaml'), 'crd');
    assert.equal(roleInChart('values-prod.yaml'), 'values');
    assert.equal(roleInChart('ci/lint-values.yaml'), 'values');
    assert.equal(roleInChart('files/config.yaml'), 'other');
  });
});

describe('Chart.yaml', () => {
  it('accepts the fixture charts as they are', () => {
    assert.deepEqual(chartFindings(readFileSync(path.join(CHARTS, 'web', 'Chart.yaml'), 'utf8')), []);
    assert.deepEqual(chartFindings(readFileSync(path.join(CHARTS, 'common', 'Chart.yaml'), 'utf8')), []);
  });

  it('reports each problem at the exact key or value', () => {
    const text = [
      'apiVersion: v1',
      'name: web',
      'version: "1.2"',
      'appVersion: 1.10',
      'type: aplication',
      'kubeVersion: ">= 1.2x"',
      'dependecies: []',
      'dependencies:',
      '  - name: redis',
      '    version: "~> banana"',
      '    repository: charts.example.com',
      '    alias: "my cache"',
      '    tags: cache',
      '  - name: common',
      '    version: 1.0.0',
      '    repository: file://../missing',
      '  - repository: "@bitnami"',
      'maintainers:',
      '  - email: a@example.com',
      '',
    ].join('\n');
    assert.deepEqual(chartFindings(text, (p) => p !== '../missing'), [
      '4:13-4:17 error helm/chart "appVersion" must be a string, found the number 1.1. Quote it: YAML reads 1.1 as a number.',
      '7:1-7:12 warning helm/chart-unknown-field Unknown field "dependecies" in Chart.yaml; Helm ignores it. Did you mean "dependencies"?',
      '1:13-1:15 warning helm/chart-api-version apiVersion v1 is the Helm 2 chart format, deprecated since Helm 3: use v2 (dependencies then go in Chart.yaml, not requirements.yaml).',
      '3:10-3:15 warning helm/chart Version "1.2" is not SemVer 2: Helm accepts it, but chart repositories and OCI registries need MAJOR.MINOR.PATCH (such as 1.2.3).',
      '6:14-6:23 error helm/chart kubeVersion ">= 1.2x" is not a version constraint such as ">=1.25.0-0".',
      '5:7-5:17 error helm/chart type "aplication" is not a chart type: use application or library. Did you mean "application"?',
      '8:1-8:13 error helm/chart apiVersion v1 charts list dependencies in requirements.yaml; Helm ignores them here.',
      '13:11-13:16 error helm/chart "tags" must be a list of strings, found the string "cache".',
      '10:14-10:25 error helm/chart "~> banana" is not a version constraint: use a version or a range such as ^1.2.0 or >=1.2.0 <2.0.0.',
      '11:17-11:35 error helm/chart "charts.example.com" is not a chart repository: use an https://, http:// or oci:// URL, file://PATH for a chart in this repository, or @NAME for a repository added with `helm repo add`.',
      '12:12-12:22 error helm/chart Alias "my cache" may hold only letters, digits, "_" and "-".',
      '17:5-17:27 error helm/chart dependencies[2] needs "name".',
      '17:5-17:27 error helm/chart dependencies[2] needs "version". `helm dependency update` cannot resolve it without one.',
      '16:17-16:34 error helm/chart No chart (Chart.yaml) at "../missing", relative to this chart.',
      '19:5-19:25 error helm/chart maintainers[0] needs "name".',
    ]);
  });

  it('requires apiVersion, name and version, and reports broken YAML as YAML', () => {
    assert.deepEqual(chartFindings('description: x\n'), [
      '1:1-1:15 error helm/chart Chart.yaml needs "apiVersion". Use apiVersion: v2 (Helm 3 and later).',
      '1:1-1:15 error helm/chart Chart.yaml needs "name".',
      '1:1-1:15 error helm/chart Chart.yaml needs "version".',
    ]);
    assert.match(chartFindings('name: [\n')[0], /yaml\/syntax/);
  });
});

describe('values.schema.json', () => {
  it('reports a schema that is not JSON, or not a valid schema, where it goes wrong', () => {
    // Node's wording of JSON errors changes between versions; the place does not.
    const [notJson] = compileValuesSchema('{\n  "type": "object",,\n}').problems.map(at);
    assert.match(notJson, /^2:20-2:21 error helm\/values-schema-invalid values\.schema\.json is not valid JSON \(.+ at position 21\), so values are not checked\.$/);
    assert.deepEqual(compileValuesSchema('{\n  "properties": {\n    "port": { "type": "strin" }\n  }\n}').problems.map(at), [
      '3:23-3:30 error helm/values-schema-invalid Invalid schema: The string "strin" is not allowed for "type". Allowed values: "array", "boolean", "integer", "null", "number", "object", "string". Values are not checked until it is fixed.',
    ]);
    assert.deepEqual(compileValuesSchema('{\n  "properties": {\n    "c": { "$ref": "https://example.com/k8s.json#/definitions/Container" }\n  }\n}').problems.map(at), [
      '3:20-3:73 error helm/values-schema-invalid Cannot resolve "$ref": "https://example.com/k8s.json" (references are resolved inside this file only, never fetched), so values are not checked.',
    ]);
    assert.equal(compileValuesSchema('{"$schema": "http://json-schema.org/draft-04/schema#"}').problems[0].severity, 'info');
    assert.ok(compileValuesSchema('{"$schema": "https://json-schema.org/draft/2020-12/schema", "prefixItems": [{"type": "string"}]}').validate);
    assert.ok(compileValuesSchema('{"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object"}').validate);
  });
});

describe('ChartWorkspace in the engine', () => {
  const root = pathToFileURL(path.join(CHARTS, 'web')).href;
  const fixtureFiles = (): Record<string, string> => {
    const files: Record<string, string> = {};
    const visit = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) visit(full);
        else files[pathToFileURL(full).href] = readFileSync(full, 'utf8');
      }
    };
    visit(CHARTS);
    return files;
  };

  function engineWithCharts(files: Record<string, string>): ValidationEngine {
    const charts = new ChartWorkspace(memoryFiles(files));
    const engine = new ValidationEngine(store, DEFAULT_SETTINGS, [charts]);
    for (const [uri, text] of Object.entries(files)) engine.setFile(uri, text);
    return engine;
  }

  it('gives no finding at all for the fixture charts, templates included', () => {
    const files = fixtureFiles();
    const engine = engineWithCharts(files);
    const templates = Object.keys(files).filter((uri) => uri.includes('/templates/'));
    assert.ok(templates.length >= 5);
    for (const uri of Object.keys(files)) assert.deepEqual(engine.diagnose(uri), [], uri);
  });

  it('never validates a template as YAML, however nasty', () => {
    const nasty = [
      '{{- /* A comment block */ -}}',
      '{{- $root := . -}}',
      '{{- range $i, $svc := .Values.services }}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ $svc.name }}',
      '  labels: {{- include "x.labels" $root | nindent 4 }}',
      '  annotations:',
      '    {{- toYaml $svc.annotations | nindent 4 }}',
      'spec:',
      '  {{- if $svc.nodePort }}',
      '  type: NodePort',
      '  {{- else }}',
      '  type: ClusterIP',
      '  {{- end }}',
      '  ports: {{ toJson $svc.ports }}',
      '  replicas: "{{ .x }}"',
      '{{ end }}',
      'data: {{ .Files.Glob "conf/*" | toYaml | indent 2 }}',
      '  key: [{{ .unclosed',
      'kind: Deployment',
      'kind: Deployment',
      '',
    ].join('\n');
    const files = { ...fixtureFiles(), [`${root}/templates/nasty.yaml`]: nasty };
    assert.deepEqual(engineWithCharts(files).diagnose(`${root}/templates/nasty.yaml`), []);
  });

  it('checks values files against the schema, an override merged over values.yaml', () => {
    const files = fixtureFiles();
    files[`${root}/values.yaml`] = files[`${root}/values.yaml`].replace('replicaCount: 2', 'replicaCount: "2"').replace('  port: 8080', '  port: 8080\n  prot: TCP');
    files[`${root}/values-prod.yaml`] = 'image:\n  pullPolicy: Sometimes\nservice: {type: NodePort}\n';
    const engine = engineWithCharts(files);
    assert.deepEqual(engine.diagnose(`${root}/values.yaml`).map(at), [
      '1:15-1:18 error helm/values-schema Wrong type for "replicaCount": expected an integer, found the string "2".',
    ]);
    assert.deepEqual(engine.diagnose(`${root}/values-prod.yaml`).map(at), [
      '2:15-2:24 error helm/values-schema The string "Sometimes" is not allowed for "pullPolicy". Allowed values: "Always", "IfNotPresent", "Never".',
    ]);
  });

  it('reports an unknown values key with a suggestion, and a broken schema on the schema file', () => {
    const files = fixtureFiles();
    files[`${root}/values.yaml`] += 'replicaCuont: 3\n';
    let engine = engineWithCharts(files);
    assert.deepEqual(engine.diagnose(`${root}/values.yaml`).map(at), [
      '24:1-24:13 error helm/values-schema Unknown field "replicaCuont". Did you mean "replicaCount"?',
    ]);
    files[`${root}/values.schema.json`] = '{ "type": "object", "properties": { "replicaCount": { "minimum": "one" } } }';
    engine = engineWithCharts(files);
    assert.deepEqual(engine.diagnose(`${root}/values.yaml`), []);
    assert.equal(engine.diagnose(`${root}/values.schema.json`)[0].rule, 'helm/values-schema-invalid');
  });

  it('claims a file in a chart whose Chart.yaml exists only in the editor', () => {
    const charts = new ChartWorkspace(memoryFiles({}));
    const engine = new ValidationEngine(store, DEFAULT_SETTINGS, [charts]);
    engine.setFile('file:///w/new/Chart.yaml', 'apiVersion: v2\nname: new\nversion: 0.1.0\n');
    engine.setFile('file:///w/new/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata: {{ .Values.x }}\n');
    assert.equal(engine.languageOf('file:///w/new/templates/cm.yaml'), charts);
    assert.deepEqual(engine.diagnose('file:///w/new/templates/cm.yaml'), []);
    // crds/ hold plain manifests: Kubernetes validates them.
    engine.setFile('file:///w/new/crds/x.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata: {n: 1}\n');
    assert.equal(engine.languageOf('file:///w/new/crds/x.yaml'), undefined);
  });
});
