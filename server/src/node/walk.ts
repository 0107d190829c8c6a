/**
 * Which YAML files to read: for `gitops-iac check PATH...` and the language server's workspace scan. A PATH that is a file is taken as is,
 * whatever its name. A folder is walked for `*.yaml`, `*.yml`, `*.tf` and `*.tfvars`, skipping `.git`,
 * `node_modules` and whatever the `.gitignore` files exclude, read the way git reads them:
 * every folder's `.gitignore` applies to the paths below it, a deeper file overrides a
 * shallower one, and nothing inside an excluded folder can be re-included. The
 * `.gitignore` files of the folders between the repository root and a PATH apply too, so
 * `check sub/` skips what `check .` skips.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface FoundFile {
  absolutePath: string;
  /** The path to print: as given on the command line, or joined onto the folder given. */
  displayPath: string;
}

export interface WalkResult {
  files: FoundFile[];
  /** PATHs that do not exist. */
  missing: string[];
  /** Folders that could not be read, as sentences for stderr; the walk goes on without them. */
  warnings: string[];
}

/** The rules of one `.gitignore`, for the paths below the folder it sits in. */
interface IgnoreLevel {
  folder: string;
  rules: Ignore;
}

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
/** Kubernetes YAML, Terraform configuration and variable files, and Helm charts' values schemas. */
const MANIFEST_NAME = /\.(ya?ml|tf|tfvars)$|^values\.schema\.json$/i;
// Git matches case-insensitively where the file system does (core.ignorecase).
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** Plain code-unit order, so the result does not depend on the locale. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

function readIgnoreLevel(folder: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { folder, rules: ignore({ ignorecase: IGNORE_CASE }).add(text) };
}

/**
 * Is `absolutePath` excluded? The deepest `.gitignore` with a rule about the path decides;
 * a negation (`!x`) there re-includes it even if a shallower file excludes it.
 */
function isIgnored(levels: readonly IgnoreLevel[], absolutePath: string, isFolder: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const relative = toPosix(path.relative(levels[i].folder, absolutePath));
    if (relative === '' || relative.startsWith('../')) continue;
    const verdict = levels[i].rules.test(isFolder ? `${relative}/` : relative);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/**
 * The `.gitignore` files above `folder` up to the root of its git work tree (the nearest
 * folder holding `.git`), shallowest first. Outside a work tree there are none: a stray
 * `.gitignore` in a home folder must not hide files.
 */
function ancestorIgnoreLevels(folder: string): IgnoreLevel[] {
  if (fs.existsSync(path.join(folder, '.git'))) return [];
  const ancestors: string[] = [];
  for (let dir = folder; path.dirname(dir) !== dir; ) {
    dir = path.dirname(dir);
    ancestors.push(dir);
    if (fs.existsSync(path.join(dir, '.git'))) return ancestors.reverse().flatMap((ancestor) => readIgnoreLevel(ancestor) ?? []);
  }
  return [];
}

function walkFolder(root: string, displayRoot: string, warnings: string[]): FoundFile[] {
  const found: { relative: string; file: FoundFile }[] = [];
  const visit = (folder: string, levels: IgnoreLevel[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      warnings.push(`Cannot read the folder ${path.join(displayRoot, path.relative(root, folder))} (${(error as NodeJS.ErrnoException).code ?? String(error)}); its files were not checked.`);
      return;
    }
    const own = readIgnoreLevel(folder);
    const here = own ? [...levels, own] : levels;
    for (const entry of entries) {
      const absolutePath = path.join(folder, entry.name);
      // Symbolic links to folders are not followed: that is what keeps a link loop from
      // hanging the walk. Links to files are checked like files.
      let isFolder = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        isFolder = false;
        try {
          isFile = fs.statSync(absolutePath).isFile();
        } catch {
          isFile = false; // A dangling link.
        }
      }
      if (isFolder) {
        if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(here, absolutePath, true)) continue;
        visit(absolutePath, here);
      } else if (isFile && MANIFEST_NAME.test(entry.name) && !isIgnored(here, absolutePath, false)) {
        const relative = path.relative(root, absolutePath);
        found.push({ relative: toPosix(relative), file: { absolutePath, displayPath: path.join(displayRoot, relative) } });
      }
    }
  };
  const inherited = ancestorIgnoreLevels(root);
  if (isIgnored(inherited, root, true)) {
    warnings.push(`${displayRoot} is excluded by a .gitignore above it, so none of its files were checked.`);
    return [];
  }
  visit(root, inherited);
  return found.sort((a, b) => byCodeUnits(a.relative, b.relative)).map((entry) => entry.file);
}

/**
 * Every file to check for the PATHs given, in a stable order: PATHs in the order given,
 * each folder's files sorted by path. A file reached through two PATHs is listed once.
 */
export function findFiles(paths: readonly string[], cwd: string): WalkResult {
  const result: WalkResult = { files: [], missing: [], warnings: [] };
  const seen = new Set<string>();
  for (const given of paths) {
    const absolutePath = path.resolve(cwd, given);
    let stats: fs.Stats;
    try {
      stats = fs.statSync(absolutePath);
    } catch {
      result.missing.push(given);
      continue;
    }
    const files = stats.isDirectory() ? walkFolder(absolutePath, given, result.warnings) : [{ absolutePath, displayPath: given }];
    for (const file of files) {
      if (seen.has(file.absolutePath)) continue;
      seen.add(file.absolutePath);
      result.files.push(file);
    }
  }
  return result;
}
