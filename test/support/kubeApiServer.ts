/**
 * A local HTTPS Kubernetes API server for tests, on 127.0.0.1 with a certificate made at test
 * time. It follows the real API's documented behaviour where our code can tell the difference:
 * bearer tokens (401 unknown, 403 per resource and namespace as RBAC would), discovery
 * (`/version`, `/api`, `/api/v1`, `/apis`, `/apis/{group}/{version}`), LIST across and per
 * namespace with label selectors (items without kind/apiVersion, as the real server sends them),
 * GET, `Status` objects for errors, and objects decorated by kubeObjects.ts (defaults, status,
 * metadata, managedFields, the last-applied annotation). Server-side apply answers in dry-run
 * only: nothing a test does can be mistaken for a write.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import {
  applyDefaults, changedFields, fieldLeaves, hasField, hasGeneration, LAST_APPLIED, mergeApplied, ownedFieldsOf,
  statusFor, subtractFields, valueAtField, without, type KubeObject, type ManagedFieldsEntry,
} from './kubeObjects';

const run = promisify(execFile);

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** The short names kubectl resolves through discovery (`kubectl get deploy`). */
const SHORT_NAMES: Record<string, string[]> = {
  pods: ['po'], services: ['svc'], configmaps: ['cm'], serviceaccounts: ['sa'], persistentvolumeclaims: ['pvc'], namespaces: ['ns'],
  deployments: ['deploy'], statefulsets: ['sts'], daemonsets: ['ds'], replicasets: ['rs'], cronjobs: ['cj'], ingresses: ['ing'],
  networkpolicies: ['netpol'], horizontalpodautoscalers: ['hpa'], poddisruptionbudgets: ['pdb'],
};

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The built-in kinds the server serves; CRDs come from `options.customResources`. */
export const BUILT_IN_RESOURCES: readonly ResourceType[] = [
  ['', 'v1', 'Pod', 'pods', true], ['', 'v1', 'Service', 'services', true], ['', 'v1', 'ConfigMap', 'configmaps', true],
  ['', 'v1', 'Secret', 'secrets', true], ['', 'v1', 'ServiceAccount', 'serviceaccounts', true],
  ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true], ['', 'v1', 'Namespace', 'namespaces', false],
  ['apps', 'v1', 'Deployment', 'deployments', true], ['apps', 'v1', 'StatefulSet', 'statefulsets', true],
  ['apps', 'v1', 'DaemonSet', 'daemonsets', true], ['apps', 'v1', 'ReplicaSet', 'replicasets', true],
  ['batch', 'v1', 'Job', 'jobs', true], ['batch', 'v1', 'CronJob', 'cronjobs', true],
  ['networking.k8s.io', 'v1', 'Ingress', 'ingresses', true], ['networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true], ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
].map(([group, version, kind, plural, namespaced]) => ({ group, version, kind, plural, namespaced }) as ResourceType);

/** What a token may not do: `{ verb: 'list', resource: 'deployments', namespace: 'shop' }` (namespace absent = everywhere). */
export interface Forbidden {
  verb?: string;
  resource: string;
  namespace?: string;
  /** Only the requests across the cluster (a Role in each namespace, no ClusterRole). */
  clusterWide?: boolean;
}

export interface TokenPolicy {
  user: string;
  forbidden?: Forbidden[];
}

/** How the server refuses server-side apply, as RBAC (403) or an admission webhook (400/500) would. */
export type ApplyRefusal = { kind: 'forbidden' } | { kind: 'webhook'; webhook: string; code: 400 | 500; message: string };

export interface KubeApiServerOptions {
  customResources?: ResourceType[];
  /** Clock for creationTimestamp and managedFields times (default: now). */
  now?: () => Date;
}

export interface SeedOptions {
  /** The manager that "applied" the objects (default kubectl-client-side-apply, which also writes the last-applied annotation). */
  manager?: 'kubectl-client-side-apply' | 'argocd-controller' | string;
  namespace?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Whether an Authorization header came with it (its value is never recorded). */
  authenticated: boolean;
}

type Json = Record<string, unknown>;

function status(code: number, reason: string, message: string, details?: Json): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function groupVersionOf(resource: ResourceType): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

function qualifiedName(resource: ResourceType): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

