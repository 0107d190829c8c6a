/**
 * The real `kubectl kustomize` as the oracle for the embedded build: on the fixture
 * repository's overlays both must produce the same objects, field for field (hash suffixes
 * included). Skipped, with a note, where kubectl is not installed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { ValidationEngine } from '../../server/src/engine/engine';
import { SchemaStore } from '../../server/src/kubernetes/schemaStore';
import { renderKustomization } from '../../server/src/kustomize/render';
import { KustomizeWorkspace } from '../../server/src/kustomize/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { diskReader, kubectlKustomize, renderKustomizationFolder } from '../../server/src/node/kustomize';

const REPO = path.resolve(__dirname, '..', 'fixtures', 'gitops-repo');
const FOLDERS = ['base', 'overlays/dev', 'overlays/staging', 'overlays/prod'];

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
const skip = hasKubectl() ? false : 'kubectl is not installed';

/** Keys sorted at every level, so key order (which kustomize does not promise) does not count. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  return value;
}

const identity = (value: Record<string, unknown>): string => {
  const metadata = value.metadata as { namespace?: string; name?: string };
  return `${String(value.kind)}/${metadata.namespace ?? ''}/${metadata.name ?? ''}`;
};

describe('embedded build against kubectl kustomize', { skip }, () => {
  for (const folder of FOLDERS) {
    it(`renders ${folder} exactly as kubectl does`, async () => {
      const absolute = path.join(REPO, folder);
      const kubectl = await kubectlKustomize(absolute);
      assert.ok(kubectl.ok, kubectl.ok ? '' : kubectl.message);
      const embedded = renderKustomization(pathToFileURL(absolute).href, diskReader);
      assert.equal(embedded.notRendered, undefined);
      const expected = new Map(kubectl.objects.map((object) => [identity(object), canonical(object)]));
      const actual = new Map(embedded.objects.map((object) => [identity(object.value), canonical(object.value)]));
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
      for (const [id, value] of expected) assert.deepEqual(actual.get(id), value, id);
    });
  }

  it('maps kubectl\'s objects back to the files that wrote their fields', async () => {
    const folder = pathToFileURL(path.join(REPO, 'overlays/prod')).href;
    const result = await renderKustomizationFolder(folder, { renderer: 'auto', trusted: true });
    assert.equal(result.renderedBy, 'kubectl');
    const web = result.objects.find((object) => object.kind === 'Deployment' && object.name === 'web-prod');
    assert.ok(web);
    const memory = web.sourceOf(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory']);
    assert.deepEqual([path.relative(REPO, new URL(memory.uri).pathname), memory.range.start.line + 1, memory.producer], ['overlays/prod/resources.yaml', 15, 'patch']);
    const image = web.sourceOf(['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.deepEqual([path.relative(REPO, new URL(image.uri).pathname), image.range.start.line + 1, image.producer], ['base/web/deployment.yaml', 22, 'resource']);
  });

  it('runs no external program in an untrusted workspace', async () => {
    const folder = pathToFileURL(path.join(REPO, 'overlays/prod')).href;
    const result = await renderKustomizationFolder(folder, { renderer: 'kubectl', trusted: false });
    assert.equal(result.renderedBy, 'embedded');
  });
});

/** The fixture repository's YAML files, as the workspace scan hands them to the engine. */
function yamlFilesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return yamlFilesUnder(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

describe('kubectl for what the embedded build does not render', { skip }, () => {
  it('validates the qa overlay (replacements) with kubectl\'s output, mapped to the patch, once kubectl answers', async () => {
    const store = new SchemaStore({ read: (p) => { try { return readFileSync(path.join(REPO, '..', '..', '..', 'schemas', p), 'utf8'); } catch { return undefined; } } });
    const kustomize = new KustomizeWorkspace(diskReader);
    const engine = new ValidationEngine(store, DEFAULT_SETTINGS, [kustomize]);
    let answered: (uris: string[]) => void = () => undefined;
    const changed = new Promise<string[]>((resolve) => { answered = resolve; });
    kustomize.useExternalRenderer({ render: (folder) => kubectlKustomize(new URL(folder).pathname), changed: (uris) => answered(uris) });
    for (const file of yamlFilesUnder(REPO)) engine.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
    const patch = pathToFileURL(path.join(REPO, 'overlays/qa/probe.yaml')).href;
    const kustomization = pathToFileURL(path.join(REPO, 'overlays/qa/kustomization.yaml')).href;
    // Before kubectl answers: the embedded build says what it cannot render, and guesses nothing.
    assert.deepEqual(engine.diagnose(patch), []);
    assert.deepEqual(engine.diagnose(kustomization).map((f) => `${f.range.start.line + 1} ${f.rule}`), ['10 kustomize/not-rendered']);
    assert.ok((await changed).includes(patch));
    assert.deepEqual(engine.diagnose(patch).map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule} ${f.message}`), [
      '14:13 k8s/schema In overlay overlays/qa: Unknown field "periodSecond" in spec.template.spec.containers[0].readinessProbe. Did you mean "periodSeconds"?',
    ]);
    assert.deepEqual(engine.diagnose(kustomization), []);
  });
});
