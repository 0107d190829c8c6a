/**
 * Puts the pre-push hook of prePushHook.ts into a repository: into the folder git really
 * runs hooks from (`core.hooksPath` respected), never replacing someone else's hook without
 * asking; an existing hook is kept and chained. No vscode import, so tests run it as is.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { HOOK_MARKER, chainedHookOf, prePushHookScript } from './prePushHook';

const run = promisify(execFile);

/** Where an existing foreign hook is moved so that ours can call it. */
const CHAINED_HOOK_NAME = 'pre-push.before-gitops-iac';

export type HookInstallResult =
  | { installed: true; hookPath: string; chainedHook?: string; replacedOurs: boolean }
  | { installed: false; reason: 'declined'; hookPath: string };

export interface InstallOptions {
  protectedBranches: readonly string[];
  /** Asked when another pre-push hook exists: true keeps it and runs it first, false leaves everything as it is. */
  confirmChain(existingHook: string): Promise<boolean>;
}

/** The folder git runs this repository's hooks from: `core.hooksPath` when set, else `.git/hooks`. */
export async function hooksFolder(repositoryFolder: string): Promise<string> {
  const { stdout } = await run('git', ['rev-parse', '--git-path', 'hooks'], { cwd: repositoryFolder });
  return path.resolve(repositoryFolder, stdout.trim());
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function installPrePushHook(repositoryFolder: string, options: InstallOptions): Promise<HookInstallResult> {
  const folder = await hooksFolder(repositoryFolder);
  const hookPath = path.join(folder, 'pre-push');
  const existing = await readIfExists(hookPath);
  let chainedHook: string | undefined;
  const replacedOurs = existing?.includes(HOOK_MARKER) ?? false;
  if (existing !== undefined && replacedOurs) {
    chainedHook = chainedHookOf(existing);
  } else if (existing !== undefined) {
    if (!(await options.confirmChain(hookPath))) return { installed: false, reason: 'declined', hookPath };
    chainedHook = path.join(folder, CHAINED_HOOK_NAME);
    if ((await readIfExists(chainedHook)) !== undefined) {
      throw new Error(`${chainedHook} already exists; move it or merge it into ${hookPath} by hand, then run Protect Branches again.`);
    }
  }
  // Made before anything moves: a bad branch name throws here, with every hook untouched.
  const script = prePushHookScript({ protectedBranches: options.protectedBranches, chainedHook });
  if (existing !== undefined && !replacedOurs && chainedHook) await fs.rename(hookPath, chainedHook);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(hookPath, script, { mode: 0o755 });
  await fs.chmod(hookPath, 0o755);
  return { installed: true, hookPath, chainedHook, replacedOurs };
}
