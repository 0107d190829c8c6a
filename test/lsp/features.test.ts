/**
 * The editor features of the language server, through the real server over stdio: hover,
 * completion, quick fixes (applied and re-validated), the status notification, and the
 * `kubernetes.version` setting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, Diagnostic, Hover, MarkupContent, Position, Range, TextEdit } from 'vscode-languageserver-protocol';
import { caret, LspClient, REPO_ROOT } from './lspClient';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
/** Documents that exist only in the editor, inside the fixture workspace. */
const uriOf = (name: string): string => pathToFileURL(path.join(FIXTURES, 'features', name)).href;

interface ServerStatus {
  state: string;
  message: string;
  kubernetesVersion?: string;
  indexedFiles?: number;
}

function statusesOf(client: LspClient): ServerStatus[] {
  return client.notifications.filter((n) => n.method === 'gitopsIac/serverStatus').map((n) => n.params as ServerStatus);
}

/** Offset in `text` of an LSP position (characters are UTF-16 code units, as JavaScript counts them). */
function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) throw new Error(`line ${position.line} is past the end of the text`);
    offset = next + 1;
  }
  return offset + position.character;
}

/** A diagnostic's message as text (the protocol also allows markup, which this server never sends). */
function messageOf(diagnostic: Diagnostic): string {
  assert.equal(typeof diagnostic.message, 'string', 'a plain-text message');
  return diagnostic.message as string;
}

/** The text that `range` covers. */
const textIn = (text: string, range: Range): string => text.slice(offsetOf(text, range.start), offsetOf(text, range.end));

