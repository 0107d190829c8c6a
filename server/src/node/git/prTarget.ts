/**
 * What the create and revert flows share: which forge and project the remote names, the
 * token check before anything is pushed, the base branch, a free branch name, and the
 * last steps (push, open the PR, undo the push when the PR cannot be opened).
 */
import type { PrCreated, PrProvider, PrTarget, PrValidation } from '../../protocol';
import { buildPrBody, PR_BODY_LIMITS, type FileChangeSummary } from '../../gitops/pr/body';
import { branchNameProblem, firstFreeBranch } from '../../gitops/pr/branchName';
import { NOTHING_CHANGED, PrError } from '../../gitops/pr/failure';
import { compareUrl, defaultApiUrl, hostKindOf, parseProjectPath, parseRemoteUrl, providerForHost, type HostKind } from '../../gitops/pr/remote';
import type { ForgeClient } from '../forges/forge';
import { githubForge } from '../forges/github';
import { gitlabForge } from '../forges/gitlab';
import type { GitRepository } from './repository';

export interface ResolvedTarget {
  remote: string;
  provider: PrProvider;
  hostKind: HostKind;
  /** The project's web page, when known: the base of compare URLs. */
  webUrl?: string;
  /** Absent for the compare provider and on dry runs. */
  forge?: ForgeClient;
  defaultBranch?: string;
}

const TOKEN_VARIABLE: Record<'github' | 'gitlab', string> = { github: 'GITHUB_TOKEN', gitlab: 'GITLAB_TOKEN' };

export async function resolveTarget(repository: GitRepository, target: PrTarget): Promise<ResolvedTarget> {
  const remote = target.remote ?? 'origin';
  const location = parseRemoteUrl(await repository.remoteUrl(remote));
  const provider: PrProvider = target.provider ?? (location ? providerForHost(location.host) : 'compare');
  let projectPath = location?.projectPath;
  if (target.repo !== undefined) {
    const parsed = parseProjectPath(target.repo);
    if (!parsed.projectPath) throw new PrError('bad-request', `${parsed.problem}. ${NOTHING_CHANGED}`, 'Pass the project as OWNER/NAME (GitLab: GROUP/…/PROJECT).');
    projectPath = parsed.projectPath;
  }
  const hostKind: HostKind = provider === 'compare' ? (location ? hostKindOf(location.host) : 'other') : provider;
  const apiUrl = target.apiUrl ?? (provider !== 'compare' && location ? defaultApiUrl(provider, location.host) : undefined);
  const webOrigin = location ? `https://${location.host}` : apiUrl?.replace(/\/api\/v\d+\/?$/, '').replace(/\/+$/, '');
  const webUrl = webOrigin && projectPath ? `${webOrigin}/${projectPath}` : undefined;
  if (provider === 'compare' || target.dryRun) return { remote, provider, hostKind, webUrl };

  if (!projectPath) throw new PrError('bad-request', `The URL of remote ${remote} does not name a ${provider === 'github' ? 'GitHub repository' : 'GitLab project'}. ${NOTHING_CHANGED}`, 'Name it with --repo OWNER/NAME.');
  if (!apiUrl) throw new PrError('bad-request', `The URL of remote ${remote} does not name a host for the ${provider} API. ${NOTHING_CHANGED}`, 'Name it with --api-url.');
  if (!target.token) {
    throw new PrError('auth-failed', `No ${provider === 'github' ? 'GitHub' : 'GitLab'} token was given. ${NOTHING_CHANGED}`, `Sign in, or set ${TOKEN_VARIABLE[provider]} to a token with access to ${projectPath}; or use --provider compare to open the compare page instead.`);
  }
  const options = { apiUrl, token: target.token, projectPath };
  const forge = provider === 'github' ? await githubForge(options) : gitlabForge(options);
  const { defaultBranch } = await forge.preflight();
  return { remote, provider, hostKind, webUrl, forge, defaultBranch };
}

/** The branch to use: `wanted` exactly (an error when taken), else the first free name from `proposed`. */
export async function chooseBranch(repository: GitRepository, resolved: ResolvedTarget, wanted: string | undefined, proposed: string, dryRun: boolean): Promise<string> {
  const name = wanted ?? proposed;
  const problem = branchNameProblem(name);
  if (problem) throw new PrError('bad-request', `${problem}, which git does not allow in a branch name. ${NOTHING_CHANGED}`, 'Choose another branch name or template.');
  // A dry run asks no remote; the branches last fetched stand in for them.
  const taken = new Set([...(await repository.localBranches()), ...(dryRun ? await repository.fetchedBranches(resolved.remote) : await repository.remoteBranches(resolved.remote))]);
  if (wanted === undefined) return firstFreeBranch(name, taken);
  if (taken.has(name)) {
    throw new PrError('branch-exists', `Branch ${name} already exists${(await repository.localBranches()).has(name) ? ' here' : ` on ${resolved.remote}`}. ${NOTHING_CHANGED}`, 'Choose another branch name, or leave it out to get a free one.');
  }
  return name;
}

export async function chooseBase(repository: GitRepository, resolved: ResolvedTarget, current: string, wanted: string | undefined): Promise<string> {
  return wanted ?? (await repository.upstreamOn(current, resolved.remote)) ?? resolved.defaultBranch ?? (await repository.remoteHead(resolved.remote)) ?? 'main';
}

export interface Proposal {
  title: string;
  branch: string;
  base: string;
  commit: string;
  files: FileChangeSummary[];
  validation: PrValidation;
  draft: boolean;
  reverts?: { sha: string; title: string };
  masked: Iterable<string>;
}

/** The body, then (unless a dry run) the branch, the push and the PR; a failure after the push removes the branch again. */
export async function proposeChange(repository: GitRepository, resolved: ResolvedTarget, target: PrTarget, proposal: Proposal, branchExists: boolean): Promise<PrCreated> {
  const body = buildPrBody({ files: proposal.files, validation: proposal.validation, draft: proposal.draft, plan: target.plan, drift: target.drift, reverts: proposal.reverts, maxLength: PR_BODY_LIMITS[resolved.provider], masked: proposal.masked });
  const compare = resolved.webUrl ? compareUrl(resolved.webUrl, resolved.hostKind, proposal.base, proposal.branch) : undefined;
  const result = { ok: true as const, branch: proposal.branch, base: proposal.base, provider: resolved.provider, validation: proposal.validation };
  if (target.dryRun) return { ...result, url: compare ?? '', body, dryRun: true };

  if (!branchExists) await repository.createBranch(proposal.branch, proposal.commit);
  try {
    await repository.push(resolved.remote, proposal.branch);
  } catch (error) {
    await repository.deleteBranch(proposal.branch);
    throw error;
  }
  if (!resolved.forge) return { ...result, url: compare ?? '', commit: proposal.commit };
  try {
    const opened = await resolved.forge.create({ title: proposal.title, body, head: proposal.branch, base: proposal.base, draft: proposal.draft });
    return { ...result, url: opened.url, number: opened.number, ...(opened.existing ? { existing: true } : {}), commit: proposal.commit };
  } catch (error) {
    const removed = await repository.deleteRemoteBranch(resolved.remote, proposal.branch);
    await repository.deleteBranch(proposal.branch);
    if (removed || !(error instanceof PrError)) throw error;
    throw new PrError(error.reason, `${error.message.replace(NOTHING_CHANGED, '').trim()} Branch ${proposal.branch} was pushed but could not be deleted from ${resolved.remote} again; your files are as they were.`, `${error.nextStep} Delete the branch with git push ${resolved.remote} --delete ${proposal.branch}.`);
  }
}
