/**
 * What changed on this branch: the files that differ between the merge base with the base
 * branch and the work tree (commits of this branch, uncommitted and untracked changes alike),
 * read with git through simple-git. Removed files are listed too, so their objects can be
 * planned as deletions from the text they had at the merge base. With a `head` commit (the
 * revert Roll Back… would propose) the files that differ between the merge base and that
 * commit instead, and a temporary worktree of it for the tools to run in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleGit, type SimpleGit } from 'simple-git';
import { PlanError } from '../plan/model';
import type { BranchChanges, ChangedFile } from '../plan/service';

/** The changes, with the repository root as an absolute path for the shells that read the work tree. */
export interface NodeBranchChanges extends BranchChanges {
  root: string;
}

export function git(folder: string): SimpleGit {
  // Not `.env(process.env)`: simple-git refuses some inherited variables (GIT_SSL_CAINFO) when they are passed explicitly.
  return simpleGit({ baseDir: folder, config: ['core.quotePath=false'] });
}

async function resolveBase(repository: SimpleGit, base: string): Promise<string | undefined> {
  for (const candidate of [base, `origin/${base}`]) {
    try {
      // `--quiet` fails with an empty output, which simple-git does not count as an error.
      if ((await repository.raw(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`])).trim()) return candidate;
    } catch {
      // Not this one; try the remote-tracking branch next.
    }
  }
  return undefined;
}

/** `git diff --name-status -z` output: status, then path, each NUL-terminated. */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const letter = fields[i].charAt(0);
    const path = fields[i + 1];
    if (!letter || !path) continue;
    files.push({ path, status: letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified' });
  }
  return files;
}

async function resolveHead(repository: SimpleGit, head: string): Promise<string> {
  const unknown = new PlanError(`"${head}" is not a commit of this repository, so there is nothing to plan.`);
  // A leading dash would be read as an option.
  if (head.startsWith('-')) throw unknown;
  try {
    const sha = (await repository.raw(['rev-parse', '--verify', '--quiet', `${head}^{commit}`])).trim();
    if (sha) return sha;
  } catch {
    // Said below, in words.
  }
  throw unknown;
}

/** The changes since the merge base with `base`: up to the work tree, or up to the commit `head` when given. */
export async function changedFilesSinceBase(folder: string, base: string, head?: string): Promise<NodeBranchChanges> {
  const repository = git(folder);
  let root: string;
  try {
    root = (await repository.revparse(['--show-toplevel'])).trim();
  } catch {
    throw new PlanError(`${folder} is not in a git repository: the plan compares this branch with its base branch, so it needs one.`);
  }
  const baseRef = await resolveBase(repository, base);
  if (!baseRef) throw new PlanError(`There is no branch "${base}" (nor "origin/${base}") to compare with. Name the base branch (--base, or the base in Preview Plan).`);
  const headCommit = head === undefined ? undefined : await resolveHead(repository, head);
  let mergeBase: string;
  try {
    mergeBase = (await repository.raw(['merge-base', baseRef, headCommit ?? 'HEAD'])).trim();
  } catch {
    throw new PlanError(`${headCommit ? `Commit ${headCommit.slice(0, 12)}` : 'This branch'} shares no history with "${baseRef}" (or has no commit yet), so there is nothing to compare with.`);
  }
  const rooted = git(root);
  // Renames are split into a deletion and an addition: objects are planned by identity, not by file.
  const tracked = parseNameStatus(await rooted.raw(['diff', '--name-status', '-z', '--no-renames', mergeBase, ...(headCommit ? [headCommit] : []), '--']));
  // A commit has no untracked files; the work tree's are changes of this branch.
  const untracked = headCommit
    ? []
    : (await rooted.raw(['ls-files', '--others', '--exclude-standard', '-z']))
        .split('\0')
        .filter((path) => path !== '')
        .map((path): ChangedFile => ({ path, status: 'added' }));
  const files = [...tracked, ...untracked].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    root,
    rootUri: pathToFileURL(root).href,
    baseRef,
    mergeBase,
    ...(headCommit ? { head: headCommit } : {}),
    files,
    async readAtMergeBase(path: string): Promise<string | undefined> {
      try {
        return await rooted.show([`${mergeBase}:${path}`]);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Runs `use` in a temporary detached worktree of `commit` (the tools read files from disk, and
 * the user's work tree must stay as it is), then removes the worktree whatever happens.
 */
export async function inTemporaryWorktree<T>(root: string, commit: string, use: (worktree: string) => Promise<T>): Promise<T> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-plan-head-'));
  const worktree = path.join(scratch, 'worktree');
  const repository = git(root);
  try {
    await repository.raw(['worktree', 'add', '--quiet', '--detach', worktree, commit]);
    return await use(worktree);
  } finally {
    await repository.raw(['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    await repository.raw(['worktree', 'prune']).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}
