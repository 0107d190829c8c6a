/**
 * Roll Back…, the Node side: `git revert` of a commit on a new branch (in a temporary
 * worktree, so the user's files stay as they are), pushed, and a "Revert: <original title>"
 * PR. Validation findings go into the body but never block a rollback: the reverted state
 * is one the repository already had.
 */
import type { PrResult, RevertPrParams } from '../../protocol';
import { NOTHING_CHANGED, PrError } from '../../gitops/pr/failure';
import { IAC_FILE, revertTitle } from '../../gitops/pr/history';
import { secretValuesOf } from '../../gitops/pr/mask';
import type { ValidateTexts } from './prValidation';
import { chooseBase, chooseBranch, proposeChange, resolveTarget } from './prTarget';
import { GitRepository } from './repository';

export async function revertPullRequest(params: RevertPrParams & { folder: string }, validate: ValidateTexts): Promise<PrResult> {
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const repository = await GitRepository.open(params.folder);
    const current = await repository.currentBranch();
    const sha = /^[0-9a-f]{4,40}$/i.test(params.sha) ? await repository.resolve(params.sha) : undefined;
    if (!sha) throw new PrError('bad-request', `${params.sha} is not a commit of this repository. ${NOTHING_CHANGED}`, 'Pick a commit from the history (git log).');
    const merge = (await repository.parentsOf(sha)).length > 1;
    const title = revertTitle(await repository.messageOf(sha));

    const resolved = await resolveTarget(repository, params);
    const branch = await chooseBranch(repository, resolved, params.branch, `gitops/revert-${sha.slice(0, 7)}`, params.dryRun === true);
    const base = await chooseBase(repository, resolved, current, params.base);
    const commit = await repository.revertOnNewBranch(sha, branch, merge);
    // The branch stays only when the PR is opened (proposeChange removes it if the push fails).
    const removeBranch = (): Promise<void> => repository.deleteBranch(branch).catch(() => undefined);
    cleanup = removeBranch;

    const files = await repository.changesBetween('HEAD', commit);
    const masked = new Set<string>(params.token ? [params.token] : []);
    const texts: { path: string; text: string }[] = [];
    for (const file of files.filter((each) => IAC_FILE.test(each.path))) {
      const after = await repository.textAt(commit, file.path);
      if (after !== undefined) texts.push({ path: file.path, text: after });
      for (const value of [...secretValuesOf(after ?? ''), ...secretValuesOf((await repository.textAt('HEAD', file.path)) ?? '')]) masked.add(value);
    }
    const validation = await validate(repository.root, texts);
    const reverts = { sha, title: title.replace(/^Revert: /, '') };
    const created = await proposeChange(repository, resolved, params, { title, branch, base, commit, files, validation, draft: params.draft === true, reverts, masked }, true);
    if (!created.dryRun) cleanup = undefined;
    // A dry run removes the branch but names the commit, so its plan can be previewed (PlanParams.head).
    return created.dryRun ? { ...created, commit } : created;
  } catch (error) {
    if (error instanceof PrError) return error.toFailure();
    throw error;
  } finally {
    await cleanup?.();
  }
}
