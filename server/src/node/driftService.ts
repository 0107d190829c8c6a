/**
 * Drift on Node, the same for the CLI and the language server: the objects git declares
 * (drift-core's collectDesired over the files, kustomize overlays rendered), the live state
 * from a cluster (kubeLive.ts) or a `kubectl get -o json` snapshot, compared by drift-core;
 * plus the Terraform environments (terraformDrift.ts) and the Ansible ones (ansibleDrift.ts,
 * check mode). Each source yields its environments
 * independently: one that fails becomes an environment with an error, never a failed report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectDesired } from '../drift/kubernetes/collect';
import { compareKubernetes, type DesiredObject } from '../drift/kubernetes/compare';
import { readSnapshot } from '../drift/kubernetes/snapshot';
import type { DriftEnvironment, DriftReport, DriftResource, DriftSourceKind } from '../drift/types';
import { detectAnsibleFile } from '../ansible/detect';
import { CLUSTER_SCOPED_KINDS } from '../kustomize/resources';
import { KustomizeWorkspace } from '../kustomize/workspace';
import { kindKey, KubeLiveError, openCluster, type LiveRead, type WantedKind } from './kubeLive';
import { diskReader } from './kustomize';
import { ansibleDrift } from './ansibleDrift';
import { terraformDrift } from './terraformDrift';

/** One place live state comes from; it may yield several environments (or none, when git declares nothing for it). */
export interface DriftSource {
  kind: DriftSourceKind;
  /** For progress and for the environment of a failure: a context, a snapshot file, a folder. */
  name: string;
  read(signal?: AbortSignal): Promise<DriftEnvironment[]>;
}

export interface DriftProgress {
  signal?: AbortSignal;
  /** Called as each source starts, in words ("Reading cluster kind-dev"). */
  onProgress?: (message: string, done: number, total: number) => void;
}

/** Reads every source (at the same time) and puts their environments in one report, in the sources' order. */
export async function computeDrift(sources: readonly DriftSource[], progress: DriftProgress = {}): Promise<DriftReport> {
  let done = 0;
  const results = await Promise.all(sources.map(async (source) => {
    progress.onProgress?.(`Reading ${source.name}`, done, sources.length);
    try {
      return await source.read(progress.signal);
    } catch (error) {
      const message = error instanceof KubeLiveError ? error.message : `reading the live state failed: ${(error as Error).message.split('\n')[0]}`;
      return [{ name: source.name, source: source.kind, asOf: new Date().toISOString(), error: message, resources: [] }];
    } finally {
      done += 1;
      progress.onProgress?.(`Read ${source.name}`, done, sources.length);
    }
  }));
  return { environments: results.flat() };
}

export interface KubernetesDriftOptions {
  /** The workspace's files by URI: YAML manifests and kustomizations (others are ignored). */
  files: ReadonlyMap<string, string>;
  /** A `kubectl get -o json` file to compare with instead of a cluster. */
  snapshot?: string;
  kubeconfig?: string;
  context?: string;
  /** Only this namespace (and cluster-scoped objects); empty: every namespace git names. */
  namespace?: string;
  includeUnmanaged?: boolean;
  /** Write each resource's normalised YAML texts for a diff editor (default true); the CLI never prints them. */
  includeDiffTexts?: boolean;
  /** False in an untrusted workspace: kubeconfig credentials that run a program are refused. */
  trusted: boolean;
  timeoutMs?: number;
}

/** The desired objects of the files, each rendered kustomization with its own render. */
function desiredObjects(files: ReadonlyMap<string, string>): { objects: DesiredObject[]; notes: string[] } {
  const kustomize = new KustomizeWorkspace(diskReader);
  for (const [uri, text] of files) kustomize.observeFile(uri, text);
  return collectDesired({ files, renderFolder: (folder) => kustomize.renderFolder(folder) });
}

const metadataOf = (object: Record<string, unknown>): Record<string, unknown> =>
  typeof object.metadata === 'object' && object.metadata !== null ? (object.metadata as Record<string, unknown>) : {};

const stringOf = (value: unknown): string => (typeof value === 'string' ? value : '');

function namespaceOf(object: Record<string, unknown>, defaultNamespace: string, isNamespaced: (apiVersion: string, kind: string) => boolean): string {
  if (!isNamespaced(stringOf(object.apiVersion), stringOf(object.kind))) return '';
  return stringOf(metadataOf(object).namespace) || defaultNamespace;
}