/** Applies LSP text edits (non-overlapping, as a workspace edit's are) to `text`. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const located = edits.map((edit) => ({ start: offsetOf(text, edit.range.start), end: offsetOf(text, edit.range.end), newText: edit.newText }));
  located.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: features-web
spec:
  replicas: 3
  selector:
    matchLabels: {app: features-web}
  template:
    metadata:
      labels: {app: features-web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
          CURSOR
`;

const ARGO_APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: features-shop
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example.com/platform/gitops.git
    path: apps/web
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
`;

describe('editor features over LSP', () => {
  let client: LspClient;
  let documents = 0;

  before(async () => {
    client = await LspClient.start({ workspaceFolder: FIXTURES });
    await client.ready();
  });
  after(() => client.stop());

  /** Opens `source` (with its `|` caret) as a new document; resolves once it is validated. */
  async function openAt(source: string): Promise<{ uri: string; text: string; position: Position }> {
    const { text, position } = caret(source);
    const uri = uriOf(`document-${++documents}.yaml`);
    client.open(uri, text, 1);
    await client.diagnosticsFor(uri, 1);
    return { uri, text, position };
  }

  async function hover(source: string): Promise<{ hover: Hover | null; text: string }> {
    const { uri, text, position } = await openAt(source);
    return { hover: await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }), text };
  }

  async function complete(source: string): Promise<CompletionItem[]> {
    const { uri, position } = await openAt(source);
    const result = await client.request<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', { textDocument: { uri }, position });
    assert.ok(result, 'a completion result');
    return Array.isArray(result) ? result : result.items;
  }

  const markdownOf = (result: Hover | null): string => {
    assert.ok(result, 'a hover');
    const contents = result.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    return contents.value;
  };

  describe('hover', () => {
    it('describes a key: its name, type and the schema description, over exactly the key', async () => {
      const { hover: result, text } = await hover(DEPLOYMENT.replace('  replicas: 3', '  repl|icas: 3').replace('CURSOR', ''));
      const markdown = markdownOf(result);
      assert.match(markdown, /^\*\*replicas\*\*: integer\n\n/);
      assert.match(markdown, /Number of desired pods/);
      assert.ok(result?.range);
      assert.equal(textIn(text, result.range), 'replicas');
    });

    it('describes the field for its value too', async () => {
      const { hover: result, text } = await hover(DEPLOYMENT.replace('  replicas: 3', '  replicas: |3').replace('CURSOR', ''));
      assert.match(markdownOf(result), /^\*\*replicas\*\*: integer/);
      assert.equal(textIn(text, result!.range!), '3');
    });

    it('marks a required field and describes a field inside a list item', async () => {
      const { hover: result, text } = await hover(DEPLOYMENT.replace('        - name: web', '        - na|me: web').replace('CURSOR', ''));
      const markdown = markdownOf(result);
      assert.match(markdown, /^\*\*name\*\*: string \*\(required\)\*/);
      assert.match(markdown, /container/i);
      assert.equal(textIn(text, result!.range!), 'name');
    });

    it('describes the kind on a `kind:` value: apiVersion, description and where the schema comes from', async () => {
      const { hover: result, text } = await hover(DEPLOYMENT.replace('kind: Deployment', 'kind: Deploy|ment').replace('CURSOR', ''));
      const markdown = markdownOf(result);
      assert.match(markdown, /^\*\*Deployment\*\* \(`apps\/v1`\)/);
      assert.match(markdown, /Deployment enables declarative updates for Pods and ReplicaSets/);
      assert.match(markdown, /Schema: built-in Kubernetes v1\.36\./);
      assert.equal(textIn(text, result!.range!), 'Deployment');
    });

    it('describes a field of a custom resource from a bundled CRD (Argo CD Application spec.source.repoURL)', async () => {
      const { hover: result, text } = await hover(ARGO_APPLICATION.replace('    repoURL:', '    repo|URL:'));
      const markdown = markdownOf(result);
      assert.match(markdown, /^\*\*repoURL\*\*: string \*\(required\)\*/);
      assert.match(markdown, /URL to the repository/);
      assert.equal(textIn(text, result!.range!), 'repoURL');
    });

    it('says a custom kind comes from a bundled CRD', async () => {
      const { hover: result } = await hover(ARGO_APPLICATION.replace('kind: Application', 'kind: Appli|cation'));
      const markdown = markdownOf(result);
      assert.match(markdown, /^\*\*Application\*\* \(`argoproj\.io\/v1alpha1`\)/);
      assert.match(markdown, /Schema: CustomResourceDefinition bundled with GitOps IaC\./);
    });

    const nothingUseful: [string, string][] = [
      ['a blank line', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: features-blank\n|\ndata: {a: b}\n'],
      ['a comment', 'apiVersion: v1\nkind: ConfigMap\n# a com|ment\nmetadata:\n  name: features-comment\n'],
      ['a key the schema does not know', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: features-unknown\n  bo|gus: 1\n'],
      ['a key of a kind no schema describes', 'apiVersion: example.org/v9\nkind: Nothing\nmetadata:\n  name: features-nothing\nspec:\n  si|ze: 1\n'],
    ];
    for (const [where, source] of nothingUseful) {
      it(`returns null on ${where}`, async () => {
        assert.equal((await hover(source)).hover, null);
      });
    }
  });

  describe('completion', () => {
    const labels = (items: CompletionItem[]): string[] => items.map((item) => item.label);

    it('offers the container keys inside spec.template.spec.containers[0], without those already present', async () => {
      const items = await complete(DEPLOYMENT.replace('CURSOR', '|'));
      const offered = labels(items);
      for (const key of ['imagePullPolicy', 'livenessProbe', 'readinessProbe', 'resources', 'securityContext', 'ports', 'env']) {
        assert.ok(offered.includes(key), `${key} in ${offered.join()}`);
      }
      assert.ok(!offered.includes('image'), 'image is already set');
      assert.ok(!offered.includes('name'), 'name is already set');
      // Nothing from other levels of the object.
      for (const key of ['replicas', 'containers', 'apiVersion', 'kind']) assert.ok(!offered.includes(key), key);
      // Each item inserts its key at the caret, ready for the value.
      const caretPosition = caret(DEPLOYMENT.replace('CURSOR', '|')).position;
      const pullPolicy = items.find((item) => item.label === 'imagePullPolicy');
      assert.deepEqual(pullPolicy?.textEdit, { range: { start: caretPosition, end: caretPosition }, newText: 'imagePullPolicy: ' });
      const probe = items.find((item) => item.label === 'livenessProbe');
      assert.equal((probe?.textEdit as TextEdit).newText, 'livenessProbe:\n            ', 'an object key opens an indented block');
      assert.equal(probe?.detail, 'Probe');
    });

    it('works in half-typed YAML: `ima|` on a line of its own replaces the partial word', async () => {
      const source = DEPLOYMENT.replace('CURSOR', 'ima|');
      const items = await complete(source);
      const offered = labels(items);
      assert.ok(offered.includes('imagePullPolicy'), offered.join());
      assert.ok(!offered.includes('image'), 'image is already set');
      const { position } = caret(source);
      const pullPolicy = items.find((item) => item.label === 'imagePullPolicy');
      assert.deepEqual((pullPolicy?.textEdit as TextEdit).range, { start: { line: position.line, character: position.character - 3 }, end: position });
    });

    it('works in half-typed YAML at the end of the file, in an indentless list', async () => {
      const items = await complete('apiVersion: v1\nkind: Pod\nmetadata:\n  name: features-pod\nspec:\n  containers:\n  - name: web\n    ima|');
      const offered = labels(items);
      assert.ok(offered.includes('image') && offered.includes('imagePullPolicy'), offered.join());
      assert.ok(!offered.includes('name'));
      const image = items.find((item) => item.label === 'image');
      assert.deepEqual(image?.textEdit, { range: { start: { line: 7, character: 4 }, end: { line: 7, character: 7 } }, newText: 'image: ' });
    });

    it('offers kinds on `kind: `, built-in and from CRDs, those of the apiVersion first', async () => {
      const items = await complete('apiVersion: apps/v1\nkind: |\n');
      const offered = labels(items);
      for (const kind of ['Deployment', 'StatefulSet', 'ConfigMap', 'Service', 'Application', 'Kustomization']) assert.ok(offered.includes(kind), kind);
      assert.equal(new Set(offered).size, offered.length, 'each kind once');
      const deployment = items.find((item) => item.label === 'Deployment');
      assert.deepEqual(deployment?.textEdit, { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, newText: 'Deployment' });
      assert.equal(deployment?.sortText, '0_Deployment', 'served by apps/v1: sorted first');
      assert.equal(items.find((item) => item.label === 'ConfigMap')?.sortText, '1_ConfigMap');
    });

    it('replaces the whole word when completing in the middle of one', async () => {
      const items = await complete('apiVersion: v1\nkind: Config|Map\n');
      const edit = items.find((item) => item.label === 'ConfigMap')?.textEdit as TextEdit;
      assert.deepEqual(edit, { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 15 } }, newText: 'ConfigMap' });
    });

    it('inserts the space itself right after `kind:`', async () => {
      const items = await complete('apiVersion: v1\nkind:|\n');
      assert.equal((items.find((item) => item.label === 'ConfigMap')?.textEdit as TextEdit).newText, ' ConfigMap');
    });

    it('offers true and false on a boolean field', async () => {
      const source = DEPLOYMENT.replace('CURSOR', 'stdin: |');
      const items = await complete(source);
      assert.deepEqual(labels(items), ['true', 'false']);
      const { position } = caret(source);
      assert.deepEqual(items[0].textEdit, { range: { start: position, end: position }, newText: 'true' });
    });
  });

  describe('code actions', () => {
    interface FixCase {
      name: string;
      text: string;
      /** Picks the diagnostic the fix is for. */
      rule: string;
      wrong: string;
      right: string;
      message: RegExp;
    }

    const cases: FixCase[] = [
      {
        name: 'a misspelled key',
        text: DEPLOYMENT.replace('CURSOR', 'imagePullpolicy: Always'),
        rule: 'k8s/schema',
        wrong: 'imagePullpolicy',
        right: 'imagePullPolicy',
        message: /Unknown field "imagePullpolicy".*Did you mean "imagePullPolicy"\?/,
      },
      {
        name: 'a removed apiVersion',
        text: 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: features-shop\nspec:\n  rules:\n    - host: shop.example.com\n',
        rule: 'k8s/removed-api',
        wrong: 'extensions/v1beta1',
        right: 'networking.k8s.io/v1',
        message: /extensions\/v1beta1 Ingress was removed in Kubernetes 1\.22.*use networking\.k8s\.io\/v1/,
      },
      {
        name: 'a misspelled kind',
        text: 'apiVersion: v1\nkind: Configmap\nmetadata:\n  name: features-config\ndata:\n  LOG_LEVEL: info\n',
        rule: 'k8s/schema',
        wrong: 'Configmap',
        right: 'ConfigMap',
        message: /Unknown kind "Configmap" in v1\. Did you mean "ConfigMap"\?/,
      },
    ];

    for (const fix of cases) {
      it(`fixes ${fix.name} (${fix.wrong} → ${fix.right}) with a quick fix, and the diagnostic goes away`, async () => {
        const uri = uriOf(`fix-${fix.right.replace(/\W/g, '-')}.yaml`);
        client.open(uri, fix.text, 1);
        const diagnostics = await client.diagnosticsFor(uri, 1);
        const target = diagnostics.find((d) => d.code === fix.rule && fix.message.test(messageOf(d)));
        assert.ok(target, `no ${fix.rule} diagnostic matching ${String(fix.message)} in ${JSON.stringify(diagnostics)}`);
        assert.equal(textIn(fix.text, target.range), fix.wrong, 'the diagnostic sits on the wrong text');

        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: target.range,
          context: { diagnostics: [target], only: ['quickfix'] },
        });
        assert.equal(actions.length, 1, JSON.stringify(actions));
        const [action] = actions;
        assert.equal(action.kind, 'quickfix');
        assert.equal(action.isPreferred, true);
        assert.ok(action.title.includes(fix.right), action.title);
        assert.deepEqual(action.diagnostics, [target]);
        assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [uri], 'the edit changes this document only');
        const edits = action.edit!.changes![uri];
        // Exactly the wrong text is replaced: nothing around it.
        assert.deepEqual(edits, [{ range: target.range, newText: fix.right }]);

        const fixed = applyEdits(fix.text, edits);
        assert.equal(fixed, fix.text.replace(fix.wrong, fix.right));
        client.replace(uri, fixed, 2);
        const revalidated = await client.diagnosticsFor(uri, 2);
        assert.ok(!revalidated.some((d) => d.code === fix.rule && (fix.message.test(messageOf(d)) || textIn(fixed, d.range) === fix.right)), JSON.stringify(revalidated));
        assert.deepEqual(revalidated.filter((d) => d.severity === 1), [], 'no error is left');
      });
    }

    it('offers nothing for a diagnostic without a certain fix, nor for another tool\'s diagnostic', async () => {
      const uri = uriOf('no-fix.yaml');
      const text = DEPLOYMENT.replace('  replicas: 3', '  replicas: "3"').replace('CURSOR', '');
      client.open(uri, text, 1);
      const diagnostics = await client.diagnosticsFor(uri, 1);
      const wrongType = diagnostics.find((d) => d.code === 'k8s/schema');
      assert.ok(wrongType, JSON.stringify(diagnostics));
      const request = (list: Diagnostic[]): Promise<CodeAction[]> =>
        client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: list[0].range, context: { diagnostics: list } });
      assert.deepEqual(await request([wrongType]), []);
      const foreign: Diagnostic = {
        range: wrongType.range,
        severity: 1,
        source: 'another-linter',
        code: 'k8s/schema',
        message: 'x',
        data: { fixes: [{ title: 'Change it', edits: [{ range: wrongType.range, newText: '3' }] }] },
      };
      assert.deepEqual(await request([foreign]), []);
    });
  });

  describe('status notification', () => {
    it('goes starting → indexing → ready, validating against Kubernetes 1.36', () => {
      const statuses = statusesOf(client);
      assert.deepEqual(statuses.map((status) => status.state), ['starting', 'indexing', 'ready']);
      for (const status of statuses) assert.equal(status.kubernetesVersion, '1.36');
      const ready = statuses[2];
      assert.equal(ready.message, 'Validating against Kubernetes 1.36');
      // The fixture workspace has three YAML files, all read before `ready`.
      assert.equal(ready.indexedFiles, 3);
    });
  });
});

