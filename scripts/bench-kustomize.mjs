// Measures Kustomize re-validation in server time (no LSP transport), on a generated repository of
// 50 overlays over 5 shared bases (every overlay includes base-0, and one other):
//   1. the first validation of every overlay (all rendered and validated once);
//   2. re-validating an overlay after an edit to the base all overlays share (target: under 200 ms);
//   3. re-validating every overlay after that edit (what the editor re-publishes when they are all open);
//   4. an edit to one overlay's patch, which re-renders that overlay only.
// Run from the repository root:  node scripts/bench-kustomize.mjs [--json] [--overlays N] [--edits N]
// The engine is bundled with esbuild first, as the server and CLI ship it. The repository is written
// to a temporary folder (non-YAML files such as JSON patches are read from disk, as in the editor).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadServerModules } from './bench-server-time.mjs';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, overlays: { type: 'string', default: '50' }, edits: { type: 'string', default: '20' } } });
const OVERLAYS = Number(values.overlays);
const EDITS = Number(values.edits);
const BASES = 5;
const TARGET_MS = 200;

const deployment = (name, image) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      securityContext: {runAsNonRoot: true}
      serviceAccountName: ${name}
      containers:
        - name: ${name}
          image: ${image}
          ports: [{containerPort: 8080, name: http}]
          envFrom: [{configMapRef: {name: ${name}-config}}]
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
          securityContext: {allowPrivilegeEscalation: false}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /ready, port: http}}
`;

/** The repository's files by relative path; YAML ones go to the engine, the others stay on disk. */
function generateRepository() {
  const files = {};
  for (let b = 0; b < BASES; b++) {
    const name = `app-${b}`;
    files[`bases/${name}/kustomization.yaml`] = `resources: [deployment.yaml, service.yaml, serviceaccount.yaml]\nconfigMapGenerator:\n  - name: ${name}-config\n    literals: [LOG_LEVEL=info, REGION=eu]\n`;
    files[`bases/${name}/deployment.yaml`] = deployment(name, `registry.example.com/${name}:1.0.0`);
    files[`bases/${name}/service.yaml`] = `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: http}]\n`;
    files[`bases/${name}/serviceaccount.yaml`] = `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}}\n`;
  }
  for (let o = 0; o < OVERLAYS; o++) {
    const other = `app-${1 + (o % (BASES - 1))}`;
    files[`overlays/env-${o}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: env-${o}
namePrefix: e${o}-
resources: [../../bases/app-0, ../../bases/${other}]
labels:
  - pairs: {environment: env-${o}}
    includeSelectors: true
images:
  - name: registry.example.com/app-0
    newTag: "1.${o}.0"
patches:
  - path: replicas.yaml
  - target: {kind: Deployment, name: ${other}}
    path: env.json
configMapGenerator:
  - name: app-0-config
    behavior: merge
    literals: [LOG_LEVEL=debug]