const builtInNamespaced = (_apiVersion: string, kind: string): boolean => !CLUSTER_SCOPED_KINDS.has(kind);

/** The kinds of the desired objects with the namespaces each is declared in. */
function wantedKinds(objects: readonly DesiredObject[], defaultNamespace: string): WantedKind[] {
  const wanted = new Map<string, WantedKind>();
  for (const { value } of objects) {
    const apiVersion = stringOf(value.apiVersion);
    const kind = stringOf(value.kind);
    if (!apiVersion || !kind) continue;
    const entry = wanted.get(kindKey(apiVersion, kind)) ?? { apiVersion, kind, namespaces: [] };
    wanted.set(kindKey(apiVersion, kind), entry);
    const namespace = stringOf(metadataOf(value).namespace) || defaultNamespace;
    if (!entry.namespaces.includes(namespace)) entry.namespaces.push(namespace);
  }
  return [...wanted.values()];
}

function joinNotes(notes: readonly string[]): string | undefined {
  return notes.length > 0 ? notes.join('; ') : undefined;
}

/** The environment of a `kubectl get -o json` file. */
function snapshotEnvironment(options: KubernetesDriftOptions, objects: DesiredObject[], notes: string[]): DriftEnvironment {
  const file = options.snapshot ?? '';
  const environment: DriftEnvironment = { name: `snapshot ${path.basename(file)}`, source: 'kubernetes', asOf: new Date().toISOString(), resources: [] };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
    environment.asOf = fs.statSync(file).mtime.toISOString();
  } catch (error) {
    environment.error = `cannot read the snapshot ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`;
    return environment;
  }
  const snapshot = readSnapshot(text);
  if (!snapshot.ok) {
    environment.error = `${file}: ${snapshot.message}`;
    return environment;
  }
  const defaultNamespace = options.namespace || 'default';
  const live = options.namespace
    ? snapshot.objects.filter((object) => namespaceOf(object, defaultNamespace, builtInNamespaced) === options.namespace || namespaceOf(object, defaultNamespace, builtInNamespaced) === '')
    : snapshot.objects;
  environment.resources = compareKubernetes(objects, live, { defaultNamespace, includeUnmanaged: options.includeUnmanaged === true, includeDiffTexts: options.includeDiffTexts !== false });
  const note = joinNotes(notes);
  if (note) environment.note = note;
  return environment;
}

/** Resources whose live state could not be listed are left out (unknown is not missing); those of kinds the cluster lacks say why. */
function explainLiveGaps(resources: DriftResource[], read: LiveRead): DriftResource[] {
  const failed = (resource: DriftResource) => read.failures.some((failure) =>
    kindKey(failure.apiVersion, failure.kind) === kindKey(resource.apiVersion, resource.kind) && (failure.namespace === undefined || failure.namespace === resource.namespace));
  return resources.filter((resource) => !failed(resource)).map((resource) => {
    const unserved = read.unservedKinds.get(kindKey(resource.apiVersion, resource.kind));
    return unserved && resource.status === 'missing' ? { ...resource, explanation: unserved } : resource;
  });
}

async function clusterEnvironment(options: KubernetesDriftOptions, objects: DesiredObject[], notes: string[], signal?: AbortSignal): Promise<DriftEnvironment> {
  const cluster = await openCluster({
    trusted: options.trusted,
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(signal ? { signal } : {}),
  });
  const environment: DriftEnvironment = { name: cluster.target.context, source: 'kubernetes', asOf: new Date().toISOString(), resources: [] };
  const defaultNamespace = options.namespace || cluster.target.namespace;
  try {
    const read = await cluster.list(wantedKinds(objects, defaultNamespace));
    const isNamespaced = (apiVersion: string, kind: string) => read.namespaced.get(kindKey(apiVersion, kind));
    environment.asOf = new Date().toISOString();
    environment.resources = explainLiveGaps(compareKubernetes(objects, read.objects, { defaultNamespace, includeUnmanaged: options.includeUnmanaged === true, includeDiffTexts: options.includeDiffTexts !== false, isNamespaced }), read);
    const error = joinNotes(read.failures.map((failure) => failure.message));
    if (error) environment.error = error;
  } catch (error) {
    if (!(error instanceof KubeLiveError)) throw error;
    environment.error = error.message;
  }
  const note = joinNotes(notes);
  if (note) environment.note = note;
  return environment;
}

