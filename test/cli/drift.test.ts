/**
 * `gitops-iac drift` as a process (the bundled `server/out/cli.js`) against the local HTTPS
 * test API server (test/support/kubeApiServer.ts) through a kubeconfig, and against snapshots
 * that the real kubectl printed from that server. Fixtures: test/fixtures/drift/live/. Every
 * run's stdout and stderr are searched for the Secret's values and the bearer token.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { KubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'drift', 'live');
const SHOP_FILES = ['shop/namespace.yaml', 'shop/web.yaml', 'shop/config.yaml', 'shop/worker.yaml'];
const CONTRACT_KEYS = ['apiVersion', 'kind', 'namespace', 'name', 'status', 'fields'];

/** Values that must never be printed: the Secret's, as written and as the API server stores them. */
const SECRET_VALUES = ['hunter2-fixture-secret', 'changed-live-secret', 'unmanaged-secret-value'].flatMap((value) => [value, Buffer.from(value).toString('base64')]);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface JsonResource {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  status: string;
  fields: string[];
  explanations: string[];
  changedBy: ({ manager: string; operation: string; time?: string } | null)[];
  explanation?: string;
  declaredAt?: { file: string; line: number };
}

const temporaryFolders: string[] = [];
const servers: KubeApiServer[] = [];

function temporaryFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-drift-'));
  temporaryFolders.push(folder);
  return folder;
}

after(() => {
  for (const folder of temporaryFolders) fs.rmSync(folder, { recursive: true, force: true });
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A test API server holding the shop fixtures as `kubectl apply` would have left them, and a kubeconfig for it. */
async function clusterWithShop(): Promise<{ server: KubeApiServer; kubeconfig: string }> {
  const server = await KubeApiServer.start();
  servers.push(server);
  for (const file of SHOP_FILES) server.seed(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'kind-shop', server: server.url, caPem: server.caPem, token: server.token }]);
  return { server, kubeconfig };
}

/** Runs the CLI (asynchronously: the test API server lives in this process) and checks nothing secret was printed. */
function run(args: readonly string[], secrets: readonly string[] = []): Promise<Run> {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  delete env.GITOPS_IAC_DEBUG;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'drift', ...args], { cwd: FIXTURES, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      for (const secret of [...SECRET_VALUES, ...secrets]) {
        assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `the output reveals a secret (${secret.slice(0, 4)}…)`);
      }
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function resourcesOf(result: Run): JsonResource[] {
  const parsed = JSON.parse(result.stdout) as { resources: JsonResource[] };
  assert.deepEqual(Object.keys(parsed), ['resources']);
  for (const resource of parsed.resources) {
    assert.deepEqual(Object.keys(resource).slice(0, CONTRACT_KEYS.length), CONTRACT_KEYS, 'the contract keys come first, in order');
    assert.ok(resource.fields.every((field) => typeof field === 'string'));
  }
  return parsed.resources;
}

const byId = (resources: readonly JsonResource[]) => new Map(resources.map((resource) => [`${resource.kind}/${resource.namespace}/${resource.name}`, resource]));

