/**
 * Runs an external tool for drift and plan (terraform, ansible-playbook): execFile with an argument
 * array (never a shell), a timeout and a bounded output. Exiting non-zero is not a failure
 * here, since both tools report through their exit status and their output together; only
 * a tool that cannot start or does not finish is.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export type ToolRun =
  | { kind: 'exited'; code: number; stdout: string; stderr: string }
  /** The tool could not be started (not installed, not executable), timed out, wrote too much, or was cancelled. */
  | { kind: 'unavailable'; reason: string };

export interface ToolRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes?: number;
  /** Stops the tool (the user cancelled the refresh). */
  signal?: AbortSignal;
}

const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

export function runTool(executable: string, args: readonly string[], options: ToolRunOptions): Promise<ToolRun> {
  // What the tool was asked to do, for messages: `terraform plan`, `ansible-playbook --check`.
  const name = args[0] ? `${path.basename(executable)} ${args[0]}` : path.basename(executable);
  return new Promise((resolve) => {
    execFile(
      executable,
      [...args],
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES, windowsHide: true, signal: options.signal },
      (error, stdout, stderr) => {
        if (!error) return resolve({ kind: 'exited', code: 0, stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
        if (failure.name === 'AbortError') return resolve({ kind: 'unavailable', reason: `${name} was cancelled` });
        if (failure.code === 'ENOENT' || failure.code === 'EACCES') return resolve({ kind: 'unavailable', reason: `cannot run "${executable}" (${failure.code})` });
        if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ kind: 'unavailable', reason: `${name} wrote more output than ${Math.round((options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES) / 1048576)} MB` });
        if (failure.killed || failure.signal) return resolve({ kind: 'unavailable', reason: `${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s` });
        resolve({ kind: 'exited', code: typeof failure.code === 'number' ? failure.code : 1, stdout, stderr });
      },
    );
  });
}
