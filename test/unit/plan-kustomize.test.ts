/**
 * Preview Plan of a Kustomize overlay, on a real git repository (test/fixtures/plan/kustomize:
 * a base, overlays/prod with a namePrefix, a namespace and a replicas patch) against the test
 * API server seeded with what `kubectl kustomize` renders on main. A change to the patch plans
 * the overlay's Deployment under its rendered name, linked to the patch; a resource the overlay
 * drops is a deletion; what renders the same on both sides is not planned at all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';
import { findOnPath } from '../../server/src/node/findOnPath';
import { planBranch } from '../../server/src/node/planService';
import type { PlanReport } from '../../server/src/plan/types';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'plan', 'kustomize');
const KUBECTL = findOnPath('kubectl');
const DEPLOYMENT = 'apps/v1/Deployment/shop-prod/prod-web';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

const kubernetesResources = (report: PlanReport) => report.environments.filter((environment) => environment.source === 'kubernetes').flatMap((environment) => environment.resources);

describe('Preview Plan of a Kustomize overlay', { skip: KUBECTL ? false : 'kubectl (the oracle of the live state) is not installed' }, () => {
  let scratch: string;
  let repository: string;
  let kubeconfig: string;
  let api: KubeApiServer;
  const plan = (head?: string): Promise<PlanReport> => planBranch({ folder: repository, base: 'main', trusted: true, kubeconfig, ...(head ? { head } : {}) });

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-plan-kustomize-'));
    repository = path.join(scratch, 'repo');
    fs.cpSync(FIXTURE, repository, { recursive: true });
    git(repository, 'init', '--quiet', '--initial-branch=main');
    git(repository, 'add', '.');
    git(repository, 'commit', '--quiet', '-m', 'base');
    api = await KubeApiServer.start();
    // What main renders, by kustomize itself, is what is live.
    api.seed(execFileSync(KUBECTL!, ['kustomize', path.join(repository, 'overlays', 'prod')], { encoding: 'utf8' }));
    api.seed(fs.readFileSync(path.join(repository, 'apps', 'plain.yaml'), 'utf8'));
    kubeconfig = writeKubeconfig(scratch, [{ name: 'test-cluster', server: api.url, caPem: api.caPem, token: api.token, namespace: 'default' }]);
    git(repository, 'checkout', '--quiet', '-b', 'feature');
    const patch = path.join(repository, 'overlays', 'prod', 'replicas.yaml');
    fs.writeFileSync(patch, fs.readFileSync(patch, 'utf8').replace('replicas: 3', 'replicas: 5'));
    git(repository, 'commit', '--quiet', '-am', 'Scale prod');
  });
  after(async () => {
    await api?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('plans the overlay Deployment a changed patch scales, linked to the patch, and nothing that renders the same', async () => {
    const report = await plan();
    assert.deepEqual(report.changedFiles, ['overlays/prod/replicas.yaml']);
    const [environment] = report.environments;
    assert.equal(environment.error, undefined);
    // The patch itself is no object of its own (no "Deployment default/web" from it).
    assert.deepEqual(kubernetesResources(report).map((resource) => [resource.id, resource.action, resource.precision]), [[DEPLOYMENT, 'update', 'exact']]);
    const [deployment] = kubernetesResources(report);
    assert.equal(deployment.title, 'Deployment shop-prod/prod-web');
    assert.deepEqual(deployment.changes, [{ path: 'spec.replicas', before: 3, after: 5 }]);
    assert.equal(deployment.declaredAt?.uri, pathToFileURL(path.join(repository, 'overlays', 'prod', 'replicas.yaml')).href);
    assert.equal(deployment.declaredAt?.range.start.line, 5);
  });

  it('plans a resource the overlay no longer renders as a deletion', async () => {
    const kustomization = path.join(repository, 'overlays', 'prod', 'kustomization.yaml');
    const original = fs.readFileSync(kustomization, 'utf8');
    try {
      fs.writeFileSync(kustomization, original.replace('  - settings.yaml\n', ''));
      fs.rmSync(path.join(repository, 'overlays', 'prod', 'settings.yaml'));
      const report = await plan();
      assert.deepEqual(report.changedFiles, ['overlays/prod/kustomization.yaml', 'overlays/prod/replicas.yaml', 'overlays/prod/settings.yaml']);
      assert.deepEqual(kubernetesResources(report).map((resource) => [resource.id, resource.action]).sort(), [
        [DEPLOYMENT, 'update'],
        ['v1/ConfigMap/shop-prod/prod-settings', 'delete'],
      ]);
      const removed = kubernetesResources(report).find((resource) => resource.action === 'delete')!;
      assert.equal(removed.note, 'No longer in what overlays/prod/kustomization.yaml renders on this branch; a GitOps tool that prunes deletes it.');
    } finally {
      git(repository, 'checkout', '--quiet', '--', 'overlays');
    }
  });

  it('links a change the base wrote to the base file, under the overlay\'s name', async () => {
    const service = path.join(repository, 'base', 'service.yaml');
    const original = fs.readFileSync(service, 'utf8');
    try {
      fs.writeFileSync(service, original.replace('targetPort: 8080', 'targetPort: 9090'));
      const report = await plan();
      const changed = kubernetesResources(report).find((resource) => resource.id === 'v1/Service/shop-prod/prod-web');
      assert.equal(changed?.action, 'update');
      assert.deepEqual(changed.changes, [{ path: 'spec.ports[port=80,protocol=TCP].targetPort', before: 8080, after: 9090 }]);
      assert.equal(changed.declaredAt?.uri, pathToFileURL(service).href);
    } finally {
      fs.writeFileSync(service, original);
    }
  });

  it('plans a head commit from another branch the same way, linked to the repository and not the worktree', async () => {
    git(repository, 'checkout', '--quiet', 'main');
    try {
      const report = await plan('feature');
      assert.deepEqual(kubernetesResources(report).map((resource) => [resource.id, resource.action]), [[DEPLOYMENT, 'update']]);
      assert.equal(kubernetesResources(report)[0].declaredAt?.uri, pathToFileURL(path.join(repository, 'overlays', 'prod', 'replicas.yaml')).href);
    } finally {
      git(repository, 'checkout', '--quiet', 'feature');
    }
  });
});
