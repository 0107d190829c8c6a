/**
 * Decides whether a YAML file is Ansible, and what kind, from its path and a cheap look at
 * its top-level keys: no configuration, and no full parse (this runs on every edit of
 * every YAML file). Kubernetes manifests, Helm charts and kustomizations are never Ansible.
 */
import { closestMatch } from '../core/spelling';
import { IMPORT_PLAYBOOK_KEYS, PLAY_KEYWORDS } from './keywords';
import type { AnsibleFileKind } from './types';

/** Content past this is not looked at: the first plays or tasks say what a file is. */
const SCANNED_CHARACTERS = 64 * 1024;

/** Task keys that only Ansible tasks have, so a list of maps using them is a task list. */
const TASK_MARKERS = new Set([
  'block', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'include_vars', 'register', 'notify', 'changed_when',
  'failed_when', 'become', 'delegate_to', 'with_items', 'loop', 'local_action', 'action', 'set_fact', 'listen',
]);

/** The most used ansible.builtin modules: a list item with one of them (and nothing foreign) is a task. */
const COMMON_MODULES = new Set([
  'apt', 'assert', 'command', 'copy', 'cron', 'debug', 'dnf', 'fail', 'fetch', 'file', 'get_url', 'git', 'group', 'lineinfile',
  'package', 'pip', 'service', 'shell', 'stat', 'systemd', 'template', 'unarchive', 'uri', 'user', 'wait_for', 'yum', 'blockinfile',
  'replace', 'script', 'raw', 'setup', 'apt_repository', 'yum_repository', 'known_hosts', 'authorized_key', 'mount', 'sysctl',
]);

/** Play keywords that no task has: a list item with one of them is a play, even without its `hosts`. */
const PLAY_MARKERS = new Set(['tasks', 'pre_tasks', 'post_tasks', 'roles', 'handlers', 'gather_facts', 'vars_files', 'vars_prompt']);

/** Where playbooks are kept: a `playbooks/` folder, `site.yml`, `playbook*.yml`. */
const PLAYBOOK_PATH = /(^|\/)playbooks?\/|(^|\/)(site|playbook[^/]*)\.ya?ml$/i;

const FQCN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

const INVENTORY_GROUP_KEYS = new Set(['hosts', 'children', 'vars']);

/** The top level of a YAML file, read line by line: the keys of a top-level map, or of each top-level list item. */
interface TopLevel {
  mapKeys: string[];
  items: string[][];
  /** Keys one level below each top-level map key (for inventories: `all: {children: …}`). */
  childKeys: Map<string, string[]>;
}

