/**
 * Reads the live objects of a cluster for drift: kubeconfig and context through
 * `@kubernetes/client-node`, discovery of only the group versions git names, then ONE LIST per
 * kind and namespace (or per kind across the cluster when git names many namespaces), never a GET
 * per object. Every failure comes back in words with a next step; tokens are never written
 * anywhere (errors carry no request headers).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { LiveObject } from '../drift/kubernetes/compare';
import { itemsOfList } from '../drift/kubernetes/snapshot';

/** A kind git declares, and the namespaces it declares it in ([] for cluster-scoped kinds). */
export interface WantedKind {
  apiVersion: string;
  kind: string;
  namespaces: string[];
}

export interface KubeLiveOptions {
  /** A kubeconfig file; empty or absent: KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** A context of the kubeconfig; empty or absent: its current context. */
  context?: string;
  /** Whether the workspace is trusted: exec and auth-provider credentials run programs, refused when not. */
  trusted: boolean;
  /** Above this many namespaces of one kind, one LIST across the cluster replaces the per-namespace LISTs. */
  clusterWideAbove?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface KubeTarget {
  /** The context's name, or the kubeconfig's description when it has none. */
  context: string;
  server: string;
  /** The context's namespace, or `default`: where git's objects without a namespace go. */
  namespace: string;
}

export interface LiveRead {
  target: KubeTarget;
  objects: LiveObject[];
  /** Kinds the cluster does not serve (a CRD not installed), keyed `apiVersion/kind`, with the reason in words. */
  unservedKinds: Map<string, string>;
  /** LISTs that failed (403 for one kind): those objects' live state is unknown, not absent. */
  failures: ListFailure[];
  /** Whether each kind the cluster serves is namespaced, from discovery. */
  namespaced: Map<string, boolean>;
}

export interface ListFailure {
  apiVersion: string;
  kind: string;
  /** The namespace of a per-namespace LIST; absent for a LIST across the cluster. */
  namespace?: string;
  message: string;
}

/** A failure that makes the whole cluster unreadable: its message is the words for the user. */
export class KubeLiveError extends Error {}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_CLUSTER_WIDE_ABOVE = 3;

export const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

type HttpAnswer = { status: number; body: unknown };

function defaultKubeconfigExists(): boolean {
  const fromEnvironment = process.env.KUBECONFIG?.split(path.delimiter).filter(Boolean) ?? [];
  if (fromEnvironment.length > 0) return fromEnvironment.some((file) => fs.existsSync(file));
  return fs.existsSync(path.join(os.homedir(), '.kube', 'config'));
}

/** Loads the kubeconfig and selects the context, refusing what it must not run. */
async function loadKubeConfig(options: KubeLiveOptions): Promise<{ config: KubeConfig; target: KubeTarget }> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  const where = options.kubeconfig ? options.kubeconfig : 'the default kubeconfig (KUBECONFIG or ~/.kube/config)';
  try {
    if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
    else if (defaultKubeconfigExists()) config.loadFromDefault();
    else throw new KubeLiveError('no kubeconfig found: set gitopsIac.drift.kubeconfig (or --kubeconfig), KUBECONFIG, or create ~/.kube/config');
  } catch (error) {
    if (error instanceof KubeLiveError) throw error;
    throw new KubeLiveError(`cannot read ${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (options.context) {
    if (!config.getContextObject(options.context)) {
      const known = config.getContexts().map((context) => context.name);
      throw new KubeLiveError(`no context "${options.context}" in ${where}${known.length ? ` (it has ${known.join(', ')})` : ''}`);
    }
    config.setCurrentContext(options.context);
  }
  const contextName = config.getCurrentContext();
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeLiveError(`context "${contextName}" of ${where} names no cluster`);
  const user = config.getCurrentUser();
  if (!options.trusted && (user?.exec || user?.authProvider)) {
    throw new KubeLiveError(`context "${contextName}" gets its credentials by running a program (${user.exec ? 'exec' : 'auth-provider'}), which an untrusted workspace does not allow: trust the workspace, or use a context with a token or certificate`);
  }
  const namespace = config.getContextObject(contextName)?.namespace || 'default';
  return { config, target: { context: contextName, server: cluster.server, namespace } };
}

const CONNECTION_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'timed out',
};

const CERTIFICATE_FAILURES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is not signed by the kubeconfig's certificate authority",
  SELF_SIGNED_CERT_IN_CHAIN: "its certificate is not signed by the kubeconfig's certificate authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate is not signed by the kubeconfig's certificate authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its certificate is not signed by the kubeconfig's certificate authority",
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate does not name this host',
  CERT_HAS_EXPIRED: 'its certificate has expired',
};

/** Words for a transport failure, from Node's error codes, with the next step. */
function unreachable(server: string, error: NodeJS.ErrnoException): KubeLiveError {
  const certificate = error.code ? CERTIFICATE_FAILURES[error.code] : undefined;
  if (certificate) return new KubeLiveError(`cannot trust ${server}: ${certificate} — check certificate-authority(-data) of the cluster in the kubeconfig`);
  const words = (error.code ? CONNECTION_FAILURES[error.code] : undefined) ?? error.message.split('\n')[0];
  return new KubeLiveError(`cannot reach ${server}: ${words} — is the cluster running and the context right?`);
}

class KubeClient {
  constructor(private readonly config: KubeConfig, private readonly target: KubeTarget, private readonly options: KubeLiveOptions) {}

  /** One GET of a JSON path; transport failures and 401 end the whole read, other statuses are the caller's. */
  async get(pathAndQuery: string): Promise<HttpAnswer> {
    const base = new URL(this.target.server);
    // The server URL may carry a path prefix (a proxy): keep it.
    const url = new URL(`${base.pathname.replace(/\/$/, '')}${pathAndQuery}`, base);
    const requestOptions: https.RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
    await this.config.applyToHTTPSOptions(requestOptions);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const answer = await new Promise<HttpAnswer>((resolve, reject) => {
      const transport = url.protocol === 'http:' ? http : https;
      const request = transport.request(url, { ...requestOptions, signal: this.options.signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // A proxy's HTML error page stays text; the status code still says what happened.
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on('error', reject);
      });
      request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      request.on('error', reject);
      request.end();
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') throw new KubeLiveError('cancelled');
      if (error.code === 'ETIMEDOUT') throw new KubeLiveError(`cannot reach ${this.target.server}: no answer within ${Math.round(timeoutMs / 1000)} s — is the cluster running and the context right?`);
      throw unreachable(this.target.server, error);
    });
    if (answer.status === 401) throw new KubeLiveError(`the credentials of context "${this.target.context}" were refused (401 Unauthorized) — log in again or renew the token`);
    return answer;
  }
}

const messageOf = (body: unknown): string =>
  typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : String(body).slice(0, 200);

const discoveryPath = (apiVersion: string): string => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);

/** Discovery of the group versions git names: kind → resource (plural, namespaced). */
async function discover(client: KubeClient, apiVersions: readonly string[]): Promise<Map<string, Map<string, ApiResource>>> {
  const served = new Map<string, Map<string, ApiResource>>();
  await Promise.all(apiVersions.map(async (apiVersion) => {
    const answer = await client.get(discoveryPath(apiVersion));
    const kinds = new Map<string, ApiResource>();
    if (answer.status === 200 && typeof answer.body === 'object' && answer.body !== null) {
      for (const resource of ((answer.body as { resources?: ApiResource[] }).resources ?? [])) {
        // Subresources (deployments/status) share the kind: only the resource itself lists objects.
        if (!resource.name.includes('/')) kinds.set(resource.kind, resource);
      }
    } else if (answer.status !== 404) throw new KubeLiveError(`discovery of ${apiVersion} failed (${answer.status}): ${messageOf(answer.body)}`);
    served.set(apiVersion, kinds);
  }));
  return served;
}

/** Objects per page: large namespaces come in several answers rather than one huge one. */
const PAGE_SIZE = 500;

type Listed = { ok: true; objects: LiveObject[] } | { ok: false; status: number; message: string };

/** A LIST, following `continue` tokens until the server has sent every page. */
async function listAll(client: KubeClient, listPath: string): Promise<Listed> {
  const objects: LiveObject[] = [];
  let token = '';
  do {
    const answer = await client.get(`${listPath}?limit=${PAGE_SIZE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    if (answer.status !== 200 || typeof answer.body !== 'object' || answer.body === null) return { ok: false, status: answer.status, message: messageOf(answer.body) };
    const items = itemsOfList(answer.body as Record<string, unknown>);
    if (!items.ok) return { ok: false, status: answer.status, message: `an unexpected answer: ${items.message}` };
    objects.push(...items.objects);
    const metadata = (answer.body as { metadata?: { continue?: unknown } }).metadata;
    token = typeof metadata?.continue === 'string' ? metadata.continue : '';
  } while (token);
  return { ok: true, objects };
}

function resourcePath(apiVersion: string, resource: ApiResource, namespace: string | undefined): string {
  return `${discoveryPath(apiVersion)}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${resource.name}`;
}

/** A cluster chosen from kubeconfig, not contacted yet: its context says where git's namespace-less objects go. */
export interface KubeCluster {
  target: KubeTarget;
  /** The live objects of the kinds git declares, one LIST per kind and namespace. */
  list(wanted: readonly WantedKind[]): Promise<LiveRead>;
}

export async function openCluster(options: KubeLiveOptions): Promise<KubeCluster> {
  const { config, target } = await loadKubeConfig(options);
  const client = new KubeClient(config, target, options);
  return { target, list: (wanted) => listObjects(client, target, wanted, options) };
}

async function listObjects(client: KubeClient, target: KubeTarget, wanted: readonly WantedKind[], options: KubeLiveOptions): Promise<LiveRead> {
  const served = await discover(client, [...new Set(wanted.map((entry) => entry.apiVersion))]);
  const read: LiveRead = { target, objects: [], unservedKinds: new Map(), failures: [], namespaced: new Map() };
  const lists: Array<{ apiVersion: string; resource: ApiResource; namespace?: string; keep?: ReadonlySet<string> }> = [];
  for (const entry of wanted) {
    const resource = served.get(entry.apiVersion)?.get(entry.kind);
    if (!resource) {
      const groupServed = (served.get(entry.apiVersion)?.size ?? 0) > 0;
      read.unservedKinds.set(kindKey(entry.apiVersion, entry.kind), groupServed
        ? `the cluster serves no kind ${entry.kind} in ${entry.apiVersion}`
        : `the cluster does not serve ${entry.apiVersion} (is the CRD for ${entry.kind} installed?)`);
      continue;
    }
    read.namespaced.set(kindKey(entry.apiVersion, entry.kind), resource.namespaced);
    const namespaces = [...new Set(entry.namespaces)];
    if (!resource.namespaced) lists.push({ apiVersion: entry.apiVersion, resource });
    else if (namespaces.length > (options.clusterWideAbove ?? DEFAULT_CLUSTER_WIDE_ABOVE)) lists.push({ apiVersion: entry.apiVersion, resource, keep: new Set(namespaces) });
    else for (const namespace of namespaces) lists.push({ apiVersion: entry.apiVersion, resource, namespace });
  }
  const fail = (apiVersion: string, resource: ApiResource, namespace: string | undefined, message: string): void => {
    read.failures.push({ apiVersion, kind: resource.kind, ...(namespace ? { namespace } : {}), message });
  };
  const readList = async (apiVersion: string, resource: ApiResource, namespace?: string, keep?: ReadonlySet<string>): Promise<void> => {
    const where = namespace ? ` in ${namespace}` : resource.namespaced ? ' across the cluster' : '';
    const listed = await listAll(client, resourcePath(apiVersion, resource, namespace));
    if (listed.ok) {
      for (const object of listed.objects) if (!keep || keep.has((object.metadata as { namespace?: string }).namespace ?? '')) read.objects.push(object);
    } else if (listed.status === 403 && keep) {
      // RBAC often grants a namespace but not the whole cluster: ask each namespace instead.
      await Promise.all([...keep].map((each) => readList(apiVersion, resource, each)));
    } else if (listed.status === 403) {
      fail(apiVersion, resource, namespace, `forbidden to list ${resource.name}${where} — check the RBAC of context "${target.context}" (${listed.message})`);
    } else fail(apiVersion, resource, namespace, `listing ${resource.name}${where} failed (${listed.status}): ${listed.message}`);
  };
  await Promise.all(lists.map(({ apiVersion, resource, namespace, keep }) => readList(apiVersion, resource, namespace, keep)));
  return read;
}