describe('gitops-iac drift against a cluster', () => {
  it('finds everything in sync although the server added defaults, status, metadata and canonical quantities', async () => {
    const { server, kubeconfig } = await clusterWithShop();
    const result = await run(['--kubeconfig', kubeconfig, '--format', 'json', 'shop'], [server.token]);
    assert.equal(result.code, 0, result.stderr);
    const resources = resourcesOf(result);
    assert.deepEqual(resources.map((resource) => `${resource.status} ${resource.kind}/${resource.namespace}/${resource.name}`).sort(), [
      'in-sync ConfigMap/shop/web-config', 'in-sync Deployment/shop/web', 'in-sync Deployment/shop/worker',
      'in-sync Namespace//shop', 'in-sync Secret/shop/db', 'in-sync Service/shop/web',
    ]);
    assert.deepEqual(byId(resources).get('Deployment/shop/web')?.declaredAt, { file: 'shop/web.yaml', line: 1 });
    // One LIST per kind and namespace (a cluster-wide one for Namespaces), never a GET per object.
    const reads = server.requests.map((request) => request.path);
    assert.deepEqual([...reads].sort(), [
      '/api/v1', '/api/v1/namespaces', '/api/v1/namespaces/shop/configmaps', '/api/v1/namespaces/shop/secrets',
      '/api/v1/namespaces/shop/services', '/apis/apps/v1', '/apis/apps/v1/namespaces/shop/deployments',
    ]);
    assert.ok(server.requests.every((request) => request.method === 'GET' && request.authenticated));
  });

  it('reports drift of several kinds with who changed each field, and objects missing live', async () => {
    const { server, kubeconfig } = await clusterWithShop();
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
    server.mutate(web, (object) => {
      const spec = object.spec as { replicas: number; template: { spec: { containers: { env: unknown[]; resources: { limits: Record<string, string> } }[] } } };
      spec.replicas = 5;
      spec.template.spec.containers[0].env.push({ name: 'DEBUG', value: 'true' });
      spec.template.spec.containers[0].resources.limits.memory = '2Gi';
    }, 'kubectl-edit');
    server.mutate({ apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' }, (object) => {
      delete (object.metadata.labels as Record<string, string>)['app.kubernetes.io/instance'];
    }, 'kubectl-label');
    server.mutate({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-config' }, (object) => {
      (object.data as Record<string, string>).FEATURE_CHECKOUT = 'off';
    }, 'kubectl-edit');
    server.mutate({ apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' }, (object) => {
      (object.data as Record<string, string>).password = Buffer.from('changed-live-secret').toString('base64');
    }, 'kubectl-edit');
    server.remove({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'worker' });

    const json = await run(['--kubeconfig', kubeconfig, '--format', 'json', 'shop'], [server.token]);
    assert.equal(json.code, 1, json.stderr);
    const resources = byId(resourcesOf(json));
    const deployment = resources.get('Deployment/shop/web');
    assert.equal(deployment?.status, 'drifted');
    assert.deepEqual([...(deployment?.fields ?? [])].sort(), [
      'spec.replicas',
      'spec.template.spec.containers[name=web].env[name=DEBUG]',
      'spec.template.spec.containers[name=web].resources.limits.memory',
    ]);
    assert.ok(deployment?.changedBy.every((manager) => manager?.manager === 'kubectl-edit' && manager.operation === 'Update' && manager.time));
    assert.equal(resources.get('Service/shop/web')?.status, 'drifted');
    assert.deepEqual(resources.get('Service/shop/web')?.fields, ['metadata.labels["app.kubernetes.io/instance"]']);
    assert.deepEqual(resources.get('ConfigMap/shop/web-config')?.fields, ['data.FEATURE_CHECKOUT']);
    assert.deepEqual(resources.get('Secret/shop/db')?.fields, ['data.password']);
    assert.equal(resources.get('Deployment/shop/worker')?.status, 'missing');
    assert.equal(resources.get('Namespace//shop')?.status, 'in-sync');

    const text = await run(['--kubeconfig', kubeconfig, 'shop'], [server.token]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /drifted\s+apps\/v1\/Deployment\/shop\/web {2}shop\/web\.yaml:1/);
    assert.match(text.stdout, /spec\.replicas: .*5.*3.*\(changed by kubectl-edit, Update at \d{4}-/);
    assert.match(text.stdout, /missing\s+apps\/v1\/Deployment\/shop\/worker/);
    assert.match(text.stdout, /4 drifted, 1 missing, 1 in sync/);
  });

  it('compares what a kustomize overlay renders, and says which kinds the cluster does not serve', async () => {
    const server = await KubeApiServer.start();
    servers.push(server);
    const rendered = parse(fs.readFileSync(path.join(FIXTURES, 'overlay/base/api.yaml'), 'utf8')) as { metadata: Record<string, unknown>; spec: { replicas: number } };
    rendered.metadata.namespace = 'prod';
    rendered.spec.replicas = 4;
    server.create(rendered as never, { manager: 'argocd-controller' });
    server.mutate({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'api' }, (object) => {
      (object.spec as { replicas: number }).replicas = 7;
    }, 'kube-controller-manager');
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'prod', server: server.url, caPem: server.caPem, token: server.token }]);
    const result = await run(['--kubeconfig', kubeconfig, '--format', 'json', 'overlay', 'crd'], [server.token]);
    assert.equal(result.code, 1, result.stderr);
    const resources = byId(resourcesOf(result));
    const api = resources.get('Deployment/prod/api');
    assert.equal(api?.status, 'drifted');
    assert.deepEqual(api?.fields, ['spec.replicas']);
    assert.match(api?.explanations[0] ?? '', /7.*4/);
    assert.equal(api?.changedBy[0]?.manager, 'kube-controller-manager');
    const monitor = resources.get('ServiceMonitor/shop/web');
    assert.equal(monitor?.status, 'missing');
    assert.match(monitor?.explanation ?? '', /does not serve monitoring\.coreos\.com\/v1.*CRD/);
  });

  it('puts objects without a namespace in the context\'s namespace, and --namespace keeps only one', async () => {
    const { server } = await clusterWithShop();
    server.seed(fs.readFileSync(path.join(FIXTURES, 'plain/flags.yaml'), 'utf8'), { namespace: 'staging' });
    const kubeconfig = writeKubeconfig(temporaryFolder(), [
      { name: 'staging', server: server.url, caPem: server.caPem, token: server.token, namespace: 'staging' },
      { name: 'default', server: server.url, caPem: server.caPem, token: server.token },
    ]);
    const staging = await run(['--kubeconfig', kubeconfig, '--format', 'json', 'plain'], [server.token]);
    assert.equal(staging.code, 0, staging.stderr);
    assert.deepEqual(resourcesOf(staging).map((resource) => [resource.namespace, resource.name, resource.status]), [['staging', 'feature-flags', 'in-sync']]);
    const inDefault = await run(['--kubeconfig', kubeconfig, '--context', 'default', '--format', 'json', 'plain'], [server.token]);
    assert.equal(inDefault.code, 1, inDefault.stderr);
    assert.deepEqual(resourcesOf(inDefault).map((resource) => [resource.namespace, resource.status]), [['default', 'missing']]);

    server.requests.length = 0;
    const only = await run(['--kubeconfig', kubeconfig, '--context', 'default', '--namespace', 'staging', '--format', 'json', 'plain', 'shop'], [server.token]);
    assert.equal(only.code, 0, only.stderr);
    assert.deepEqual(resourcesOf(only).map((resource) => `${resource.kind}/${resource.namespace}/${resource.name}`).sort(), ['ConfigMap/staging/feature-flags', 'Namespace//shop']);
    assert.ok(server.requests.every((request) => !request.path.includes('/namespaces/shop/')), 'nothing read in other namespaces');
  });

  it('lists unmanaged objects only when asked, without revealing Secret values', async () => {
    const { server, kubeconfig } = await clusterWithShop();
    server.seed(`apiVersion: v1
kind: ConfigMap
metadata: {name: leftover, namespace: shop, labels: {app.kubernetes.io/instance: shop}}
data: {stale: "yes"}
---
apiVersion: v1
kind: Secret
metadata: {name: leftover-credentials, namespace: shop, labels: {app.kubernetes.io/instance: shop}}
stringData: {token: unmanaged-secret-value}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: someone-elses, namespace: shop}
data: {x: "1"}
`);
    const without = await run(['--kubeconfig', kubeconfig, '--format', 'json', 'shop'], [server.token]);
    assert.equal(without.code, 0, without.stderr);
    assert.ok(resourcesOf(without).every((resource) => resource.status === 'in-sync'));
    for (const format of ['json', 'text']) {
      const withUnmanaged = await run(['--kubeconfig', kubeconfig, '--include-unmanaged', '--format', format, 'shop'], [server.token]);
      assert.equal(withUnmanaged.code, 1, withUnmanaged.stderr);
      if (format === 'json') {
        const unmanaged = resourcesOf(withUnmanaged).filter((resource) => resource.status === 'unmanaged').map((resource) => `${resource.kind}/${resource.name}`);
        assert.deepEqual(unmanaged.sort(), ['ConfigMap/leftover', 'Secret/leftover-credentials']);
      } else assert.match(withUnmanaged.stdout, /unmanaged v1\/Secret\/shop\/leftover-credentials/);
    }
  });
});