/** Equality- and set-based label selectors (`a=b,c!=d,e in (x,y),f notin (z),g,!h`). */
export function matchesLabelSelector(labels: Record<string, unknown>, selector: string): boolean {
  const requirements = selector.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  return requirements.every((raw) => {
    const requirement = raw.trim();
    if (requirement === '') return true;
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(requirement);
    if (set) {
      const values = set[3].split(',').map((value) => value.trim());
      const has = labels[set[1]] !== undefined && values.includes(String(labels[set[1]]));
      return set[2] === 'in' ? has : !has;
    }
    const comparison = /^([^!=]+)(==|=|!=)(.*)$/.exec(requirement);
    if (comparison) {
      const equal = labels[comparison[1].trim()] === comparison[3].trim();
      return comparison[2] === '!=' ? !equal : equal;
    }
    if (requirement.startsWith('!')) return labels[requirement.slice(1)] === undefined;
    return labels[requirement] !== undefined;
  });
}

async function makeCertificate(folder: string): Promise<{ cert: string; key: string }> {
  const keyFile = path.join(folder, 'key.pem');
  const certFile = path.join(folder, 'cert.pem');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=kube-apiserver-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyFile, '-out', certFile,
  ]);
  return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
}

export class KubeApiServer {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The server's self-signed certificate (PEM), to trust as the cluster's certificate authority. */
  readonly caPem: string;
  /** A token with every permission; add others with `addToken`. */
  readonly token: string;
  readonly requests: RecordedRequest[] = [];
  applyRefusal: ApplyRefusal | undefined;
  /** Delay before each answer, as a slow or overloaded API server would. */
  responseDelayMs = 0;

  private readonly objects = new Map<string, KubeObject>();
  private readonly tokens = new Map<string, TokenPolicy>();
  private readonly resources: ResourceType[];
  private resourceVersion = 1000;

  private constructor(private readonly server: https.Server, url: string, caPem: string, private readonly now: () => Date, customResources: ResourceType[]) {
    this.url = url;
    this.caPem = caPem;
    this.token = `test-${randomUUID()}`;
    this.tokens.set(this.token, { user: 'kubernetes-admin' });
    this.resources = [...BUILT_IN_RESOURCES, ...customResources];
  }

