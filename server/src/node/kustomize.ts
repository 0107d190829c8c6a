/**
 * Kustomize with Node's I/O: files from disk (under the editor's unsaved texts), and
 * `kubectl kustomize` as the renderer of record when it is installed and the workspace is
 * trusted (its output borrows the embedded build's source mapping, see kustomize/mapping.ts);
 * the embedded build alone is the fallback.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withSourceMapping } from '../kustomize/mapping';
import { renderKustomization, type KustomizeReader, type RenderResult } from '../kustomize/render';
import { parseSection } from '../yaml/parse';

import type { KustomizeRenderer } from '../settings';

const KUBECTL_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export const diskReader: KustomizeReader = {
  readFile(uri) {
    try {
      return readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
  },
  isFolder(uri) {
    try {
      return statSync(fileURLToPath(uri)).isDirectory();
    } catch {
      return false;
    }
  },
};

export type KubectlOutcome = { ok: true; objects: Record<string, unknown>[] } | { ok: false; message: string; missing?: boolean };

/** Runs `kubectl kustomize FOLDER` (argument array, no shell, a timeout) and parses its YAML. */
export function kubectlKustomize(folderPath: string, kubectl = 'kubectl'): Promise<KubectlOutcome> {
  return new Promise((resolve) => {
    execFile(kubectl, ['kustomize', folderPath], { timeout: KUBECTL_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const message = missing ? 'kubectl is not installed' : error.killed ? `kubectl kustomize took longer than ${KUBECTL_TIMEOUT_MS / 1000} s` : (stderr.trim().split('\n').pop() ?? error.message);
        resolve({ ok: false, message, missing });
        return;
      }
      const parsed = parseSection(stdout);
      const objects = parsed.documents.map((document) => document.value).filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value));
      resolve({ ok: true, objects });
    });
  });
}

export interface NodeRenderOptions {
  renderer: KustomizeRenderer;
  /** External programs run only in a trusted workspace. */
  trusted: boolean;
  reader?: KustomizeReader;
  kubectl?: string;
}

export interface NodeRenderResult extends RenderResult {
  renderedBy: 'kubectl' | 'embedded' | 'none';
  /** Why kubectl was not used although asked for (not installed, failed). */
  kubectlProblem?: string;
}

/** The public entry point for drift, plan and Helm: the folder's objects, by the best renderer allowed. */
export async function renderKustomizationFolder(folderUri: string, options: NodeRenderOptions): Promise<NodeRenderResult> {
  const embedded = renderKustomization(folderUri, options.reader ?? diskReader);
  if (options.renderer === 'off') return { ...embedded, objects: [], renderedBy: 'none' };
  const useKubectl = options.trusted && (options.renderer === 'auto' || options.renderer === 'kubectl');
  if (!useKubectl) return { ...embedded, renderedBy: 'embedded' };
  const outcome = await kubectlKustomize(fileURLToPath(folderUri), options.kubectl);
  if (!outcome.ok) return { ...embedded, renderedBy: 'embedded', kubectlProblem: outcome.message };
  return { ...embedded, objects: withSourceMapping(outcome.objects, embedded), notRendered: undefined, renderedBy: 'kubectl' };
}