/** The Kubernetes source: nothing at all when the files declare no object, so a Terraform-only workspace never asks for a kubeconfig. */
function kubernetesSource(options: KubernetesDriftOptions): DriftSource {
  const name = options.snapshot ? `snapshot ${path.basename(options.snapshot)}` : options.context || 'the current kubeconfig context';
  return {
    kind: 'kubernetes',
    name,
    async read(signal) {
      const collected = desiredObjects(options.files);
      const namespace = options.namespace;
      const objects = namespace
        ? collected.objects.filter(({ value }) => ['', namespace].includes(namespaceOf(value, namespace, builtInNamespaced)))
        : collected.objects;
      if (objects.length === 0 && collected.notes.length === 0) return [];
      if (options.snapshot) return [snapshotEnvironment(options, objects, collected.notes)];
      return [await clusterEnvironment(options, objects, collected.notes, signal)];
    },
  };
}

/** Root modules among the files: folders with `.tf` files, except the `modules/` folders other roots call. */
function terraformFolders(uris: Iterable<string>): string[] {
  const folders = new Set<string>();
  for (const uri of uris) {
    if (!uri.endsWith('.tf')) continue;
    const folder = path.dirname(fileURLToPath(uri));
    if (!folder.split(path.sep).includes('modules')) folders.add(folder);
  }
  return [...folders].sort();
}

function terraformSources(folders: readonly string[], options: { trusted: boolean; rootForNames?: string }): DriftSource[] {
  return folders.map((folder) => {
    const name = options.rootForNames ? path.relative(options.rootForNames, folder) || '.' : folder;
    return { kind: 'terraform', name, read: async () => [await terraformDrift(folder, { trusted: options.trusted, name })] };
  });
}

const IMPORTED_PLAYBOOK = /^\s*-?\s*(?:ansible\.builtin\.)?import_playbook\s*:\s*["']?([^"'\s#]+)/gm;

/** The playbooks among the files that no other playbook imports: each is run once, with what it imports. */
function ansiblePlaybooks(files: ReadonlyMap<string, string>): string[] {
  const playbooks = [...files].filter(([uri, text]) => detectAnsibleFile(uri, text) === 'playbook');
  const imported = new Set<string>();
  for (const [uri, text] of playbooks) {
    for (const match of text.matchAll(IMPORTED_PLAYBOOK)) imported.add(path.resolve(path.dirname(fileURLToPath(uri)), match[1]));
  }
  return playbooks.map(([uri]) => fileURLToPath(uri)).filter((playbook) => !imported.has(playbook)).sort();
}

function ansibleSources(playbooks: readonly string[], options: { trusted: boolean; inventory?: string; rootForNames?: string }): DriftSource[] {
  return playbooks.map((playbook) => ({
    kind: 'ansible',
    name: options.rootForNames ? path.relative(options.rootForNames, playbook) : playbook,
    read: async (signal) => [await ansibleDrift(playbook, { trusted: options.trusted, ...(options.inventory ? { inventory: options.inventory } : {}), ...(signal ? { signal } : {}) })],
  }));
}

export interface WorkspaceDriftOptions {
  /** The Kubernetes live source and filters. */
  kubernetes: Omit<KubernetesDriftOptions, 'files' | 'trusted'>;
  /** The inventory playbooks are checked against; empty: the one ansible.cfg names. */
  ansibleInventory?: string;
  trusted: boolean;
  /** Terraform folders and playbooks are named relative to this folder. */
  root: string;
}

/** Every source the files call for: their Kubernetes objects, Terraform root modules and top playbooks. */
export function workspaceSources(files: ReadonlyMap<string, string>, options: WorkspaceDriftOptions): DriftSource[] {
  return [
    kubernetesSource({ ...options.kubernetes, files, trusted: options.trusted }),
    ...terraformSources(terraformFolders(files.keys()), { trusted: options.trusted, rootForNames: options.root }),
    ...ansibleSources(ansiblePlaybooks(files), { trusted: options.trusted, rootForNames: options.root, ...(options.ansibleInventory ? { inventory: options.ansibleInventory } : {}) }),
  ];
}

/** The files under `paths` (from the CLI's walk) as the URI → text map the sources take. */
export function readFilesByUri(absolutePaths: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of absolutePaths) files.set(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'));
  return files;
}
