/**
 * The `gitopsIac/drift` request through the real language server (server/out/server.js over
 * stdio), against the local HTTPS test API server: settings choose the kubeconfig, unsaved
 * edits count as what git declares, work-done progress is reported, cancelling aborts the
 * cluster reads, and an untrusted workspace never runs a kubeconfig's credential program.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { WorkDoneProgress } from 'vscode-languageserver-protocol';
import type { DriftReport, DriftResource } from '../../server/src/drift/types';
import { KubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';
import { LspClient, REPO_ROOT } from './lspClient';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'drift', 'live');
const SHOP_FILES = ['shop/namespace.yaml', 'shop/web.yaml', 'shop/config.yaml', 'shop/worker.yaml'];
const SECRET_VALUES = ['hunter2-fixture-secret', 'changed-live-secret'].flatMap((value) => [value, Buffer.from(value).toString('base64')]);

const temporaryFolders: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

after(() => {
  for (const folder of temporaryFolders) fs.rmSync(folder, { recursive: true, force: true });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function temporaryFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-lsp-drift-'));
  temporaryFolders.push(folder);
  return folder;
}

/** A workspace holding a copy of the shop fixtures, and a test API server holding them as applied. */
async function shopWorkspace(): Promise<{ workspace: string; server: KubeApiServer }> {
  const workspace = temporaryFolder();
  fs.cpSync(path.join(FIXTURES, 'shop'), path.join(workspace, 'shop'), { recursive: true });
  const server = await KubeApiServer.start();
  cleanups.push(() => server.close());
  for (const file of SHOP_FILES) server.seed(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  return { workspace, server };
}

async function startServer(workspace: string, settings: Record<string, unknown>, trusted = true): Promise<LspClient> {
  const client = await LspClient.start({ workspaceFolder: workspace, settings, initializationOptions: { workspaceTrusted: trusted } });
  cleanups.unshift(() => client.stop());
  await client.ready();
  return client;
}

const statuses = (report: DriftReport) => Object.fromEntries(report.environments.flatMap((environment) => environment.resources).map((resource: DriftResource) => [resource.id, resource.status]));

/** Neither the report nor anything else the server said (logs, notifications, stderr) reveals a Secret value or the token. */
function assertNothingSecret(report: DriftReport, token: string, client: LspClient): void {
  const text = JSON.stringify([report, client.notifications, client.serverErrors]);
  for (const secret of [...SECRET_VALUES, token]) assert.ok(!text.includes(secret), `the report reveals a secret (${secret.slice(0, 4)}…)`);
}

describe('gitopsIac/drift', () => {
  it('compares the workspace with the cluster of the kubeconfig setting, with progress, diff texts and masked Secrets', async () => {
    const { workspace, server } = await shopWorkspace();
    server.mutate({ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' }, (object) => {
      (object.data as Record<string, string>).password = Buffer.from('changed-live-secret').toString('base64');
    }, 'kubectl-edit');
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'kind-shop', server: server.url, caPem: server.caPem, token: server.token }]);
    const client = await startServer(workspace, { drift: { kubeconfig } });

    const progress: string[] = [];
    client.connection.onProgress(WorkDoneProgress.type, 'drift-1', (value) => { progress.push(value.kind); });
    const report = await client.request<DriftReport>('gitopsIac/drift', { workDoneToken: 'drift-1' });
    assert.equal(report.environments.length, 1);
    const [environment] = report.environments;
    assert.equal(environment.name, 'kind-shop');
    assert.equal(environment.source, 'kubernetes');
    assert.equal(environment.error, undefined);
    assert.ok(!Number.isNaN(Date.parse(environment.asOf)));
    assert.deepEqual(statuses(report), {
      'v1/ConfigMap/shop/web-config': 'in-sync', 'v1/Secret/shop/db': 'drifted', 'v1/Namespace/shop': 'in-sync',
      'apps/v1/Deployment/shop/web': 'in-sync', 'v1/Service/shop/web': 'in-sync', 'apps/v1/Deployment/shop/worker': 'in-sync',
    });
    const secret = environment.resources.find((resource) => resource.kind === 'Secret');
    assert.deepEqual(secret?.fields.map((field) => [field.path, field.changedBy?.manager]), [['data.password', 'kubectl-edit']]);
    assert.equal(secret?.declaredAt?.uri, pathToFileURL(path.join(workspace, 'shop', 'config.yaml')).href);
    const web = environment.resources.find((resource) => resource.id === 'apps/v1/Deployment/shop/web');
    assert.match(web?.desiredText ?? '', /replicas: 3/);
    assert.match(web?.liveText ?? '', /replicas: 3/);
    assertNothingSecret(report, server.token, client);
    await client.until(() => progress.includes('end') || undefined, 'the end of the progress');
    assert.equal(progress[0], 'begin');
    assert.ok(progress.includes('report'));
    assert.equal(progress.at(-1), 'end');
  });

  it('takes unsaved edits as what git declares, and a snapshot from the request', async () => {
    const { workspace, server } = await shopWorkspace();
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'kind-shop', server: server.url, caPem: server.caPem, token: server.token }]);
    const client = await startServer(workspace, { drift: { kubeconfig } });
    const webFile = path.join(workspace, 'shop', 'web.yaml');
    client.open(pathToFileURL(webFile).href, fs.readFileSync(webFile, 'utf8').replace('replicas: 3', 'replicas: 6'));
    const edited = await client.request<DriftReport>('gitopsIac/drift', {});
    const web = edited.environments[0].resources.find((resource) => resource.id === 'apps/v1/Deployment/shop/web');
    assert.equal(web?.status, 'drifted');
    assert.deepEqual(web?.fields.map((field) => [field.path, field.desired, field.live]), [['spec.replicas', 6, 3]]);
    assert.equal(web?.fields[0].declaredRange?.start.line, 9);

    const snapshot = path.join(temporaryFolder(), 'snapshot.json');
    fs.writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }));
    const fromSnapshot = await client.request<DriftReport>('gitopsIac/drift', { kubernetes: { snapshot } });
    assert.equal(fromSnapshot.environments[0].name, 'snapshot snapshot.json');
    assert.ok(fromSnapshot.environments[0].resources.every((resource) => resource.status === 'missing'));
  });

  it('honours cancellation while the cluster is slow to answer', async () => {
    const { workspace, server } = await shopWorkspace();
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'slow', server: server.url, caPem: server.caPem, token: server.token }]);
    const client = await startServer(workspace, { drift: { kubeconfig } });
    server.responseDelayMs = 10_000;
    const source = new CancellationTokenSource();
    const started = Date.now();
    const request = client.connection.sendRequest('gitopsIac/drift', {}, source.token);
    setTimeout(() => source.cancel(), 300);
    await assert.rejects(request, (error: { code?: number }) => error.code === -32800);
    assert.ok(Date.now() - started < 5000, 'cancelled promptly');
  });

  it('reports an unreachable cluster as the environment\'s error, in words', async () => {
    const { workspace, server } = await shopWorkspace();
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'dead', server: 'https://127.0.0.1:1', caPem: server.caPem, token: server.token }]);
    const client = await startServer(workspace, { drift: { kubeconfig } });
    const report = await client.request<DriftReport>('gitopsIac/drift', {});
    assert.equal(report.environments[0].name, 'dead');
    assert.match(report.environments[0].error ?? '', /cannot reach https:\/\/127\.0\.0\.1:1: connection refused — is the cluster running and the context right\?/);
    assert.deepEqual(report.environments[0].resources, []);
  });

  it('never runs a kubeconfig credential program in an untrusted workspace', async () => {
    const { workspace, server } = await shopWorkspace();
    const folder = temporaryFolder();
    const marker = path.join(folder, 'exec-ran');
    const kubeconfig = writeKubeconfig(folder, [{ name: 'cloud', server: server.url, caPem: server.caPem, exec: { command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`] } }]);
    const client = await startServer(workspace, { drift: { kubeconfig } }, false);
    const report = await client.request<DriftReport>('gitopsIac/drift', {});
    assert.match(report.environments[0].error ?? '', /context "cloud" gets its credentials by running a program \(exec\), which an untrusted workspace does not allow/);
    assert.equal(fs.existsSync(marker), false);
    assert.equal(server.requests.length, 0);
  });
});
