/**
 * Create GitOps PR, the Node side: checks the repository (a branch, nothing in progress),
 * resolves the picked files, validates them (errors block unless it is a draft), checks the
 * token, commits only those files on a new branch from HEAD without touching the work tree,
 * pushes and opens the PR. The user never leaves their branch, and every uncommitted change,
 * the picked ones included, stays as it was; any failure leaves the repository as it was.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreatePrParams, PrResult } from '../../protocol';
import { branchFromTemplate, DEFAULT_BRANCH_TEMPLATE } from '../../gitops/pr/branchName';
import { NOTHING_CHANGED, PrError } from '../../gitops/pr/failure';
import { IAC_FILE } from '../../gitops/pr/history';
import { secretValuesOf } from '../../gitops/pr/mask';
import type { ValidateTexts } from './prValidation';
import { chooseBase, chooseBranch, proposeChange, resolveTarget } from './prTarget';
import { GitRepository, type StatusEntry } from './repository';

const toSlashes = (file: string): string => file.split(path.sep).join('/');

/**
 * The changed paths the user picked, relative to the root: a file by name, or the changed
 * IaC files under a folder. A named file with no change, or one outside the repository, is an error.
 */
export function pickPaths(root: string, baseFolder: string, picked: readonly string[], status: readonly StatusEntry[]): string[] {
  const chosen = new Set<string>();
  for (const entry of picked) {
    const absolute = entry.startsWith('file:') ? fileURLToPath(entry) : path.resolve(baseFolder, entry);
    const relative = toSlashes(path.relative(root, absolute));
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new PrError('bad-request', `${entry} is outside the repository at ${root}. ${NOTHING_CHANGED}`, 'Pick files inside the repository.');
    }
    const isFolder = existsSync(absolute) && statSync(absolute).isDirectory();
    if (isFolder) {
      const prefix = relative === '' ? '' : `${relative}/`;
      for (const change of status) if (change.path.startsWith(prefix) && IAC_FILE.test(change.path)) chosen.add(change.path);
      continue;
    }
    if (!status.some((change) => change.path === relative)) {
      throw new PrError('no-changes', `${relative} has no change against HEAD. ${NOTHING_CHANGED}`, 'Pick files that you changed (git status lists them).');
    }
    chosen.add(relative);
  }
  return [...chosen].sort();
}

const UNMERGED = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

export async function createPullRequest(params: CreatePrParams & { folder: string }, validate: ValidateTexts): Promise<PrResult> {
  try {
    const title = params.title.trim();
    if (!title) throw new PrError('bad-request', `A PR needs a title. ${NOTHING_CHANGED}`, 'Give a title.');
    const repository = await GitRepository.open(params.folder);
    const current = await repository.currentBranch();
    await repository.ensureNoOperationInProgress();
    const status = await repository.status();
    const paths = pickPaths(repository.root, params.folder, params.files, status);
    if (paths.length === 0) throw new PrError('no-changes', `None of the picked paths holds a changed IaC file. ${NOTHING_CHANGED}`, 'Change a file, or pick the files you changed (git status lists them).');
    const conflicted = paths.filter((file) => status.some((change) => change.path === file && UNMERGED.has(change.index + change.workTree)));
    if (conflicted.length > 0) {
      throw new PrError('dirty-conflict', `${conflicted.join(', ')} ${conflicted.length === 1 ? 'has' : 'have'} unresolved merge conflicts. ${NOTHING_CHANGED}`, 'Resolve the conflicts (or leave these files out), then try again.');
    }

    // The committed text is the file on disk: read once, for validation and for masking.
    const texts: { path: string; text: string }[] = [];
    const masked = new Set<string>(params.token ? [params.token] : []);
    for (const file of paths) {
      const absolute = path.join(repository.root, file);
      const text = existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
      if (text !== undefined) texts.push({ path: file, text });
      for (const value of [...secretValuesOf(text ?? ''), ...secretValuesOf((await repository.textAt('HEAD', file)) ?? '')]) masked.add(value);
    }
    const validation = await validate(repository.root, texts.filter((file) => IAC_FILE.test(file.path)));
    if (validation.errors > 0 && !params.draft) {
      throw new PrError('validation-failed', `Validation found ${validation.errors} error${validation.errors === 1 ? '' : 's'} in the picked files, so no PR was opened. ${NOTHING_CHANGED}`, 'Fix the errors, or open a draft PR that says validation failed.', validation);
    }

    const resolved = await resolveTarget(repository, params);
    const branch = await chooseBranch(repository, resolved, params.branch, branchFromTemplate(params.branchTemplate ?? DEFAULT_BRANCH_TEMPLATE, title), params.dryRun === true);
    const base = await chooseBase(repository, resolved, current, params.base);
    const { commit, files } = await repository.commitPaths(paths, title);
    return await proposeChange(repository, resolved, params, { title, branch, base, commit, files, validation, draft: params.draft === true, masked }, false);
  } catch (error) {
    if (error instanceof PrError) return error.toFailure();
    throw error;
  }
}
