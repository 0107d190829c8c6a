/**
 * Ansible drift from a check-mode run: `ansible-playbook --check --diff` with the `json`
 * stdout callback. Every task result a host reports as `changed` is a change the playbook
 * would make, so the host has drifted from what git declares; its `diff` says how (before =
 * live, after = declared). A result Ansible censored for `no_log` stays censored: only the
 * fact that it would change is kept. Unreachable hosts and failed tasks are reported in words.
 */
import type { Range } from '../../core/types';
import { describeValue } from '../kubernetes/explain';
import type { DeclaredAt, DriftResource, FieldDrift } from '../types';
import { unifiedDiff } from './unifiedDiff';

/** Where a task is declared, from the `file:line` the callback gives (1-based line). */
export type LocateTask = (file: string, line: number) => DeclaredAt | undefined;

export interface CheckModeDrift {
  resources: DriftResource[];
  /** Unreachable hosts, failed tasks, plays that matched no host: in words, for the environment's error. */
  problems: string[];
}

/** Values longer than this are left out of a field (the unified diff in its explanation shows the change). */
const MAX_FIELD_VALUE_LENGTH = 1000;
/** The explanation shows this many lines of a unified diff. */
const MAX_DIFF_LINES = 60;

export const NO_LOG_EXPLANATION = 'would change; output hidden by no_log';

type Json = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `site.yml:14` → file and 1-based line; the line is absent for a path without one. */
export function splitTaskPath(taskPath: string): { file: string; line?: number } {
  const match = /^(.*):(\d+)$/.exec(taskPath);
  return match ? { file: match[1], line: Number(match[2]) } : { file: taskPath };
}

/** The range of a task's first line, from its indentation to the end of the line (0-based line). */
export function taskLineRange(text: string, line: number): Range {
  const lines = text.split('\n');
  const content = (lines[line] ?? '').replace(/\r$/, '');
  const start = content.length - content.trimStart().length;
  return { start: { line, character: start }, end: { line, character: content.length } };
}

interface DiffEntry {
  before?: Json;
  after?: Json;
  before_header?: string;
  after_header?: string;
  prepared?: string;
}

function diffEntries(diff: Json): DiffEntry[] {
  const list = Array.isArray(diff) ? diff : diff === undefined || diff === null ? [] : [diff];
  return list.filter(isRecord) as DiffEntry[];
}

const isText = (value: Json): value is string => typeof value === 'string';

function truncatedDiff(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= MAX_DIFF_LINES) return text.replace(/\n$/, '');
  return `${lines.slice(0, MAX_DIFF_LINES).join('\n')}\n… ${lines.length - MAX_DIFF_LINES} more lines`;
}

/** Ansible's own temporary files (`~/.ansible/tmp/ansible-local-…/tmpXYZ`): the after_header of a copy or template, never the path it changes. */
const ANSIBLE_TEMPORARY_PATH = /(^|\/)\.ansible\/tmp\//;