export function detectAnsibleFile(uri: string, text: string): AnsibleFileKind | undefined {
  const path = decodeURIComponent(uri.replace(/^[a-z][\w+.-]*:\/\//i, '').replace(/[?#].*$/, ''));
  if (!/\.ya?ml$/i.test(path) || excludedByPath(path)) return undefined;
  const head = text.slice(0, SCANNED_CHARACTERS);
  if (/^apiVersion\s*:/m.test(head) && /^kind\s*:/m.test(head)) return undefined;
  const top = readTopLevel(head);
  const isList = top.items.length > 0;
  const isMapOrEmpty = !isList;

  if (/(^|\/)(group_vars|host_vars)\//.test(path)) return isMapOrEmpty ? 'vars' : undefined;
  const role = /(^|\/)roles\/[^/]+\/(tasks|handlers|vars|defaults|meta)\/(.*)$/.exec(path);
  if (role) {
    const [, , folder, rest] = role;
    // A role's task and handler files are Ansible whatever their content: a mapping there is a mistake to report.
    if (folder === 'tasks') return 'tasks';
    if (folder === 'handlers') return 'handlers';
    if (folder === 'meta') return /^main\.ya?ml$/.test(rest) && isMapOrEmpty ? 'role-meta' : undefined;
    return isMapOrEmpty ? 'vars' : undefined;
  }
  if (/(^|\/)requirements\.ya?ml$/.test(path)) {
    if (isList || top.mapKeys.some((key) => key === 'roles' || key === 'collections')) return 'requirements';
    return undefined;
  }
  if (isList && top.items.some((keys) => keys.some((key) => key === 'hosts' || IMPORT_PLAYBOOK_KEYS.has(key)))) return 'playbook';
  if (isList && top.items.some((keys) => looksLikePlay(keys, PLAYBOOK_PATH.test(path)))) return 'playbook';
  if (/(^|\/)handlers\//.test(path) && isList) return 'handlers';
  if (isList && /(^|\/)tasks\//.test(path)) return 'tasks';
  if (isList && top.items.every(looksLikeTask)) return 'tasks';
  if (/(^|\/)(vars|defaults)\/[^/]+$/.test(path) && isMapOrEmpty && top.mapKeys.length > 0) return 'vars';
  if (isMapOrEmpty && looksLikeInventory(path, top)) return 'inventory';
  return undefined;
}

/** Files other languages own, or that are templates or data rather than Ansible. */
function excludedByPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^(Chart|kustomization|Kustomization)\.ya?ml$/.test(name) || /^values([-.].*)?\.ya?ml$/.test(name)) return true;
  return /(^|\/)(templates|files|crds|\.github)\//.test(path);
}

/**
 * A play that lost its `hosts` (or misspelt it) is still a playbook, so that Ansible's refusal
 * is reported: a key only plays have, at most one key that is no play keyword (a typo), and
 * more evidence than `- name: alice\n  roles: [admin]` in some other tool's list gives: a
 * playbook's path, a misspelt `hosts`, or a second play keyword.
 */
function looksLikePlay(keys: string[], playbookPath: boolean): boolean {
  if (!keys.some((key) => PLAY_MARKERS.has(key))) return false;
  const unknown = keys.filter((key) => !PLAY_KEYWORDS.has(key));
  if (unknown.length > 1) return false;
  if (playbookPath || (unknown.length === 1 && closestMatch(unknown[0], ['hosts']) === 'hosts')) return true;
  return keys.filter((key) => key !== 'name' && PLAY_KEYWORDS.has(key)).length >= 2;
}

function looksLikeTask(keys: string[]): boolean {
  return keys.some((key) => TASK_MARKERS.has(key) || COMMON_MODULES.has(key) || FQCN.test(key));
}

function looksLikeInventory(path: string, top: TopLevel): boolean {
  if (top.mapKeys.length === 0) return false;
  const groups = top.mapKeys.map((key) => top.childKeys.get(key) ?? []);
  const groupShaped = groups.every((keys) => keys.every((key) => INVENTORY_GROUP_KEYS.has(key)));
  const hasGroups = groups.some((keys) => keys.includes('hosts') || keys.includes('children'));
  if (!groupShaped || !hasGroups) return false;
  return /(^|\/)(inventory|inventories)\//.test(path) || /(^|\/)(hosts|inventory)\.ya?ml$/.test(path) || top.mapKeys.includes('all');
}

const KEY = /^([A-Za-z_][\w.-]*|"[^"]*"|'[^']*')\s*:(\s|$)/;

function unquote(key: string): string {
  return key.startsWith('"') || key.startsWith("'") ? key.slice(1, -1) : key;
}

/**
 * A line-based look at the top level. Block style covers nearly every Ansible file; a file in
 * flow style reads as having no keys and is then judged by its path alone.
 */
function readTopLevel(text: string): TopLevel {
  const top: TopLevel = { mapKeys: [], items: [], childKeys: new Map() };
  let itemIndent = -1;
  let childIndent = -1;
  let currentKey: string | undefined;
  let blockScalarIndent = -1;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (content === '' || content.startsWith('#')) continue;
    // Inside a block scalar (`|`, `>`), lines are text, not keys.
    if (blockScalarIndent >= 0 && indent > blockScalarIndent) continue;
    const keyIndent = indent + (/^(-\s+)*/.exec(content)?.[0].length ?? 0);
    blockScalarIndent = /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(content) ? keyIndent : -1;
    if (indent === 0 && /^(---|\.\.\.)(\s|$)/.test(content)) continue;
    if (indent === 0 && content.startsWith('-')) {
      const item = /^-(\s+)(.*)$/.exec(content);
      const keys: string[] = [];
      top.items.push(keys);
      itemIndent = item ? 1 + item[1].length : -1;
      const key = item && KEY.exec(item[2]);
      if (key) keys.push(unquote(key[1]));
      continue;
    }
    if (indent === 0) {
      const key = KEY.exec(content);
      currentKey = key ? unquote(key[1]) : undefined;
      if (currentKey !== undefined) {
        top.mapKeys.push(currentKey);
        top.childKeys.set(currentKey, []);
      }
      childIndent = -1;
      continue;
    }
    if (top.items.length > 0 && indent === itemIndent) {
      const key = KEY.exec(content);
      if (key) top.items[top.items.length - 1].push(unquote(key[1]));
      continue;
    }
    if (currentKey !== undefined && top.items.length === 0) {
      if (childIndent === -1) childIndent = indent;
      const key = indent === childIndent ? KEY.exec(content) : null;
      if (key) top.childKeys.get(currentKey)!.push(unquote(key[1]));
    }
  }
  return top;
}
