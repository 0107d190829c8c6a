/**
 * GitLab merge requests through the REST API v4 with fetch: `GET /projects/:id` for the
 * token check and default branch, then `POST /projects/:id/merge_requests` (`:id` is the
 * URL-encoded project path; the token goes in `PRIVATE-TOKEN`). A 409 "Another open merge
 * request already exists for this source branch" is answered with that merge request.
 * Drafts are titled "Draft: …", GitLab's documented way to make one.
 */
import { NOTHING_CHANGED, PrError } from '../../gitops/pr/failure';
import { API_TIMEOUT_MS, httpFailure, networkFailure, type ForgeClient, type ForgeOptions, type NewPullRequest } from './forge';

interface MergeRequest {
  iid: number;
  web_url: string;
}

/** GitLab's words from an error body: `message` (a string, a list or a map of lists) or `error`. */
function detailOf(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const { message, error } = body as { message?: unknown; error?: unknown };
  const flatten = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(flatten) : value && typeof value === 'object' ? Object.entries(value).flatMap(([key, each]) => flatten(each).map((text) => `${key} ${text}`)) : []);
  return [...flatten(message), ...flatten(error)].join('; ');
}

export function gitlabForge(options: ForgeOptions): ForgeClient {
  const project = `${options.apiUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(options.projectPath)}`;

  const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'PRIVATE-TOKEN': options.token, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      });
    } catch (error) {
      throw networkFailure('GitLab', options.apiUrl, error);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  };

  const failure = (status: number, json: unknown): PrError => httpFailure('GitLab', status, detailOf(json), 'GITLAB_TOKEN', options.projectPath);

  return {
    provider: 'gitlab',
    async preflight() {
      const { status, json } = await call('GET', project);
      if (status !== 200) throw failure(status, json);
      return { defaultBranch: (json as { default_branch?: string }).default_branch };
    },
    async create(pr: NewPullRequest) {
      const title = pr.draft && !/^draft:/i.test(pr.title) ? `Draft: ${pr.title}` : pr.title;
      const created = await call('POST', `${project}/merge_requests`, { source_branch: pr.head, target_branch: pr.base, title, description: pr.body });
      if (created.status === 201) {
        const mr = created.json as MergeRequest;
        return { url: mr.web_url, number: mr.iid, existing: false };
      }
      if (created.status === 409) {
        const query = new URLSearchParams({ source_branch: pr.head, target_branch: pr.base, state: 'opened' });
        const found = await call('GET', `${project}/merge_requests?${query.toString()}`);
        const first = Array.isArray(found.json) ? (found.json[0] as MergeRequest | undefined) : undefined;
        if (found.status === 200 && first) return { url: first.web_url, number: first.iid, existing: true };
        throw new PrError('forge-error', `GitLab says a merge request for ${pr.head} exists, but it could not be found. ${NOTHING_CHANGED}`, 'Look for it on GitLab, or choose another branch name.');
      }
      throw failure(created.status, created.json);
    },
  };
}
