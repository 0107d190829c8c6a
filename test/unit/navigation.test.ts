import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver/node';
import { completionContextAt, hoverTargetAt } from '../../server/src/kubernetes/cursor';
import { describeSchema, propertiesOf, refResolver, schemaAtPath, valuesOf } from '../../server/src/kubernetes/schemaNavigation';
import { SchemaStore, type KindSchema } from '../../server/src/kubernetes/schemaStore';
import { completionAt } from '../../server/src/lsp/completion';
import { convertCustomResourceDefinition } from '../../server/src/schemas/crd';
import { hoverAt } from '../../server/src/lsp/hover';
import type { PathSegment } from '../../server/src/yaml/path';

const schemas = new SchemaStore({
  read: (path) => {
    try {
      return fs.readFileSync('schemas/' + path, 'utf8');
    } catch {
      return undefined;
    }
  },
}).forVersion('1.36').schemas;

/** Splits a fixture at its caret marker `|`: the text without it, and the caret's offset. */
function caret(fixture: string): { text: string; offset: number } {
  const offset = fixture.indexOf('|');
  assert.ok(offset >= 0, 'fixture has no caret');
  return { text: fixture.slice(0, offset) + fixture.slice(offset + 1), offset };
}

function kindSchema(apiVersion: string, kind: string): KindSchema {
  const entry = schemas.lookup(apiVersion, kind);
  assert.ok(entry, `no schema for ${apiVersion} ${kind}`);
  return entry;
}

function describeAt(apiVersion: string, kind: string, path: PathSegment[]) {
  const entry = kindSchema(apiVersion, kind);
  const schema = schemaAtPath(schemas, entry, path);
  assert.ok(schema, `no schema at ${path.join('.')}`);
  return describeSchema(schema, refResolver(schemas, entry));
}

const POD_SPEC = ['spec', 'template', 'spec'];