  static async start(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-api-'));
    try {
      const { cert, key } = await makeCertificate(folder);
      const server = https.createServer({ cert, key });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const api = new KubeApiServer(server, `https://127.0.0.1:${port}`, cert, options.now ?? (() => new Date()), options.customResources ?? []);
      server.on('request', (request, response) => api.handle(request, response));
      return api;
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A token for user `user`, refused what `forbidden` names (as RBAC would). */
  addToken(user: string, forbidden: Forbidden[] = []): string {
    const token = `test-${randomUUID()}`;
    this.tokens.set(token, { user, forbidden });
    return token;
  }

  /** Stores the objects of a YAML manifest (one or more documents) as if they had been applied. */
  seed(manifest: string, options: SeedOptions = {}): KubeObject[] {
    const stored: KubeObject[] = [];
    for (const document of parseAllDocuments(manifest)) {
      const value = document.toJS() as KubeObject | null;
      if (value && typeof value === 'object') stored.push(this.create(value, options));
    }
    return stored;
  }

  /** Stores one object as if `options.manager` had created it; returns the stored (decorated) copy. */
  create(applied: KubeObject, options: SeedOptions = {}): KubeObject {
    const resource = this.resourceOf(applied.apiVersion, applied.kind);
    if (!resource) throw new Error(`test API server: no resource type for ${applied.apiVersion} ${applied.kind}`);
    const manager = options.manager ?? 'kubectl-client-side-apply';
    const object = structuredClone(applied);
    object.metadata = { ...object.metadata };
    if (resource.namespaced) object.metadata.namespace ??= options.namespace ?? 'default';
    if (manager === 'kubectl-client-side-apply') {
      object.metadata.annotations = { ...(object.metadata.annotations as Json | undefined), [LAST_APPLIED]: `${JSON.stringify({ ...applied, metadata: { ...applied.metadata, ...(resource.namespaced ? { namespace: object.metadata.namespace } : {}) } })}\n` };
    }
    const time = this.timestamp();
    object.metadata.uid = randomUUID();
    object.metadata.resourceVersion = this.nextResourceVersion();
    object.metadata.creationTimestamp = time;
    if (hasGeneration(object)) object.metadata.generation = 1;
    applyDefaults(object);
    // A client-side apply is an Update: its manager owns everything set at creation, defaults included.
    const ownedBy = manager === 'argocd-controller' ? applied : object;
    const managedFields: ManagedFieldsEntry[] = [{ manager, operation: manager === 'argocd-controller' ? 'Apply' : 'Update', apiVersion: applied.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: ownedFieldsOf(ownedBy) }];
    const objectStatus = statusFor(object);
    if (objectStatus) {
      object.status = objectStatus;
      managedFields.push({ manager: 'kube-controller-manager', operation: 'Update', apiVersion: applied.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': ownedFieldsOf(objectStatus) }, subresource: 'status' });
    }
    object.metadata.managedFields = managedFields;
    this.objects.set(this.keyOf(resource, object.metadata.namespace as string | undefined, object.metadata.name as string), object);
    return structuredClone(object);
  }

  /** Changes a stored object live, recorded in managedFields as `manager` would be (kubectl-edit, kube-controller-manager, …). */
  mutate(ref: { apiVersion: string; kind: string; namespace?: string; name: string }, change: (object: KubeObject) => void, manager = 'kubectl-edit'): KubeObject {
    const resource = this.resourceOf(ref.apiVersion, ref.kind);
    const key = resource && this.keyOf(resource, ref.namespace, ref.name);
    const before = key ? this.objects.get(key) : undefined;
    if (!key || !before) throw new Error(`test API server: no ${ref.kind} ${ref.namespace ?? ''}/${ref.name}`);
    const after = structuredClone(before);
    change(after);
    const ownFields = (object: KubeObject) => ({ ...without(object, ['status']), metadata: without(object.metadata, ['managedFields']) });
    const changed = changedFields(ownFields(before), ownFields(after)) ?? {};
    this.recordOwnership(after, changed, manager, 'Update');
    if (hasGeneration(after) && JSON.stringify(before.spec) !== JSON.stringify(after.spec)) after.metadata.generation = Number(before.metadata.generation ?? 1) + 1;
    after.metadata.resourceVersion = this.nextResourceVersion();
    this.objects.set(key, after);
    return structuredClone(after);
  }

  /** Removes an object, as `kubectl delete` would. */
  remove(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): void {
    const resource = this.resourceOf(ref.apiVersion, ref.kind);
    if (resource) this.objects.delete(this.keyOf(resource, ref.namespace, ref.name));
  }

  private recordOwnership(object: KubeObject, fields: Json, manager: string, operation: 'Update' | 'Apply'): void {
    const entries = ((object.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [])
      .map((entry) => (entry.manager === manager && entry.operation === operation) || entry.subresource ? entry : { ...entry, fieldsV1: subtractFields(entry.fieldsV1, fields) })
      .filter((entry) => Object.keys(entry.fieldsV1).length > 0);
    const existing = entries.find((entry) => entry.manager === manager && entry.operation === operation && !entry.subresource);
    const time = this.timestamp();
    if (existing) {
      existing.fieldsV1 = mergeApplied(existing.fieldsV1, fields) as Json;
      existing.time = time;
    } else entries.push({ manager, operation, apiVersion: object.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields });
    object.metadata.managedFields = entries;
  }

  private timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private resourceOf(apiVersion: string, kind: string): ResourceType | undefined {
    return this.resources.find((resource) => groupVersionOf(resource) === apiVersion && resource.kind === kind);
  }

  private keyOf(resource: ResourceType, namespace: string | undefined, name: string): string {
    return `${groupVersionOf(resource)}/${resource.plural}/${resource.namespaced ? namespace ?? 'default' : ''}/${name}`;
  }

  private handle(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', this.url);
      const authorization = request.headers.authorization;
      this.requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, authenticated: authorization !== undefined });
      const reply = (code: number, body: unknown) => {
        const send = () => {
          if (response.destroyed) return;
          response.writeHead(code, { 'content-type': 'application/json' });
          response.end(JSON.stringify(body));
        };
        if (this.responseDelayMs > 0) setTimeout(send, this.responseDelayMs).unref();
        else send();
      };
      const policy = authorization?.startsWith('Bearer ') ? this.tokens.get(authorization.slice('Bearer '.length)) : undefined;
      if (!policy) return reply(401, status(401, 'Unauthorized', 'Unauthorized'));
      try {
        const [code, body] = this.route(request.method ?? 'GET', url, policy, Buffer.concat(chunks).toString('utf8'), request.headers['content-type'] ?? '');
        reply(code, body);
      } catch (error) {
        reply(500, status(500, 'InternalError', `test API server: ${(error as Error).message}`));
      }
    });
  }

  private route(method: string, url: URL, policy: TokenPolicy, body: string, contentType: string): [number, unknown] {
    const parts = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/version') return [200, { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: 'test', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.4', compiler: 'gc', platform: 'linux/amd64' }];
    if (url.pathname === '/api') return [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.url.slice('https://'.length) }] }];
    if (url.pathname === '/apis') return [200, this.groupList()];
    let group = '';
    let rest: string[];
    if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
    else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1];
      rest = parts.slice(3);
    } else return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
    const version = parts[0] === 'api' ? 'v1' : parts[2];
    const served = this.resources.filter((resource) => resource.group === group && resource.version === version);
    if (served.length === 0) return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
    if (rest.length === 0) return [200, this.resourceList(served, group ? `${group}/${version}` : version)];
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const resource = served.find((candidate) => candidate.plural === rest[0]);
    if (!resource || rest.length > 2) return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
    const name = rest[1];
    const verb = method === 'PATCH' ? 'patch' : name === undefined ? 'list' : 'get';
    const denial = policy.forbidden?.find((rule) => rule.resource === resource.plural && (rule.verb === undefined || rule.verb === verb) && (rule.namespace === undefined || rule.namespace === namespace) && (!rule.clusterWide || namespace === undefined));
    if (denial) {
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return [403, status(403, 'Forbidden', `${qualifiedName(resource)}${name ? ` "${name}"` : ''} is forbidden: User "${policy.user}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${scope}`, { ...(name ? { name } : {}), group: resource.group, kind: resource.plural })];
    }
    if (method === 'PATCH' && name) return this.dryRunApply(resource, namespace, name, url.searchParams, body, contentType);
    if (method !== 'GET') return [405, status(405, 'MethodNotAllowed', `the test API server only reads (and answers server-side apply in dry-run); ${method} is not supported`)];
    if (name === undefined) return this.list(resource, namespace, url.searchParams);
    const object = this.objects.get(this.keyOf(resource, namespace, name));
    if (!object) return [404, status(404, 'NotFound', `${qualifiedName(resource)} "${name}" not found`, { name, group: resource.group, kind: resource.plural })];
    return [200, object];
  }

  private groupList(): Json {
    const groups = [...new Set(this.resources.filter((resource) => resource.group).map((resource) => resource.group))].map((group) => {
      const versions = [...new Set(this.resources.filter((resource) => resource.group === group).map((resource) => resource.version))].map((version) => ({ groupVersion: `${group}/${version}`, version }));
      return { name: group, versions, preferredVersion: versions[0] };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  private resourceList(served: ResourceType[], groupVersion: string): Json {
    const resources = served.flatMap((resource) => {
      const entry = { name: resource.plural, singularName: resource.kind.toLowerCase(), namespaced: resource.namespaced, kind: resource.kind, verbs: VERBS, ...(SHORT_NAMES[resource.plural] ? { shortNames: SHORT_NAMES[resource.plural] } : {}), storageVersionHash: resource.plural.slice(0, 11) };
      const status = statusFor({ apiVersion: groupVersion, kind: resource.kind, metadata: {} });
      return status ? [entry, { name: `${resource.plural}/status`, singularName: '', namespaced: resource.namespaced, kind: resource.kind, verbs: ['get', 'patch', 'update'] }] : [entry];
    });
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
  }

  /** A LIST, paged as the real server pages when asked (`limit`, then the opaque `continue` token). */
  private list(resource: ResourceType, namespace: string | undefined, query: URLSearchParams): [number, unknown] {
    const prefix = `${groupVersionOf(resource)}/${resource.plural}/${namespace !== undefined ? `${namespace}/` : ''}`;
    const labelSelector = query.get('labelSelector') ?? '';
    const matching = [...this.objects.entries()]
      .filter(([key, object]) => key.startsWith(prefix) && matchesLabelSelector((object.metadata.labels as Json | undefined) ?? {}, labelSelector))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let offset = 0;
    const token = query.get('continue');
    if (token) {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start?: number };
      if (typeof decoded.start !== 'number') return [400, status(400, 'BadRequest', 'continue key is not valid')];
      offset = decoded.start;
    }
    const limit = Number(query.get('limit') ?? 0);
    const page = limit > 0 ? matching.slice(offset, offset + limit) : matching.slice(offset);
    const next = offset + page.length;
    const metadata: Json = { resourceVersion: String(this.resourceVersion) };
    if (limit > 0 && next < matching.length) {
      metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: this.resourceVersion, start: next })).toString('base64');
      metadata.remainingItemCount = matching.length - next;
    }
    // A real LIST leaves kind and apiVersion off each item: they are the list's.
    const items = page.map(([, object]) => without(object, ['apiVersion', 'kind']));
    return [200, { kind: `${resource.kind}List`, apiVersion: groupVersionOf(resource), metadata, items }];
  }

  private dryRunApply(resource: ResourceType, namespace: string | undefined, name: string, query: URLSearchParams, body: string, contentType: string): [number, unknown] {
    if (!contentType.startsWith('application/apply-patch+yaml')) return [415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml`)];
    const fieldManager = query.get('fieldManager') ?? '';
    if (!fieldManager) return [422, status(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch')];
    if (query.get('dryRun') !== 'All') return [405, status(405, 'MethodNotAllowed', 'the test API server answers server-side apply only with dryRun=All: nothing here changes a cluster')];
    if (this.applyRefusal?.kind === 'forbidden') return [403, status(403, 'Forbidden', `${qualifiedName(resource)} "${name}" is forbidden: User cannot patch resource "${resource.plural}" in API group "${resource.group}" in the namespace "${namespace}"`)];
    if (this.applyRefusal?.kind === 'webhook') {
      const refusal = this.applyRefusal;
      return [refusal.code, status(refusal.code, refusal.code === 500 ? 'InternalError' : 'BadRequest', `admission webhook "${refusal.webhook}" denied the request: ${refusal.message}`)];
    }
    const documents = parseAllDocuments(body);
    const applied = documents[0]?.toJS() as KubeObject | undefined;
    if (!applied || typeof applied !== 'object' || documents.some((document) => document.errors.length > 0)) return [400, status(400, 'BadRequest', 'error decoding YAML: the apply configuration is not a YAML object')];
    const existing = this.objects.get(this.keyOf(resource, namespace, name));
    const appliedFields = ownedFieldsOf(applied);
    if (existing && query.get('force') !== 'true') {
      const conflicts = fieldLeaves(appliedFields).flatMap((leaf) => {
        const owner = (existing.metadata.managedFields as ManagedFieldsEntry[]).find((entry) => entry.manager !== fieldManager && !entry.subresource && hasField(entry.fieldsV1, leaf));
        const differs = JSON.stringify(valueAtField(existing, leaf)) !== JSON.stringify(valueAtField(applied, leaf));
        return owner && differs ? [{ type: 'FieldManagerConflict', message: `conflict with "${owner.manager}" using ${owner.apiVersion}`, field: `.${leaf.map((key) => key.replace(/^f:/, '')).join('.')}` }] : [];
      });
      if (conflicts.length > 0) {
        const message = `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.map((conflict) => `${conflict.message}: ${conflict.field}`).join('; ')}`;
        return [409, status(409, 'Conflict', message, { causes: conflicts.map(({ type, message: text, field }) => ({ reason: type, message: text, field })) })];
      }
    }
    const predicted = (existing ? mergeApplied(existing, applied) : { ...applied, metadata: { ...applied.metadata, namespace: resource.namespaced ? namespace : undefined, uid: randomUUID(), creationTimestamp: this.timestamp(), ...(hasGeneration(applied) ? { generation: 1 } : {}) } }) as KubeObject;
    if (!resource.namespaced) delete predicted.metadata.namespace;
    applyDefaults(predicted);
    if (existing && hasGeneration(predicted) && JSON.stringify(existing.spec) !== JSON.stringify(predicted.spec)) predicted.metadata.generation = Number(existing.metadata.generation ?? 1) + 1;
    this.recordOwnership(predicted, appliedFields, fieldManager, 'Apply');
    // A dry run reports the object as it would be, with the resource version it would replace.
    return [existing ? 200 : 201, predicted];
  }
}
