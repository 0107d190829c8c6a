/**
 * Where Ansible looks for roles, from an `ansible.cfg`: its `[defaults] roles_path`, read as
 * Python's configparser reads it (keys in any case, section names as written, `=` or `:`,
 * `#`/`;` comment lines, `;` comments after a space, indented continuation lines), each entry
 * resolved as Ansible resolves a path list: relative to the folder of the cfg file, `~` as the
 * home folder. Pure: URIs in, URIs out; an entry that cannot be worked out here (`$VARIABLE`,
 * `~user`, a Windows drive) makes the answer uncertain, and an uncertain answer means saying nothing.
 */

/** Ansible's DEFAULT_ROLES_PATH, used when no ansible.cfg sets roles_path. */
export const DEFAULT_ROLES_PATH = ['~/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles'];

export interface RolesPath {
  /** Folder URIs to search, in order. */
  folders: string[];
  /** An entry could not be resolved: a role missing from `folders` may be there. */
  uncertain: boolean;
}

/** The raw entries of `[defaults] roles_path`, or undefined when the file does not set it. */
export function rolesPathEntries(cfgText: string): string[] | undefined {
  let section = '';
  let key: string | undefined;
  let value: string | undefined;
  for (const rawLine of cfgText.split(/\r?\n/)) {
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (/^\s/.test(rawLine) && key === 'roles_path' && section === 'defaults') {
      value = `${value ?? ''}\n${withoutComment(trimmed)}`;
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      section = header[1].trim();
      key = undefined;
      continue;
    }
    const option = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    key = option?.[1].toLowerCase();
    if (option && section === 'defaults' && key === 'roles_path') value = withoutComment(option[2]);
  }
  if (value === undefined) return undefined;
  return value.split(/[:\n]/).map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function withoutComment(text: string): string {
  return text.replace(/\s;.*$/, '').trim();
}

/**
 * The folders of roles_path entries, as URIs. `cfgFolderUri` is the folder of the cfg file
 * (relative entries start there); `homeUri` the user's home folder, when known.
 */
export function resolveRolesPath(entries: readonly string[], cfgFolderUri: string, homeUri: string | undefined): RolesPath {
  const folders: string[] = [];
  let uncertain = false;
  for (const entry of entries) {
    const folder = resolveEntry(entry, cfgFolderUri, homeUri);
    if (folder === undefined) uncertain = true;
    else folders.push(folder);
  }
  return { folders, uncertain };
}

function resolveEntry(entry: string, cfgFolderUri: string, homeUri: string | undefined): string | undefined {
  if (entry.includes('$') || /^[A-Za-z]:[\\/]/.test(entry) || entry.includes('\\')) return undefined;
  if (entry === '~' || entry.startsWith('~/')) return homeUri === undefined ? undefined : joinUri(homeUri, entry.slice(1).replace(/^\//, ''));
  if (entry.startsWith('~')) return undefined;
  if (entry.startsWith('/')) return joinUri(rootOf(cfgFolderUri), entry);
  return joinUri(cfgFolderUri, entry);
}

/** `file:///repo/x` → `file://`: an absolute path's base. */
function rootOf(uri: string): string {
  return /^[a-z][\w+.-]*:\/\/[^/]*/i.exec(uri)?.[0] ?? '';
}

/** Joins a relative or absolute path onto a folder URI, resolving `.` and `..`, each name percent-encoded. */
function joinUri(folderUri: string, relative: string): string {
  const root = rootOf(folderUri);
  const segments = folderUri.slice(root.length).split('/').filter((segment) => segment !== '');
  if (relative.startsWith('/')) segments.length = 0;
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') segments.pop();
    else segments.push(encodeURIComponent(part));
  }
  return `${root}/${segments.join('/')}`;
}
