/**
 * The generated schemas in `schemas/`, compiled with ajv exactly as the runtime does, and the
 * converters that make them (server/src/schemas/{kubernetesOpenApi,crd,deprecations}.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import {
  KUBERNETES_SCHEMA_ID,
  OBJECT_META_REF,
  type ApiDeprecation,
  type CrdSchemaBundle,
  type JsonSchema,
  type KubernetesSchemaBundle,
  type SchemaIndex,
} from '../../server/src/schemas/bundle';
import { convertCustomResourceDefinition, factorRepeatedSubschemas } from '../../server/src/schemas/crd';
import { convertPlutoVersions, normaliseVersion, reconcileWithServedKinds } from '../../server/src/schemas/deprecations';
import { convertKubernetesOpenApi } from '../../server/src/schemas/kubernetesOpenApi';

const repoRoot = path.resolve(__dirname, '..', '..');
const schemasDir = path.join(repoRoot, 'schemas');
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data');

function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(path.join(schemasDir, relative), 'utf8')) as T;
}

const index = readJson<SchemaIndex>('index.json');
const kubernetes = readJson<KubernetesSchemaBundle>('kubernetes/v1.36.json');
const argo = readJson<CrdSchemaBundle>('crds/argo-cd.json');
const flux = readJson<CrdSchemaBundle>('crds/flux.json');
const deprecations = readJson<ApiDeprecation[]>('kubernetes/deprecations.json');

/** The runtime's ajv setup. */
function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, allowUnionTypes: true });
  ajv.addSchema({ $id: KUBERNETES_SCHEMA_ID, definitions: kubernetes.definitions });
  return ajv;
}
const ajv = newAjv();

const kindValidators = new Map<string, ValidateFunction>();
function kindValidator(apiVersion: string, kind: string): ValidateFunction {
  const key = `${apiVersion} ${kind}`;
  let validate = kindValidators.get(key);
  if (!validate) {
    const entry = kubernetes.kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
    assert.ok(entry, `no kind ${key}`);
    validate = ajv.compile({ $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/${entry.definition}` });
    kindValidators.set(key, validate);
  }
  return validate;
}

const crdValidators = new Map<string, ValidateFunction>();
function crdValidator(bundle: CrdSchemaBundle, apiVersion: string, kind: string): ValidateFunction {
  const key = `${apiVersion} ${kind}`;
  let validate = crdValidators.get(key);
  if (!validate) {
    const resource = bundle.resources.find((r) => r.apiVersion === apiVersion && r.kind === kind);
    assert.ok(resource, `no resource ${key}`);
    validate = ajv.compile(resource.schema);
    crdValidators.set(key, validate);
  }
  return validate;
}

function errorsOf(validate: ValidateFunction, doc: unknown): ErrorObject[] {
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

function assertValid(validate: ValidateFunction, doc: unknown): void {
  const errors = errorsOf(validate, doc);
  assert.deepEqual(
    errors.map((e) => `${e.instancePath} ${e.message}`),
    [],
    'expected the document to be valid',
  );
}

/** Asserts the document is invalid with (at least) an error at `instancePath` with `keyword`. */
function assertError(validate: ValidateFunction, doc: unknown, instancePath: string, keyword: string): ErrorObject {
  const errors = errorsOf(validate, doc);
  const found = errors.find((e) => e.instancePath === instancePath && e.keyword === keyword);
  assert.ok(
    found,
    `expected a ${keyword} error at ${instancePath}, got: ${JSON.stringify(errors.map((e) => [e.instancePath, e.keyword]))}`,
  );
  return found;
}

function deployment(container: Record<string, unknown> = {}, labels: Record<string, unknown> = { app: 'web' }): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] },
      },
    },
  };
}

const CONTAINER = '/spec/template/spec/containers/0';

function service(port: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, ...port }] },
  };
}

/** Every value of `keyword` anywhere in a JSON tree (including inside property names' schemas). */
function findKeyword(value: unknown, keyword: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const item of value) findKeyword(item, keyword, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === keyword && typeof child !== 'object') found.push(child);
      findKeyword(child, keyword, found);
    }
  }
  return found;
}

/** A factored schema with every `#/$defs/<name>` ref replaced by its definition: what factoring started from. */
function inlineDefs(schema: JsonSchema): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  const expand = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(expand);
    if (typeof value !== 'object' || value === null) return value;
    const ref = (value as JsonSchema).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
      const target = defs[ref.slice('#/$defs/'.length)];
      assert.ok(target, `dangling ${ref}`);
      return expand(target);
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, expand(child)]));
  };
  const rest = { ...schema };
  delete rest.$defs;
  return expand(rest) as JsonSchema;
}