`;
    files[`overlays/env-${o}/replicas.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-0}\nspec:\n  replicas: ${1 + (o % 4)}\n  template:\n    spec:\n      containers:\n        - name: app-0\n          resources: {limits: {memory: ${256 + o}Mi}}\n`;
    files[`overlays/env-${o}/env.json`] = `[{"op": "add", "path": "/spec/template/spec/containers/0/env", "value": [{"name": "OVERLAY", "value": "env-${o}"}]}]\n`;
  }
  return files;
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const p95 = (list) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil(list.length * 0.95) - 1)];
const round = (ms) => Math.round(ms * 10) / 10;

const core = await loadServerModules([
  'server/src/engine/engine',
  'server/src/kubernetes/schemaStore',
  'server/src/kustomize/workspace',
  'server/src/node/kustomize',
  'server/src/node/schemaFiles',
  'server/src/settings',
]);
const folder = mkdtempSync(join(tmpdir(), 'bench-kustomize-'));
try {
  const files = generateRepository();
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(join(folder, relative, '..'), { recursive: true });
    writeFileSync(join(folder, relative), text);
  }
  const uriOf = (relative) => pathToFileURL(join(folder, relative)).href;
  const store = new core.SchemaStore(core.nodeSchemaFiles(core.locateSchemasFolder(process.cwd())));
  const engine = new core.ValidationEngine(store, core.DEFAULT_SETTINGS, [new core.KustomizeWorkspace(core.diskReader)]);
  const yamlFiles = Object.keys(files).filter((relative) => relative.endsWith('.yaml'));
  const patches = Array.from({ length: OVERLAYS }, (_, o) => uriOf(`overlays/env-${o}/replicas.yaml`));

  let started = performance.now();
  for (const relative of yamlFiles) engine.setFile(uriOf(relative), files[relative]);
  let errors = 0;
  for (const patch of patches) errors += engine.diagnose(patch).filter((f) => f.severity === 'error').length;
  const firstMs = performance.now() - started;
  if (errors > 0) throw new Error(`the generated repository should be clean, found ${errors} errors`);

  const base = uriOf('bases/app-0/deployment.yaml');
  const oneOverlay = [];
  const baseItself = [];
  const allOverlays = [];
  for (let edit = 0; edit < EDITS; edit++) {
    const text = deployment('app-0', `registry.example.com/app-0:1.0.${edit + 1}`);
    started = performance.now();
    engine.setFile(base, text);
    engine.diagnose(patches[edit % OVERLAYS]);
    oneOverlay.push(performance.now() - started);
    for (const patch of patches) engine.diagnose(patch);
    allOverlays.push(performance.now() - started);
    // The base's own findings gather what every overlay renders from it.
    const own = performance.now();
    engine.diagnose(base);
    baseItself.push(performance.now() - own);
  }
  const patchEdits = [];
  for (let edit = 0; edit < EDITS; edit++) {
    const patch = patches[edit % OVERLAYS];
    started = performance.now();
    engine.setFile(patch, files[`overlays/env-${edit % OVERLAYS}/replicas.yaml`].replace('replicas:', `replicas: ${edit + 2}\n  minReadySeconds:`));
    engine.diagnose(patch);
    patchEdits.push(performance.now() - started);
  }

  const results = {
    overlays: OVERLAYS,
    bases: BASES,
    edits: EDITS,
    firstValidationMs: round(firstMs),
    baseEditOneOverlayMs: { median: round(median(oneOverlay)), p95: round(p95(oneOverlay)) },
    baseEditAllOverlaysMs: { median: round(median(allOverlays)), p95: round(p95(allOverlays)) },
    baseFileFindingsMs: { median: round(median(baseItself)), p95: round(p95(baseItself)) },
    patchEditMs: { median: round(median(patchEdits)), p95: round(p95(patchEdits)) },
    targetMs: TARGET_MS,
    meetsTarget: p95(oneOverlay) < TARGET_MS,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else {
    process.stdout.write(`## Kustomize: ${OVERLAYS} overlays over ${BASES} shared bases (${EDITS} edits, server time)\n\n`);
    process.stdout.write('| Measure | Median | p95 |\n|---|---|---|\n');
    process.stdout.write(`| First validation of every overlay | ${results.firstValidationMs} ms | |\n`);
    process.stdout.write(`| Edit to the shared base, one overlay re-validated (target < ${TARGET_MS} ms) | ${results.baseEditOneOverlayMs.median} ms | ${results.baseEditOneOverlayMs.p95} ms |\n`);
    process.stdout.write(`| Edit to the shared base, all ${OVERLAYS} overlays re-validated | ${results.baseEditAllOverlaysMs.median} ms | ${results.baseEditAllOverlaysMs.p95} ms |\n`);
    process.stdout.write(`| The edited base's own findings (from all ${OVERLAYS} overlays, rendered already) | ${results.baseFileFindingsMs.median} ms | ${results.baseFileFindingsMs.p95} ms |\n`);
    process.stdout.write(`| Edit to one overlay's patch, that overlay re-validated | ${results.patchEditMs.median} ms | ${results.patchEditMs.p95} ms |\n\n`);
    process.stdout.write(`Target (re-validating an overlay after an edit to its base under ${TARGET_MS} ms): ${results.meetsTarget ? 'met' : 'NOT met'}.\n`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
