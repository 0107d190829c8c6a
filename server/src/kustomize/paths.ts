/**
 * URIs of the files a kustomization names: resolving its relative paths, telling remote
 * references (not checked, not rendered) from local ones, and short names for messages.
 */

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

const KUSTOMIZATION_URI = /\/(kustomization\.ya?ml|Kustomization)$/;

export function isKustomizationUri(uri: string): boolean {
  return KUSTOMIZATION_URI.test(uri);
}

export function folderOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

const encodeSegment = (segment: string): string => (/^[\w.~!$&'()*+,;=:@-]*$/.test(segment) ? segment : encodeURIComponent(segment));

/** `folder` joined with a relative path; `..` and `.` are resolved (never above the root). */
export function resolvePath(folderUri: string, relative: string): string {
  const parts = relative.startsWith('/') ? ['file:', '', ''] : folderUri.split('/');
  for (const segment of relative.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') parts.push(encodeSegment(segment));
    else if (parts.length > 3) parts.pop();
  }
  return parts.join('/');
}

/**
 * Remote bases and resources (`github.com/org/repo/path?ref=v1`, `https://…`, `git@…`):
 * kustomize fetches them; we neither check nor render them.
 */
export function isRemotePath(path: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('git@') || path.startsWith('git::')) return true;
  if (path.includes('?ref=') || path.includes('?version=')) return true;
  // A host name as the first segment: `github.com/…`, `gitlab.example.org/…`.
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+\/./i.test(path) && !path.startsWith('.');
}

/** The last two segments of a folder: enough to tell overlays apart ("overlays/prod"). */
export function shortFolderName(folderUri: string): string {
  return decodeURIComponent(folderUri.split('/').slice(-2).join('/'));
}