describe('generated schemas/', () => {
  it('index.json lists the generated bundles', () => {
    assert.deepEqual(index, { kubernetesVersions: ['1.36'], crdBundles: ['argo-cd', 'flux'] });
    for (const version of index.kubernetesVersions) assert.ok(existsSync(path.join(schemasDir, 'kubernetes', `v${version}.json`)));
    for (const bundle of index.crdBundles) assert.ok(existsSync(path.join(schemasDir, 'crds', `${bundle}.json`)));
    assert.ok(existsSync(path.join(schemasDir, 'LICENSES', 'Apache-2.0.txt')));
  });

  it('have no format keyword and no x-kubernetes-group-version-kind, but keep the merge annotations', () => {
    for (const bundle of [kubernetes, argo, flux]) {
      assert.deepEqual(findKeyword(bundle, 'format'), []);
      assert.deepEqual(findKeyword(bundle, 'x-kubernetes-group-version-kind'), []);
      assert.deepEqual(findKeyword(bundle, 'x-kubernetes-validations'), []);
    }
    const podSpec = kubernetes.definitions['io.k8s.api.core.v1.PodSpec'] as { properties: Record<string, JsonSchema> };
    assert.equal(podSpec.properties.containers?.['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(podSpec.properties.containers?.['x-kubernetes-list-type'], 'map');
    assert.deepEqual(podSpec.properties.containers?.['x-kubernetes-list-map-keys'], ['name']);
  });

  it('PROVENANCE.md names the generator, the upstreams and the deprecation overrides', () => {
    const text = readFileSync(path.join(schemasDir, 'PROVENANCE.md'), 'utf8');
    for (const needle of [
      'scripts/generate-schemas.ts',
      'v1.36.0',
      'kube-rs/k8s-pb',
      'FairwindsOps/pluto',
      'v3.5.1',
      'helm-controller',
      'Apache-2.0',
      'resource.k8s.io/v1beta1 DeviceClass',
    ]) {
      assert.ok(text.includes(needle), `PROVENANCE.md should mention ${needle}`);
    }
  });

  it('are up to date and deterministic (the generator in --check mode finds nothing to change)', (t) => {
    if (!existsSync(path.join(dataDir, 'PROVENANCE.md'))) {
      t.skip(`no upstream data in ${dataDir}`);
      return;
    }
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-schemas.ts', '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
  });
});

describe('Kubernetes v1.36 bundle', () => {
  it('records version, source and the served kinds, sorted', () => {
    assert.equal(kubernetes.version, '1.36');
    assert.match(kubernetes.source, /v1\.36\.0/);
    assert.match(kubernetes.source, /k8s-pb/);
    assert.ok(kubernetes.kinds.length > 80, `only ${kubernetes.kinds.length} kinds`);
    const keys = kubernetes.kinds.map((k) => `${k.apiVersion} ${k.kind}`);
    assert.deepEqual(keys, [...keys].sort((a, b) => {
      const [av = '', ak = ''] = a.split(' ');
      const [bv = '', bk = ''] = b.split(' ');
      return av < bv ? -1 : av > bv ? 1 : ak < bk ? -1 : ak > bk ? 1 : 0;
    }));
    assert.equal(new Set(keys).size, keys.length);
    for (const kind of kubernetes.kinds) assert.ok(kubernetes.definitions[kind.definition], kind.definition);
    const find = (apiVersion: string, kind: string) =>
      kubernetes.kinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
    assert.deepEqual(find('apps/v1', 'Deployment'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      definition: 'io.k8s.api.apps.v1.Deployment',
      namespaced: true,
    });
    assert.equal(find('v1', 'ConfigMap')?.namespaced, true);
    assert.equal(find('v1', 'Namespace')?.namespaced, false);
    assert.equal(find('rbac.authorization.k8s.io/v1', 'ClusterRole')?.namespaced, false);
    assert.equal(find('apiextensions.k8s.io/v1', 'CustomResourceDefinition')?.namespaced, false);
    assert.ok(find('resource.k8s.io/v1beta1', 'DeviceClass'));
    for (const kind of kubernetes.kinds) {
      assert.ok(!/List$/.test(kind.kind), `${kind.kind} is a list`);
      assert.ok(!['DeleteOptions', 'Status', 'WatchEvent', 'APIGroup', 'Scale'].includes(kind.kind), kind.kind);
    }
  });

  it('accepts a valid Deployment with numeric and string quantities and IntOrString values', () => {
    assertValid(
      kindValidator('apps/v1', 'Deployment'),
      deployment({
        ports: [{ containerPort: 8080, name: 'http' }],
        resources: { limits: { cpu: 1, memory: '1Gi' }, requests: { cpu: '100m', memory: 0.5 } },
        readinessProbe: { httpGet: { path: '/', port: 'http' } },
        livenessProbe: { httpGet: { path: '/', port: 8080 } },
      }),
    );
  });

  it("accepts kubectl's creationTimestamp: null", () => {
    const validate = kindValidator('apps/v1', 'Deployment');
    const doc = deployment();
    (doc.metadata as Record<string, unknown>).creationTimestamp = null;
    assertValid(validate, doc);
    (doc.metadata as Record<string, unknown>).creationTimestamp = 5;
    assertError(validate, doc, '/metadata/creationTimestamp', 'type');
  });

  it('checks quantities against the Kubernetes quantity grammar', () => {
    const validate = kindValidator('apps/v1', 'Deployment');
    for (const cpu of [1, 0.5, '1', '100m', '1.5', '.5', '1.', '+1', '-1', '1e3', '1E-2', '2k', '1Gi', '512Mi', '1Ei', '1E']) {
      assertValid(validate, deployment({ resources: { limits: { cpu } } }));
    }
    for (const cpu of ['1.5x', '1KB', '1K', 'abc', '', '1 Gi', '1e', '1e1.5', 'Gi']) {
      assertError(validate, deployment({ resources: { limits: { cpu } } }), `${CONTAINER}/resources/limits/cpu`, 'pattern');
    }
    assertError(validate, deployment({ resources: { limits: { cpu: true } } }), `${CONTAINER}/resources/limits/cpu`, 'type');
  });

  it('accepts integers and strings for IntOrString', () => {
    const validate = kindValidator('apps/v1', 'Deployment');
    const doc = deployment();
    const strategy = (doc.spec as { strategy: { rollingUpdate: Record<string, unknown> } }).strategy;
    strategy.rollingUpdate = { maxSurge: '50%', maxUnavailable: 0 };
    assertValid(validate, doc);
    strategy.rollingUpdate = { maxSurge: true };
    assertError(validate, doc, '/spec/strategy/rollingUpdate/maxSurge', 'type');
  });

  it('reports a misspelled field as an additional property (strict objects)', () => {
    const validate = kindValidator('apps/v1', 'Deployment');
    const error = assertError(validate, deployment({ imagePullpolicy: 'Always' }), CONTAINER, 'additionalProperties');
    assert.equal(error.params.additionalProperty, 'imagePullpolicy');
    assertValid(validate, deployment({ imagePullPolicy: 'Always' }));
    const topLevel = assertError(validate, { ...deployment(), spce: {} }, '', 'additionalProperties');
    assert.equal(topLevel.params.additionalProperty, 'spce');
  });

  it('keeps maps open (labels, annotations, resources, ConfigMap data)', () => {
    const validate = kindValidator('v1', 'ConfigMap');
    assertValid(validate, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { 'example.com/anything': 'x' } },
      data: { 'any-key.yaml': 'value' },
    });
    assertError(validate, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: 5 } }, '/data/n', 'type');
  });

  it('checks required fields', () => {
    const validate = kindValidator('apps/v1', 'Deployment');
    const doc = deployment();
    delete (doc.spec as Record<string, unknown>).selector;
    const error = assertError(validate, doc, '/spec', 'required');
    assert.equal(error.params.missingProperty, 'selector');
  });

  it('limits container ports to 1..65535', () => {
    const validate = kindValidator('apps/v1', 'Deployment');
    assertValid(validate, deployment({ ports: [{ containerPort: 65535, hostPort: 1 }] }));
    assertError(validate, deployment({ ports: [{ containerPort: 70000 }] }), `${CONTAINER}/ports/0/containerPort`, 'maximum');
    assertError(validate, deployment({ ports: [{ containerPort: 0 }] }), `${CONTAINER}/ports/0/containerPort`, 'minimum');
    assertError(validate, deployment({ ports: [{ containerPort: 80, hostPort: 70000 }] }), `${CONTAINER}/ports/0/hostPort`, 'maximum');
    assertError(validate, deployment({ ports: [{ hostPort: 80 }] }), `${CONTAINER}/ports/0`, 'required');
  });

  it('limits Service ports to 1..65535; targetPort takes a number or a name', () => {
    const validate = kindValidator('v1', 'Service');
    assertValid(validate, service({ targetPort: 8080, nodePort: 30080 }));
    assertValid(validate, service({ targetPort: 'http' }));
    assertValid(validate, service({}));
    assertError(validate, service({ port: 70000 }), '/spec/ports/0/port', 'maximum');
    assertError(validate, service({ nodePort: 70000 }), '/spec/ports/0/nodePort', 'maximum');
    assertError(validate, service({ targetPort: 70000 }), '/spec/ports/0/targetPort', 'maximum');
    assertError(validate, service({ targetPort: 0 }), '/spec/ports/0/targetPort', 'minimum');
    assertError(validate, service({ targetPort: { port: 1 } }), '/spec/ports/0/targetPort', 'type');
    const targetPort = (kubernetes.definitions['io.k8s.api.core.v1.ServicePort'] as { properties: Record<string, JsonSchema> })
      .properties.targetPort;
    assert.match(String(targetPort?.description), /IANA_SVC_NAME/);
  });

  it('checks label keys and values', () => {
    const validate = kindValidator('apps/v1', 'Deployment');
    assertValid(validate, deployment({}, { app: 'web', 'app.kubernetes.io/name': 'web', 'example.com/tier': '', a_b: 'x.y-z_1' }));
    for (const key of ['-bad', 'bad-', 'Foo.com/x', 'a/b/c', '/x', 'x/', 'has space', `${'a'.repeat(64)}`, `${'a'.repeat(254)}/x`]) {
      const errors = errorsOf(validate, deployment({}, { [key]: 'v' }));
      assert.ok(
        errors.some((e) => e.instancePath === '/metadata/labels' && (e.keyword === 'pattern' || e.keyword === 'propertyNames')),
        `label key ${JSON.stringify(key)} should be rejected`,
      );
    }
    assertValid(validate, deployment({}, { [`${'a'.repeat(63)}`]: 'v', [`${'b'.repeat(200)}.com/${'c'.repeat(63)}`]: 'v' }));
    assertError(validate, deployment({}, { app: 'a'.repeat(64) }), '/metadata/labels/app', 'maxLength');
    assertError(validate, deployment({}, { app: 'bad value' }), '/metadata/labels/app', 'pattern');
    assertError(validate, deployment({}, { app: '-x' }), '/metadata/labels/app', 'pattern');
    assertError(validate, deployment({}, { app: 5 }), '/metadata/labels/app', 'type');
    const doc = deployment();
    (doc.spec as { selector: unknown }).selector = { matchLabels: { '-bad': 'x' } };
    assert.ok(errorsOf(validate, doc).some((e) => e.instancePath === '/spec/selector/matchLabels'));
  });

  it('compiles every kind with the runtime options', () => {
    for (const kind of kubernetes.kinds) {
      assert.doesNotThrow(() => kindValidator(kind.apiVersion, kind.kind), kind.definition);
    }
  });
});

