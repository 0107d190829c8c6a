/**
 * GitOps app definitions, pure parts: remote URL forms, git config remotes, which apps
 * deploy from this repository, and the path checks with an in-memory repository.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appsInText } from '../../server/src/gitops/apps';
import { DeployedObjects } from '../../server/src/gitops/deployedObjects';
import { ownershipConflicts, ownershipMessage, type OwningSource } from '../../server/src/gitops/ownership';
import { normalizeRepoUrl, sameRepository } from '../../server/src/gitops/repoUrl';
import { GitOpsApps, type FolderContents } from '../../server/src/gitops/workspace';
import { renderKustomization } from '../../server/src/kustomize/render';
import { remoteUrlsOf } from '../../server/src/node/gitRepositories';
import { at, memoryReader, ROOT, uriOf, yaml } from './kustomize-helpers';

describe('repository URLs', () => {
  it('treats the https, ssh and scp-like forms of one repository as the same', () => {
    const forms = ['https://git.example.com/Shop/GitOps.git', 'git@git.example.com:shop/gitops.git', 'ssh://git@git.example.com:22/shop/gitops', 'https://token@git.example.com/shop/gitops/'];
    for (const form of forms) assert.equal(normalizeRepoUrl(form), 'git.example.com/shop/gitops', form);
    assert.equal(sameRepository('https://git.example.com/shop/gitops', 'https://git.example.com/shop/other'), false);
  });

  it('reads every remote URL of a git config', () => {
    const config = '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@git.example.com:shop/gitops.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[remote "mirror"]\n  url = https://mirror.example.com/shop/gitops\n[branch "main"]\n\tremote = origin\n';
    assert.deepEqual(remoteUrlsOf(config), ['git@git.example.com:shop/gitops.git', 'https://mirror.example.com/shop/gitops']);
  });
});

describe('app definitions', () => {
  it('finds the paths of Applications, ApplicationSets, Flux Kustomizations and HelmReleases', () => {
    const text = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: ApplicationSet',
      'metadata: {name: envs}',
      'spec:',
      '  template:',
      '    spec:',
      '      sources:',
      '        - repoURL: https://git.example.com/shop/gitops',
      '          path: overlays/{{env}}',
      '        - repoURL: https://git.example.com/shop/gitops',
      '          path: base/web',
      '          directory: {recurse: true}',
      '---',
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'metadata: {name: web, namespace: shop}',
      'spec:',
      '  chart:',
      '    spec:',
      '      chart: ./charts/web',
      '      sourceRef: {kind: HelmRepository, name: bitnami}',
      '',
    ].join('\n');
    const { sources } = appsInText(text);
    // The templated path names no folder; the HelmRelease's source is a Helm repository, not git.
    assert.deepEqual(sources.map((s) => [s.app, s.path, s.pathRange.start.line, s.pathRange.start.character, s.recursive]), [['ApplicationSet envs', 'base/web', 10, 16, true]]);
  });
});

describe('GitOpsApps', () => {
  const folders: Record<string, FolderContents> = { 'file:///r/overlays/prod': 'manifests', 'file:///r/apps/empty': 'empty' };
  const apps = new GitOpsApps({
    repositoryOf: (uri) => (uri.startsWith('file:///r/') ? { rootUri: 'file:///r', remoteUrls: ['git@git.example.com:shop/gitops.git'] } : undefined),
    folderContents: (folder) => folders[folder] ?? 'missing',
  }, (folder) => renderKustomization(folder, memoryReader({})));
  const app = (path: string, repoURL = 'https://git.example.com/shop/gitops'): string =>
    `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a, namespace: argocd}\nspec:\n  source:\n    repoURL: ${repoURL}\n    path: ${path}\n`;

  it('checks paths of this repository only, and links the ones that exist', () => {
    apps.observeFile('file:///r/apps/a.yaml', app('overlays/prod'));
    assert.deepEqual(apps.findingsFor('file:///r/apps/a.yaml'), []);
    assert.deepEqual(apps.links('file:///r/apps/a.yaml').map((l) => l.folderUri), ['file:///r/overlays/prod']);
    apps.observeFile('file:///r/apps/a.yaml', app('overlays/gone'));
    assert.deepEqual(apps.findingsFor('file:///r/apps/a.yaml').map((f) => [f.severity, f.range.start.line, f.range.start.character, f.range.end.character]), [['error', 6, 10, 23]]);
    assert.deepEqual(apps.links('file:///r/apps/a.yaml'), []);
    apps.observeFile('file:///r/apps/a.yaml', app('overlays/gone', 'https://git.example.com/other/repo'));
    assert.deepEqual(apps.findingsFor('file:///r/apps/a.yaml'), []);
    apps.observeFile('file:///r/apps/a.yaml', app('../outside'));
    assert.deepEqual(apps.findingsFor('file:///r/apps/a.yaml'), []);
    apps.observeFile('file:///r/apps/a.yaml', undefined);
    assert.deepEqual(apps.findingsFor('file:///r/apps/a.yaml'), []);
  });
});

const argoApp = (name: string, path: string, destination: string, extra: string[] = []): string =>
  yaml('apiVersion: argoproj.io/v1alpha1', 'kind: Application', `metadata: {name: ${name}, namespace: argocd}`, 'spec:', '  source:', '    repoURL: https://git.example.com/shop/gitops', `    path: ${path}`, ...extra, `  destination: ${destination}`);

describe('app destinations', () => {
  it('reads the cluster and namespaces each app deploys to', () => {
    const text = [
      argoApp('in', 'a', '{server: "https://kubernetes.default.svc/", namespace: shop}', ['    kustomize: {namespace: forced}']),
      argoApp('remote', 'a', '{name: staging}'),
      yaml('apiVersion: argoproj.io/v1alpha1', 'kind: ApplicationSet', 'metadata: {name: set}', 'spec:', '  template:', '    spec:', '      source: {repoURL: https://git.example.com/shop/gitops, path: a}', "      destination: {server: '{{server}}', namespace: shop}"),
      yaml('apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata: {name: far, namespace: flux-system}', 'spec:', '  path: ./a', '  targetNamespace: shop', '  kubeConfig: {secretRef: {name: edge}}', '  sourceRef: {kind: GitRepository, name: flux-system}'),
    ].join('---\n');
    assert.deepEqual(
      appsInText(text).sources.map((s) => [s.app, s.destination]),
      [
        ['Application argocd/in', { cluster: 'in-cluster', defaultNamespace: 'shop', namespaceOverride: 'forced' }],
        ['Application argocd/remote', { cluster: 'name:staging', defaultNamespace: undefined, namespaceOverride: undefined }],
        // A templated destination is a different cluster or namespace per generated app: unknown here.
        ['ApplicationSet set', undefined],
        ['Kustomization flux-system/far', { cluster: 'kubeConfig:flux-system/edge', namespaceOverride: 'shop' }],
      ],
    );
  });
});

describe('ownership conflicts', () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const owner = (app: string, destination: OwningSource['source']['destination'], objects: OwningSource['objects']): OwningSource => ({
    appId: app,
    uri: `${ROOT}/apps/${app}.yaml`,
    source: { app: `Application argocd/${app}`, path: app, pathRange: range, recursive: false, destination },
    objects,
  });
  const isNamespaced = (_apiVersion: string, kind: string): boolean => kind !== 'Namespace';
  const summary = (owners: OwningSource[]): string[] => ownershipConflicts(owners, isNamespaced).map((c) => `${c.owner.appId} vs ${c.other.appId}: ${c.objects.join(', ')}`);

  it('gives namespaced objects without a namespace the destination namespace, and compares API groups, not versions', () => {
    const a = owner('a', { cluster: 'in-cluster' }, [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }]);
    const b = owner('b', { cluster: 'in-cluster', defaultNamespace: 'shop' }, [{ apiVersion: 'apps/v1beta2', kind: 'Deployment', name: 'web' }]);
    assert.deepEqual(summary([a, b]), ['a vs b: apps/v1 Deployment shop/web', 'b vs a: apps/v1beta2 Deployment shop/web']);
    const elsewhere = owner('c', { cluster: 'in-cluster', defaultNamespace: 'other' }, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }]);
    assert.deepEqual(summary([a, elsewhere]), []);
  });

  it('ignores namespaces for cluster-scoped kinds, and tells clusters apart', () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', name: 'shop' };
    const a = owner('a', { cluster: 'in-cluster', defaultNamespace: 'x' }, [namespace]);
    const b = owner('b', { cluster: 'in-cluster', namespaceOverride: 'y' }, [namespace]);
    const remote = owner('r', { cluster: 'name:staging' }, [namespace]);
    assert.deepEqual(summary([a, b, remote]), ['a vs b: v1 Namespace shop', 'b vs a: v1 Namespace shop']);
  });

  it('never sets two sources of one app against each other, nor an app with an unknown destination', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' };
    const first = owner('a', { cluster: 'in-cluster' }, [object]);
    const second = { ...owner('a', { cluster: 'in-cluster' }, [object]) };
    assert.deepEqual(summary([first, second, owner('set', undefined, [object])]), []);
  });

  it('names a few shared objects and counts the rest', () => {
    const objects = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name }));
    const [conflict] = ownershipConflicts([owner('x', { cluster: 'in-cluster' }, objects), owner('y', { cluster: 'in-cluster' }, objects)], isNamespaced);
    assert.equal(
      ownershipMessage(conflict, 'apps/y.yaml'),
      "Application argocd/y (apps/y.yaml) also deploys v1 ConfigMap shop/a, v1 ConfigMap shop/b, v1 ConfigMap shop/c and 2 more objects: two apps that own one object undo each other's changes, and either may prune it.",
    );
  });
});

describe('deployed objects of a folder', () => {
  const files: Record<string, string> = {
    'flux/kustomization.yaml': yaml('resources: [../base]'),
    'flux/not-listed.yaml': yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: not-a-resource-of-the-kustomization}'),
    'tree/list.yaml': yaml('apiVersion: v1', 'kind: List', 'items:', '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: listed}}', '  - {apiVersion: v1, kind: Pod, metadata: {generateName: unnamed-}}'),
    'tree/top.yaml': yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: top}'),
    'tree/sub/kustomization.yaml': yaml('namespace: sub', 'resources: [../../base]'),
    'tree/sub/not-listed.yaml': yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: not-a-resource-of-the-kustomization}'),
    'tree/chart/Chart.yaml': yaml('apiVersion: v2', 'name: c', 'version: 1.0.0'),
    'tree/chart/templates/x.yaml': yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: "{{ .Release.Name }}"}'),
    'base/kustomization.yaml': yaml('resources: [service.yaml]'),
    'base/service.yaml': yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}'),
  };
  const renders: string[] = [];
  const deployed = new DeployedObjects((folder) => {
    renders.push(folder.slice(ROOT.length + 1));
    return renderKustomization(folder, memoryReader(files));
  });
  for (const [path, text] of Object.entries(files)) deployed.observeFile(uriOf(path), text);
  const names = (folder: string, recursive: boolean): string[] => deployed.objectsOf(uriOf(folder), recursive).objects.map((o) => `${o.kind} ${o.namespace ?? ''}/${o.name}`).sort();

  it('reads plain manifests, List items and named objects only', () => {
    assert.deepEqual(names('tree', false), ['ConfigMap /listed', 'ConfigMap /top']);
  });

  it('renders a kustomization folder, and builds subfolder kustomizations when reading recursively; charts are unknown', () => {
    assert.deepEqual(names('flux', true), ['Service /web']);
    assert.deepEqual(names('tree', true), ['ConfigMap /listed', 'ConfigMap /top', 'Service sub/web']);
    assert.deepEqual(deployed.objectsOf(uriOf('tree/chart'), false), { objects: [], unknown: 'a Helm chart' });
  });

  it('recomputes a folder only when a file under it, or one its render read, changes', () => {
    renders.length = 0;
    assert.equal(deployed.observeFile(uriOf('elsewhere/x.yaml'), yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: x}')), false);
    assert.equal(deployed.observeFile(uriOf('tree/README.md'), 'notes'), false);
    names('flux', true);
    assert.deepEqual(renders, []);
    files['base/service.yaml'] = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: api}');
    assert.equal(deployed.observeFile(uriOf('base/service.yaml'), files['base/service.yaml']), true);
    assert.deepEqual(names('flux', true), ['Service /api']);
    assert.deepEqual(names('tree', false), ['ConfigMap /listed', 'ConfigMap /top']);
    assert.deepEqual(renders, ['flux']);
  });
});

describe('duplicate ownership in the workspace', () => {
  const REMOTE = 'git@git.example.com:shop/gitops.git';
  const files: Record<string, string> = {
    'apps/web.yaml': argoApp('web', 'overlays/prod', '{server: https://kubernetes.default.svc, namespace: shop}'),
    'apps/hotfix.yaml': argoApp('hotfix', 'hotfix', '{server: https://kubernetes.default.svc, namespace: shop}'),
    'overlays/prod/kustomization.yaml': yaml('namespace: shop', 'resources: [../../base]'),
    'base/kustomization.yaml': yaml('resources: [service.yaml]'),
    'base/service.yaml': yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}'),
    'hotfix/service.yaml': yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web}'),
    'roots/a.yaml': argoApp('root-a', 'children', '{name: in-cluster}'),
    'roots/b.yaml': argoApp('root-b', 'children', '{name: in-cluster}'),
    'children/child.yaml': argoApp('child', 'hotfix', '{name: staging, namespace: shop}'),
  };
  const apps = new GitOpsApps(
    { repositoryOf: (uri) => (uri.startsWith(`${ROOT}/`) ? { rootUri: ROOT, remoteUrls: [REMOTE] } : undefined), folderContents: () => 'manifests' },
    (folder) => renderKustomization(folder, memoryReader(files)),
  );
  for (const [path, text] of Object.entries(files)) apps.observeFile(uriOf(path), text);
  const ownership = (path: string): string[] => apps.findingsFor(uriOf(path)).map((f) => `${at(f.range)}-${f.range.end.character + 1} ${f.rule} ${f.severity} ${f.message}`);
  const tail = ": two apps that own one object undo each other's changes, and either may prune it.";

  it('warns on both apps that deploy one object, one through a kustomization, at their path values', () => {
    assert.deepEqual(ownership('apps/web.yaml'), [`7:11-24 gitops/duplicate-ownership warning Application argocd/hotfix (apps/hotfix.yaml) also deploys v1 Service shop/web${tail}`]);
    assert.deepEqual(ownership('apps/hotfix.yaml'), [`7:11-17 gitops/duplicate-ownership warning Application argocd/web (apps/web.yaml) also deploys v1 Service shop/web${tail}`]);
  });

  it('sets two app-of-apps parents that deploy the same child against each other', () => {
    assert.deepEqual(ownership('roots/a.yaml'), [`7:11-19 gitops/duplicate-ownership warning Application argocd/root-b (roots/b.yaml) also deploys argoproj.io/v1alpha1 Application argocd/child${tail}`]);
    assert.equal(ownership('roots/b.yaml').length, 1);
    // The child deploys to another cluster: its Service is no one else's.
    assert.deepEqual(ownership('children/child.yaml'), []);
  });

  it('clears the other app\'s warning when one app goes, and says whose findings changed', () => {
    apps.observeFile(uriOf('apps/hotfix.yaml'), undefined);
    assert.deepEqual(apps.dependentsOf(uriOf('apps/hotfix.yaml')).sort(), [uriOf('apps/web.yaml'), uriOf('roots/a.yaml'), uriOf('roots/b.yaml')]);
    assert.deepEqual(ownership('apps/web.yaml'), []);
    // A change no app can see re-publishes nothing.
    apps.observeFile(uriOf('docs/notes.yaml'), 'a: 1\n');
    assert.deepEqual(apps.dependentsOf(uriOf('docs/notes.yaml')), []);
    apps.observeFile(uriOf('apps/hotfix.yaml'), files['apps/hotfix.yaml']);
    assert.equal(ownership('apps/web.yaml').length, 1);
    // The objects follow the folder: a renamed Service is no longer shared.
    apps.observeFile(uriOf('hotfix/service.yaml'), yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: web-hotfix}'));
    assert.deepEqual(ownership('apps/web.yaml'), []);
  });
});
