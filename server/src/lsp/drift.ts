/**
 * The `gitopsIac/drift` request: the workspace's declared state against the live
 * environments, for the Drift view. The files are the workspace's on disk with the editor's
 * unsaved texts on top; the work is driftService's, shared with the CLI. Progress goes through
 * the work-done token the client passes in the params, and cancelling the request aborts the cluster reads.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriftRequest, type DriftParams } from '../protocol';
import type { Settings } from '../settings';
import { computeDrift, readFilesByUri, workspaceSources } from '../node/driftService';
import { findFiles } from '../node/walk';

export interface DriftRequestContext {
  workspaceTrusted(): boolean;
  /** Absolute paths of the workspace folders. */
  workspaceFolders(): string[];
  /** The settings, once the client's have been read. */
  settings(): Promise<Settings>;
  /** The editor's open documents by URI: unsaved edits count as what git will declare. */
  openTexts(): Iterable<[string, string]>;
  log(message: string): void;
}

/** A path from a setting: `~/` is the home folder, a relative path is the workspace folder's. */
function resolvePath(given: string, folder: string): string {
  return given === '~' || given.startsWith('~/') ? path.join(os.homedir(), given.slice(1)) : path.resolve(folder, given);
}

function workspaceFiles(context: DriftRequestContext): Map<string, string> {
  const folders = context.workspaceFolders();
  const walk = findFiles(folders, folders[0] ?? process.cwd());
  for (const warning of walk.warnings) context.log(`Drift: ${warning}`);
  const files = readFilesByUri(walk.files.map((file) => file.absolutePath));
  for (const [uri, text] of context.openTexts()) if (files.has(uri)) files.set(uri, text);
  return files;
}

export function registerDriftRequest(connection: Connection, context: DriftRequestContext): void {
  connection.onRequest(DriftRequest.type, async (params: DriftParams, token: CancellationToken) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const drift = (await context.settings()).drift;
    const trusted = context.workspaceTrusted();
    const folder = context.workspaceFolders()[0] ?? process.cwd();
    const snapshot = params.kubernetes?.snapshot ?? drift.snapshot;
    const namespace = params.kubernetes?.namespace ?? drift.namespace;
    const contextName = params.kubernetes?.context ?? drift.context;
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    workDone.begin('Drift', 0, 'Reading the workspace', true);
    try {
      const files = workspaceFiles(context);
      const sources = workspaceSources(files, {
        trusted,
        root: folder,
        ansibleInventory: drift.ansible.inventory,
        kubernetes: {
          includeUnmanaged: params.includeUnmanaged ?? drift.includeUnmanaged,
          ...(snapshot ? { snapshot: resolvePath(snapshot, folder) } : { ...(drift.kubeconfig ? { kubeconfig: resolvePath(drift.kubeconfig, folder) } : {}), ...(contextName ? { context: contextName } : {}) }),
          ...(namespace ? { namespace } : {}),
        },
      });
      const report = await computeDrift(sources, {
        signal: abort.signal,
        onProgress: (message, done, total) => workDone.report(total > 0 ? Math.round((done / total) * 100) : 0, message),
      });
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Drift was cancelled.');
      return report;
    } finally {
      cancelled.dispose();
      workDone.done();
    }
  });
}