describe('CRD bundles', () => {
  const application = (spec: Record<string, unknown>, metadata: unknown = { name: 'guestbook', namespace: 'argocd' }) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata,
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', path: 'guestbook', targetRevision: 'HEAD' },
      ...spec,
    },
  });

  it('hold the Argo CD resources and refer to ObjectMeta for metadata', () => {
    assert.match(argo.source, /v3\.5\.1/);
    assert.deepEqual(
      argo.resources.map((r) => `${r.apiVersion} ${r.kind} ${r.namespaced}`),
      ['argoproj.io/v1alpha1 AppProject true', 'argoproj.io/v1alpha1 Application true', 'argoproj.io/v1alpha1 ApplicationSet true'],
    );
    for (const resource of [...argo.resources, ...flux.resources]) {
      const properties = resource.schema.properties as Record<string, JsonSchema>;
      assert.deepEqual(properties.metadata, { $ref: OBJECT_META_REF });
      assert.equal(resource.schema.additionalProperties, false, `${resource.kind} top level should be strict`);
    }
  });

  it('accept a valid Application and reject an unknown spec field', () => {
    const validate = crdValidator(argo, 'argoproj.io/v1alpha1', 'Application');
    assertValid(validate, application({ syncPolicy: { automated: { prune: true, selfHeal: true } } }));
    const error = assertError(validate, application({ sycnPolicy: {} }), '/spec', 'additionalProperties');
    assert.equal(error.params.additionalProperty, 'sycnPolicy');
    assertError(validate, application({ syncPolicy: { automated: { prune: 'yes' } } }), '/spec/syncPolicy/automated/prune', 'type');
  });

  it('check Application metadata as ObjectMeta', () => {
    const validate = crdValidator(argo, 'argoproj.io/v1alpha1', 'Application');
    assertError(validate, application({}, { name: 5 }), '/metadata/name', 'type');
    const error = assertError(validate, application({}, { name: 'a', lables: {} }), '/metadata', 'additionalProperties');
    assert.equal(error.params.additionalProperty, 'lables');
    assert.ok(errorsOf(validate, application({}, { name: 'a', labels: { '-bad': 'x' } })).some((e) => e.instancePath === '/metadata/labels'));
  });

  it('turn x-kubernetes-int-or-string into integer|string', () => {
    const validate = crdValidator(argo, 'argoproj.io/v1alpha1', 'Application');
    const withReplicas = (count: unknown) =>
      application({
        source: { repoURL: 'https://example.com/repo.git', path: 'app', kustomize: { replicas: [{ name: 'web', count }] } },
      });
    assertValid(validate, withReplicas(3));
    assertValid(validate, withReplicas('3'));
    assertError(validate, withReplicas(true), '/spec/source/kustomize/replicas/0/count', 'type');
  });

  it('hold the ApplicationSet factored: the repeated Application template is one $defs entry', () => {
    const resource = argo.resources.find((r) => r.kind === 'ApplicationSet');
    assert.ok(resource);
    const defs = resource.schema.$defs as Record<string, JsonSchema> | undefined;
    assert.ok(defs, 'ApplicationSet should have $defs');
    const spec = (resource.schema.properties as Record<string, JsonSchema>).spec as { properties: Record<string, JsonSchema> };
    assert.deepEqual(spec.properties.template, { $ref: '#/$defs/spec.template' });
    const list = defs['spec.generators.items.list'] as { properties: Record<string, JsonSchema> };
    assert.deepEqual(list.properties.template, { $ref: '#/$defs/spec.template' }, 'a generator template is the same definition');
    // Upstream inlines the template ~40 times (384 kB of schema, 13 MB of code generated by ajv, seconds to compile).
    assert.ok(JSON.stringify(resource.schema).length < 60_000, `ApplicationSet schema is ${JSON.stringify(resource.schema).length} characters`);
  });

  it('resolve every local $ref of a bundled CRD in its own $defs', () => {
    for (const resource of [...argo.resources, ...flux.resources]) {
      const defs = (resource.schema.$defs ?? {}) as Record<string, JsonSchema>;
      for (const ref of findKeyword(resource.schema, '$ref')) {
        if (ref === OBJECT_META_REF) continue;
        assert.match(String(ref), /^#\/\$defs\//, `${resource.kind}: unexpected ref ${String(ref)}`);
        assert.ok(Object.hasOwn(defs, String(ref).slice('#/$defs/'.length)), `${resource.kind}: dangling ref ${String(ref)}`);
      }
    }
  });

  it('validate an ApplicationSet, with errors inside generator templates where they are', () => {
    const resource = argo.resources.find((r) => r.kind === 'ApplicationSet');
    assert.ok(resource);
    const validate = crdValidator(argo, 'argoproj.io/v1alpha1', 'ApplicationSet');
    const template = (spec: Record<string, unknown> = {}) => ({
      metadata: { name: '{{name}}-guestbook' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://example.com/repo.git', path: 'guestbook', targetRevision: 'HEAD' },
        destination: { server: '{{server}}', namespace: 'guestbook' },
        ...spec,
      },
    });
    const appSet = (generators: unknown[]) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'guestbook' },
      spec: { generators, template: template() },
    });
    const helmSource = { repoURL: 'https://example.com/charts.git', path: 'chart', helm: { valueFiles: ['values.yaml'], parameters: [{ name: 'a', value: 'b' }] } };
    const valid = appSet([
      { list: { elements: [{ name: 'a', server: 'https://a' }], template: template({ source: helmSource }) } },
      { matrix: { generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }, { git: { repoURL: 'https://example.com/repo.git', revision: 'HEAD', directories: [{ path: 'apps/*' }], template: template() } }] } },
      { merge: { mergeKeys: ['server'], generators: [{ list: { elements: [] } }, { clusters: {} }] } },
    ]);
    assertValid(validate, valid);
    assertValid(validate, appSet([{ list: { elements: [{ name: 'a', server: 'https://a' }] } }]));

    // A misspelled field inside a generator's template, and one nested twice (matrix → git).
    const misspelled = appSet([{ list: { elements: [], template: template({ source: { repoURL: 'https://example.com/repo.git', targetRevison: 'HEAD' } }) } }]);
    let error = assertError(validate, misspelled, '/spec/generators/0/list/template/spec/source', 'additionalProperties');
    assert.equal(error.params.additionalProperty, 'targetRevison');
    const nested = appSet([{ matrix: { generators: [{ clusters: {} }, { git: { repoURL: 'https://example.com/repo.git', revision: 'HEAD', template: template({ sourec: {} }) } }] } }]);
    error = assertError(validate, nested, '/spec/generators/0/matrix/generators/1/git/template/spec', 'additionalProperties');
    assert.equal(error.params.additionalProperty, 'sourec');
    const helmTypo = appSet([{ list: { elements: [], template: template({ source: { ...helmSource, helm: { valuez: 1 } } }) } }]);
    assertError(validate, helmTypo, '/spec/generators/0/list/template/spec/source/helm', 'additionalProperties');
    error = assertError(validate, appSet([{ lsit: {} }]), '/spec/generators/0', 'additionalProperties');
    assert.equal(error.params.additionalProperty, 'lsit');
    assertError(validate, appSet([{ matrix: { generators: [{ clusters: { selektor: {} } }] } }]), '/spec/generators/0/matrix/generators/0/clusters', 'additionalProperties');

    // Factoring is lossless: with every $ref put back inline, ajv reports exactly the same errors.
    const inline = newAjv().compile(inlineDefs(resource.schema));
    const broken = appSet([{ git: { repoURL: 5, template: { spec: { project: 1, sources: [{ repoURL: 'x', helm: { valuez: 1 } }] } } } }]);
    const summary = (check: ValidateFunction, doc: unknown) => errorsOf(check, doc).map((e) => [e.instancePath, e.keyword, e.params]);
    for (const doc of [valid, misspelled, nested, helmTypo, broken]) assert.deepEqual(summary(validate, doc), summary(inline, doc));
    assert.ok(summary(validate, broken).length > 2);
  });

  it('put back inline, are exactly what the plain conversion of the upstream CRDs gives', (t) => {
    if (!existsSync(path.join(dataDir, 'PROVENANCE.md'))) {
      t.skip(`no upstream data in ${dataDir}`);
      return;
    }
    for (const name of ['applicationset-crd.yaml', 'application-crd.yaml']) {
      const crd = parse(readFileSync(path.join(dataDir, 'crds', 'argo-cd', name), 'utf8')) as unknown;
      const [plain] = convertCustomResourceDefinition(crd);
      assert.ok(plain);
      const bundled = argo.resources.find((r) => r.apiVersion === plain.apiVersion && r.kind === plain.kind);
      assert.ok(bundled?.schema.$defs, `${plain.kind} should be factored`);
      assert.deepEqual(inlineDefs(bundled.schema), plain.schema);
      assert.deepEqual(convertCustomResourceDefinition(crd, { factorRepeated: true })[0]?.schema, bundled.schema);
    }
  });

  it('hold the current Flux APIs plus the removed beta versions, marked deprecated', () => {
    const keys = flux.resources.map((r) => `${r.apiVersion} ${r.kind}`);
    for (const key of [
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      'helm.toolkit.fluxcd.io/v2 HelmRelease',
      'source.toolkit.fluxcd.io/v1 GitRepository',
      'source.toolkit.fluxcd.io/v1 OCIRepository',
      'source.toolkit.fluxcd.io/v1 ExternalArtifact',
      'kustomize.toolkit.fluxcd.io/v1beta2 Kustomization',
      'helm.toolkit.fluxcd.io/v2beta2 HelmRelease',
      'source.toolkit.fluxcd.io/v1beta2 GitRepository',
    ]) {
      assert.ok(keys.includes(key), `flux bundle lacks ${key}`);
    }
    assert.equal(new Set(keys).size, keys.length);
    for (const resource of flux.resources) {
      const beta = /beta/.test(resource.apiVersion);
      assert.equal(resource.deprecated === true, beta, `${resource.apiVersion} ${resource.kind}`);
    }
    const kustomizeBeta = flux.resources.find((r) => r.apiVersion === 'kustomize.toolkit.fluxcd.io/v1beta2');
    assert.equal(
      kustomizeBeta?.deprecationWarning,
      'kustomize.toolkit.fluxcd.io/v1beta2 Kustomization was removed in kustomize-controller v1.8; use kustomize.toolkit.fluxcd.io/v1',
    );
    const helmBeta = flux.resources.find((r) => r.apiVersion === 'helm.toolkit.fluxcd.io/v2beta2');
    assert.match(String(helmBeta?.deprecationWarning), /helm-controller v1\.5; use helm\.toolkit\.fluxcd\.io\/v2$/);
  });

  it('validate a Flux Kustomization', () => {
    const validate = crdValidator(flux, 'kustomize.toolkit.fluxcd.io/v1', 'Kustomization');
    const kustomization = (spec: Record<string, unknown>) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: './apps', ...spec },
    });
    assertValid(validate, kustomization({}));
    assertError(validate, kustomization({ prnue: true }), '/spec', 'additionalProperties');
    assertError(validate, kustomization({ sourceRef: { kind: 'Nope', name: 'x' } }), '/spec/sourceRef/kind', 'enum');
    assertError(validate, kustomization({ interval: 'ten minutes' }), '/spec/interval', 'pattern');
  });

  it('compile every resource with the runtime options', () => {
    for (const bundle of [argo, flux]) {
      for (const resource of bundle.resources) {
        assert.doesNotThrow(() => crdValidator(bundle, resource.apiVersion, resource.kind), `${resource.apiVersion} ${resource.kind}`);
      }
    }
  });
});