/** The path a result changes, as the module was invoked: `dest` (copy, template) or `path` (file, lineinfile). */
function destinationOf(result: Record<string, Json>): string | undefined {
  const invocation = isRecord(result.invocation) ? result.invocation : {};
  const args = isRecord(invocation.module_args) ? invocation.module_args : {};
  for (const candidate of [result.dest, result.path, args.dest, args.path]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return undefined;
}

/**
 * The name a diff entry gives what it changes: the live file's header; without one (the file
 * does not exist yet) the module's destination, since the after_header is then usually
 * Ansible's temporary copy of the declared content.
 */
function headerOf(entry: DiffEntry, prefix: string, destination: string | undefined): string {
  const afterHeader = entry.after_header !== undefined && !ANSIBLE_TEMPORARY_PATH.test(entry.after_header) ? entry.after_header : undefined;
  return `${prefix}${entry.before_header ?? destination ?? afterHeader ?? 'content'}`;
}

/**
 * Ansible reads the live file before a copy or template: when it is absent the diff has an
 * empty `before` and no before_header (an existing file, even an empty one, gets its path as
 * the header). Such an entry creates the file.
 */
function createsFile(entry: DiffEntry): boolean {
  return entry.before === '' && entry.before_header === undefined && isText(entry.after);
}

/**
 * Fields of one diff entry: a text (a file's content) as one field, a map (a file's state,
 * mode…) key by key. A file that would be created gets a `state` field too, absent live, as
 * the file module reports it, so a plan can call the task a create.
 */
function entryFields(entry: DiffEntry, prefix: string, destination: string | undefined): FieldDrift[] {
  if (isText(entry.prepared) && entry.prepared !== '') {
    return [{ path: headerOf(entry, prefix, destination), explanation: `would change:\n${truncatedDiff(entry.prepared)}` }];
  }
  const { before, after } = entry;
  if (isText(before) || isText(after)) {
    const beforeText = isText(before) ? before : '';
    const afterText = isText(after) ? after : '';
    if (beforeText === afterText) return [];
    const label = headerOf(entry, '', destination);
    const created = createsFile(entry);
    const diff = truncatedDiff(unifiedDiff(beforeText, afterText, created ? '/dev/null' : `${label} (live)`, `${label} (declared)`));
    const field: FieldDrift = { path: headerOf(entry, prefix, destination), explanation: `${label} would ${created ? 'be created' : 'change'}:\n${diff}` };
    if (afterText.length <= MAX_FIELD_VALUE_LENGTH) field.desired = afterText;
    if (isText(before) && !created && beforeText.length <= MAX_FIELD_VALUE_LENGTH) field.live = beforeText;
    if (!created) return [field];
    return [field, { path: `${prefix}state`, desired: 'file', live: 'absent', explanation: `${label} does not exist live; the playbook would create it` }];
  }
  if (isRecord(before) || isRecord(after)) {
    const beforeMap = isRecord(before) ? before : {};
    const afterMap = isRecord(after) ? after : {};
    const fields: FieldDrift[] = [];
    for (const key of [...new Set([...Object.keys(beforeMap), ...Object.keys(afterMap)])].sort()) {
      const live = beforeMap[key];
      const desired = afterMap[key];
      if (JSON.stringify(live) === JSON.stringify(desired)) continue;
      const field: FieldDrift = {
        path: `${prefix}${key}`,
        explanation: live === undefined ? `${key} would be set to ${describeValue(desired)}` : desired === undefined ? `${key} is ${describeValue(live)} live and would be removed` : `${key} is ${describeValue(live)} live, the playbook declares ${describeValue(desired)}`,
      };
      if (desired !== undefined) field.desired = desired;
      if (live !== undefined) field.live = live;
      fields.push(field);
    }
    return fields;
  }
  return [];
}

/** A result of a no_log task: Ansible censors it, and so do we even where it did not (`_ansible_no_log` without `censored`). */
function isCensored(result: Record<string, Json>): boolean {
  return result.censored !== undefined || result._ansible_no_log === true;
}

/** The fields of one changed result (or loop item); `prefix` names the loop item. */
function changedFields(result: Record<string, Json>, prefix: string): FieldDrift[] {
  if (isCensored(result)) return [{ path: `${prefix}result`, explanation: NO_LOG_EXPLANATION }];
  const destination = destinationOf(result);
  const fields = diffEntries(result.diff).flatMap((entry) => entryFields(entry, prefix, destination));
  if (fields.length > 0) return fields;
  return [{ path: `${prefix}result`, explanation: 'would change; no diff shown (the task sets diff: false, or its module reports none)' }];
}

/** The texts a diff editor shows: each changed file's live and declared content. */
function diffTexts(result: Record<string, Json>): { desiredText: string; liveText: string } | undefined {
  if (isCensored(result)) return undefined;
  const entries = diffEntries(result.diff).filter((entry) => isText(entry.before) || isText(entry.after));
  if (entries.length === 0) return undefined;
  const destination = destinationOf(result);
  const section = (entry: DiffEntry, side: 'before' | 'after'): string => {
    const text = isText(entry[side]) ? (entry[side] as string) : '';
    return entries.length === 1 ? text : `# ${headerOf(entry, '', destination)}\n${text}`;
  };
  return { desiredText: entries.map((entry) => section(entry, 'after')).join('\n'), liveText: entries.map((entry) => section(entry, 'before')).join('\n') };
}

function message(result: Record<string, Json>): string {
  const text = typeof result.msg === 'string' ? result.msg : typeof result.stderr === 'string' && result.stderr ? result.stderr : 'no message';
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Drift per task and host from the json callback's output; a string says why it is not that output. */
export function checkModeDrift(output: Json, locate: LocateTask): CheckModeDrift | string {
  if (!isRecord(output) || !Array.isArray(output.plays)) return 'the output is not that of the json callback (no plays)';
  const resources: DriftResource[] = [];
  const problems: string[] = [];
  // A task file included twice runs the same task twice: later runs get `#2`, `#3` so ids stay unique.
  const idCounts = new Map<string, number>();
  for (const play of output.plays) {
    if (!isRecord(play)) continue;
    for (const task of Array.isArray(play.tasks) ? play.tasks : []) {
      if (!isRecord(task) || !isRecord(task.task) || !isRecord(task.hosts)) continue;
      const taskName = typeof task.task.name === 'string' && task.task.name ? task.task.name : '(unnamed task)';
      const taskPath = typeof task.task.path === 'string' ? task.task.path : '';
      const { file, line } = splitTaskPath(taskPath);
      for (const [host, raw] of Object.entries(task.hosts)) {
        if (!isRecord(raw)) continue;
        const where = taskPath ? ` (${taskPath})` : '';
        if (raw.unreachable === true) {
          problems.push(`Host ${host} is unreachable: ${isCensored(raw) ? 'details hidden by no_log' : message(raw)}`);
          continue;
        }
        if (raw.failed === true) {
          const detail = isCensored(raw) ? 'details hidden by no_log' : message(raw);
          problems.push(`Task "${taskName}" failed on ${host}${where}: ${detail}`);
          continue;
        }
        if (raw.skipped === true) continue;
        const items = Array.isArray(raw.results) ? raw.results.filter(isRecord) : undefined;
        const changed = items ? items.some((item) => item.changed === true) : raw.changed === true;
        const baseId = `${taskPath || taskName}@${host}`;
        const count = (idCounts.get(baseId) ?? 0) + 1;
        idCounts.set(baseId, count);
        const resource: DriftResource = {
          source: 'ansible',
          id: count === 1 ? baseId : `${baseId}#${count}`,
          apiVersion: '',
          kind: '',
          namespace: '',
          name: taskName,
          host,
          status: changed ? 'drifted' : 'in-sync',
          fields: [],
        };
        const declaredAt = file && line ? locate(file, line) : undefined;
        if (declaredAt) resource.declaredAt = declaredAt;
        if (changed && items) {
          items.forEach((item, index) => {
            if (item.changed === true) resource.fields.push(...changedFields(item, `loop item ${index + 1}: `));
          });
        } else if (changed) {
          resource.fields = changedFields(raw, '');
          const texts = diffTexts(raw);
          if (texts) Object.assign(resource, texts);
        }
        resources.push(resource);
      }
    }
  }
  if (isRecord(output.stats) && Object.keys(output.stats).length === 0) problems.push('No host of the inventory matched the hosts of the plays, so nothing was checked.');
  return { resources, problems };
}
