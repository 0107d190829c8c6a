/**
 * The lists the client shows before a PR: changed IaC files (Create GitOps PR) and recent
 * commits that changed IaC files, with their PR titles when known (Roll Back…).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChangedRepository, RollbackCandidate } from '../../protocol';
import { IAC_FILE, pullRequestOf } from '../../gitops/pr/history';
import { GitRepository } from './repository';

/** Changed IaC files under each folder, grouped by repository; folders outside any repository are skipped. */
export async function changedFiles(folders: readonly string[]): Promise<ChangedRepository[]> {
  const repositories = new Map<string, ChangedRepository>();
  for (const folder of folders) {
    const repository = await GitRepository.open(folder).catch(() => undefined);
    if (!repository) continue;
    const root = pathToFileURL(repository.root).href;
    const prefix = path.relative(repository.root, folder).split(path.sep).join('/');
    const entry = repositories.get(root) ?? { root, branch: await repository.currentBranch().catch(() => undefined), files: [] };
    repositories.set(root, entry);
    for (const change of await repository.status()) {
      if (!IAC_FILE.test(change.path) || (prefix && !change.path.startsWith(`${prefix}/`))) continue;
      if (entry.files.some((file) => file.path === change.path)) continue;
      entry.files.push({ uri: pathToFileURL(path.join(repository.root, change.path)).href, path: change.path, index: change.index, workTree: change.workTree });
    }
  }
  return [...repositories.values()];
}

/** How many commits are read to find `limit` that changed IaC files. */
const SCAN_FACTOR = 5;

export async function rollbackCandidates(folder: string, limit = 30): Promise<RollbackCandidate[]> {
  const repository = await GitRepository.open(folder);
  const candidates: RollbackCandidate[] = [];
  for (const entry of await repository.log(Math.min(limit * SCAN_FACTOR, 500))) {
    const files = entry.files.filter((file) => IAC_FILE.test(file));
    if (files.length === 0) continue;
    const pullRequest = pullRequestOf(entry.message);
    candidates.push({ sha: entry.sha, subject: entry.message.split('\n')[0], author: entry.author, date: entry.date, merge: entry.parents.length > 1, files, ...(pullRequest ? { pullRequest } : {}) });
    if (candidates.length >= limit) break;
  }
  return candidates;
}