describe('convertCustomResourceDefinition', () => {
  const crd = (versions: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions, ...extra },
  });
  const widgetSchema = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        required: ['size'],
        properties: {
          size: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true, format: 'int-or-string' },
          color: { type: 'string', nullable: true, enum: ['red', 'blue'] },
          created: { type: 'string', format: 'date-time' },
          ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
          oneOfBranch: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { properties: { b: { type: 'string' } }, required: ['b'] }] },
        },
        'x-kubernetes-validations': [{ rule: 'self.size > 0' }],
      },
    },
  };

  it('converts each served version with the fixes', () => {
    const resources = convertCustomResourceDefinition(
      crd([
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: widgetSchema } },
        { name: 'v1beta1', served: true, deprecated: true, deprecationWarning: 'use v1', schema: { openAPIV3Schema: widgetSchema } },
        { name: 'v1alpha1', served: false, schema: { openAPIV3Schema: widgetSchema } },
        { name: 'v0', served: true },
      ]),
    );
    assert.deepEqual(
      resources.map((r) => [r.apiVersion, r.kind, r.namespaced, r.deprecated, r.deprecationWarning]),
      [
        ['example.com/v1', 'Widget', true, undefined, undefined],
        ['example.com/v1beta1', 'Widget', true, true, 'use v1'],
      ],
    );
    const schema = resources[0]?.schema as JsonSchema;
    assert.deepEqual(findKeyword(schema, 'format'), []);
    assert.deepEqual(findKeyword(schema, 'x-kubernetes-validations'), []);
    const validate = newAjv().compile(schema);
    const widget = (spec: Record<string, unknown>, metadata: unknown = { name: 'w' }) => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata,
      spec: { size: 1, ...spec },
    });
    assertValid(validate, widget({}));
    assertValid(validate, widget({ size: '10Gi', color: null, extra: { anything: 1 }, labels: { a: 'b' }, ratio: 0.5 }));
    assertValid(validate, widget({ embedded: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } }));
    assertValid(validate, widget({ oneOfBranch: { b: 'x' } }));
    assertError(validate, widget({ size: true }), '/spec/size', 'type');
    assertError(validate, widget({ color: 'green' }), '/spec/color', 'enum');
    assertError(validate, widget({ ratio: 0 }), '/spec/ratio', 'exclusiveMinimum');
    assertError(validate, widget({ colour: 'red' }), '/spec', 'additionalProperties');
    assertError(validate, widget({ labels: { a: 1 } }), '/spec/labels/a', 'type');
    assertError(validate, widget({}, { name: 5 }), '/metadata/name', 'type');
    assertError(validate, { ...widget({}), status: {} }, '', 'additionalProperties');
  });

  it('marks cluster-scoped CRDs', () => {
    const [resource] = convertCustomResourceDefinition(
      crd([{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object' } } }], { scope: 'Cluster' }),
    );
    assert.equal(resource?.namespaced, false);
    // A root without properties makes no claim about its fields: it stays open.
    const validate = newAjv().compile(resource?.schema as JsonSchema);
    assertValid(validate, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { any: 1 } });
  });

  it('returns [] for malformed input without throwing', () => {
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.properties = { self: cyclic };
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 5000; i++) deep = { type: 'object', properties: { x: deep } };
    const malformed: unknown[] = [
      undefined,
      null,
      42,
      'CustomResourceDefinition',
      [],
      {},
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: null },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConfigMap', spec: crd([]).spec },
      crd('v1'),
      crd({ name: 'v1' }),
      crd([]),
      crd([null, 1, 'v1', { name: 5 }, { name: '' }, { name: 'v1', schema: 'x' }, { name: 'v1', schema: { openAPIV3Schema: [] } }]),
      crd([{ name: 'v1', schema: { openAPIV3Schema: cyclic } }]),
      crd([{ name: 'v1', schema: { openAPIV3Schema: deep } }]),
      { ...crd([{ name: 'v1', schema: { openAPIV3Schema: { type: 'object' } } }]), spec: { group: 'example.com', names: {}, versions: [] } },
      { ...crd([{ name: 'v1', schema: { openAPIV3Schema: { type: 'object' } } }]), spec: { group: 5, names: { kind: 'W' }, versions: [] } },
    ];
    malformed.forEach((input, i) => {
      let result: unknown;
      assert.doesNotThrow(() => {
        result = convertCustomResourceDefinition(input);
      }, `input #${i}`);
      assert.deepEqual(result, [], `expected [] for input #${i}`);
    });
  });

  it('skips a malformed version but keeps the good ones', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 5000; i++) deep = { type: 'object', properties: { x: deep } };
    const resources = convertCustomResourceDefinition(
      crd([
        { name: 'v2', schema: { openAPIV3Schema: deep } },
        { name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } },
      ]),
    );
    assert.deepEqual(resources.map((r) => r.apiVersion), ['example.com/v1']);
  });

  it('drops keywords ajv could not compile', () => {
    const [resource] = convertCustomResourceDefinition(
      crd([
        {
          name: 'v1',
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: 'name',
                  properties: {
                    re: { type: 'string', pattern: '(?i)^abc$' },
                    typo: { type: 'strnig', minLength: 'x', maxItems: -1, enum: 'a', multipleOf: 0 },
                    ref: { $ref: '#/definitions/missing' },
                    tuple: { type: 'array', items: [{ type: 'string' }] },
                    weird: 'not a schema',
                  },
                },
              },
            },
          },
        },
      ]),
    );
    assert.ok(resource);
    const validate = newAjv().compile(resource.schema);
    assertValid(validate, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { re: 'ABC', typo: 1, ref: 2, tuple: [1], weird: 3 } });
  });
});

