/**
 * The Kubernetes plan against a cluster from kubeconfig: for each changed object, a
 * server-side apply in dry-run (`dryRun=All`, field manager `gitops-iac`, forced, as a GitOps
 * tool would apply it) and a GET of the live object; the difference between the two is the
 * change, exact. When the API server refuses the dry-run (RBAC, an admission webhook without
 * dry-run support), git's object is compared with the live one instead, labelled approximate.
 * Nothing here ever writes: every PATCH carries `dryRun=All`, and deletions are only read.
 */
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { planEnvironment } from '../plan/model';
import { compareWithLive, kubernetesResource, type ManifestObject } from '../plan/kubernetes';
import { isKustomizationPath } from '../plan/kustomizations';
import type { PlanEnvironment, PlanResource } from '../plan/types';
import { CLUSTER_SCOPED_KINDS } from '../kustomize/resources';

export interface KubernetesPlanInput {
  /** Objects the changed manifests declare. */
  objects: readonly ManifestObject[];
  /** Objects this branch removed from git, with the file they were in (repository-relative). */
  removed: readonly { object: ManifestObject; path: string }[];
  /** What could not be planned (a kustomization the embedded build cannot render), in words. */
  notes?: readonly string[];
}

export interface KubernetesPlanOptions {
  /** A kubeconfig context; the current one when absent. */
  context?: string;
  /** A kubeconfig file; KUBECONFIG or ~/.kube/config when absent. */
  kubeconfig?: string;
  trusted: boolean;
}

const FIELD_MANAGER = 'gitops-iac';

/** The status code and the API server's message of a failed call; undefined for a failure without an HTTP answer. */
function apiFailure(error: unknown): { code: number; message: string } | undefined {
  const failure = error as { code?: unknown; body?: unknown; message?: string };
  if (typeof failure.code !== 'number') return undefined;
  let message = '';
  const body = typeof failure.body === 'string' ? safeParse(failure.body) : failure.body;
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') message = (body as { message: string }).message;
  return { code: failure.code, message: message || `HTTP ${failure.code}` };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function header(object: ManifestObject, namespace: string): KubernetesObject & { metadata: { name: string; namespace?: string } } {
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.name, ...(namespace ? { namespace } : {}) } };
}

async function readLive(api: KubernetesObjectApi, object: ManifestObject, namespace: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await api.read(header(object, namespace))) as unknown as Record<string, unknown>;
  } catch (error) {
    if (apiFailure(error)?.code === 404) return undefined;
    throw error;
  }
}

function describeRefusal(code: number, message: string): string {
  const who = code === 403 ? 'The API server refused the dry-run (403 Forbidden)' : `The API server refused the dry-run (${code})`;
  return `${who}: ${message}. Shown from git's object against the live one instead, so defaults and webhooks' changes are not predicted.`;
}

async function planObject(api: KubernetesObjectApi, object: ManifestObject, defaultNamespace: string, patchStrategy: string): Promise<PlanResource> {
  const namespace = CLUSTER_SCOPED_KINDS.has(object.kind) ? '' : (object.namespace ?? defaultNamespace);
  const compareOptions = { defaultNamespace };
  const live = await readLive(api, object, namespace);
  const applied = { ...object.value, metadata: { ...(object.value.metadata as Record<string, unknown>), ...(namespace ? { namespace } : {}) } } as KubernetesObject;
  try {
    const predicted = (await api.patch(applied, undefined, 'All', FIELD_MANAGER, true, patchStrategy as never)) as unknown as Record<string, unknown>;
    return kubernetesResource(object, namespace, compareWithLive(object, predicted, live, compareOptions), 'exact');
  } catch (error) {
    const failure = apiFailure(error);
    if (!failure || failure.code === 401) throw error;
    return kubernetesResource(object, namespace, compareWithLive(object, object.value, live, compareOptions), 'approximate', describeRefusal(failure.code, failure.message));
  }
}

async function planRemoval(api: KubernetesObjectApi, object: ManifestObject, path: string, defaultNamespace: string): Promise<PlanResource | undefined> {
  const namespace = CLUSTER_SCOPED_KINDS.has(object.kind) ? '' : (object.namespace ?? defaultNamespace);
  const live = await readLive(api, object, namespace);
  if (!live) return undefined;
  const gone = isKustomizationPath(path) ? `No longer in what ${path} renders` : `Removed from ${path}`;
  const resource = kubernetesResource(object, namespace, { action: 'delete', changes: [] }, 'exact', `${gone} on this branch; a GitOps tool that prunes deletes it.`);
  // Its declaration exists only at the merge base, where no editor can open it.
  delete resource.declaredAt;
  return resource;
}

function unreachable(error: unknown, context: string): string {
  const failure = apiFailure(error);
  if (failure?.code === 401) return `The cluster of context "${context}" refused the credentials (401). Log in again (refresh the kubeconfig's token), then preview again.`;
  if (failure) return `The cluster of context "${context}" answered ${failure.code}: ${failure.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `The cluster of context "${context}" could not be reached: ${message}. Check the kubeconfig and the network, then preview again.`;
}

export async function planKubernetes(input: KubernetesPlanInput, options: KubernetesPlanOptions): Promise<PlanEnvironment> {
  const partly = input.notes && input.notes.length > 0 ? input.notes.join(' ') : undefined;
  if (input.objects.length === 0 && input.removed.length === 0) return planEnvironment('kubernetes', options.context ?? '(current context)', [], partly);
  if (!options.trusted) return planEnvironment('kubernetes', options.context ?? '(current context)', [], 'The workspace is not trusted, so no cluster was contacted. Trust the workspace to preview the plan.');
  // ESM-only package: loaded on first use (esbuild bundles it).
  const { KubeConfig, KubernetesObjectApi, PatchStrategy } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
    else config.loadFromDefault();
    if (options.context) {
      if (!config.getContextObject(options.context)) throw new Error(`the kubeconfig has no context "${options.context}"`);
      config.setCurrentContext(options.context);
    }
  } catch (error) {
    return planEnvironment('kubernetes', options.context ?? '(current context)', [], `The kubeconfig could not be used: ${(error as Error).message}.`);
  }
  const context = config.getCurrentContext();
  const defaultNamespace = config.getContextObject(context)?.namespace || 'default';
  const api = KubernetesObjectApi.makeApiClient(config);
  const resources: PlanResource[] = [];
  try {
    for (const object of input.objects) resources.push(await planObject(api, object, defaultNamespace, PatchStrategy.ServerSideApply));
    for (const { object, path } of input.removed) {
      const removal = await planRemoval(api, object, path, defaultNamespace);
      if (removal) resources.push(removal);
    }
  } catch (error) {
    return planEnvironment('kubernetes', context, [], unreachable(error, context));
  }
  return planEnvironment('kubernetes', context, resources, partly);
}