describe('the kubernetes.version setting over LSP', () => {
  // policy/v1beta1 PodDisruptionBudget: deprecated in 1.21, removed in 1.25.
  const PDB = 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}\n';
  const uri = 'untitled:pdb.yaml';
  let client: LspClient;

  before(async () => {
    client = await LspClient.start({ settings: { kubernetes: { version: '1.20' } } });
    await client.ready();
    client.open(uri, PDB, 1);
  });
  after(() => client.stop());

  const summary = (diagnostics: Diagnostic[]): [unknown, number | undefined, string][] => diagnostics.map((d) => [d.code, d.severity, messageOf(d)]);

  it('without a workspace folder, goes starting → ready, and says 1.36 (the fallback) even when 1.20 is asked for', () => {
    const statuses = statusesOf(client);
    assert.deepEqual(statuses.map((status) => status.state), ['starting', 'ready']);
    assert.equal(statuses[1].kubernetesVersion, '1.36');
    assert.equal(statuses[1].message, 'Validating against Kubernetes 1.36');
    // The fallback is said in the server's log, as the CLI says it on stderr.
    const logged = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(logged.includes('No schemas for Kubernetes 1.20 are bundled; validating against 1.36.'), logged.join('\n'));
  });

  it('at 1.20 reports no deprecated or removed API, and only notes that the bundled schemas lack policy/v1beta1', async () => {
    const diagnostics = await client.diagnosticsFor(uri, 1);
    // policy/v1beta1 is served at 1.20; only the bundled 1.36 schemas lack it: a note, never an error.
    assert.deepEqual(summary(diagnostics), [
      ['k8s/unknown-kind', 3, 'No bundled schema for policy/v1beta1 PodDisruptionBudget (schemas are for Kubernetes 1.36), so its fields are not validated.'],
    ]);
  });

  it('at 1.22 reports the deprecation, and at 1.36 the removal, when the setting changes', async () => {
    client.settings = { kubernetes: { version: '1.22' } };
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    const deprecated = await client.diagnosticsWhen(uri, (list) => list.some((d) => d.code === 'k8s/deprecated-api'), 'the deprecation at 1.22');
    assert.deepEqual(summary(deprecated.filter((d) => d.code !== 'k8s/unknown-kind')), [
      ['k8s/deprecated-api', 2, 'policy/v1beta1 PodDisruptionBudget is deprecated since Kubernetes 1.21 and removed in 1.25; use policy/v1 instead.'],
    ]);

    client.settings = { kubernetes: { version: '1.36' } };
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    const removed = await client.diagnosticsWhen(uri, (list) => list.some((d) => d.code === 'k8s/removed-api'), 'the removal at 1.36');
    // At 1.36 the removal says it all: no schema error besides it.
    assert.deepEqual(summary(removed), [['k8s/removed-api', 1, 'policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 (target 1.36); use policy/v1 instead.']]);
  });

  it('reports the removal at 1.36 from a server started with the default settings', async () => {
    const fresh = await LspClient.start();
    try {
      await fresh.ready();
      fresh.open(uri, PDB, 1);
      assert.deepEqual((await fresh.diagnosticsFor(uri, 1)).map((d) => d.code), ['k8s/removed-api']);
    } finally {
      await fresh.stop();
    }
  });
});
