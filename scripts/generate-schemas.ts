/**
 * Generates `schemas/` from the upstream data in `../shared/data` (see its PROVENANCE.md).
 *
 *   npx tsx scripts/generate-schemas.ts [--data DIR] [--out DIR] [--check] [--no-factor]
 *
 * --data DIR  the upstream data (default: <repo>/../shared/data)
 * --out DIR   where to write (default: <repo>/schemas)
 * --check     write nothing; exit 1 if a generated file is missing or differs
 * --no-factor leave repeated CRD subschemas inline. By default they are factored into each
 *             schema's `$defs` (see factorRepeatedSubschemas in server/src/schemas/crd.ts), which
 *             keeps ajv's compile time of Argo CD's ApplicationSet well under a second;
 *             `--factor` (the default) is still accepted
 *
 * The input files are checked against the sha256 sums in the data's PROVENANCE.md first.
 * Output is deterministic: object keys sorted, two-space JSON, no timestamps.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ANSIBLE_SCHEMA_NAMES, type CrdSchemaBundle, type CustomResourceSchema, type SchemaIndex } from '../server/src/schemas/bundle';
import { convertKubernetesOpenApi, QUANTITY_PATTERN } from '../server/src/schemas/kubernetesOpenApi';
import { convertCustomResourceDefinition, isCustomResourceDefinition } from '../server/src/schemas/crd';
import { convertPlutoVersions, reconcileWithServedKinds } from '../server/src/schemas/deprecations';

const repoRoot = path.resolve(__dirname, '..');

// ---- upstream pins (from shared/data/PROVENANCE.md) ----

const KUBERNETES = {
  version: '1.36',
  file: 'kubernetes/swagger-v1.36.0.json',
  source:
    'Kubernetes v1.36.0 api/openapi-spec/swagger.json (kubernetes/kubernetes tag v1.36.0, Apache-2.0), ' +
    'via kube-rs/k8s-pb@7d74b0b0eb581c9aedc175e25773226e37446460 k8s-pb-codegen/openapi/swagger.json',
};

const PLUTO = { file: 'kubernetes/deprecations.yaml' };

interface CrdSource {
  name: string;
  dir: string;
  source: string;
}

const ARGO_CD: CrdSource = {
  name: 'argo-cd',
  dir: 'crds/argo-cd',
  source: 'Argo CD v3.5.1 manifests/crds (argoproj/argo-cd@109ca7ca71139e514114499d294a492e7910a965, Apache-2.0)',
};

const FLUX: CrdSource = {
  name: 'flux',
  dir: 'crds/flux',
  source:
    'Flux config/crd/bases: source-controller v1.9.1 (092bcff), kustomize-controller v1.9.4 (1324b61), ' +
    'helm-controller v1.6.3 (372c34e); removed beta versions from source-controller v1.7.4 (2eb5a81), ' +
    'kustomize-controller v1.7.3 (090c49b), helm-controller v1.4.5 (3ebc2f5); all Apache-2.0',
};
const FLUX_LEGACY_DIR = 'crds/flux-legacy';

/** Which controller release stopped serving each Flux group's beta versions. */
const FLUX_REMOVALS: Record<string, { controller: string; release: string }> = {
  'source.toolkit.fluxcd.io': { controller: 'source-controller', release: 'v1.8' },
  'kustomize.toolkit.fluxcd.io': { controller: 'kustomize-controller', release: 'v1.8' },
  'helm.toolkit.fluxcd.io': { controller: 'helm-controller', release: 'v1.5' },
};

const ANSIBLE_SCHEMAS = {
  dir: 'ansible-schemas',
  source: 'ansible/ansible-lint tag v26.6.0 (commit 262624cd0ab22a4221293216856c59671ce7aa5e), src/ansiblelint/schemas/',
};

/** Licence texts copied to schemas/LICENSES: only the ones that apply to the generated files. */
const LICENSE_FILES = ['Apache-2.0.txt', 'MIT-ansible-lint.txt'];

// ---- helpers ----

interface Args {
  dataDir: string;
  outDir: string;
  check: boolean;
  factor: boolean;
}

