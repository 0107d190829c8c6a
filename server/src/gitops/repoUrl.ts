/**
 * Git remote URLs compared for "is this the same repository": the https, ssh and scp-like
 * forms of one repository (`https://host/org/repo.git`, `ssh://git@host/org/repo`,
 * `git@host:org/repo.git`) normalise to the same `host/org/repo`, lower-cased.
 */
export function normalizeRepoUrl(url: string): string {
  let text = url.trim();
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(text);
  if (scpLike && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `${scpLike[1]}/${scpLike[2]}`;
  else text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]+@/, '');
  // A port belongs to the transport (ssh on 22, https on 443), not to the repository.
  text = text.replace(/^([^/:]+):\d+\//, '$1/');
  return text.replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

export function sameRepository(a: string, b: string): boolean {
  return normalizeRepoUrl(a) === normalizeRepoUrl(b);
}