describe('gitops-iac drift over Kubernetes, Terraform and Ansible together', () => {
  it('reports each source as its own environment in one answer', async () => {
    const { server, kubeconfig } = await clusterWithShop();
    const result = await run(['--kubeconfig', kubeconfig, '--inventory', 'localhost,', '--format', 'json', 'shop', 'mixed'], [server.token]);
    assert.equal(result.code, 1, result.stderr);
    const resources = resourcesOf(result) as (JsonResource & { source: string; id: string; environment: string; approximate?: boolean })[];
    const summary = resources.map((resource) => `${resource.source} ${resource.status} ${resource.source === 'kubernetes' ? resource.kind : resource.id.replace(FIXTURES, '')}`);
    assert.equal(summary.filter((line) => line.startsWith('kubernetes in-sync')).length, 6);
    assert.deepEqual(summary.filter((line) => !line.startsWith('kubernetes')).sort(), [
      'ansible drifted /mixed/hosts/site.yml:6@localhost',
      'terraform in-sync terraform_data.release',
      'terraform missing terraform_data.migration',
    ]);
    assert.ok(resources.filter((resource) => resource.source === 'terraform').every((resource) => resource.approximate && resource.apiVersion === '' && resource.namespace === ''));
    assert.deepEqual([...new Set(resources.map((resource) => resource.environment))].sort(), ['kind-shop', 'mixed/infra', 'site.yml (inventory localhost,)']);
    assert.equal(fs.existsSync(path.join(FIXTURES, 'mixed', 'hosts', 'motd')), false, 'check mode wrote nothing');
  });
});

