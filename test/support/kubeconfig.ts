/**
 * Writes a kubeconfig file that points at the test API server (kubeApiServer.ts): a cluster
 * trusting the server's certificate through certificate-authority-data, a user with a bearer
 * token, and a context with an optional default namespace, in the format kubectl writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigContext {
  name: string;
  server: string;
  caPem: string;
  /** Bearer token; absent when `exec` is given. */
  token?: string;
  /** An exec credential plugin instead of a token (a program kubectl would run). */
  exec?: { command: string; args?: string[] };
  namespace?: string;
}

/** Writes `kubeconfig.yaml` in `folder` with one cluster, user and context per entry; the first is current. */
export function writeKubeconfig(folder: string, contexts: readonly KubeconfigContext[]): string {
  const file = path.join(folder, 'kubeconfig.yaml');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': contexts[0]?.name ?? '',
    clusters: contexts.map((context) => ({
      name: `${context.name}-cluster`,
      cluster: { server: context.server, 'certificate-authority-data': Buffer.from(context.caPem).toString('base64') },
    })),
    users: contexts.map((context) => ({
      name: `${context.name}-user`,
      user: context.exec
        ? { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: context.exec.command, args: context.exec.args ?? [], interactiveMode: 'Never' } }
        : { token: context.token },
    })),
    contexts: contexts.map((context) => ({
      name: context.name,
      context: { cluster: `${context.name}-cluster`, user: `${context.name}-user`, ...(context.namespace ? { namespace: context.namespace } : {}) },
    })),
  };
  fs.writeFileSync(file, stringify(config));
  return file;
}