describe('factorRepeatedSubschemas', () => {
  it('moves repeated subtrees to definitions without changing what validates', () => {
    const repeated = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer', minimum: 1 } }, additionalProperties: false };
    const schema: JsonSchema = {
      type: 'object',
      properties: { x: repeated, y: { type: 'array', items: repeated }, z: { type: 'object', properties: { w: repeated } } },
      additionalProperties: false,
    };
    const factored = factorRepeatedSubschemas(schema, 10);
    assert.deepEqual(Object.keys(factored.$defs as object), ['x']);
    assert.deepEqual((factored.properties as Record<string, JsonSchema>).x, { $ref: '#/$defs/x' });
    const plain = newAjv().compile(schema);
    const compact = newAjv().compile(factored);
    for (const doc of [
      { x: { a: 'q', b: 2 }, y: [{ a: 'r' }], z: { w: { b: 3 } } },
      { x: { a: 1 }, y: [{ c: 1 }], z: { w: { b: 0 } } },
      { x: 'no', y: {}, z: { w: [] } },
    ]) {
      const expected = errorsOf(plain, doc).map((e) => [e.instancePath, e.keyword, e.params]);
      const actual = errorsOf(compact, doc).map((e) => [e.instancePath, e.keyword, e.params]);
      assert.deepEqual(actual, expected);
    }
    assert.deepEqual(factorRepeatedSubschemas(schema), schema, 'small subtrees stay inline by default');
    assert.equal(factorRepeatedSubschemas(factored, 10), factored, 'an already factored schema is left alone');
    assert.deepEqual(inlineDefs(factored), schema);
  });
});