describe('gitops-iac drift on a larger cluster', () => {
  it('reads a kind across the cluster page by page, and namespace by namespace when only Roles allow it', async () => {
    const server = await KubeApiServer.start();
    servers.push(server);
    const workspace = temporaryFolder();
    for (let namespace = 0; namespace < 5; namespace++) {
      const documents = Array.from({ length: 130 }, (_, index) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-${index}, namespace: team-${namespace}}\ndata: {index: "${index}"}\n`);
      fs.writeFileSync(path.join(workspace, `team-${namespace}.yaml`), documents.join('---\n'));
      for (const document of documents) server.seed(document);
    }
    const admin = writeKubeconfig(temporaryFolder(), [{ name: 'admin', server: server.url, caPem: server.caPem, token: server.token }]);
    const all = await run(['--kubeconfig', admin, '--format', 'json', workspace], [server.token]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(resourcesOf(all).filter((resource) => resource.status === 'in-sync').length, 650);
    const lists = server.requests.filter((request) => request.path === '/api/v1/configmaps');
    assert.deepEqual(lists.map((request) => [request.query.get('limit'), request.query.has('continue')]), [['500', false], ['500', true]]);

    const token = server.addToken('team-viewer', [{ verb: 'list', resource: 'configmaps', clusterWide: true }]);
    const viewer = writeKubeconfig(temporaryFolder(), [{ name: 'viewer', server: server.url, caPem: server.caPem, token }]);
    server.requests.length = 0;
    const perNamespace = await run(['--kubeconfig', viewer, '--format', 'json', workspace], [token, server.token]);
    assert.equal(perNamespace.code, 0, perNamespace.stderr);
    assert.equal(resourcesOf(perNamespace).length, 650);
    assert.deepEqual(server.requests.map((request) => request.path).filter((requested) => requested.endsWith('/configmaps')).sort(), [
      '/api/v1/configmaps', ...Array.from({ length: 5 }, (_, index) => `/api/v1/namespaces/team-${index}/configmaps`),
    ]);
  });
});

describe('gitops-iac drift when the cluster cannot be read', () => {
  it('exits 2 with words when the token is refused (401), never printing it', async () => {
    const { server } = await clusterWithShop();
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'stale', server: server.url, caPem: server.caPem, token: 'expired-token-0123456789' }]);
    const result = await run(['--kubeconfig', kubeconfig, 'shop'], ['expired-token-0123456789', server.token]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the credentials of context "stale" were refused \(401 Unauthorized\)/);
  });

  it('exits 2 naming the kind RBAC forbids (403), and still reports the kinds it could read', async () => {
    const { server } = await clusterWithShop();
    const token = server.addToken('system:serviceaccount:shop:viewer', [{ verb: 'list', resource: 'secrets', namespace: 'shop' }]);
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'viewer', server: server.url, caPem: server.caPem, token }]);
    const result = await run(['--kubeconfig', kubeconfig, '--format', 'json', 'shop'], [token, server.token]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /forbidden to list secrets in shop — check the RBAC of context "viewer"/);
    const resources = byId(resourcesOf(result));
    assert.equal(resources.get('Secret/shop/db'), undefined, 'a Secret that could not be read is not reported missing');
    assert.equal(resources.get('Deployment/shop/web')?.status, 'in-sync');
  });

  it('exits 2 with words when nothing listens', async () => {
    const { server } = await clusterWithShop();
    const url = server.url;
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'gone', server: url, caPem: server.caPem, token: server.token }]);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const result = await run(['--kubeconfig', kubeconfig, 'shop']);
    assert.equal(result.code, 2);
    assert.ok(result.stderr.includes(`cannot reach ${url}: connection refused — is the cluster running and the context right?`), result.stderr);
  });

  it('exits 2 with words when the server\'s certificate is not the kubeconfig\'s authority', async () => {
    const { server } = await clusterWithShop();
    const impostor = await KubeApiServer.start();
    servers.push(impostor);
    const kubeconfig = writeKubeconfig(temporaryFolder(), [{ name: 'wrong-ca', server: server.url, caPem: impostor.caPem, token: server.token }]);
    const result = await run(['--kubeconfig', kubeconfig, 'shop'], [server.token]);
    assert.equal(result.code, 2);
    assert.ok(result.stderr.includes(`cannot trust ${server.url}: its certificate is not signed by the kubeconfig's certificate authority — check certificate-authority(-data)`), result.stderr);
    assert.equal(server.requests.length, 0, 'no request went out with the token');
  });

  it('exits 2 with words when the cluster does not answer in time', async () => {
    const { server, kubeconfig } = await clusterWithShop();
    // Far longer than the timeout, so that giving up in time shows even with a slow start of the CLI on a loaded machine.
    server.responseDelayMs = 10_000;
    const started = Date.now();
    const result = await run(['--kubeconfig', kubeconfig, '--request-timeout', '1', 'shop']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot reach https:\/\/127\.0\.0\.1:\d+: no answer within 1 s — is the cluster running and the context right\?/);
    assert.ok(Date.now() - started < 8000, 'gave up after the timeout, not when the server answered');
  });

  it('exits 2 for an unknown context or a missing kubeconfig, and for bad usage', async () => {
    const { kubeconfig } = await clusterWithShop();
    const unknown = await run(['--kubeconfig', kubeconfig, '--context', 'nope', 'shop']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no context "nope" in .*kubeconfig\.yaml \(it has kind-shop\)/);
    const missing = await run(['--kubeconfig', path.join(temporaryFolder(), 'absent.yaml'), 'shop']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*absent\.yaml/);
    const usage = await run(['--live', 'x.json', '--context', 'a', 'shop']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--live reads a snapshot file: it cannot be combined with --context/);
  });
});

describe('gitops-iac drift --live SNAPSHOT.json', () => {
  /** What the real kubectl prints for the test API server (managedFields only when asked: kubectl hides them by default). */
  function kubectlSnapshot(kubeconfig: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespaces,deployments,services,configmaps,secrets', '--all-namespaces', '--show-managed-fields', '-o', 'json'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(stderr));
        else resolve(stdout);
      });
    });
  }

  it('compares with what kubectl get -o json printed: in sync, then drifted', async () => {
    const { server, kubeconfig } = await clusterWithShop();
    const folder = temporaryFolder();
    const snapshot = path.join(folder, 'live.json');
    fs.writeFileSync(snapshot, await kubectlSnapshot(kubeconfig));
    const inSync = await run(['--live', snapshot, '--format', 'json', 'shop']);
    assert.equal(inSync.code, 0, inSync.stderr);
    assert.equal(resourcesOf(inSync).length, 6);

    server.mutate({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'worker' }, (object) => {
      (object.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'registry.example.com/shop/worker:2.0.1-hotfix';
    }, 'kubectl-set');
    fs.writeFileSync(snapshot, await kubectlSnapshot(kubeconfig));
    const drifted = await run(['--live', snapshot, 'shop']);
    assert.equal(drifted.code, 1, drifted.stderr);
    assert.match(drifted.stdout, /spec\.template\.spec\.containers\[name=worker\]\.image: .*2\.0\.1-hotfix.*\(changed by kubectl-set/);
  });

  it('exits 2 with words for a file that is not a kubectl snapshot', async () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, 'bad.json'), '{"kind": "List"}');
    const bad = await run(['--live', path.join(folder, 'bad.json'), 'shop']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json: The List has no "items" array\. Expected the JSON that `kubectl get -o json` prints\./);
    const absent = await run(['--live', path.join(folder, 'absent.json'), 'shop']);
    assert.equal(absent.code, 2);
    assert.match(absent.stderr, /cannot read the snapshot .*absent\.json: no such file/);
  });
});

