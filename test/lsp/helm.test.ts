/**
 * Helm charts through the real language server: templates are never reported as YAML,
 * Chart.yaml and values files are checked at exact ranges, unsaved Chart.yaml files count;
 * and, with the real `helm` (found on PATH or named by $HELM; skipped without it), a save
 * renders the chart and the findings land on the template that produced them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, REPO_ROOT } from './lspClient';

const CHARTS = path.join(REPO_ROOT, 'test', 'fixtures', 'gitops-repo', 'charts');
const HELM = process.env.HELM ?? 'helm';

function helmVersion(): string | undefined {
  try {
    return execFileSync(HELM, ['version', '--short'], { encoding: 'utf8', timeout: 10000 }).trim();
  } catch {
    return undefined;
  }
}

const summary = (diagnostics: Diagnostic[]): string[] =>
  diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${String(d.code)} ${d.message}`);

describe('Helm charts over LSP', () => {
  let work: string;
  let client: LspClient;
  const uri = (relative: string): string => pathToFileURL(path.join(work, relative)).href;
  const text = (relative: string): string => fs.readFileSync(path.join(work, relative), 'utf8');

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-helm-lsp-'));
    fs.cpSync(CHARTS, path.join(work, 'charts'), { recursive: true });
    client = await LspClient.start({ workspaceFolder: work, settings: { helm: { render: true, path: HELM } } });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('publishes no diagnostics for templates, whatever template syntax they hold', async () => {
    for (const name of ['deployment.yaml', 'ingress.yaml', 'configmap.yaml', 'service.yaml']) {
      client.open(uri(`charts/web/templates/${name}`), text(`charts/web/templates/${name}`), 1);
      assert.deepEqual(await client.diagnosticsFor(uri(`charts/web/templates/${name}`), 1), [], name);
    }
  });

  it('reports Chart.yaml problems at the exact value', async () => {
    const chart = text('charts/web/Chart.yaml').replace('version: 1.4.0', 'version: 1.4.0.1');
    client.open(uri('charts/web/Chart.yaml'), chart, 1);
    assert.deepEqual(summary(await client.diagnosticsFor(uri('charts/web/Chart.yaml'), 1)), [
      '5:10-5:17 helm/chart Version "1.4.0.1" is not a SemVer 2 version such as 1.2.3 or 1.2.3-rc.1.',
    ]);
  });

  it('checks values.yaml against values.schema.json as you type', async () => {
    const values = uri('charts/web/values.yaml');
    client.open(values, text('charts/web/values.yaml'), 1);
    assert.deepEqual(await client.diagnosticsFor(values, 1), []);
    client.replace(values, text('charts/web/values.yaml').replace('  pullPolicy: IfNotPresent', '  pullPolicy: IfNotPresent\n  pullSecret: regcred'), 2);
    assert.deepEqual(summary(await client.diagnosticsFor(values, 2)), [
      '6:3-6:13 helm/values-schema Unknown field "pullSecret" in image. Allowed fields: repository, tag, pullPolicy.',
    ]);
  });

  it('treats the files of a chart whose Chart.yaml is not saved yet as chart files', async () => {
    client.open(uri('charts/fresh/Chart.yaml'), 'apiVersion: v2\nname: fresh\nversion: 0.1.0\n', 1);
    await client.diagnosticsFor(uri('charts/fresh/Chart.yaml'), 1);
    client.open(uri('charts/fresh/templates/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata:\n  {{- toYaml .Values.data | nindent 2 }}\n', 1);
    assert.deepEqual(await client.diagnosticsFor(uri('charts/fresh/templates/cm.yaml'), 1), []);
  });

  it('renders the chart with helm template after a save and maps findings to the template', { skip: helmVersion() === undefined && `no helm (${HELM}) here` }, async () => {
    const folder = path.join(work, 'charts', 'demo');
    fs.mkdirSync(path.join(folder, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(folder, 'values.yaml'), 'annotations:\n  retries: 3\n');
    const template = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: {{ .Release.Name }}-demo',
      '  annotations: {{- toYaml .Values.annotations | nindent 4 }}',
      'spec:',
      '  terminationGracePeriod: 30',
      '  containers:',
      '    - name: app',
      '      image: registry.example.com/demo:1.0.0',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(folder, 'templates', 'pod.yaml'), template);
    const pod = pathToFileURL(path.join(folder, 'templates', 'pod.yaml')).href;
    client.open(pod, template, 1);
    assert.deepEqual(await client.diagnosticsFor(pod, 1), []);
    client.notify('textDocument/didSave', { textDocument: { uri: pod } });
    const rendered = await client.diagnosticsWhen(pod, (d) => d.some((x) => x.code === 'k8s/schema'), 'render findings on the template');
    const errors = summary(rendered.filter((d) => d.severity === 1));
    assert.deepEqual(errors, [
      '1:1-1:1 k8s/schema Wrong type for "retries": expected a string, found the integer 3. (helm template; rendered line: retries: 3)',
      '7:3-7:25 k8s/schema Unknown field "terminationGracePeriod" in spec. Allowed fields: activeDeadlineSeconds, affinity, automountServiceAccountToken, containers, dnsConfig, dnsPolicy, enableServiceLinks, ephemeralContainers, hostAliases, hostIPC, hostNetwork, hostPID, …. (helm template)',
    ]);
  });
});
