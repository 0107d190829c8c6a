/**
 * "Adopt live value": the text edit that makes a manifest declare what is live for one
 * drifted field. Pure (text in, edit out), so the extension only applies it as an ordinary
 * unsaved change that then goes through a pull request; nothing here writes to a cluster.
 * The value is rendered as YAML in the style of its place: scalars inline, maps and lists as
 * block YAML indented under their key, flow collections kept flow.
 */
import { stringify } from 'yaml';
import type { Range, TextEdit } from '../core/types';
import { composeDocuments, valueOf, type YamlMap, type YamlNode, type YamlSeq } from '../yaml/compose';
import { LineIndex } from '../yaml/lines';
import { HIDDEN, HIDDEN_DIFFERS } from './kubernetes/mask';
import type { DriftResource, FieldDrift } from './types';

export type AdoptLiveResult = { edit: TextEdit } | { refusal: string };

/** Where a node sits: the value of a key in a mapping, or an item of a sequence. */
type Parent = { kind: 'pair'; map: YamlMap; key: YamlNode } | { kind: 'item'; seq: YamlSeq };

interface Located {
  node: YamlNode;
  parent?: Parent;
  /** True when the range named a mapping key; `node` is then that key's value. */
  viaKey: boolean;
}

/**
 * Kubernetes fills in YAML 1.1 readings (`yes`, `on`, `0755`), so strings that would read as
 * something else there are quoted; lines are never folded.
 */
const RENDER_OPTIONS = { lineWidth: 0, version: '1.1' } as const;

/** The edit that makes `documentText` (the manifest `declaredUriOf` names) declare the live value. */
export function adoptLiveValueEdit(documentText: string, resource: DriftResource, field: FieldDrift): AdoptLiveResult {
  const refusal = adoptRefusal(resource, field);
  if (refusal) return { refusal };
  const range = field.declaredRange!;
  const lines = new LineIndex(documentText);
  const start = lines.offsetAt(range.start);
  const end = lines.offsetAt(range.end);
  const roots = composeDocuments(documentText, lines).documents.flatMap((document) => (document.root ? [document.root] : []));
  const stale = { refusal: `The manifest no longer has ${field.path} where the drift report found it. Refresh the Drift view and try again.` };

  if (field.desired === undefined) {
    const container = locate(documentText, roots, start, undefined);
    return container ? insertEntry(documentText, lines, container, field) : stale;
  }
  const located = locate(documentText, roots, start, end);
  if (!located || located.viaKey || !isAtSegment(located, lastPathSegment(field.path))) return stale;
  if (field.live === undefined) return removeEntry(documentText, lines, located, field);
  return replaceNode(documentText, lines, located, field.live, field.path);
}

/**
 * Why the live value cannot be adopted for this field, or undefined when it can. Exported so
 * the tree can say it before the user asks.
 */
export function adoptRefusal(resource: DriftResource, field: FieldDrift): string | undefined {
  if (isMaskedField(resource, field)) {
    return `${field.path} holds a Secret value, which is never read into the editor: change it where the Secret's value is managed (a sealed secret or a secret store), not in plain text in git.`;
  }
  if (resource.source !== 'kubernetes') {
    return `Adopting a live value works for Kubernetes manifests; change ${resource.id} in its ${resource.source === 'terraform' ? 'Terraform configuration' : 'playbook'} by hand.`;
  }
  if (!field.declaredRange || !declaredUriOf(resource, field)) {
    return `Where ${field.path} is declared is not known (it may come from a generator or a kustomize overlay), so it cannot be edited from here.`;
  }
  if (field.desired === undefined && field.live === undefined) return `${field.path} has no value on either side.`;
  return undefined;
}

/** The manifest that declares the field: a kustomize patch that wrote it, or the resource's own file. */
export function declaredUriOf(resource: Pick<DriftResource, 'declaredAt'>, field: Pick<FieldDrift, 'declaredUri'>): string | undefined {
  return field.declaredUri ?? resource.declaredAt?.uri;
}

/** Secret data and the last-applied annotation of a Secret (which holds that data) are masked everywhere. */
export function isMaskedField(resource: Pick<DriftResource, 'kind'>, field: Pick<FieldDrift, 'path' | 'desired' | 'live'>): boolean {
  if ([field.desired, field.live].some((value) => value === HIDDEN || value === HIDDEN_DIFFERS)) return true;
  if (resource.kind !== 'Secret') return false;
  return /^(data|stringData)\b/.test(field.path) || field.path.includes('last-applied-configuration');
}