describe('the test API server, checked with the real kubectl', () => {
  function kubectl(kubeconfig: string, args: readonly string[], input?: string): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile('kubectl', ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
      child.stdin?.end(input ?? '');
    });
  }

  it('answers server-side apply in dry-run: conflicts, forced predictions with defaults, refusals', async () => {
    const { server, kubeconfig } = await clusterWithShop();
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
    server.mutate(web, (object) => { (object.spec as { replicas: number }).replicas = 5; }, 'kubectl-edit');
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n';
    const apply = ['apply', '--server-side', '--dry-run=server', '--validate=false', '--field-manager=gitops-iac', '--show-managed-fields', '-o', 'json', '-f', '-'];

    const conflict = await kubectl(kubeconfig, apply, patch);
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl-edit" using apps\/v1: \.spec\.replicas/);

    const forced = await kubectl(kubeconfig, [...apply, '--force-conflicts'], patch);
    assert.equal(forced.code, 0, forced.stderr);
    const predicted = JSON.parse(forced.stdout) as { spec: { replicas: number; revisionHistoryLimit: number }; metadata: { managedFields: { manager: string; operation: string }[] } };
    assert.equal(predicted.spec.replicas, 2);
    assert.equal(predicted.spec.revisionHistoryLimit, 10);
    assert.ok(predicted.metadata.managedFields.some((entry) => entry.manager === 'gitops-iac' && entry.operation === 'Apply'));
    const stored = await kubectl(kubeconfig, ['get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(stored.stdout, '5', 'a dry run changes nothing');

    server.applyRefusal = { kind: 'webhook', webhook: 'policy.example.com', code: 400, message: 'replicas below 3 are not allowed' };
    const refused = await kubectl(kubeconfig, [...apply, '--force-conflicts'], patch);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /admission webhook "policy\.example\.com" denied the request: replicas below 3 are not allowed/);
  });
});