describe('schemaAtPath and describeSchema', () => {
  it('follows $refs into the Kubernetes definitions', () => {
    const replicas = describeAt('apps/v1', 'Deployment', ['spec', 'replicas']);
    assert.equal(replicas.type, 'integer');
    assert.match(replicas.description ?? '', /desired pods/);
    assert.equal(describeAt('apps/v1', 'Deployment', [...POD_SPEC, 'containers']).type, 'list of Container');
    assert.equal(describeAt('apps/v1', 'Deployment', [...POD_SPEC, 'containers', 0, 'ports']).type, 'list of ContainerPort');
    assert.equal(describeAt('apps/v1', 'Deployment', ['metadata', 'labels']).type, 'map of string');
    assert.equal(describeAt('v1', 'Service', ['spec', 'ports', 0, 'targetPort']).type, 'integer or string');
  });

  it('keeps the referring property’s description and reports required keys', () => {
    const resources = describeAt('apps/v1', 'Deployment', [...POD_SPEC, 'containers', 0, 'resources']);
    assert.equal(resources.type, 'ResourceRequirements');
    assert.match(resources.description ?? '', /Compute Resources required by this container/);
    assert.deepEqual(describeAt('apps/v1', 'Deployment', [...POD_SPEC, 'containers', 0]).required, ['name']);
  });

  it('walks additionalProperties and returns undefined for unknown paths', () => {
    assert.equal(describeAt('v1', 'ConfigMap', ['data', 'anything']).type, 'string');
    assert.equal(schemaAtPath(schemas, kindSchema('apps/v1', 'Deployment'), ['spec', 'nope', 'deeper']), undefined);
    assert.equal(schemaAtPath(schemas, kindSchema('apps/v1', 'Deployment'), ['spec', 0]), undefined);
  });

  it('walks a CRD schema into the Kubernetes ObjectMeta', () => {
    const repoURL = describeAt('argoproj.io/v1alpha1', 'Application', ['spec', 'source', 'repoURL']);
    assert.equal(repoURL.type, 'string');
    assert.match(repoURL.description ?? '', /RepoURL/);
    assert.ok(describeAt('argoproj.io/v1alpha1', 'Application', ['spec', 'source']).required.includes('repoURL'));
    assert.equal(describeAt('argoproj.io/v1alpha1', 'Application', ['metadata', 'annotations']).type, 'map of string');
  });

  it('lists enum values of a CRD field and booleans', () => {
    const entry = kindSchema('helm.toolkit.fluxcd.io/v2', 'HelmRelease');
    const mode = schemaAtPath(schemas, entry, ['spec', 'driftDetection', 'mode'])!;
    assert.deepEqual(describeSchema(mode).enum, ['enabled', 'warn', 'disabled']);
    const hostNetwork = schemaAtPath(schemas, kindSchema('v1', 'Pod'), ['spec', 'hostNetwork'])!;
    assert.deepEqual(valuesOf(hostNetwork), [true, false]);
  });

  it('resolves a CRD’s local definitions and picks allOf / anyOf branches', () => {
    const crd: KindSchema = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      namespaced: true,
      origin: 'workspace-crd',
      schema: {
        type: 'object',
        definitions: { 'spec.part': { type: 'object', required: ['size'], properties: { size: { type: 'integer', enum: [1, 2] } } } },
        properties: {
          metadata: { $ref: 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
          spec: {
            allOf: [{ properties: { part: { $ref: '#/definitions/spec.part', description: 'The part.' } } }],
            anyOf: [{ properties: { color: { type: 'string' } } }, { properties: { shade: { type: 'string' } } }],
          },
        },
      },
    };
    const resolve = refResolver(schemas, crd);
    const part = schemaAtPath(schemas, crd, ['spec', 'part'])!;
    assert.deepEqual(describeSchema(part, resolve), { type: 'object', description: 'The part.', enum: undefined, required: ['size'] });
    assert.deepEqual(describeSchema(schemaAtPath(schemas, crd, ['spec', 'part', 'size'])!, resolve).enum, [1, 2]);
    assert.equal(describeSchema(schemaAtPath(schemas, crd, ['spec', 'shade'])!, resolve).type, 'string');
    assert.deepEqual(propertiesOf(schemaAtPath(schemas, crd, ['spec'])!, resolve).map((property) => property.name), ['part', 'color', 'shade']);
    assert.equal(describeSchema(schemaAtPath(schemas, crd, ['metadata', 'name'])!, resolve).type, 'string');
  });

  it('walks into the factored $defs of the bundled ApplicationSet, generator templates included', () => {
    const appSet = kindSchema('argoproj.io/v1alpha1', 'ApplicationSet');
    assert.ok(appSet.schema.$defs, 'the bundled ApplicationSet should be factored');
    const at = (path: PathSegment[]) => describeAt('argoproj.io/v1alpha1', 'ApplicationSet', path);
    const source = ['spec', 'template', 'spec', 'source'];
    assert.equal(at([...source, 'repoURL']).type, 'string');
    assert.deepEqual(at(source).required, ['repoURL']);
    // A `#/$defs/` ref is a CRD-local name, not a Kubernetes definition: no `spec.template` type name.
    assert.equal(at(['spec', 'template']).type, 'object');
    assert.equal(at(['spec', 'generators']).type, 'list of object');
    const listTemplate: PathSegment[] = ['spec', 'generators', 0, 'list', 'template', 'spec'];
    assert.equal(at([...listTemplate, 'source', 'helm', 'valueFiles']).type, 'list of string');
    assert.equal(at([...listTemplate, 'sources', 0, 'kustomize', 'images']).type, 'list of string');
    assert.equal(at(['spec', 'generators', 0, 'matrix', 'generators', 1, 'git', 'template', 'spec', 'destination', 'server']).type, 'string');
    assert.equal(at(['spec', 'generators', 0, 'matrix', 'generators', 1, 'git', 'repoURL']).type, 'string');
    const names = propertiesOf(schemaAtPath(schemas, appSet, listTemplate)!, refResolver(schemas, appSet)).map((property) => property.name);
    for (const name of ['project', 'source', 'sources', 'destination', 'syncPolicy']) assert.ok(names.includes(name), `template spec lacks ${name}`);
    assert.equal(schemaAtPath(schemas, appSet, [...listTemplate, 'sorce']), undefined);
  });

  it('walks into the factored $defs of the bundled Application', () => {
    assert.ok(kindSchema('argoproj.io/v1alpha1', 'Application').schema.$defs, 'the bundled Application should be factored');
    const valueFiles = describeAt('argoproj.io/v1alpha1', 'Application', ['spec', 'source', 'helm', 'valueFiles']);
    assert.equal(valueFiles.type, 'list of string');
    assert.match(valueFiles.description ?? '', /list of Helm value files/);
    assert.match(describeAt('argoproj.io/v1alpha1', 'Application', ['spec', 'source', 'helm']).description ?? '', /Helm/);
    assert.match(describeAt('argoproj.io/v1alpha1', 'Application', ['spec', 'sources', 0, 'helm', 'releaseName']).description ?? '', /ReleaseName/);
    assert.equal(describeAt('argoproj.io/v1alpha1', 'Application', ['spec', 'sources', 0, 'repoURL']).type, 'string');
  });

  it('resolves the $defs of a workspace CRD factored at run time, and not for a built-in kind', () => {
    const part = (name: string) => ({
      type: 'object',
      description: `A ${name} part, long enough to be worth factoring out when it is repeated.`,
      properties: Object.fromEntries(['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((key) => [key, { type: 'string', description: `The ${key} field of the part.` }])),
    });
    const [resource] = convertCustomResourceDefinition(
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          names: { kind: 'Widget', plural: 'widgets' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { left: part('shared'), right: part('shared') } } } } } }],
        },
      },
      { factorRepeated: true },
    );
    assert.ok(resource?.schema.$defs, 'the repeated part should be factored');
    const widget: KindSchema = { apiVersion: resource.apiVersion, kind: resource.kind, namespaced: true, origin: 'workspace-crd', schema: resource.schema };
    const resolve = refResolver(schemas, widget);
    assert.deepEqual(propertiesOf(schemaAtPath(schemas, widget, ['spec', 'right'])!, resolve).map((property) => property.name), ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    assert.match(describeSchema(schemaAtPath(schemas, widget, ['spec', 'right', 'echo'])!, resolve).description ?? '', /echo field/);
    assert.equal(describeSchema(schemaAtPath(schemas, widget, ['metadata', 'name'])!, resolve).type, 'string');
    // A built-in kind's refs name the Kubernetes definitions only: `#/$defs/` means nothing there.
    const builtIn = kindSchema('apps/v1', 'Deployment');
    assert.equal(refResolver(schemas, { ...builtIn, schema: { ...builtIn.schema, $defs: resource.schema.$defs } })({ $ref: '#/$defs/spec.left' }), undefined);
  });

  it('lists properties with their required flag', () => {
    const entry = kindSchema('v1', 'Pod');
    const container = propertiesOf(schemaAtPath(schemas, entry, ['spec', 'containers', 0])!, refResolver(schemas, entry));
    assert.equal(container.find((property) => property.name === 'name')?.required, true);
    assert.equal(container.find((property) => property.name === 'image')?.required, false);
  });
});