/** The last segment of a drift path: a key, a list item by merge key (`ports[containerPort=80,protocol=TCP]`), or a position. */
export function lastPathSegment(path: string): { key: string } | { item: Record<string, string> } | { index: number } {
  const bracket = /\[((?:"(?:[^"\\]|\\.)*"|[^\]"])*)\]$/.exec(path);
  if (bracket) {
    const inner = bracket[1];
    if (/^\d+$/.test(inner)) return { index: Number(inner) };
    if (inner.startsWith('"')) return { key: JSON.parse(inner) as string };
    const pairs = inner.split(',').map((pair) => /^([\w.\/-]+)=(.*)$/.exec(pair));
    if (pairs.every((pair) => pair !== null)) return { item: Object.fromEntries(pairs.map((pair) => [pair![1], pair![2]])) };
    return { key: inner };
  }
  return { key: path.slice(path.lastIndexOf('.') + 1) };
}

/**
 * The node that starts at `start` (and ends at `end` when given), with its parent. A range
 * that names a mapping key stands for that key's value.
 */
function locate(text: string, roots: readonly YamlNode[], start: number, end: number | undefined): Located | undefined {
  // A block scalar's range may or may not take in its final line break.
  const matches = (node: YamlNode): boolean => node.start === start && (end === undefined || node.end === end || (node.end < end && text.slice(node.end, end).trim() === ''));
  const visit = (node: YamlNode, parent: Parent | undefined): Located | undefined => {
    if (matches(node)) return { node, parent, viaKey: false };
    if (node.start > start || node.end < start) return undefined;
    if (node.kind === 'map') {
      for (const pair of node.pairs) {
        if (pair.key.start === start && end === undefined) return { node: pair.value, parent: { kind: 'pair', map: node, key: pair.key }, viaKey: true };
        const found = visit(pair.value, { kind: 'pair', map: node, key: pair.key });
        if (found) return found;
      }
    } else if (node.kind === 'seq') {
      for (const item of node.items) {
        const found = visit(item, { kind: 'item', seq: node });
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const root of roots) {
    const found = visit(root, undefined);
    if (found) return found;
  }
  return undefined;
}

/** Replaces the value `located` with `value`. */
function replaceNode(text: string, lines: LineIndex, located: Located, value: unknown, path: string): AdoptLiveResult {
  const { node, parent } = located;
  if (!parent) return { refusal: `${path} is a whole document; edit it by hand.` };
  // A flow collection the author wrote with content (`args: [a, b]`) stays flow; `{}` grows into a block.
  const writtenFlow = (node.kind === 'map' && node.flow && node.pairs.length > 0) || (node.kind === 'seq' && node.flow && node.items.length > 0);
  if (isFlow(parent) || writtenFlow) return edit(lines, node.start, node.end, renderFlow(value));
  if (parent.kind === 'item') {
    const dash = dashColumn(text, lines, node.start);
    return edit(lines, node.start, node.end, renderBlock([value], dash).replace(/^- /, ''));
  }
  // From just after the colon: a block value (or block scalar indicator) starts there, and
  // a scalar replaced by a map must move to the next line.
  const colon = text.indexOf(':', parent.key.end);
  const keyColumn = lines.positionAt(parent.key.start).character;
  const rendered = renderBlock({ k: value }, keyColumn).replace(/^k:/, '');
  return edit(lines, colon + 1, Math.max(node.end, colon + 1), rendered);
}

/** Adds the key or list item that git lacks and live has, at the end of its parent. */
function insertEntry(text: string, lines: LineIndex, container: Located, field: FieldDrift): AdoptLiveResult {
  const segment = lastPathSegment(field.path);
  const target = container.node;
  if ('key' in segment) {
    if (target.kind === 'map' && !target.flow && target.pairs.length > 0) {
      const column = lines.positionAt(target.pairs[0].key.start).character;
      const last = target.pairs[target.pairs.length - 1].value;
      return appendLines(lines, Math.max(last.end, target.pairs[target.pairs.length - 1].key.end), renderBlock({ [segment.key]: field.live }, column), column);
    }
    const current = valueOf(target);
    if (current !== null && (typeof current !== 'object' || Array.isArray(current))) {
      return { refusal: `The manifest declares ${field.path.slice(0, field.path.length - segment.key.length - 1)} as something other than a map; edit it by hand.` };
    }
    const merged = { ...((current ?? {}) as Record<string, unknown>), [segment.key]: field.live };
    return container.parent ? replaceNode(text, lines, container, merged, field.path) : { refusal: `${field.path} is a whole document; edit it by hand.` };
  }
  if (target.kind === 'seq' && !target.flow && target.items.length > 0) {
    const column = dashColumn(text, lines, target.items[0].start);
    return appendLines(lines, target.items[target.items.length - 1].end, renderBlock([field.live], column), column);
  }
  const current = valueOf(target);
  if (current !== null && !Array.isArray(current)) return { refusal: `The manifest declares the parent of ${field.path} as something other than a list; edit it by hand.` };
  return container.parent
    ? replaceNode(text, lines, container, [...((current ?? []) as unknown[]), field.live], field.path)
    : { refusal: `${field.path} is a whole document; edit it by hand.` };
}

/** Removes the key or list item that git declares and live lacks, with the lines it takes. */
function removeEntry(text: string, lines: LineIndex, located: Located, field: FieldDrift): AdoptLiveResult {
  const { node, parent } = located;
  const byHand = { refusal: `Live has no ${field.path}; remove it from the manifest by hand (it is not on lines of its own).` };
  if (!parent || isFlow(parent)) return byHand;
  const first = parent.kind === 'pair' ? parent.key.start : node.start;
  const firstLine = lines.positionAt(first).line;
  const before = text.slice(lines.lineStart(firstLine), first);
  const lastLine = lines.positionAt(node.end).line;
  if (/^\s*$/.test(before) || (parent.kind === 'item' && /^\s*-\s*$/.test(before))) {
    return edit(lines, lines.lineStart(firstLine), lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : lines.lineEnd(lastLine), '');
  }
  // `- name: x` as the first key of a list item: the next key moves up behind the dash.
  if (parent.kind === 'pair' && /^\s*-\s*$/.test(before)) {
    const index = parent.map.pairs.findIndex((pair) => pair.key === parent.key);
    const next = parent.map.pairs[index + 1];
    if (next) return edit(lines, first, next.key.start, '');
  }
  return byHand;
}

/** Whether the node's place in its parent is the one the path ends with: the file may have changed since the report. */
function isAtSegment({ node, parent }: Located, segment: ReturnType<typeof lastPathSegment>): boolean {
  if (!parent) return false;
  if ('key' in segment) return parent.kind === 'pair' && String(valueOf(parent.key)) === segment.key;
  if ('index' in segment) return parent.kind === 'item' && parent.seq.items[segment.index] === node;
  const item = valueOf(node);
  if (parent.kind !== 'item' || typeof item !== 'object' || item === null) return false;
  return Object.entries(segment.item).every(([key, value]) => String((item as Record<string, unknown>)[key]) === value);
}

function isFlow(parent: Parent): boolean {
  return parent.kind === 'pair' ? parent.map.flow : parent.seq.flow;
}

/** The column of the `-` that introduces the list item starting at `offset`. */
function dashColumn(text: string, lines: LineIndex, offset: number): number {
  const line = lines.positionAt(offset).line;
  const dash = text.lastIndexOf('-', offset - 1);
  return dash >= lines.lineStart(line) ? dash - lines.lineStart(line) : lines.positionAt(offset).character;
}

/** `value` as block YAML whose continuation lines are indented by `column`, without the final newline. */
function renderBlock(value: unknown, column: number): string {
  const indent = ' '.repeat(column);
  return stringify(value, RENDER_OPTIONS)
    .replace(/\n$/, '')
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : indent + line))
    .join('\n');
}

/** `value` on one line for a flow collection; JSON is valid flow YAML for what the plain style cannot say. */
function renderFlow(value: unknown): string {
  const rendered = stringify(value, { ...RENDER_OPTIONS, collectionStyle: 'flow', flowCollectionPadding: false }).replace(/\n$/, '');
  return rendered.includes('\n') ? JSON.stringify(value) : rendered;
}

/** Inserts `block` (its continuation lines already indented) on new lines after the line holding `afterOffset`, at `column`. */
function appendLines(lines: LineIndex, afterOffset: number, block: string, column: number): AdoptLiveResult {
  const position = lines.positionAt(lines.lineEnd(lines.positionAt(afterOffset).line));
  return { edit: { range: { start: position, end: position }, newText: `\n${' '.repeat(column)}${block}` } };
}

function edit(lines: LineIndex, start: number, end: number, newText: string): AdoptLiveResult {
  const range: Range = lines.rangeOf(start, end);
  return { edit: { range, newText } };
}
