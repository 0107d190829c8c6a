/**
 * The repository as the plan renders its kustomizations at both ends: at a commit (the merge
 * base), read from git's objects, and on disk (the work tree, or the temporary worktree of a
 * `head` commit). Both answer under the repository's own root URI, so what a render points
 * at links to the user's files, whichever folder was read.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderKustomization, type KustomizeReader } from '../kustomize/render';
import { relativeToRoot } from '../plan/model';
import { isKustomizationPath, type KustomizeSnapshot } from '../plan/kustomizations';
import { git } from './changedFiles';
import { diskReader } from './kustomize';

const nulSeparated = (output: string): string[] => output.split('\0').filter((entry) => entry !== '');

/**
 * The kustomizations of `commit`. The renderer reads synchronously and git answers
 * asynchronously, so a render that asked for blobs not fetched yet is repeated once they
 * are: each round fetches at least one more, and the tree has finitely many.
 */
export async function commitSnapshot(root: string, rootUri: string, commit: string): Promise<KustomizeSnapshot> {
  const repository = git(root);
  const files = nulSeparated(await repository.raw(['ls-tree', '-r', '-z', '--name-only', commit]));
  const known = new Set(files);
  const folders = new Set(['.']);
  for (const file of files) for (let at = file.lastIndexOf('/'); at > 0; at = file.lastIndexOf('/', at - 1)) folders.add(file.slice(0, at));
  const trimmedRoot = rootUri.replace(/\/$/, '');
  const pathOf = (uri: string): string => (uri === trimmedRoot ? '.' : relativeToRoot(uri, rootUri));
  const blobs = new Map<string, string>();
  return {
    kustomizationPaths: files.filter(isKustomizationPath),
    async render(folderUri) {
      for (;;) {
        const wanted = new Set<string>();
        const reader: KustomizeReader = {
          readFile(uri) {
            const file = pathOf(uri);
            if (!known.has(file)) return undefined;
            const text = blobs.get(file);
            if (text === undefined) wanted.add(file);
            return text;
          },
          isFolder: (uri) => folders.has(pathOf(uri)),
        };
        const result = renderKustomization(folderUri, reader);
        if (wanted.size === 0) return result;
        for (const file of wanted) blobs.set(file, await repository.show([`${commit}:${file}`]));
      }
    },
  };
}

/** The kustomizations on disk under `root` (git's files and untracked ones not ignored), addressed under `rootUri`. */
export async function diskSnapshot(root: string, rootUri: string): Promise<KustomizeSnapshot> {
  const listed = nulSeparated(await git(root).raw(['ls-files', '-z', '--cached', '--others', '--exclude-standard']));
  // A tracked file deleted in the work tree is still listed.
  const kustomizationPaths = [...new Set(listed.filter(isKustomizationPath))].filter((file) => existsSync(path.join(root, file)));
  const from = `${rootUri.replace(/\/$/, '')}/`;
  const to = `${pathToFileURL(root).href.replace(/\/$/, '')}/`;
  const onDisk = (uri: string): string => (uri.startsWith(from) ? `${to}${uri.slice(from.length)}` : uri === from.slice(0, -1) ? to.slice(0, -1) : uri);
  const reader: KustomizeReader = { readFile: (uri) => diskReader.readFile(onDisk(uri)), isFolder: (uri) => diskReader.isFolder(onDisk(uri)) };
  return { kustomizationPaths, render: async (folderUri) => renderKustomization(folderUri, reader) };
}
