/**
 * Where a pull request goes, read from a git remote URL: the host, the project path
 * (`owner/repo`, or GitLab's `group/subgroup/project`), which forge that is, its REST API
 * root and the compare page for hosts whose API we do not speak.
 */
import type { PrProvider } from '../../protocol';

export interface RemoteLocation {
  /** Host name, lower-cased, without port or credentials. */
  host: string;
  /** `owner/repo`, or GitLab's `group/subgroup/project`; no `.git`. */
  projectPath: string;
}

export type HostKind = 'github' | 'gitlab' | 'bitbucket' | 'other';

/**
 * The host and project of `https://host/o/r.git`, `ssh://git@host:22/o/r`, `git@host:o/r.git`
 * (credentials in the URL are dropped, never kept); undefined for local paths and `file://`.
 */
export function parseRemoteUrl(url: string): RemoteLocation | undefined {
  const text = url.trim();
  let host: string;
  let pathPart: string;
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/:]+)(?::\d*)?\/(.+)$/i.exec(text);
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(text);
  if (withScheme) {
    if (withScheme[1].toLowerCase() === 'file') return undefined;
    [, , host, pathPart] = withScheme;
  } else if (scpLike && !/^[a-z]:[\\/]/i.test(text)) {
    [, host, pathPart] = scpLike;
  } else return undefined;
  const projectPath = pathPart.replace(/\/+$/, '').replace(/\.git$/, '').replace(/^\/+/, '');
  if (!projectPath.includes('/')) return undefined;
  return { host: host.toLowerCase(), projectPath };
}

export function hostKindOf(host: string): HostKind {
  if (host === 'github.com' || /(^|[.-])github([.-]|$)/.test(host)) return 'github';
  if (/(^|[.-])gitlab([.-]|$)/.test(host)) return 'gitlab';
  if (/(^|[.-])bitbucket([.-]|$)/.test(host)) return 'bitbucket';
  return 'other';
}

/** The API we speak for a host, or the compare page for any other. */
export function providerForHost(host: string): PrProvider {
  const kind = hostKindOf(host);
  return kind === 'github' || kind === 'gitlab' ? kind : 'compare';
}

/** The REST root: api.github.com, `/api/v3` on GitHub Enterprise, `/api/v4` on GitLab. */
export function defaultApiUrl(provider: 'github' | 'gitlab', host: string): string {
  if (provider === 'github') return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
  return `https://${host}/api/v4`;
}

/** A branch name as URL path segments: each part encoded, the slashes kept. */
const pathOf = (branch: string): string => branch.split('/').map(encodeURIComponent).join('/');

/** The page where a person opens the PR by hand, for a project at `webUrl` (`https://host/owner/repo`). */
export function compareUrl(webUrl: string, kind: HostKind, base: string, branch: string): string {
  const web = webUrl.replace(/\/+$/, '');
  if (kind === 'gitlab') {
    return `${web}/-/merge_requests/new?merge_request%5Bsource_branch%5D=${encodeURIComponent(branch)}&merge_request%5Btarget_branch%5D=${encodeURIComponent(base)}`;
  }
  if (kind === 'bitbucket') return `${web}/pull-requests/new?source=${encodeURIComponent(branch)}&dest=${encodeURIComponent(base)}`;
  // GitHub, and the many forges that copied its URL (Gitea, Forgejo, Gogs).
  return `${web}/compare/${pathOf(base)}...${pathOf(branch)}?expand=1`;
}

/** `OWNER/NAME` (GitLab: any depth of groups), or undefined with the reason. */
export function parseProjectPath(repo: string): { projectPath?: string; problem?: string } {
  const trimmed = repo.trim().replace(/\.git$/, '').replace(/^\/+|\/+$/g, '');
  const parts = trimmed.split('/');
  if (parts.length < 2 || parts.some((part) => !/^[A-Za-z0-9_.-]+$/.test(part))) {
    return { problem: `"${repo}" is not a project path such as OWNER/NAME` };
  }
  return { projectPath: trimmed };
}