describe('deprecations', () => {
  it('normalise Pluto versions', () => {
    assert.equal(normaliseVersion('v1.16.0'), '1.16');
    assert.equal(normaliseVersion('v0.11.0'), '0.11');
    assert.equal(normaliseVersion('1.22'), '1.22');
    assert.equal(normaliseVersion(''), null);
    assert.equal(normaliseVersion(undefined), null);
  });

  it('convert Pluto entries', () => {
    const notes: string[] = [];
    const result = convertPlutoVersions(
      {
        'deprecated-versions': [
          { version: 'extensions/v1beta1', kind: 'Ingress', 'deprecated-in': 'v1.14.0', 'removed-in': 'v1.22.0', 'replacement-api': 'networking.k8s.io/v1', component: 'k8s' },
          { version: 'storage.k8s.io/v1beta1', kind: 'VolumeAttributesClass', 'deprecated-in': 'v1.34.0', 'removed-in': '', 'replacement-api': '', component: 'k8s' },
          { version: 'apps/v1beta1', kind: 'ReplicaSet', 'deprecated-in': '', 'removed-in': 'v1.16.0', 'replacement-api': 'apps/v1', 'replacement-available-in': 'v1.9.0', component: 'k8s' },
          { version: 'extensions/v1beta1', kind: 'Ingress', 'deprecated-in': 'v1.14.0', 'removed-in': 'v1.22.0', 'replacement-api': 'networking.k8s.io/v1', component: 'k8s' },
          'garbage',
          { kind: 'NoVersion' },
        ],
        'target-versions': { k8s: 'v1.25.0' },
      },
      { onNote: (note) => notes.push(note) },
    );
    assert.deepEqual(result, [
      { apiVersion: 'apps/v1beta1', kind: 'ReplicaSet', deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1', component: 'k8s' },
      { apiVersion: 'extensions/v1beta1', kind: 'Ingress', deprecatedIn: '1.14', removedIn: '1.22', replacement: 'networking.k8s.io/v1', component: 'k8s' },
      { apiVersion: 'storage.k8s.io/v1beta1', kind: 'VolumeAttributesClass', deprecatedIn: '1.34', removedIn: null, replacement: null, component: 'k8s' },
    ]);
    assert.equal(notes.length, 2);
    assert.deepEqual(convertPlutoVersions(null), []);
    assert.deepEqual(convertPlutoVersions({ 'deprecated-versions': 'x' }), []);
  });

  it('trust the served kinds over a removal Pluto dates too early', () => {
    const input: ApiDeprecation[] = [
      { apiVersion: 'resource.k8s.io/v1beta1', kind: 'DeviceClass', deprecatedIn: '1.33', removedIn: '1.36', replacement: 'resource.k8s.io/v1beta2', component: 'k8s' },
      { apiVersion: 'extensions/v1beta1', kind: 'Ingress', deprecatedIn: '1.14', removedIn: '1.22', replacement: 'networking.k8s.io/v1', component: 'k8s' },
      { apiVersion: 'apps/v1', kind: 'Deployment', deprecatedIn: '1.40', removedIn: '1.45', replacement: null, component: 'k8s' },
    ];
    const served = [
      { apiVersion: 'resource.k8s.io/v1beta1', kind: 'DeviceClass', definition: 'x', namespaced: false },
      { apiVersion: 'apps/v1', kind: 'Deployment', definition: 'y', namespaced: true },
    ];
    const result = reconcileWithServedKinds(input, served, '1.36');
    assert.deepEqual(result.map((d) => d.removedIn), [null, '1.22', '1.45']);
  });

  it('the generated list is normalised, unique, and reconciled with the v1.36 swagger', () => {
    assert.ok(deprecations.length > 100);
    const keys = new Set<string>();
    for (const d of deprecations) {
      assert.match(d.deprecatedIn, /^\d+\.\d+$/);
      if (d.removedIn !== null) assert.match(d.removedIn, /^\d+\.\d+$/);
      assert.notEqual(d.replacement, '');
      const key = `${d.component} ${d.apiVersion} ${d.kind}`;
      assert.ok(!keys.has(key), `duplicate ${key}`);
      keys.add(key);
    }
    const find = (apiVersion: string, kind: string) => deprecations.find((d) => d.apiVersion === apiVersion && d.kind === kind);
    assert.deepEqual(find('extensions/v1beta1', 'Deployment'), {
      apiVersion: 'extensions/v1beta1',
      kind: 'Deployment',
      deprecatedIn: '1.9',
      removedIn: '1.16',
      replacement: 'apps/v1',
      component: 'k8s',
    });
    for (const kind of ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice']) {
      assert.equal(find('resource.k8s.io/v1beta1', kind)?.removedIn, null, kind);
      assert.equal(find('resource.k8s.io/v1beta1', kind)?.replacement, 'resource.k8s.io/v1beta2', kind);
    }
    assert.equal(find('resource.k8s.io/v1alpha3', 'DeviceClass')?.removedIn, '1.34');
    assert.equal(find('storage.k8s.io/v1beta1', 'VolumeAttributesClass')?.removedIn, null);
    assert.ok(deprecations.some((d) => d.component === 'cert-manager'));
    // No served v1.36 kind is reported as removed by 1.36.
    for (const d of deprecations) {
      if (d.component !== 'k8s' || d.removedIn === null) continue;
      const [major = 0, minor = 0] = d.removedIn.split('.').map(Number);
      if (major > 1 || minor > 36) continue;
      assert.ok(!kubernetes.kinds.some((k) => k.apiVersion === d.apiVersion && k.kind === d.kind), `${d.apiVersion} ${d.kind}`);
    }
  });
});

describe('convertKubernetesOpenApi', () => {
  it('rejects a document without definitions and converts a minimal swagger', () => {
    assert.throws(() => convertKubernetesOpenApi({}, { version: '1.0', source: 's' }));
    const minimal = {
      definitions: {
        'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string', description: 'ios' },
        'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string', description: 'q' },
        'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
        'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': { type: 'object', properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } } },
        'io.k8s.api.core.v1.ContainerPort': { type: 'object', properties: { containerPort: { type: 'integer', format: 'int32' }, hostPort: { type: 'integer' } } },
        'io.k8s.api.core.v1.ServicePort': { type: 'object', properties: { port: { type: 'integer' }, nodePort: { type: 'integer' }, targetPort: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString', description: 't' } } },
        'io.k8s.api.core.v1.ConfigMap': {
          type: 'object',
          properties: { data: { type: 'object', additionalProperties: { type: 'string' } } },
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }],
        },
        'io.k8s.api.core.v1.ConfigMapList': {
          type: 'object',
          properties: { items: { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.ConfigMap' } } },
          'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMapList' }],
        },
      },
      paths: {
        '/api/v1/namespaces/{namespace}/configmaps': {
          get: { 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'ConfigMap' } },
          post: { 'x-kubernetes-action': 'post', 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'ConfigMap' } },
        },
      },
    };
    const bundle = convertKubernetesOpenApi(minimal, { version: '1.0', source: 'test' });
    assert.deepEqual(bundle.kinds, [{ apiVersion: 'v1', kind: 'ConfigMap', definition: 'io.k8s.api.core.v1.ConfigMap', namespaced: true }]);
    assert.deepEqual(bundle.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { type: ['integer', 'string'], description: 'ios' });
    assert.deepEqual(bundle.definitions['io.k8s.api.core.v1.ConfigMap'], {
      type: 'object',
      properties: { data: { type: 'object', additionalProperties: { type: 'string' } } },
      additionalProperties: false,
    });
    assert.deepEqual(findKeyword(bundle, 'format'), []);
  });
});