function parseArgs(argv: string[]): Args {
  let dataDir = path.resolve(repoRoot, '..', 'shared', 'data');
  let outDir = path.resolve(repoRoot, 'schemas');
  let check = false;
  let factor = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data' || arg === '--out') {
      const value = argv[++i];
      if (!value) throw new Error(`${arg} needs a directory`);
      if (arg === '--data') dataDir = path.resolve(value);
      else outDir = path.resolve(value);
    } else if (arg === '--check') check = true;
    else if (arg === '--factor') factor = true;
    else if (arg === '--no-factor') factor = false;
    else throw new Error(`unknown argument ${arg}`);
  }
  return { dataDir, outDir, check, factor };
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Object keys sorted at every level (array order kept). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compare)) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * Stable JSON: keys sorted below the top level (whose order is given), containers down to
 * `expand` levels broken one entry per line, anything deeper on one line. So a changed
 * definition or resource shows up as one changed line in a diff.
 */
export function toJson(value: object, expand = 2): string {
  const top: unknown = Array.isArray(value)
    ? value.map(sortKeys)
    : Object.fromEntries(Object.entries(value).map(([key, child]) => [key, sortKeys(child)]));
  return `${formatJson(top, expand, '')}\n`;
}

function formatJson(value: unknown, expand: number, indent: string): string {
  if (expand <= 0 || typeof value !== 'object' || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((item) => inner + formatJson(item, expand - 1, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (!entries.length) return '{}';
  const lines = entries.map(([key, child]) => `${inner}${JSON.stringify(key)}: ${formatJson(child, expand - 1, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

function yamlDocuments(name: string, text: string): unknown[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return [];
  return docs.map((doc) => {
    if (doc.errors.length) throw new Error(`${name}: ${doc.errors[0]?.message}`);
    return doc.toJS({ maxAliasCount: -1 }) as unknown;
  });
}

/** `| \`file\` | upstream | size | \`sha256\` |` rows of the data's PROVENANCE.md. */
function readPinnedHashes(dataDir: string): Map<string, { upstream: string; sha256: string }> {
  const pins = new Map<string, { upstream: string; sha256: string }>();
  const text = readFileSync(path.join(dataDir, 'PROVENANCE.md'), 'utf8');
  for (const line of text.split('\n')) {
    const match = /^\| `([^`]+)` \| `([^`]+)` \| \d+ \| `([0-9a-f]{64})` \|$/.exec(line.trim());
    if (match) pins.set(match[1] as string, { upstream: match[2] as string, sha256: match[3] as string });
  }
  return pins;
}

interface InputFile {
  relative: string;
  upstream: string;
  sha256: string;
}

class Inputs {
  readonly used: InputFile[] = [];
  constructor(
    private readonly dataDir: string,
    private readonly pins: Map<string, { upstream: string; sha256: string }>,
    private readonly factor: boolean,
  ) {}

  /** Reads a data file after checking it against PROVENANCE.md. */
  read(relative: string): Buffer {
    const data = readFileSync(path.join(this.dataDir, relative));
    const pin = this.pins.get(relative);
    if (!pin) throw new Error(`${relative} is not listed in the data's PROVENANCE.md`);
    const actual = sha256(data);
    if (actual !== pin.sha256) throw new Error(`${relative}: sha256 ${actual} differs from PROVENANCE.md (${pin.sha256})`);
    this.used.push({ relative, upstream: pin.upstream, sha256: actual });
    return data;
  }

  yamlFiles(dir: string): string[] {
    return readdirSync(path.join(this.dataDir, dir))
      .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
      .sort(compare)
      .map((name) => `${dir}/${name}`);
  }

  crds(dir: string): CustomResourceSchema[] {
    const resources: CustomResourceSchema[] = [];
    for (const relative of this.yamlFiles(dir)) {
      for (const crd of yamlDocuments(relative, this.read(relative).toString('utf8'))) {
        if (!isCustomResourceDefinition(crd)) continue;
        const converted = convertCustomResourceDefinition(crd, { factorRepeated: this.factor });
        if (!converted.length) throw new Error(`${relative}: CRD gave no served version with a schema`);
        resources.push(...converted);
      }
    }
    return resources;
  }
}

function sortResources(resources: CustomResourceSchema[]): CustomResourceSchema[] {
  return [...resources].sort((a, b) => compare(a.apiVersion, b.apiVersion) || compare(a.kind, b.kind));
}

/** Current Flux CRDs plus the beta versions of the legacy CRDs that the current ones no longer serve. */
function fluxResources(inputs: Inputs): { resources: CustomResourceSchema[]; added: string[] } {
  const current = inputs.crds(FLUX.dir);
  const currentKeys = new Set(current.map((r) => `${r.apiVersion} ${r.kind}`));
  const added: string[] = [];
  const resources = [...current];
  for (const legacy of inputs.crds(FLUX_LEGACY_DIR)) {
    if (currentKeys.has(`${legacy.apiVersion} ${legacy.kind}`)) continue;
    const [group = ''] = legacy.apiVersion.split('/');
    const removal = FLUX_REMOVALS[group];
    if (!removal) throw new Error(`no removal release known for Flux group ${group}`);
    const ga = current.filter((r) => r.kind === legacy.kind && r.apiVersion.startsWith(`${group}/`)).map((r) => r.apiVersion);
    if (ga.length !== 1) throw new Error(`expected one current version of ${legacy.kind}, found ${ga.length}`);
    const warning = `${legacy.apiVersion} ${legacy.kind} was removed in ${removal.controller} ${removal.release}; use ${ga[0]}`;
    resources.push({ ...legacy, deprecated: true, deprecationWarning: warning });
    added.push(`${legacy.apiVersion} ${legacy.kind}`);
  }
  return { resources: sortResources(resources), added: added.sort(compare) };
}

// ---- generation ----

/** Every generated file, by path relative to the output folder. */
export function generate(dataDir: string, options: { factor?: boolean } = {}): Map<string, Buffer> {
  const factor = options.factor !== false;
  const inputs = new Inputs(dataDir, readPinnedHashes(dataDir), factor);
  const files = new Map<string, Buffer>();
  const put = (relative: string, text: string | Buffer): void => {
    files.set(relative, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  };

  const swagger = JSON.parse(inputs.read(KUBERNETES.file).toString('utf8')) as unknown;
  const kubernetes = convertKubernetesOpenApi(swagger, { version: KUBERNETES.version, source: KUBERNETES.source });
  const kubernetesFile = `kubernetes/v${kubernetes.version}.json`;
  put(kubernetesFile, toJson(kubernetes));

  const deprecationNotes: string[] = [];
  const [pluto] = yamlDocuments(PLUTO.file, inputs.read(PLUTO.file).toString('utf8'));
  const deprecations = reconcileWithServedKinds(
    convertPlutoVersions(pluto, { onNote: (note) => deprecationNotes.push(note) }),
    kubernetes.kinds,
    kubernetes.version,
    { onNote: (note) => deprecationNotes.push(note) },
  );
  put('kubernetes/deprecations.json', toJson(deprecations, 1));

  const argo: CrdSchemaBundle = { source: ARGO_CD.source, resources: sortResources(inputs.crds(ARGO_CD.dir)) };
  put(`crds/${ARGO_CD.name}.json`, toJson(argo));
  const flux = fluxResources(inputs);
  const fluxBundle: CrdSchemaBundle = { source: FLUX.source, resources: flux.resources };
  put(`crds/${FLUX.name}.json`, toJson(fluxBundle));

  // Copied byte for byte: their upstream `$id`s are what ajv resolves their cross-references by.
  for (const name of ANSIBLE_SCHEMA_NAMES) {
    const relative = `${ANSIBLE_SCHEMAS.dir}/${name}.json`;
    const data = inputs.read(relative);
    const schema = JSON.parse(data.toString('utf8')) as { $id?: unknown };
    if (typeof schema.$id !== 'string' || !schema.$id.endsWith(`/${name}.json`)) throw new Error(`${relative}: unexpected $id ${String(schema.$id)}`);
    put(`ansible/${name}.json`, data);
  }

  const index: SchemaIndex = { kubernetesVersions: [kubernetes.version], crdBundles: [ARGO_CD.name, FLUX.name].sort(compare) };
  put('index.json', toJson(index));

  for (const license of LICENSE_FILES) put(`LICENSES/${license}`, readFileSync(path.join(dataDir, 'LICENSES', license)));

  const outputs = [...files.entries()].map(([relative, data]) => ({ relative, size: data.length, sha256: sha256(data) }));
  put(
    'PROVENANCE.md',
    provenance({
      kubernetesVersion: kubernetes.version,
      kubernetesFile,
      kinds: kubernetes.kinds.length,
      definitions: Object.keys(kubernetes.definitions).length,
      deprecations: deprecations.length,
      deprecationNotes,
      argo,
      flux: fluxBundle,
      fluxAdded: flux.added,
      factor,
      inputs: inputs.used,
      outputs,
    }),
  );
  return new Map([...files.entries()].sort(([a], [b]) => compare(a, b)));
}

interface ProvenanceFacts {
  kubernetesVersion: string;
  kubernetesFile: string;
  kinds: number;
  definitions: number;
  deprecations: number;
  deprecationNotes: string[];
  argo: CrdSchemaBundle;
  flux: CrdSchemaBundle;
  fluxAdded: string[];
  factor: boolean;
  inputs: InputFile[];
  outputs: { relative: string; size: number; sha256: string }[];
}

function resourceList(bundle: CrdSchemaBundle): string {
  return bundle.resources
    .map((r) => `\`${r.apiVersion}\` ${r.kind}${r.deprecated ? ' (deprecated)' : ''}`)
    .join(', ');
}

function provenance(facts: ProvenanceFacts): string {
  const inputs = [...new Map(facts.inputs.map((input) => [input.relative, input])).values()].sort((a, b) =>
    compare(a.relative, b.relative),
  );
  return `# Provenance of \`schemas/\`

Everything in this folder is written by \`scripts/generate-schemas.ts\` (\`npm run generate:schemas\`) from the
upstream data in \`shared/data/\` (described in that folder's PROVENANCE.md); \`LICENSES/\` is copied unchanged.
The one exception is \`ansible/modules/\`, written by \`scripts/generate-ansible-modules.ts\`
(\`npm run generate:ansible-modules\`) from the installed \`ansible-doc\`; its own \`PROVENANCE.md\` says how.
Do not edit these files by hand: change the generator or the data and run it again. The
output is deterministic (sorted keys, no timestamps), so re-running it gives identical bytes, and
\`npx tsx scripts/generate-schemas.ts --check\` reports a stale folder.

The Kubernetes, Argo CD, Flux and Pluto data is **Apache-2.0** (\`LICENSES/Apache-2.0.txt\`); the Ansible JSON schemas
are **MIT** (\`LICENSES/MIT-ansible-lint.txt\`, see below). No upstream ships a NOTICE file. The generated files are
derived works (converted and modified, as listed below, or copied unchanged) of:

| generated file | derived from | upstream | licence |
|---|---|---|---|
| \`${facts.kubernetesFile}\` | \`kubernetes/swagger-v1.36.0.json\` | Kubernetes \`api/openapi-spec/swagger.json\`, tag **v1.36.0** (kubernetes/kubernetes), as re-serialised by kube-rs/k8s-pb commit \`7d74b0b0eb581c9aedc175e25773226e37446460\` (\`k8s-pb-codegen/openapi/swagger.json\`) | Apache-2.0 |
| \`kubernetes/deprecations.json\` | \`kubernetes/deprecations.yaml\` | FairwindsOps/pluto tag **v5.24.0** (commit \`dd5ec8cccce5e42dfe8054b8250baa35546056a0\`), \`versions.yaml\` | Apache-2.0 (Copyright 2018 FairwindsOps Inc) |
| \`crds/argo-cd.json\` | \`crds/argo-cd/*.yaml\` | argoproj/argo-cd tag **v3.5.1** (commit \`109ca7ca71139e514114499d294a492e7910a965\`), \`manifests/crds/\` | Apache-2.0 |
| \`crds/flux.json\` | \`crds/flux/*.yaml\` | fluxcd/source-controller tag **v1.9.1** (\`092bcff3c9c3f258a44310507201d295ff294ba6\`), fluxcd/kustomize-controller tag **v1.9.4** (\`1324b615da01038e2859cbcde604bd5434f21933\`), fluxcd/helm-controller tag **v1.6.3** (\`372c34e2b4a455d24ef6cbb8321c82c4533dbbd8\`), \`config/crd/bases/\` | Apache-2.0 |
| \`crds/flux.json\` (deprecated beta versions) | \`crds/flux-legacy/*.yaml\` | fluxcd/source-controller tag **v1.7.4** (\`2eb5a81a22b414215f25d7981fd3ab7b078ad6ca\`), fluxcd/kustomize-controller tag **v1.7.3** (\`090c49bdb679f827353d1658a7ab60a168dbb3a5\`), fluxcd/helm-controller tag **v1.4.5** (\`3ebc2f57b7323371bf0d067bfb4e411592124bdf\`), \`config/crd/bases/\` | Apache-2.0 |
| \`ansible/{${ANSIBLE_SCHEMA_NAMES.join(',')}}.json\` | \`${ANSIBLE_SCHEMAS.dir}/*.json\` | ${ANSIBLE_SCHEMAS.source} | MIT |
| \`index.json\` | — | lists the Kubernetes and CRD files above | — |
| \`LICENSES/Apache-2.0.txt\` | \`LICENSES/Apache-2.0.txt\` | the standard Apache License 2.0 text (copied unchanged) | — |
| \`LICENSES/MIT-ansible-lint.txt\` | \`LICENSES/MIT-ansible-lint.txt\` | ansible-lint's MIT licence, \`docs/licenses/LICENSE.mit.txt\` (copied unchanged) | — |

## What the generator changes

### \`${facts.kubernetesFile}\` (${facts.definitions} definitions, ${facts.kinds} kinds)

- \`definitions\` keep \`description\`, \`type\`, \`properties\`, \`items\`, \`required\`, \`$ref\`, \`additionalProperties\`,
  \`enum\` and the \`x-kubernetes-patch-merge-key\`, \`x-kubernetes-list-map-keys\`, \`x-kubernetes-list-type\` annotations.
  \`format\` (int32, int64, double, byte, date-time, int-or-string), \`x-kubernetes-group-version-kind\` and the
  other \`x-kubernetes-*\` annotations are removed.
- \`IntOrString\` → \`type: [integer, string]\`. \`Quantity\` → \`type: [number, string]\` with the Kubernetes quantity
  grammar as \`pattern\` (\`${QUANTITY_PATTERN}\`).
- Strict objects (as \`kubeconform -strict\`): every object with \`properties\` and no \`additionalProperties\` gets
  \`additionalProperties: false\`. Maps keep their \`additionalProperties\` schema.
- Ports: \`ContainerPort.containerPort\`/\`hostPort\`, \`ServicePort.port\`/\`nodePort\` are limited to 1..65535;
  \`ServicePort.targetPort\` is \`[integer, string]\` with the same range for integers.
- \`Time\` also accepts null: \`kubectl create --dry-run=client -o yaml\` writes \`creationTimestamp: null\`.
- Labels: \`ObjectMeta.labels\` and \`LabelSelector.matchLabels\` check keys (qualified names: optional DNS-1123
  subdomain prefix ≤ 253 characters and \`/\`, then a name ≤ 63 characters) and values (≤ 63 characters).
- \`kinds\`: every group/version/kind that a resource path of the swagger's \`paths\` serves with a single-object
  GET or a POST; namespaced when that path is under \`/namespaces/{namespace}/\`. This leaves out \`*List\`,
  \`DeleteOptions\`, \`Status\`, \`WatchEvent\`, … and the subresource-only \`Scale\`, \`Eviction\` and \`TokenRequest\`.

### \`kubernetes/deprecations.json\` (${facts.deprecations} entries)

Pluto's \`deprecated-versions\`: versions normalised (\`v1.16.0\` → \`1.16\`), empty \`removed-in\` and
\`replacement-api\` → null, \`replacement-available-in\` and \`target-versions\` left out, sorted by component, apiVersion
and kind. For the \`cert-manager\` and \`istio\` entries the versions are releases of those projects, not of
Kubernetes. Entries repaired against the data (the v${facts.kubernetesVersion} swagger is trusted over Pluto, whose list was last
updated for Kubernetes 1.33–1.35):

${facts.deprecationNotes.map((note) => `- ${note}`).join('\n')}

### \`crds/argo-cd.json\` and \`crds/flux.json\`

Each served version of each CRD's \`openAPIV3Schema\` (by \`server/src/schemas/crd.ts\`, which also converts CRDs found in
a workspace): top-level \`metadata\` → \`$ref\` to the Kubernetes \`ObjectMeta\`; \`x-kubernetes-int-or-string\` →
\`type: [integer, string]\`; \`nullable\` → \`null\` added to \`type\`; every object with \`properties\`, no
\`additionalProperties\` and no \`x-kubernetes-preserve-unknown-fields\` gets \`additionalProperties: false\`;
\`format\`, \`x-kubernetes-validations\` (CEL) and other unused annotations are removed; descriptions are kept
(upstream's ApplicationSet CRD has none).${
    facts.factor
      ? `
Subschemas repeated within one CRD version (Argo CD's ApplicationSet repeats the Application template in every
generator) are moved to that schema's \`$defs\` and referred to as \`#/$defs/<name>\`, which keeps ajv's compile time
and the file size down (\`--no-factor\` leaves them inline).`
      : ''
  }

- Argo CD: ${resourceList(facts.argo)}.
- Flux: ${resourceList(facts.flux)}.
  The current Flux CRDs serve only the GA versions. The beta versions they no longer serve were added from the legacy
  CRDs, marked \`deprecated\` with a warning naming the controller release that removed them (source-controller v1.8.0,
  kustomize-controller v1.8.0, helm-controller v1.5.0): ${facts.fluxAdded.map((key) => `\`${key}\``).join(', ')}.
  helm \`v2beta1\` and source/kustomize \`v1beta1\` are not covered.

### \`ansible/*.json\`

Copied byte for byte, so each keeps its upstream \`$id\` (\`https://raw.githubusercontent.com/ansible/ansible-lint/main/src/ansiblelint/schemas/<name>.json\`):
add all of them to ajv and \`meta.json\`'s relative \`$ref\` to \`role-arg-spec.json#/$defs/entry_point\` resolves offline.
They are JSON Schema draft-07 and compile with ajv's \`strict: false\` (strict mode rejects \`markdownDescription\`
and union types). Licence: ansible-lint is distributed as GPL-3.0 because of its runtime dependencies, but its README
("Licensing") says its own code base, these schemas included, stays **MIT**; the schemas began in the MIT-licensed
ansible-community/schemas project. The other ansible-lint schemas (navigator, molecule, galaxy, rulebook, …) are not used.

## Inputs (checked against \`shared/data/PROVENANCE.md\` before use)

| input | upstream | sha256 |
|---|---|---|
${inputs.map((input) => `| \`${input.relative}\` | \`${input.upstream}\` | \`${input.sha256}\` |`).join('\n')}

## Outputs

| file | size (bytes) | sha256 |
|---|---:|---|
${facts.outputs.map((output) => `| \`${output.relative}\` | ${output.size} | \`${output.sha256}\` |`).join('\n')}
`;
}

function main(): void {
  const { dataDir, outDir, check, factor } = parseArgs(process.argv.slice(2));
  const files = generate(dataDir, { factor });
  let stale = 0;
  for (const [relative, data] of files) {
    const target = path.join(outDir, relative);
    const same = existsSync(target) && readFileSync(target).equals(data);
    if (check) {
      if (!same) {
        stale++;
        console.error(`stale: ${path.relative(process.cwd(), target)}`);
      }
      continue;
    }
    if (same) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, data);
    console.log(`wrote ${path.relative(process.cwd(), target)} (${data.length} bytes)`);
  }
  if (check && stale) {
    console.error(`${stale} generated file(s) out of date: run npm run generate:schemas`);
    process.exit(1);
  }
  if (!check) console.log(`${files.size} files up to date in ${path.relative(process.cwd(), outDir) || '.'}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
