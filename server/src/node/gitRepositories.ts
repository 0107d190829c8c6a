/**
 * The disk side of GitOps app checks: which git work tree holds a file and its remotes'
 * URLs, read from the repository's config file (no `git` process, so it works in an
 * untrusted workspace too), and what a folder holds.
 */
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FolderContents, Repositories } from '../gitops/workspace';

/** The `url` of every `[remote "..."]` section of a git config file. */
export function remoteUrlsOf(config: string): string[] {
  const urls: string[] = [];
  let inRemote = false;
  for (const line of config.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]/.exec(line);
    if (section) inRemote = /^remote\s+"/.test(section[1]);
    const url = inRemote ? /^\s*url\s*=\s*(.+?)\s*$/.exec(line) : null;
    if (url) urls.push(url[1].replace(/^"(.*)"$/, '$1'));
  }
  return urls;
}

/** The config file of the repository whose `.git` is at `dotGit` (a folder, or a worktree's `gitdir:` file). */
function configFileOf(dotGit: string): string | undefined {
  try {
    if (statSync(dotGit).isDirectory()) return path.join(dotGit, 'config');
    const gitdir = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
    if (!gitdir) return undefined;
    const resolved = path.resolve(path.dirname(dotGit), gitdir);
    // A linked worktree keeps its remotes in the main repository (commondir).
    let common = resolved;
    try {
      common = path.resolve(resolved, readFileSync(path.join(resolved, 'commondir'), 'utf8').trim());
    } catch {
      // Not a linked worktree: a submodule's own git folder.
    }
    return path.join(common, 'config');
  } catch {
    return undefined;
  }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

function holdsManifests(folder: string, recursive: boolean, depth = 0): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return false;
  }
  if (entries.some((entry) => entry.isFile() && (MANIFEST.test(entry.name) || entry.name === 'Kustomization'))) return true;
  if (!recursive || depth > 20) return false;
  return entries.some((entry) => entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name) && holdsManifests(path.join(folder, entry.name), true, depth + 1));
}

export function diskRepositories(): Repositories {
  const roots = new Map<string, { rootUri: string; configFile?: string } | undefined>();
  const rootOf = (folder: string): { rootUri: string; configFile?: string } | undefined => {
    if (roots.has(folder)) return roots.get(folder);
    const dotGit = path.join(folder, '.git');
    let found: { rootUri: string; configFile?: string } | undefined;
    try {
      statSync(dotGit);
      found = { rootUri: pathToFileURL(folder).href.replace(/\/$/, ''), configFile: configFileOf(dotGit) };
    } catch {
      const parent = path.dirname(folder);
      found = parent === folder ? undefined : rootOf(parent);
    }
    roots.set(folder, found);
    return found;
  };
  return {
    repositoryOf(fileUri) {
      let file: string;
      try {
        file = fileURLToPath(fileUri);
      } catch {
        return undefined;
      }
      const root = rootOf(path.dirname(file));
      if (!root) return undefined;
      let remoteUrls: string[] = [];
      try {
        // Read each time: remotes change (git remote add), and the file is small.
        remoteUrls = root.configFile ? remoteUrlsOf(readFileSync(root.configFile, 'utf8')) : [];
      } catch {
        // No config: a repository without remotes.
      }
      return { rootUri: root.rootUri, remoteUrls };
    },
    folderContents(folderUri, recursive): FolderContents {
      const folder = fileURLToPath(folderUri);
      if (!isFolder(folder)) return 'missing';
      return holdsManifests(folder, recursive) ? 'manifests' : 'empty';
    },
  };
}
