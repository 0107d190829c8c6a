/**
 * Kubernetes drift by meaning, on live objects shaped as kube-apiserver returns them
 * (defaults, status, uid, resourceVersion, managedFields, the last-applied annotation):
 * in sync despite all that noise, and each kind of real drift found, explained, attributed
 * and placed in the manifest. Secret values never appear in any output.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { collectDesired } from '../../server/src/drift/kubernetes/collect';
import { compareKubernetes, type CompareOptions, type LiveObject } from '../../server/src/drift/kubernetes/compare';
import { readSnapshot } from '../../server/src/drift/kubernetes/snapshot';
import type { DriftResource } from '../../server/src/drift/types';
import { renderKustomization } from '../../server/src/kustomize/render';
import { at, memoryReader, uriOf, yaml } from './kustomize-helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'drift', 'k8s');
const MANIFESTS = readFileSync(path.join(FIXTURES, 'manifests.yaml'), 'utf8');
const OPTIONS: CompareOptions = { defaultNamespace: 'shop' };

function liveObjects(): LiveObject[] {
  const snapshot = readSnapshot(readFileSync(path.join(FIXTURES, 'live-in-sync.json'), 'utf8'));
  assert.ok(snapshot.ok);
  return snapshot.objects;
}

function desiredOf(files: Record<string, string>) {
  const reader = memoryReader(files);
  return collectDesired({
    files: new Map(Object.entries(files).map(([path, text]) => [uriOf(path), text])),
    renderFolder: (folder) => renderKustomization(folder, reader),
  });
}

function compare(live: LiveObject[], options: CompareOptions = OPTIONS): DriftResource[] {
  return compareKubernetes(desiredOf({ 'apps/manifests.yaml': MANIFESTS }).objects, live, options);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit deep fields of the API server's objects in place.
type Editable = Record<string, any>;
const find = (live: LiveObject[], kind: string): Editable => live.find((object) => object.kind === kind) as Editable;
const byKind = (resources: DriftResource[], kind: string): DriftResource => resources.find((resource) => resource.kind === kind)!;
const fieldsOf = (resource: DriftResource) => Object.fromEntries(resource.fields.map((field) => [field.path, field]));

describe('drift: in sync despite server noise', () => {
  it('finds every object in sync, with identical normalised texts', () => {
    const resources = compare(liveObjects());
    assert.deepEqual(resources.map((r) => [r.id, r.status, r.fields.map((f) => f.explanation)]), [
      ['apps/v1/Deployment/shop/web', 'in-sync', []],
      ['v1/Service/shop/web', 'in-sync', []],
      ['v1/Secret/shop/db', 'in-sync', []],
      ['v1/ConfigMap/shop/settings', 'in-sync', []],
    ]);
    for (const resource of resources) assert.equal(resource.liveText, resource.desiredText, resource.id);
    assert.equal(byKind(resources, 'Deployment').declaredAt?.uri, uriOf('apps/manifests.yaml'));
    assert.equal(at(byKind(resources, 'Service').declaredAt!.range), '41:1');
  });

  it('compares defaults git sets, and leaves out the ones it omits', () => {
    const live = liveObjects();
    find(live, 'Deployment').spec.template.spec.dnsPolicy = 'Default';
    find(live, 'Deployment').spec.revisionHistoryLimit = 3;
    assert.equal(byKind(compare(live), 'Deployment').status, 'in-sync');
    const desired = MANIFESTS.replace('      hostNetwork: false', '      hostNetwork: false\n      dnsPolicy: ClusterFirst');
    const resources = compareKubernetes(desiredOf({ 'm.yaml': desired }).objects, live, OPTIONS);
    assert.deepEqual(byKind(resources, 'Deployment').fields.map((f) => f.explanation), ['dnsPolicy is Default live, git declares ClusterFirst']);
  });
});

describe('drift: the diff editor texts', () => {
  it('shows the normalised sides, which read back as YAML, with the drifted value live', () => {
    const live = liveObjects();
    find(live, 'Deployment').spec.replicas = 5;
    find(live, 'ConfigMap').data.extra = 'a: b\n- c\n';
    const resources = compare(live);
    const deployment = byKind(resources, 'Deployment');
    const [desiredSide, liveSide] = [parse(deployment.desiredText!), parse(deployment.liveText!)];
    assert.deepEqual([desiredSide.spec.replicas, liveSide.spec.replicas], [3, 5]);
    assert.equal(liveSide.status, undefined, 'no status');
    assert.equal(liveSide.metadata.uid, undefined, 'no server metadata');
    assert.equal(parse(byKind(resources, 'ConfigMap').liveText!).data.extra, 'a: b\n- c\n');
  });

  it('leaves them out when asked, and nothing else changes', () => {
    const live = liveObjects();
    find(live, 'Deployment').spec.replicas = 5;
    const withTexts = compare(live, { ...OPTIONS, includeUnmanaged: true });
    const withoutTexts = compare(live, { ...OPTIONS, includeUnmanaged: true, includeDiffTexts: false });
    assert.ok(withTexts.every((resource) => resource.desiredText !== undefined && resource.liveText !== undefined));
    assert.ok(withoutTexts.every((resource) => !('desiredText' in resource) && !('liveText' in resource)));
    assert.deepEqual(withoutTexts, withTexts.map(({ desiredText: _desired, liveText: _live, ...rest }) => rest));
  });
});

describe('drift: each kind of difference', () => {
  it('finds changed values, explains them, names who changed them and where git declares them', () => {
    const live = liveObjects();
    const deployment = find(live, 'Deployment');
    deployment.spec.replicas = 5;
    deployment.spec.template.spec.containers[0].image = 'nginx:1.26';
    deployment.spec.template.spec.containers[0].resources.requests.cpu = '1500m';
    deployment.metadata.managedFields.push({
      apiVersion: 'apps/v1', fieldsType: 'FieldsV1', manager: 'kubectl-edit', operation: 'Update', time: '2025-05-02T08:15:00Z',
      fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } },
    });
    const fields = fieldsOf(byKind(compare(live), 'Deployment'));
    assert.deepEqual(Object.keys(fields), ['spec.replicas', 'spec.template.spec.containers[name=web].image', 'spec.template.spec.containers[name=web].resources.requests.cpu']);
    const image = fields['spec.template.spec.containers[name=web].image'];
    assert.equal(image.explanation, 'image of container web is nginx:1.26 live, git declares nginx:1.25');
    assert.deepEqual([image.desired, image.live], ['nginx:1.25', 'nginx:1.26']);
    assert.deepEqual(image.changedBy, { manager: 'kubectl-edit', operation: 'Update', time: '2025-05-02T08:15:00Z' });
    assert.equal(at(image.declaredRange!), '21:18');
    assert.equal(fields['spec.replicas'].explanation, 'replicas is 5 live, git declares 3');
    assert.equal(fields['spec.replicas'].changedBy?.manager, 'kubectl-client-side-apply');
    assert.equal(fields['spec.template.spec.containers[name=web].resources.requests.cpu'].explanation, 'cpu is 1500m live, git declares 1000m');
  });

  it('treats a list git declares as the whole list, matched by merge key, not position', () => {
    const live = liveObjects();
    const container = find(live, 'Deployment').spec.template.spec.containers[0];
    container.env.unshift({ name: 'DEBUG', value: 'true' });
    container.ports.push({ containerPort: 9090, protocol: 'TCP' });
    const fields = fieldsOf(byKind(compare(live), 'Deployment'));
    assert.deepEqual(Object.fromEntries(Object.entries(fields).map(([path, field]) => [path, field.explanation])), {
      'spec.template.spec.containers[name=web].ports[containerPort=9090,protocol=TCP]': 'port 9090/TCP was added live',
      'spec.template.spec.containers[name=web].env[name=DEBUG]': 'env var DEBUG was added live',
    });
    // An item only live has no node in git: the range is the key of its list.
    assert.equal(at(fields['spec.template.spec.containers[name=web].env[name=DEBUG]'].declaredRange!), '24:11');
  });

  it('reports labels git declares that live lacks, but not extra live labels', () => {
    const live = liveObjects();
    const labels = find(live, 'Deployment').metadata.labels;
    delete labels.team;
    labels['app.kubernetes.io/managed-by'] = 'someone';
    const fields = byKind(compare(live), 'Deployment').fields;
    assert.deepEqual(fields.map((f) => [f.path, f.explanation, f.desired, f.live]), [['metadata.labels.team', 'label team is missing live', 'storefront', undefined]]);
  });

  it('reports a missing object, and unmanaged ones only when asked and tracked', () => {
    const live = liveObjects().filter((object) => object.kind !== 'ConfigMap');
    const tracked = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leftover', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'shop' } }, data: { a: 'b' } };
    const untracked = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'shop' }, data: {} };
    live.push(tracked, untracked);
    assert.deepEqual(compare(live).map((r) => [r.name, r.status]), [['web', 'in-sync'], ['web', 'in-sync'], ['db', 'in-sync'], ['settings', 'missing']]);
    const withUnmanaged = compare(live, { ...OPTIONS, includeUnmanaged: true });
    assert.deepEqual(withUnmanaged.slice(4).map((r) => [r.id, r.status, r.declaredAt]), [['v1/ConfigMap/shop/leftover', 'unmanaged', undefined]]);
    assert.match(withUnmanaged[4].liveText!, /name: leftover/);
  });

  it('matches a namespaced object without namespace in the default namespace, and cluster-scoped ones without any', () => {
    const desired = desiredOf({ 'ns.yaml': yaml('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop', '  labels: {tier: prod}') }).objects;
    const live = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', uid: 'x', labels: { tier: 'prod', 'kubernetes.io/metadata.name': 'shop' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }];
    const [resource] = compareKubernetes(desired, live, OPTIONS);
    assert.deepEqual([resource.id, resource.namespace, resource.status], ['v1/Namespace/shop', '', 'in-sync']);
    assert.equal(resource.liveText, resource.desiredText);
  });
});

describe('drift: Secrets are never revealed', () => {
  const SECRET_VALUES = ['s3cr3t-Passw0rd', Buffer.from('s3cr3t-Passw0rd').toString('base64'), 'hunter2-live', Buffer.from('hunter2-live').toString('base64'), 'admin', 'YWRtaW4='];

  it('says which keys differ, and no output holds a value, its length or its encoding', () => {
    const live = liveObjects();
    const secret = find(live, 'Secret');
    secret.data.password = Buffer.from('hunter2-live').toString('base64');
    secret.data.extra = Buffer.from('hunter2-live').toString('base64');
    const resources = compare(live, { ...OPTIONS, includeUnmanaged: true });
    const resource = byKind(resources, 'Secret');
    assert.equal(resource.status, 'drifted');
    assert.deepEqual(resource.fields.map((f) => [f.path, f.explanation, f.changedBy?.manager]), [['data.password', 'key password differs', 'kubectl-client-side-apply']]);
    assert.match(resource.desiredText!, /password: \(hidden, differs\)\n\s+user: \(hidden\)/);
    const output = JSON.stringify(resources);
    for (const value of SECRET_VALUES) assert.ok(!output.includes(value), `output holds ${value}`);
    assert.ok(!output.includes('last-applied-configuration'), 'the last-applied annotation of a Secret is gone');
  });

  it('masks unmanaged and missing Secrets too', () => {
    const live = liveObjects().filter((object) => object.kind !== 'Secret');
    live.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'shop', annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/Secret:shop/other' } }, data: { token: Buffer.from('hunter2-live').toString('base64') } });
    const output = JSON.stringify(compare(live, { ...OPTIONS, includeUnmanaged: true }));
    assert.match(output, /token: \(hidden\)/);
    for (const value of SECRET_VALUES) assert.ok(!output.includes(value), `output holds ${value}`);
  });
});

describe('drift: kustomize overlays', () => {
  it('compares what an overlay renders, and places a patched field in its patch', () => {
    const files = {
      'base/kustomization.yaml': yaml('resources: [deployment.yaml]'),
      'base/deployment.yaml': yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 1', '  template:', '    spec:', '      containers:', '        - name: web', '          image: nginx:1.25'),
      'overlays/prod/kustomization.yaml': yaml('namespace: prod', 'resources: [../../base]', 'patches:', '  - path: replicas.yaml'),
      'overlays/prod/replicas.yaml': yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 4'),
    };
    const { objects, notes } = desiredOf(files);
    assert.deepEqual([objects.length, notes], [1, []]);
    const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } };
    const [resource] = compareKubernetes(objects, [live], OPTIONS);
    assert.equal(resource.id, 'apps/v1/Deployment/prod/web');
    assert.equal(resource.declaredAt?.uri, uriOf('base/deployment.yaml'));
    assert.deepEqual(resource.fields.map((f) => [f.path, f.explanation, f.declaredUri, at(f.declaredRange!)]), [
      ['spec.replicas', 'replicas is 2 live, git declares 4', uriOf('overlays/prod/replicas.yaml'), '6:13'],
    ]);
  });

  it('skips Helm chart files', () => {
    const files = { 'chart/Chart.yaml': yaml('apiVersion: v2', 'name: c', 'version: 1.0.0'), 'chart/templates/cm.yaml': yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: x') };
    assert.deepEqual(desiredOf(files).objects, []);
  });
});
