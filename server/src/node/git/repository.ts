/**
 * One git repository, as the PR flow uses it. The commit for a PR is built with a temporary
 * index (read-tree HEAD, add only the picked paths, write-tree, commit-tree), so the user's
 * work tree, index, stashes and current branch are never touched until the PR exists; a
 * revert runs in a temporary worktree for the same reason. Every step that changes anything
 * has its undo beside it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { NOTHING_CHANGED, PrError } from '../../gitops/pr/failure';
import type { ChangeStatus, FileChangeSummary } from '../../gitops/pr/body';
import { gitErrorText, gitIn } from './gitCommand';
import { localFailure, remoteFailure } from './gitFailures';

export interface StatusEntry {
  /** Relative to the root, `/`-separated. */
  path: string;
  index: string;
  workTree: string;
}

export interface LogEntry {
  sha: string;
  parents: string[];
  author: string;
  date: string;
  message: string;
  files: string[];
}

const NO_COMMIT = '0000000000000000000000000000000000000000';
const IN_PROGRESS = ['MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'rebase-merge', 'rebase-apply', 'BISECT_LOG'];

export class GitRepository {
  private readonly git: SimpleGit;

  private constructor(readonly root: string) {
    this.git = gitIn(root);
  }

  /** The repository holding `folder`; a PrError when there is none. */
  static async open(folder: string): Promise<GitRepository> {
    let root = '';
    try {
      root = existsSync(folder) ? (await gitIn(folder).raw(['rev-parse', '--show-toplevel'])).trim() : '';
    } catch {
      // Not inside a work tree: said below.
    }
    if (!root) throw new PrError('not-a-repository', `${folder} is not inside a git repository.`, 'Open the folder of a git clone (git clone URL), then try again.');
    return new GitRepository(root);
  }

  private async run(args: string[], operation = args[0]): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (error) {
      throw localFailure(operation, gitErrorText(error));
    }
  }

  /** The current branch; a PrError on a detached HEAD or before the first commit. */
  async currentBranch(): Promise<string> {
    const branch = (await this.run(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim();
    if (!branch) {
      throw new PrError('detached-head', `HEAD is detached (not on a branch), so there is no branch to return to. ${NOTHING_CHANGED}`, 'Switch to a branch first (git switch main, or git switch -c my-branch to keep this commit), then try again.');
    }
    if (!(await this.resolve('HEAD'))) {
      throw new PrError('no-changes', `Branch ${branch} has no commit yet, so there is nothing to branch from. ${NOTHING_CHANGED}`, 'Make a first commit on this branch, then try again.');
    }
    return branch;
  }

  /** A merge, rebase, cherry-pick, revert or bisect in progress would mix with ours. */
  async ensureNoOperationInProgress(): Promise<void> {
    const files = (await this.run(['rev-parse', ...IN_PROGRESS.flatMap((name) => ['--git-path', name])])).trim().split('\n');
    for (const [i, name] of IN_PROGRESS.entries()) {
      if (existsSync(path.resolve(this.root, files[i]))) {
        throw new PrError('dirty-conflict', `A ${name.replace(/_HEAD$|-merge$|-apply$|_LOG$/, '').toLowerCase().replace('_', '-')} is in progress in this repository. ${NOTHING_CHANGED}`, 'Finish it (git status says how) or abort it, then try again.');
      }
    }
  }

  async resolve(revision: string): Promise<string | undefined> {
    const sha = (await this.run(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])).trim();
    return sha || undefined;
  }

  async status(): Promise<StatusEntry[]> {
    const output = await this.run(['-c', 'core.quotePath=false', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']);
    const entries: StatusEntry[] = [];
    for (const record of output.split('\0')) {
      if (record.length < 4) continue;
      entries.push({ index: record[0], workTree: record[1], path: record.slice(3) });
    }
    return entries;
  }

  async remoteUrl(remote: string): Promise<string> {
    const remotes = (await this.run(['remote'])).split('\n').map((name) => name.trim());
    if (!remotes.includes(remote)) {
      throw new PrError('bad-request', `This repository has no remote named "${remote}". ${NOTHING_CHANGED}`, `Add it (git remote add ${remote} URL) or name another remote.`);
    }
    return (await this.run(['remote', 'get-url', remote])).trim();
  }

  /** The branch `branch` tracks on `remote`, without the remote's name. */
  async upstreamOn(branch: string, remote: string): Promise<string | undefined> {
    const upstream = (await this.run(['for-each-ref', '--format=%(upstream:short)', `refs/heads/${branch}`])).trim();
    return upstream.startsWith(`${remote}/`) ? upstream.slice(remote.length + 1) : undefined;
  }

  /** The remote's default branch as last fetched (`refs/remotes/origin/HEAD`). */
  async remoteHead(remote: string): Promise<string | undefined> {
    const head = (await this.run(['for-each-ref', '--format=%(symref:short)', `refs/remotes/${remote}/HEAD`])).trim();
    return head.startsWith(`${remote}/`) ? head.slice(remote.length + 1) : undefined;
  }

  async localBranches(): Promise<Set<string>> {
    return new Set((await this.run(['for-each-ref', '--format=%(refname:short)', 'refs/heads'])).split('\n').filter(Boolean));
  }

  /** The remote's branches as last fetched (`refs/remotes/<remote>/*`), without asking it. */
  async fetchedBranches(remote: string): Promise<Set<string>> {
    const names = (await this.run(['for-each-ref', '--format=%(refname:short)', `refs/remotes/${remote}`])).split('\n').filter(Boolean);
    return new Set(names.map((name) => name.slice(remote.length + 1)).filter((name) => name !== 'HEAD' && name !== ''));
  }

  /** The remote's branches, asked over the network: also the first check that it answers. */
  async remoteBranches(remote: string): Promise<Set<string>> {
    let output: string;
    try {
      output = await this.git.raw(['ls-remote', '--heads', remote]);
    } catch (error) {
      throw remoteFailure('ls-remote', remote, gitErrorText(error));
    }
    const names = output.split('\n').map((line) => /\trefs\/heads\/(.+)$/.exec(line)?.[1]).filter((name): name is string => name !== undefined);
    return new Set(names);
  }

  /**
   * A commit on top of HEAD holding HEAD's tree plus the picked paths as they are on disk
   * (deletions included), made in a temporary index: nothing the user sees changes.
   */
  async commitPaths(paths: readonly string[], message: string): Promise<{ commit: string; files: FileChangeSummary[] }> {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-index-'));
    try {
      const indexGit = gitIn(this.root, { GIT_INDEX_FILE: path.join(scratch, 'index') });
      const inIndex = async (args: string[]): Promise<string> => {
        try {
          return await indexGit.raw(args);
        } catch (error) {
          throw localFailure(args[0], gitErrorText(error));
        }
      };
      await inIndex(['read-tree', 'HEAD']);
      await inIndex(['add', '--all', '--', ...paths]);
      const tree = (await inIndex(['write-tree'])).trim();
      const headTree = (await this.run(['rev-parse', 'HEAD^{tree}'])).trim();
      if (tree === headTree) {
        throw new PrError('no-changes', `The picked files hold no change against HEAD. ${NOTHING_CHANGED}`, 'Pick files that you changed (git status lists them).');
      }
      const commit = (await this.run(['commit-tree', tree, '-p', 'HEAD', '-m', message])).trim();
      return { commit, files: await this.changesBetween('HEAD', commit) };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** Per file: how it changed from `from` to `to`, with line counts. */
  async changesBetween(from: string, to: string): Promise<FileChangeSummary[]> {
    const statuses = new Map<string, ChangeStatus>();
    const nameStatus = (await this.run(['diff', '--name-status', '-z', '--no-renames', from, to])).split('\0');
    const byLetter: Record<string, ChangeStatus> = { A: 'added', D: 'deleted', M: 'modified', T: 'modified' };
    for (let i = 0; i + 1 < nameStatus.length; i += 2) statuses.set(nameStatus[i + 1], byLetter[nameStatus[i]] ?? 'modified');
    const files: FileChangeSummary[] = [];
    for (const record of (await this.run(['diff', '--numstat', '-z', '--no-renames', from, to])).split('\0')) {
      const match = /^(-|\d+)\t(-|\d+)\t(.+)$/s.exec(record);
      if (!match) continue;
      const binary = match[1] === '-';
      files.push({ path: match[3], status: statuses.get(match[3]) ?? 'modified', added: binary ? 0 : Number(match[1]), removed: binary ? 0 : Number(match[2]), ...(binary ? { binary } : {}) });
    }
    return files;
  }

  /** Creates `refs/heads/<branch>` at `commit`; fails rather than move a branch that exists. */
  async createBranch(branch: string, commit: string): Promise<void> {
    await this.run(['update-ref', `refs/heads/${branch}`, commit, NO_COMMIT], 'branch');
  }

  async deleteBranch(branch: string): Promise<void> {
    await this.run(['branch', '--delete', '--force', '--', branch]);
  }

  async push(remote: string, branch: string): Promise<void> {
    try {
      await this.git.raw(['push', '--porcelain', '--set-upstream', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
    } catch (error) {
      throw remoteFailure('push', remote, gitErrorText(error));
    }
  }

  /** Undoes a push of a branch we created; best effort, since it runs after another failure. */
  async deleteRemoteBranch(remote: string, branch: string): Promise<boolean> {
    try {
      await this.git.raw(['push', '--porcelain', remote, '--delete', `refs/heads/${branch}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** The text of `file` at `revision`; undefined when it is not there. */
  async textAt(revision: string, file: string): Promise<string | undefined> {
    const exists = (await this.run(['ls-tree', '--name-only', revision, '--', file])).trim();
    return exists ? this.run(['show', `${revision}:${file}`]) : undefined;
  }

  /**
   * `git revert --no-edit [-m 1] <sha>` on a new branch from HEAD, in a temporary worktree so
   * the user's files are never touched; on a conflict the branch and the worktree are removed.
   */
  async revertOnNewBranch(sha: string, branch: string, merge: boolean): Promise<string> {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-revert-'));
    const worktree = path.join(scratch, 'worktree');
    let created = false;
    try {
      await this.run(['worktree', 'add', '--quiet', '-b', branch, worktree, 'HEAD'], 'worktree');
      created = true;
      try {
        await gitIn(worktree).raw(['revert', '--no-edit', ...(merge ? ['-m', '1'] : []), sha]);
      } catch (error) {
        const text = gitErrorText(error);
        if (/conflict|could not revert/i.test(text)) {
          throw new PrError('revert-conflict', `Reverting ${sha.slice(0, 12)} conflicts with later changes to the same lines. ${NOTHING_CHANGED}`, `Revert it by hand: git revert ${merge ? '-m 1 ' : ''}${sha.slice(0, 12)}, resolve the conflicts, then open a PR.`);
        }
        throw localFailure('revert', text);
      }
      return (await gitIn(worktree).raw(['rev-parse', 'HEAD'])).trim();
    } catch (error) {
      if (created) {
        await this.removeWorktree(worktree);
        await this.deleteBranch(branch).catch(() => undefined);
      }
      throw error;
    } finally {
      if (created) await this.removeWorktree(worktree).catch(() => undefined);
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  private async removeWorktree(worktree: string): Promise<void> {
    if (existsSync(worktree)) await this.git.raw(['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    await this.git.raw(['worktree', 'prune']).catch(() => undefined);
  }

  async parentsOf(sha: string): Promise<string[]> {
    return (await this.run(['rev-list', '--parents', '-n', '1', sha])).trim().split(' ').slice(1);
  }

  async messageOf(sha: string): Promise<string> {
    return this.run(['log', '-1', '--format=%B', sha]);
  }

  /** First-parent history with the files each commit changed (merges: against their first parent). */
  async log(count: number): Promise<LogEntry[]> {
    const output = await this.run(['-c', 'core.quotePath=false', 'log', '--first-parent', `-n${count}`, '--diff-merges=first-parent', '--name-only', '--format=%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%B%x1f']);
    const entries: LogEntry[] = [];
    for (const record of output.split('\x1e').slice(1)) {
      const [sha, parents, author, date, message, files = ''] = record.split('\x1f');
      entries.push({ sha, parents: parents.split(' ').filter(Boolean), author, date, message: message.trim(), files: files.split('\n').map((line) => line.trim()).filter(Boolean) });
    }
    return entries;
  }
}
