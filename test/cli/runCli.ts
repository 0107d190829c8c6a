/** The `gitops-iac` command line as the CLI tests run it: the bundled server/out/cli.js, as a process. */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '..', '..', 'server', 'out', 'cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with `args` in `cwd` and resolves with its exit code and output, whatever the
 * exit code. `env` is added to this process's environment, less GITOPS_IAC_DEBUG unless `env`
 * sets it (its stack traces would change the output under test).
 */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('GITOPS_IAC_DEBUG' in env)) delete childEnv.GITOPS_IAC_DEBUG;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: childEnv, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
