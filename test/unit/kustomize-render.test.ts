/**
 * The embedded kustomize build on in-memory repositories: what it renders, where each field
 * came from, and the problems it reports on the kustomization, its paths and its patches.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderKustomization, type RenderResult } from '../../server/src/kustomize/render';
import { at, memoryReader, ROOT, uriOf, webDeployment, yaml } from './kustomize-helpers';

const DEPLOYMENT = webDeployment(
  'metadata:\n  name: web',
  '      serviceAccountName: web',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '          ports:',
  '            - containerPort: 80',
  '          envFrom:',
  '            - configMapRef: {name: settings}',
  '        - name: helper',
  '          image: busybox:1.36',
);

const BASE = {
  'base/kustomization.yaml': yaml('resources:', '  - deployment.yaml', '  - sa.yaml', 'configMapGenerator:', '  - name: settings', '    literals: [A=1]'),
  'base/deployment.yaml': DEPLOYMENT,
  'base/sa.yaml': yaml('apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: web}'),
};

function render(files: Record<string, string>, folder: string): RenderResult {
  return renderKustomization(uriOf(folder), memoryReader(files));
}

const problemsOf = (result: RenderResult): string[] => result.problems.map((p) => `${p.uri.slice(ROOT.length + 1)}:${at(p.range)} ${p.rule} ${p.message}`);
const objectNamed = (result: RenderResult, kind: string) => {
  const found = result.objects.find((object) => object.kind === kind);
  assert.ok(found, `no ${kind} rendered`);
  return found;
};

describe('embedded kustomize build', () => {
  it('merges a strategic patch by the containers\' merge key, deletes with $patch and null, and maps fields to the patch', () => {
    const result = render({
      ...BASE,
      'overlay/kustomization.yaml': yaml('resources: [../base]', 'patches:', '  - path: patch.yaml'),
      'overlay/patch.yaml': yaml(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web}',
        'spec:',
        '  template:',
        '    spec:',
        '      serviceAccountName: null',
        '      containers:',
        '        - name: web',
        '          image: nginx:1.28',
        '          ports:',
        '            - containerPort: 80',
        '              name: http',
        '        - name: helper',
        '          $patch: delete',
        '        - name: sidecar',
        '          image: envoy:1.30',
      ),
    }, 'overlay');
    assert.deepEqual(problemsOf(result), []);
    const deployment = objectNamed(result, 'Deployment');
    const spec = (deployment.value.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    assert.deepEqual(spec.containers, [
      { name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80, name: 'http' }], envFrom: [{ configMapRef: { name: `settings-${'89g4tffbfk'}` } }] },
      { name: 'sidecar', image: 'envoy:1.30' },
    ]);
    assert.equal(spec.serviceAccountName, undefined);
    const image = deployment.sourceOf(['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.deepEqual([image.uri, at(image.range), image.producer], [uriOf('overlay/patch.yaml'), '10:18', 'patch']);
    const ports = deployment.sourceOf(['spec', 'template', 'spec', 'containers', 0, 'envFrom']);
    assert.deepEqual([ports.uri, at(ports.range), ports.producer], [uriOf('base/deployment.yaml'), '19:13', 'resource']);
    const sidecar = deployment.sourceOf(['spec', 'template', 'spec', 'containers', 1, 'nonsense'], 'key');
    assert.deepEqual([sidecar.uri, at(sidecar.range)], [uriOf('overlay/patch.yaml'), '16:11']);
  });

  it('applies JSON 6902 operations and reports one that points nowhere, at its path', () => {
    const result = render({
      ...BASE,
      'overlay/kustomization.yaml': yaml(
        'resources: [../base]',
        'patches:',
        '  - target: {kind: Deployment, name: web}',
        '    patch: |-',
        '      - op: replace',
        '        path: /spec/template/spec/containers/1/image',
        '        value: busybox:1.37',
        '      - op: add',
        '        path: /spec/replicas',
        '        value: 3',
        '      - op: remove',
        '        path: /spec/template/spec/nodeSelector',
      ),
    }, 'overlay');
    assert.deepEqual(problemsOf(result), [
      'overlay/kustomization.yaml:12:15 kustomize/patch In Deployment "web": "/spec/template/spec/nodeSelector" does not exist in the object.',
    ]);
    const deployment = objectNamed(result, 'Deployment');
    assert.equal((deployment.value.spec as { replicas: number }).replicas, 3);
    const replicas = deployment.sourceOf(['spec', 'replicas']);
    assert.deepEqual([replicas.uri, at(replicas.range), replicas.producer], [uriOf('overlay/kustomization.yaml'), '10:16', 'patch']);
  });

  it('renames with prefix, suffix and generator hashes, and fixes the references to renamed objects', () => {
    const result = render({ ...BASE, 'overlay/kustomization.yaml': yaml('namePrefix: dev-', 'nameSuffix: -v2', 'namespace: shop', 'resources: [../base]') }, 'overlay');
    assert.deepEqual(result.objects.map((o) => `${o.kind} ${o.namespace}/${o.name}`).sort(), ['ConfigMap shop/dev-settings-v2-89g4tffbfk', 'Deployment shop/dev-web-v2', 'ServiceAccount shop/dev-web-v2']);
    const spec = ((objectNamed(result, 'Deployment').value.spec as Record<string, unknown>).template as { spec: Record<string, unknown> }).spec;
    assert.equal(spec.serviceAccountName, 'dev-web-v2');
    assert.deepEqual((spec.containers as { envFrom?: unknown }[])[0].envFrom, [{ configMapRef: { name: 'dev-settings-v2-89g4tffbfk' } }]);
    const name = objectNamed(result, 'Deployment').sourceOf(['metadata', 'name']);
    assert.deepEqual([name.uri, name.producer], [uriOf('overlay/kustomization.yaml'), 'kustomization']);
  });

  it('adds commonLabels to selectors and templates, but labels only to metadata unless asked', () => {
    const result = render({
      ...BASE,
      'overlay/kustomization.yaml': yaml('resources: [../base]', 'commonLabels: {env: prod}', 'labels:', '  - pairs: {team: shop}', 'commonAnnotations: {owner: me}'),
    }, 'overlay');
    const value = objectNamed(result, 'Deployment').value as { metadata: { labels: unknown }; spec: { selector: { matchLabels: unknown }; template: { metadata: unknown } } };
    assert.deepEqual(value.metadata.labels, { env: 'prod', team: 'shop' });
    assert.deepEqual(value.spec.selector.matchLabels, { app: 'web', env: 'prod' });
    assert.deepEqual(value.spec.template.metadata, { labels: { app: 'web', env: 'prod' }, annotations: { owner: 'me' } });
  });

  it('applies a component to the objects of the kustomization that uses it, with images and replicas', () => {
    const result = render({
      ...BASE,
      'components/probe/kustomization.yaml': yaml('apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'replicas:', '  - name: web', '    count: 2'),
      'overlay/kustomization.yaml': yaml('resources: [../base]', 'components: [../components/probe]', 'images:', '  - name: nginx', '    newName: registry.local/nginx', '    newTag: "1.29"'),
    }, 'overlay');
    const value = objectNamed(result, 'Deployment').value as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    assert.equal(value.spec.replicas, 2);
    assert.equal(value.spec.template.spec.containers[0].image, 'registry.local/nginx:1.29');
    assert.deepEqual(problemsOf(result), []);
  });

  it('reports missing paths at their text, skips remote ones, and reports patches that target nothing', () => {
    const result = render({
      ...BASE,
      'overlay/kustomization.yaml': yaml(
        'resources:',
        '  - ../base',
        '  - missing.yaml',
        '  - github.com/example/repo/deploy?ref=v1.0.0',
        'components: [../nowhere]',
        'patches:',
        '  - path: gone.yaml',
        '  - path: other.yaml',
        '  - target: {kind: Service, name: api}',
        '    patch: |-',
        '      - op: remove',
        '        path: /spec',
        'configMapGenerator:',
        '  - name: files',
        '    files: [key=absent.txt]',
      ),
      'overlay/other.yaml': yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api'),
    }, 'overlay');
    assert.deepEqual(problemsOf(result), [
      'overlay/kustomization.yaml:3:5 kustomize/missing-path The resource "missing.yaml" does not exist.',
      'overlay/kustomization.yaml:4:5 kustomize/not-rendered The resource "github.com/example/repo/deploy?ref=v1.0.0" is remote, so the embedded build does not render this kustomization and its output is not validated. With kubectl installed and the workspace trusted, "kubectl kustomize" renders it.',
      'overlay/kustomization.yaml:5:14 kustomize/missing-path The component "../nowhere" does not exist.',
      'overlay/kustomization.yaml:15:13 kustomize/missing-path The file "absent.txt" does not exist.',
      'overlay/kustomization.yaml:7:11 kustomize/missing-path The patch "gone.yaml" does not exist.',
      'overlay/other.yaml:4:3 kustomize/patch-target This patch targets Deployment "api", which this kustomization does not produce.',
      'overlay/kustomization.yaml:9:5 kustomize/patch-target This patch targets Service "api", which this kustomization does not produce.',
    ]);
    assert.match(result.notRendered ?? '', /remote/);
  });

  it('checks the kustomization\'s own fields: unknown ones with a suggestion, types, apiVersion and deprecations', () => {
    const result = render({
      ...BASE,
      'overlay/kustomization.yaml': yaml(
        'apiVersion: kustomize.config.k8s.io/v1alpha1',
        'kind: Kustomization',
        'resources: [../base]',
        'namePrefx: dev-',
        'commonLabels: {tier: 3}',
        'replicas:',
        '  - name: web',
        '    count: "2"',
        'bases: [../base]',
      ),
    }, 'overlay');
    const problems = problemsOf(result);
    assert.deepEqual(problems.filter((p) => !p.includes('kustomize/duplicate-resource')), [
      'overlay/kustomization.yaml:4:1 kustomize/schema Unknown field "namePrefx". Did you mean "namePrefix"?',
      'overlay/kustomization.yaml:5:22 kustomize/schema Wrong type for "commonLabels.tier": expected a string, found the number 3. Quote it.',
      'overlay/kustomization.yaml:8:12 kustomize/schema Wrong type for "replicas[0].count": expected an integer, found the string "2".',
      'overlay/kustomization.yaml:1:13 kustomize/schema A Kustomization has apiVersion kustomize.config.k8s.io/v1beta1, not kustomize.config.k8s.io/v1alpha1.',
      'overlay/kustomization.yaml:5:1 kustomize/deprecated-field "commonLabels" is deprecated since kustomize v5: use "labels" (with "includeSelectors: true" to keep the selector behaviour).',
      'overlay/kustomization.yaml:9:1 kustomize/deprecated-field "bases" is deprecated since kustomize v5: list the bases under "resources".',
    ]);
    // The base listed twice adds every object twice: kustomize refuses to build that.
    assert.ok(problems.includes('overlay/kustomization.yaml:9:9 kustomize/duplicate-resource This adds Deployment "web", ServiceAccount "web", ConfigMap "settings" a second time: kustomize refuses to build two objects with the same id.'));
  });

  it('says which features it does not render instead of rendering them wrongly', () => {
    const result = render({ ...BASE, 'overlay/kustomization.yaml': yaml('resources: [../base]', 'replacements:', '  - path: replacement.yaml') }, 'overlay');
    assert.match(result.notRendered ?? '', /"replacements" is not run by the embedded build/);
    assert.deepEqual(problemsOf(result).map((p) => p.split(' ').slice(0, 2).join(' ')), ['overlay/kustomization.yaml:2:1 kustomize/not-rendered', 'overlay/kustomization.yaml:3:11 kustomize/missing-path']);
  });

  it('reports a cycle of kustomizations instead of recursing forever', () => {
    const result = render({ 'a/kustomization.yaml': yaml('resources: [../b]'), 'b/kustomization.yaml': yaml('resources: [../a]') }, 'a');
    assert.deepEqual(problemsOf(result), ['b/kustomization.yaml:1:13 kustomize/build "../a" includes itself (a cycle of kustomizations).']);
  });
});