describe('completionContextAt on text being typed', () => {
  const context = (fixture: string) => {
    const { text, offset } = caret(fixture);
    return completionContextAt(text, offset);
  };

  it('finds the list item mapping of a half-typed key', () => {
    const found = context('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: x\n    ima|');
    assert.deepEqual(found?.path, ['spec', 'containers', 0]);
    assert.equal(found?.position, 'key');
    assert.equal(found?.prefix, 'ima');
    assert.equal(found?.indent, 4);
    assert.deepEqual(found?.presentKeys, ['name']);
  });

  it('counts list items above, with indented and indentless lists', () => {
    const indented = context('spec:\n  containers:\n    - name: a\n      image: a\n    - name: b\n      |');
    assert.deepEqual(indented?.path, ['spec', 'containers', 1]);
    assert.deepEqual(indented?.presentKeys, ['name']);
    const indentless = context('spec:\n  containers:\n  - name: a\n  - name: b\n  - |\n    image: c\n');
    assert.deepEqual(indentless?.path, ['spec', 'containers', 2]);
    assert.deepEqual(indentless?.presentKeys, ['image']);
    assert.deepEqual(context('matrix:\n- - a\n  - b\n  - |')?.path, ['matrix', 0, 2]);
  });

  it('uses the document the cursor is in, in a multi-document file', () => {
    const found = context('apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  rep|\n  paused: true\n');
    assert.equal(found?.kind, 'Deployment');
    assert.equal(found?.apiVersion, 'apps/v1');
    assert.deepEqual(found?.path, ['spec']);
    assert.deepEqual(found?.presentKeys, ['paused']);
  });

  it('recognizes a value position and the key it belongs to', () => {
    const found = context('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    imagePullPolicy: |\n');
    assert.deepEqual(found?.path, ['spec', 'containers', 0, 'imagePullPolicy']);
    assert.equal(found?.position, 'value');
    assert.equal(found?.needsSpace, false);
    const glued = context('kind:|');
    assert.deepEqual([glued?.path, glued?.position, glued?.needsSpace], [['kind'], 'value', true]);
  });

  it('handles the empty document, CRLF, junk and positions past the end', () => {
    assert.deepEqual(context('|')?.path, []);
    const crlf = context('apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  |\r\n');
    assert.deepEqual([crlf?.kind, crlf?.path], ['Pod', ['spec']]);
    assert.equal(context('spec:\n  -|'), undefined);
    assert.equal(completionContextAt('a: b', 9999)?.position, 'value');
    assert.equal(completionContextAt('a: b', -5)?.position, 'key');
    assert.doesNotThrow(() => completionContextAt('\u0000\uffff\ud800: [\n\t- -\n', 3));
  });

  it('gives the key of a block scalar as the path of its text', () => {
    assert.deepEqual(context('data:\n  script: >\n    echo hi\n    |')?.path, ['data', 'script']);
  });
});

