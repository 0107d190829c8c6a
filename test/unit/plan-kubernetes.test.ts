/**
 * The pure Kubernetes plan: objects of changed manifests with their lines, objects the branch
 * removed, creations with Secret data masked, and updates through the drift engine's
 * comparison (so server defaults are not changes). Also which files changed on a branch, with
 * a real git repository.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareWithLive, creationChanges, manifestObjects, removedObjects } from '../../server/src/plan/kubernetes';
import { changedFilesSinceBase } from '../../server/src/node/changedFiles';
import { PlanError } from '../../server/src/plan/model';

const MANIFEST = `# leading comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata:
      name: creds
      namespace: shop
    stringData:
      password: plan-secret-3141
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
metadata:
  name: not-applied
`;

describe('manifestObjects', () => {
  const objects = manifestObjects('file:///repo/apps/a.yaml', MANIFEST);

  it('lists applied objects with the line they start on, List items included', () => {
    assert.deepEqual(objects.map((object) => [object.kind, object.namespace, object.name, object.declaredAt.range.start.line]), [
      ['ConfigMap', undefined, 'settings', 1],
      ['Secret', 'shop', 'creds', 11],
    ]);
  });

  it('skips templates', () => {
    assert.deepEqual(manifestObjects('file:///repo/t.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n'), []);
  });

  it('finds what the branch removed, by identity across files', () => {
    const moved = manifestObjects('file:///repo/apps/b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n');
    assert.deepEqual(removedObjects(objects, moved).map((object) => object.name), ['creds']);
  });

  it('masks Secret data in a creation', () => {
    const changes = creationChanges(objects[1].value);
    assert.deepEqual(changes.find((change) => change.path === 'data.password'), { path: 'data.password', after: '(sensitive value)', sensitive: true });
    assert.ok(!JSON.stringify(changes).includes('plan-secret-3141'));
    assert.deepEqual(creationChanges(objects[0].value), [{ path: 'data.mode', after: 'fast' }]);
  });

  it('compares the predicted object with the live one by meaning', () => {
    const [deployment] = manifestObjects('file:///repo/d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 3\n');
    const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid: 'u1', resourceVersion: '7' }, spec: { replicas: 2, revisionHistoryLimit: 10 }, status: { replicas: 2 } };
    const predicted = { ...live, metadata: { ...live.metadata, resourceVersion: '8', generation: 2 }, spec: { replicas: 3, revisionHistoryLimit: 10 } };
    assert.deepEqual(compareWithLive(deployment, predicted, live, { defaultNamespace: 'default' }), { action: 'update', changes: [{ path: 'spec.replicas', before: 2, after: 3 }] });
    assert.deepEqual(compareWithLive(deployment, live, live, { defaultNamespace: 'default' }), { action: 'no-op', changes: [] });
    assert.equal(compareWithLive(deployment, predicted, undefined, { defaultNamespace: 'default' }).action, 'create');
  });
});

describe('changedFilesSinceBase', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-changes-'));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: folder, encoding: 'utf8' });
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), text);
  };

  it('lists committed, uncommitted, untracked, removed and renamed files since the merge base', async () => {
    git('init', '--quiet', '--initial-branch=main');
    write('a.yaml', 'a: 1\n');
    write('b.yaml', 'b: 1\n');
    write('old name.yaml', 'o: 1\n');
    write('same.yaml', 's: 1\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'base');
    git('checkout', '--quiet', '-b', 'feature');
    write('a.yaml', 'a: 2\n');
    fs.mkdirSync(path.join(folder, 'dir'));
    git('mv', 'old name.yaml', 'dir/new name.yaml');
    git('commit', '--quiet', '-am', 'branch');
    // A later commit on main is not this branch's change.
    git('checkout', '--quiet', 'main');
    write('main-only.yaml', 'm: 1\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'main moves on');
    git('checkout', '--quiet', 'feature');
    fs.rmSync(path.join(folder, 'b.yaml'));
    write('new.tf', 'x = 1\n');

    const changes = await changedFilesSinceBase(path.join(folder, 'dir'), 'main');
    assert.equal(fs.realpathSync(changes.root), fs.realpathSync(folder));
    assert.equal(changes.baseRef, 'main');
    assert.deepEqual(changes.files, [
      { path: 'a.yaml', status: 'modified' },
      { path: 'b.yaml', status: 'deleted' },
      { path: 'dir/new name.yaml', status: 'added' },
      { path: 'new.tf', status: 'added' },
      { path: 'old name.yaml', status: 'deleted' },
    ]);
    assert.equal(await changes.readAtMergeBase('b.yaml'), 'b: 1\n');
    assert.equal(await changes.readAtMergeBase('new.tf'), undefined);
  });

  it('says what is wrong when there is no base branch or no repository', async () => {
    await assert.rejects(changedFilesSinceBase(folder, 'release'), (error: unknown) => error instanceof PlanError && /no branch "release"/.test(error.message));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-norepo-'));
    try {
      await assert.rejects(changedFilesSinceBase(outside, 'main'), (error: unknown) => error instanceof PlanError && /not in a git repository/.test(error.message));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
