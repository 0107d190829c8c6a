/**
 * GitHub (and GitHub Enterprise, through `apiUrl`) with @octokit/rest: the repository for
 * the token check and default branch, then `POST /repos/{owner}/{repo}/pulls`. GitHub
 * answers 422 "A pull request already exists for owner:branch"; that PR is looked up
 * (`GET /repos/{owner}/{repo}/pulls?head=owner:branch&state=open`) and returned.
 */
import { NOTHING_CHANGED, PrError } from '../../gitops/pr/failure';
import { API_TIMEOUT_MS, httpFailure, networkFailure, type ForgeClient, type ForgeOptions, type NewPullRequest, type OpenedPullRequest } from './forge';

interface OctokitError {
  status?: number;
  response?: { data?: { message?: string; errors?: { message?: string }[] } };
}

/** GitHub's words from an error response: its `message` and the messages in `errors`. */
function detailOf(error: OctokitError): string {
  const data = error.response?.data;
  return [data?.message, ...(data?.errors ?? []).map((each) => each.message)].filter(Boolean).join('; ');
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export async function githubForge(options: ForgeOptions): Promise<ForgeClient> {
  // @octokit/rest is ESM-only; this CommonJS code loads it dynamically (esbuild bundles it).
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({ auth: options.token, baseUrl: options.apiUrl.replace(/\/+$/, ''), log: silent, userAgent: 'gitops-iac' });
  const [owner, repo] = options.projectPath.split('/');
  // A fresh time limit per call: a long push may run between two of them.
  const limited = (): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(API_TIMEOUT_MS) });

  const failure = (error: unknown): PrError => {
    const { status, response } = error as OctokitError;
    // Octokit reports a request that got no answer as status 500 without a response.
    if (typeof status === 'number' && response) return httpFailure('GitHub', status, detailOf(error as OctokitError), 'GITHUB_TOKEN', options.projectPath);
    return networkFailure('GitHub', options.apiUrl, error);
  };

  const findOpen = async (head: string): Promise<OpenedPullRequest | undefined> => {
    const { data } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, state: 'open', request: limited() });
    return data[0] ? { url: data[0].html_url, number: data[0].number, existing: true } : undefined;
  };

  return {
    provider: 'github',
    async preflight() {
      try {
        const { data } = await octokit.rest.repos.get({ owner, repo, request: limited() });
        return { defaultBranch: data.default_branch };
      } catch (error) {
        throw failure(error);
      }
    },
    async create(pr: NewPullRequest) {
      try {
        const { data } = await octokit.rest.pulls.create({ owner, repo, title: pr.title, body: pr.body, head: pr.head, base: pr.base, draft: pr.draft, request: limited() });
        return { url: data.html_url, number: data.number, existing: false };
      } catch (error) {
        const detail = detailOf(error as OctokitError);
        if ((error as OctokitError).status === 422 && /already exists/i.test(detail)) {
          const existing = await findOpen(pr.head).catch((lookupError: unknown) => {
            throw failure(lookupError);
          });
          if (existing) return existing;
          throw new PrError('forge-error', `GitHub says a pull request for ${pr.head} exists, but none is open. ${NOTHING_CHANGED}`, 'Reopen it on GitHub, or choose another branch name.');
        }
        throw failure(error);
      }
    },
  };
}