describe('hoverTargetAt', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n';

  it('finds keys and values in the parsed tree', () => {
    const key = hoverTargetAt(text, text.indexOf('image') + 2);
    assert.deepEqual([key?.path, key?.part], [[...POD_SPEC, 'containers', 0, 'image'], 'key']);
    assert.equal(text.slice(key!.start, key!.end), 'image');
    const value = hoverTargetAt(text, text.indexOf('Deployment') + 1);
    assert.deepEqual([value?.path, value?.part, value?.value, value?.kind], [['kind'], 'value', 'Deployment', 'Deployment']);
    assert.equal(hoverTargetAt(text, text.length + 10), undefined);
  });

  it('reads the line when the section does not parse', () => {
    const broken = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: [oops\n';
    const found = hoverTargetAt(broken, broken.indexOf('image') + 1);
    assert.deepEqual([found?.path, found?.part, found?.kind], [['spec', 'containers', 0, 'image'], 'key', 'Pod']);
  });
});

describe('hoverAt and completionAt', () => {
  const documentAt = (fixture: string) => {
    const { text, offset } = caret(fixture);
    const document = TextDocument.create('file:///test.yaml', 'yaml', 1, text);
    return { document, position: document.positionAt(offset) };
  };
  const complete = (fixture: string): CompletionItem[] => {
    const { document, position } = documentAt(fixture);
    return completionAt(document, position, schemas) as CompletionItem[];
  };
  const labels = (items: CompletionItem[]) => items.map((item) => item.label);

  it('hovers a key with its type, requirement and description', () => {
    const { document, position } = documentAt('apiVersion: apps/v1\nkind: Deployment\nspec:\n  templ|ate: {}\n');
    const hover = hoverAt(document, position, schemas);
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /^\*\*template\*\*: PodTemplateSpec \*\(required\)\*/);
    assert.deepEqual(hover?.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 10 } });
  });

  it('hovers a kind with where its schema comes from', () => {
    const builtIn = documentAt('apiVersion: apps/v1\nkind: Deploy|ment\n');
    assert.match((hoverAt(builtIn.document, builtIn.position, schemas)?.contents as MarkupContent).value, /built-in Kubernetes v1\.36/);
    const crd = documentAt('apiVersion: argoproj.io/v1alpha1\nkind: Appli|cation\n');
    assert.match((hoverAt(crd.document, crd.position, schemas)?.contents as MarkupContent).value, /bundled/);
  });

  it('completes the missing keys of a list item, required first', () => {
    const items = complete('apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: x\n          ima|');
    assert.ok(labels(items).includes('image') && labels(items).includes('imagePullPolicy'));
    assert.ok(!labels(items).includes('name'));
    const resources = items.find((item) => item.label === 'resources');
    assert.equal(resources?.textEdit && 'newText' in resources.textEdit ? resources.textEdit.newText : undefined, 'resources:\n            ');
    const spec = complete('apiVersion: apps/v1\nkind: Deployment\nspec:\n  |');
    assert.deepEqual(spec.filter((item) => item.sortText?.startsWith('0')).map((item) => item.label).sort(), ['selector', 'template']);
  });

  it('completes enum values, kinds, apiVersions and the first keys of an empty document', () => {
    assert.deepEqual(labels(complete('apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  driftDetection:\n    mode: |')), ['enabled', 'warn', 'disabled']);
    assert.deepEqual(labels(complete('apiVersion: v1\nkind: Pod\nspec:\n  hostNetwork: |')), ['true', 'false']);
    assert.deepEqual(labels(complete('apiVersion: |\nkind: Deployment\n')), ['apps/v1']);
    const kinds = complete('apiVersion: apps/v1\nkind: |');
    assert.ok(kinds.find((item) => item.label === 'Deployment')?.sortText?.startsWith('0'));
    assert.ok(kinds.find((item) => item.label === 'Application')?.sortText?.startsWith('1'));
    assert.deepEqual(labels(complete('|')), ['apiVersion', 'kind']);
  });

  it('hovers and completes inside the factored $defs of ApplicationSet and Application', () => {
    const appSetHeader = 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: guestbook\n';
    const inGenerator = complete(`${appSetHeader}spec:\n  generators:\n  - list:\n      elements: []\n      template:\n        spec:\n          source:\n            |`);
    assert.ok(labels(inGenerator).includes('repoURL') && labels(inGenerator).includes('targetRevision'), labels(inGenerator).join(', '));
    assert.ok(inGenerator.find((item) => item.label === 'repoURL')?.sortText?.startsWith('0'), 'repoURL is required');
    const hover = (fixture: string) => {
      const { document, position } = documentAt(fixture);
      return (hoverAt(document, position, schemas)?.contents as MarkupContent | undefined)?.value ?? '';
    };
    assert.match(hover(`${appSetHeader}spec:\n  template:\n    spec:\n      source:\n        repo|URL: x\n`), /^\*\*repoURL\*\*: string \*\(required\)\*/);
    assert.match(hover(`${appSetHeader}spec:\n  generators:\n  - matrix:\n      generators:\n      - git:\n          template:\n            spec:\n              destination:\n                ser|ver: x\n`), /^\*\*server\*\*: string/);
    const appHeader = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guestbook\n';
    const valueFiles = hover(`${appHeader}spec:\n  source:\n    helm:\n      valueFi|les: []\n`);
    assert.match(valueFiles, /^\*\*valueFiles\*\*: list of string/);
    assert.match(valueFiles, /list of Helm value files/);
    const helmKeys = labels(complete(`${appHeader}spec:\n  sources:\n  - repoURL: x\n    helm:\n      |`));
    assert.ok(helmKeys.includes('valueFiles') && helmKeys.includes('releaseName'), helmKeys.join(', '));
  });

  it('never throws on odd input', () => {
    for (const text of ['', '\u0000\u0001\uffff', 'a: [b\n  - : :\n', '---\n---\n', '%YAML 1.2\n---\n- - -\n']) {
      const document = TextDocument.create('file:///odd.yaml', 'yaml', 1, text);
      for (const position of [{ line: 0, character: 0 }, { line: 0, character: 99 }, { line: 50, character: 3 }]) {
        assert.doesNotThrow(() => hoverAt(document, position, schemas));
        assert.ok(Array.isArray(completionAt(document, position, schemas)));
      }
    }
  });
});
