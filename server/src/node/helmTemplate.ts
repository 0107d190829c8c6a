/**
 * Runs `helm template` on a chart folder: execFile with an argument array (never a shell),
 * a timeout, and a bounded output. The caller decides whether running it is allowed
 * (the setting, and a trusted workspace).
 */
import { execFile } from 'node:child_process';

export type HelmTemplateResult =
  | { kind: 'rendered'; output: string }
  | { kind: 'failed'; stderr: string }
  /** helm could not be started (not installed, not on PATH, not executable), or timed out. */
  | { kind: 'unavailable'; reason: string };

const TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function runHelmTemplate(helmPath: string, chartFolder: string): Promise<HelmTemplateResult> {
  return new Promise((resolve) => {
    execFile(helmPath, ['template', chartFolder], { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ kind: 'rendered', output: stdout });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') return resolve({ kind: 'unavailable', reason: `cannot run "${helmPath}" (${code}); set gitopsIac.helm.path to the helm executable` });
      if (error.killed) return resolve({ kind: 'unavailable', reason: `helm template did not finish within ${TIMEOUT_MS / 1000} s` });
      resolve({ kind: 'failed', stderr: stderr || error.message });
    });
  });
}
