/**
 * Disk access for the Ansible workspace: the subfolders of a folder (the roles under a
 * `roles/` folder), for roles that have no file open in the editor or in the checked paths,
 * and the text of `ansible.cfg` files, for their roles_path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** An ansible.cfg larger than this is not one: it is not read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The names of the subfolders of a `file:` folder; undefined when it cannot be read. */
export function listSubfoldersOnDisk(folderUri: string): string[] | undefined {
  try {
    return readdirSync(fileURLToPath(folderUri), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return undefined;
  }
}

/** The text of a small `file:` file; undefined when it is missing, too large or cannot be read. */
export function readConfigFileOnDisk(fileUri: string): string | undefined {
  try {
    const file = fileURLToPath(fileUri);
    if (!statSync(file).isFile() || statSync(file).size > MAX_CONFIG_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The user's home folder as a `file:` URI without a trailing slash; undefined when there is none. */
export function homeFolderUri(): string | undefined {
  try {
    const home = homedir();
    return home ? pathToFileURL(home).href.replace(/\/$/, '') : undefined;
  } catch {
    return undefined;
  }
}
