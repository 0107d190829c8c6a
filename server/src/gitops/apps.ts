/**
 * The GitOps app definitions in a YAML file, and the repository paths they deploy from:
 * Argo CD `Application` (spec.source, spec.sources[]) and `ApplicationSet` (its template),
 * Flux `Kustomization` (spec.path) and `HelmRelease` (spec.chart.spec.chart) whose source is
 * a `GitRepository`. Each path comes with its exact range, for findings and links.
 */
import type { Range } from '../core/types';
import { getIn, isRecord, stringAt } from '../kubernetes/resource';
import { parseSection } from '../yaml/parse';
import { nodeAtPath, type PathSegment } from '../yaml/path';
import { splitSections } from '../yaml/sections';

export interface AppSource {
  /** `Application shop/web`: for messages. */
  app: string;
  /** The repository URL, for Argo CD; for Flux, the GitRepository named by sourceRef. */
  repoURL?: string;
  gitRepository?: { name: string; namespace?: string };
  path: string;
  pathRange: Range;
  /** Whether the tool reads the folder's subfolders too (Flux always, Argo with directory.recurse). */
  recursive: boolean;
  /** Where the objects go; undefined when it cannot be known from the file (a templated ApplicationSet destination). */
  destination?: AppDestination;
}

/** Where an app puts what it deploys, enough to tell whether two apps deploy the same object. */
export interface AppDestination {
  /** The cluster as the app names it; `in-cluster` for the cluster the GitOps tool runs in. */
  cluster: string;
  /** Given to namespaced objects that name no namespace (Argo CD's destination.namespace). */
  defaultNamespace?: string;
  /** Forced on every namespaced object (Flux's targetNamespace, Argo CD's kustomize.namespace). */
  namespaceOverride?: string;
}

export interface GitRepositoryDefinition {
  name: string;
  namespace?: string;
  url: string;
}

export interface FileApps {
  sources: AppSource[];
  gitRepositories: GitRepositoryDefinition[];
}

const ARGO = /^argoproj\.io\//;
const FLUX_KUSTOMIZE = /^kustomize\.toolkit\.fluxcd\.io\//;
const FLUX_HELM = /^helm\.toolkit\.fluxcd\.io\//;
const FLUX_SOURCE = /^source\.toolkit\.fluxcd\.io\//;
const IN_CLUSTER = 'in-cluster';
/** Argo CD's name and URL for the cluster it runs in. */
const ARGO_IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
const TEMPLATED = /\{\{|\$\{/;

/** Cheap test before parsing: only files naming these API groups can hold app definitions. */
export function mayHoldApps(text: string): boolean {
  return text.includes('argoproj.io') || text.includes('toolkit.fluxcd.io');
}

export function appsInText(text: string): FileApps {
  const result: FileApps = { sources: [], gitRepositories: [] };
  for (const section of splitSections(text)) {
    const parsed = parseSection(section.text);
    for (const document of parsed.documents) {
      const { root, value } = document;
      if (!root || !isRecord(value)) continue;
      const apiVersion = stringAt(value, ['apiVersion']) ?? '';
      const kind = stringAt(value, ['kind']) ?? '';
      const name = stringAt(value, ['metadata', 'name']) ?? '';
      const namespace = stringAt(value, ['metadata', 'namespace']);
      const app = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
      const rangeAt = (path: PathSegment[]): Range => {
        const { node } = nodeAtPath(root, path);
        const range = parsed.lines.rangeOf(node.start, node.end);
        return { start: { line: range.start.line + section.line, character: range.start.character }, end: { line: range.end.line + section.line, character: range.end.character } };
      };
      const add = (base: PathSegment[], pathKey: string, source: Omit<AppSource, 'app' | 'path' | 'pathRange'>): void => {
        const path = stringAt(value, [...base, pathKey]);
        // A templated path (an ApplicationSet's `{{path}}`) names no one folder.
        if (path === undefined || TEMPLATED.test(path)) return;
        result.sources.push({ app, path, pathRange: rangeAt([...base, pathKey]), ...source });
      };
      const argoSource = (base: PathSegment[], spec: PathSegment[]): void => {
        const repoURL = stringAt(value, [...base, 'repoURL']);
        const destination = argoDestination(value, spec, stringAt(value, [...base, 'kustomize', 'namespace']));
        if (repoURL !== undefined) add(base, 'path', { repoURL, recursive: getBoolean(value, [...base, 'directory', 'recurse']), destination });
      };
      const gitSource = (sourceRef: PathSegment[]): AppSource['gitRepository'] => {
        if ((stringAt(value, [...sourceRef, 'kind']) ?? 'GitRepository') !== 'GitRepository') return undefined;
        const refName = stringAt(value, [...sourceRef, 'name']);
        return refName ? { name: refName, namespace: stringAt(value, [...sourceRef, 'namespace']) ?? namespace } : undefined;
      };
      if (ARGO.test(apiVersion) && (kind === 'Application' || kind === 'ApplicationSet')) {
        const spec: PathSegment[] = kind === 'Application' ? ['spec'] : ['spec', 'template', 'spec'];
        argoSource([...spec, 'source'], spec);
        const sources = getIn(value, [...spec, 'sources']);
        if (Array.isArray(sources)) sources.forEach((_, index) => argoSource([...spec, 'sources', index], spec));
      } else if (FLUX_KUSTOMIZE.test(apiVersion) && kind === 'Kustomization') {
        const gitRepository = gitSource(['spec', 'sourceRef']);
        if (gitRepository) add(['spec'], 'path', { gitRepository, recursive: true, destination: fluxDestination(value, namespace) });
      } else if (FLUX_HELM.test(apiVersion) && kind === 'HelmRelease') {
        const gitRepository = gitSource(['spec', 'chart', 'spec', 'sourceRef']);
        // No destination: a chart's objects are known only to `helm template`, so it owns nothing we can see.
        if (gitRepository) add(['spec', 'chart', 'spec'], 'chart', { gitRepository, recursive: false });
      } else if (FLUX_SOURCE.test(apiVersion) && kind === 'GitRepository') {
        const url = stringAt(value, ['spec', 'url']);
        if (url) result.gitRepositories.push({ name, namespace, url });
      }
    }
  }
  return result;
}

const getBoolean = (value: unknown, path: readonly PathSegment[]): boolean => getIn(value, path) === true;

function argoDestination(value: unknown, spec: PathSegment[], namespaceOverride: string | undefined): AppDestination | undefined {
  const server = stringAt(value, [...spec, 'destination', 'server']);
  const name = stringAt(value, [...spec, 'destination', 'name']);
  const defaultNamespace = stringAt(value, [...spec, 'destination', 'namespace']);
  if ([server, name, defaultNamespace, namespaceOverride].some((field) => field !== undefined && TEMPLATED.test(field))) return undefined;
  const inCluster = (server === undefined && name === undefined) || server?.replace(/\/+$/, '') === ARGO_IN_CLUSTER_SERVER || name === IN_CLUSTER;
  const cluster = inCluster ? IN_CLUSTER : server !== undefined ? server.replace(/\/+$/, '') : `name:${name}`;
  return { cluster, defaultNamespace, namespaceOverride };
}

/** Flux applies to its own cluster unless spec.kubeConfig names another one's credentials. */
function fluxDestination(value: unknown, namespace: string | undefined): AppDestination {
  const kubeConfig = stringAt(value, ['spec', 'kubeConfig', 'secretRef', 'name']);
  return { cluster: kubeConfig ? `kubeConfig:${namespace ?? ''}/${kubeConfig}` : IN_CLUSTER, namespaceOverride: stringAt(value, ['spec', 'targetNamespace']) };
}
