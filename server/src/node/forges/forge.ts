/**
 * What the PR flow needs from a forge: check the token and the project before anything is
 * pushed (and learn the default branch), then open the PR, or find the open one for the
 * branch when the forge says it exists.
 */
import type { PrProvider } from '../../protocol';
import { NOTHING_CHANGED, PrError, withoutCredentials } from '../../gitops/pr/failure';

export interface NewPullRequest {
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
}

export interface OpenedPullRequest {
  url: string;
  number: number;
  existing: boolean;
}

export interface ForgeClient {
  readonly provider: Exclude<PrProvider, 'compare'>;
  /** Checks the token and that the project exists; returns its default branch. */
  preflight(): Promise<{ defaultBranch?: string }>;
  create(pr: NewPullRequest): Promise<OpenedPullRequest>;
}

export interface ForgeOptions {
  apiUrl: string;
  token: string;
  /** `owner/repo`, or GitLab's `group/subgroup/project`. */
  projectPath: string;
}

/** How long one API call may take before it counts as a network failure. */
export const API_TIMEOUT_MS = 30_000;

/** An HTTP status from a forge, in words, with the next step. */
export function httpFailure(forge: string, status: number, detail: string, tokenVariable: string, projectPath: string): PrError {
  const said = detail ? ` (${withoutCredentials(detail)})` : '';
  if (status === 401) {
    return new PrError('auth-failed', `${forge} refused the token${said}. ${NOTHING_CHANGED}`, `Sign in again, or set ${tokenVariable} to a valid token with access to ${projectPath}.`);
  }
  if (status === 403 || status === 404) {
    return new PrError('auth-failed', `${forge} did not let this token see or change ${projectPath}${said}. ${NOTHING_CHANGED}`, `Check the project name (--repo) and that the token has ${forge === 'GitHub' ? 'the repo scope' : 'the api scope'} and access to it.`);
  }
  return new PrError('forge-error', `${forge} answered ${status}${said}. ${NOTHING_CHANGED}`, 'Try again later; if it persists, open the PR on the website.');
}

export function networkFailure(forge: string, apiUrl: string, error: unknown): PrError {
  // fetch wraps the socket's error (ECONNREFUSED, ENOTFOUND, …) in causes, Octokit once more.
  let detail = error instanceof Error ? error.message : String(error);
  for (let cause: unknown = error; cause && typeof cause === 'object'; cause = (cause as { cause?: unknown }).cause) {
    const { code, name } = cause as { code?: unknown; name?: unknown };
    if (typeof code === 'string') detail = code;
    else if (name === 'TimeoutError') detail = `no answer within ${API_TIMEOUT_MS / 1000} s`;
  }
  return new PrError('network', `Could not reach ${forge} at ${withoutCredentials(apiUrl)}: ${withoutCredentials(detail)}. ${NOTHING_CHANGED}`, 'Check the network connection and the API URL (--api-url), then try again.');
}
