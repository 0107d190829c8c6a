/**
 * The title Create GitOps PR proposes for the picked files, e.g. "Update web deployment
 * (overlays/prod)" for overlays/prod/web-deployment.yaml. Pure, no vscode import.
 */

export interface TitledFile {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  /** `git status --porcelain` letters. */
  index: string;
  workTree: string;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `web-deployment.yaml` → `web deployment`. */
function wordsOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  return name.replace(/[-_.]+/g, ' ').trim() || name;
}

function verbFor(files: readonly TitledFile[]): string {
  const letters = (file: TitledFile): string => `${file.index}${file.workTree}`;
  if (files.every((file) => /[?A]/.test(letters(file)))) return 'Add';
  if (files.every((file) => letters(file).includes('D'))) return 'Remove';
  return 'Update';
}

/** The longest folder that holds every path ('' when they share none). */
function commonFolder(paths: readonly string[]): string {
  const split = paths.map((path) => folderOf(path).split('/').filter(Boolean));
  const common: string[] = [];
  for (let index = 0; split.every((parts) => index < parts.length && parts[index] === split[0][index]); index++) {
    common.push(split[0][index]);
  }
  return common.join('/');
}

export function proposeTitle(files: readonly TitledFile[]): string {
  if (files.length === 0) return 'Update infrastructure';
  const verb = verbFor(files);
  if (files.length === 1) {
    const folder = folderOf(files[0].path);
    return `${verb} ${wordsOf(files[0].path)}${folder ? ` (${folder})` : ''}`;
  }
  const folder = commonFolder(files.map((file) => file.path));
  if (folder) return `${verb} ${files.length} files (${folder})`;
  const folders = [...new Set(files.map((file) => folderOf(file.path) || '.'))];
  const named = folders.slice(0, 2).join(', ') + (folders.length > 2 ? ', …' : '');
  return `${verb} ${files.length} files in ${named}`;
}
