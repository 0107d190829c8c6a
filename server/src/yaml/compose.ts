/**
 * Turns one YAML section into a tree of nodes with source offsets, and the plain JS value
 * that schemas validate, in a single pass over js-yaml's event stream. js-yaml's event
 * parser is several times faster than building the `yaml` package's CST, which is what
 * lets a 1,000-document file open in well under a second; the `yaml` package is still used
 * for the wording of syntax errors (see syntaxErrors.ts), only on sections that fail.
 */
import { parseEvents, getScalarValue, EVENT_ID } from 'js-yaml';
import type { LineIndex } from './lines';

interface NodeBase {
  start: number;
  end: number;
  /** Number of values this node stands for once aliases are expanded (alias-bomb guard). */
  weight: number;
}

export type ScalarValue = string | number | boolean | null;

export interface YamlScalar extends NodeBase {
  kind: 'scalar';
  value: ScalarValue;
  /** Quoted or block scalars are always strings; plain ones were resolved by the core schema. */
  plain: boolean;
  /** True for a value that is absent in the text (`key:` with nothing after it). */
  empty: boolean;
}

export interface YamlPair {
  key: YamlNode;
  value: YamlNode;
}

export interface YamlMap extends NodeBase {
  kind: 'map';
  value: Record<string, unknown>;
  pairs: YamlPair[];
  flow: boolean;
  /** Values of `<<` merge keys, in order: their keys apply where this map has none. */
  merges: YamlNode[];
}

export interface YamlSeq extends NodeBase {
  kind: 'seq';
  value: unknown[];
  items: YamlNode[];
  flow: boolean;
}

export interface YamlAlias extends NodeBase {
  kind: 'alias';
  name: string;
  target: YamlNode | undefined;
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq | YamlAlias;

export type YamlProblemRule = 'yaml/syntax' | 'yaml/duplicate-key' | 'yaml/limits' | 'yaml/alias';

export interface YamlProblem {
  start: number;
  end: number;
  message: string;
  rule: YamlProblemRule;
}

export interface ComposedDocument {
  root: YamlNode | null;
  /** The JS value, or undefined when the document must not be validated (broken, too large). */
  value: unknown;
  problems: YamlProblem[];
}

/** Nesting deeper than this is refused: no real manifest comes close, and it keeps every walk bounded. */
export const MAX_DEPTH = 400;
/** Values a document may expand to through aliases before it is treated as an alias bomb. */
export const MAX_EXPANDED_VALUES = 1_000_000;

interface Frame {
  node: YamlMap | YamlSeq | null;
  pendingKey: YamlNode | null;
  /** Per document: the root once it is complete. */
  doc: { root: YamlNode | null; value: unknown } | null;
}

/** The JS value of a node (aliases resolve to their target's value). */
export function valueOf(node: YamlNode): unknown {
  if (node.kind === 'alias') return node.target ? valueOf(node.target) : null;
  return node.value;
}

/** Follows aliases to the node they stand for. */
export function resolveAlias(node: YamlNode): YamlNode {
  let current: YamlNode = node;
  for (let hops = 0; current.kind === 'alias' && current.target && hops < 100; hops++) current = current.target;
  return current;
}

export function resolvePlainScalar(text: string): ScalarValue {
  switch (text) {
    case '': case '~': case 'null': case 'Null': case 'NULL':
      return null;
    case 'true': case 'True': case 'TRUE':
      return true;
    case 'false': case 'False': case 'FALSE':
      return false;
  }
  const first = text.charCodeAt(0);
  // Only text that starts like a number can be one: skip the regexes for ordinary words.
  const numberish = (first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46;
  if (!numberish) return text;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}

function resolveTagged(tag: string, text: string, plain: boolean): ScalarValue {
  switch (tag) {
    case '!!str': case '!': case '!!binary': case '!!timestamp':
      return text;
    case '!!null':
      return null;
    case '!!bool':
      return /^(true|True|TRUE)$/.test(text);
    case '!!int': case '!!float': {
      const resolved = resolvePlainScalar(text);
      return typeof resolved === 'number' ? resolved : text;
    }
    default:
      return plain ? resolvePlainScalar(text) : text;
  }
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` as a YAML key must become data, never the object's prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function keyText(node: YamlNode): string {
  const value = valueOf(node);
  if (value === null) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Parses every document in `text` (normally one section). Never throws: syntax errors,
 * depth and alias limits become problems, and the documents are still returned.
 */
export function composeDocuments(text: string, lines: LineIndex): { documents: ComposedDocument[]; syntaxError?: YamlProblem } {
  let events;
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch (error) {
    return { documents: [], syntaxError: toSyntaxProblem(error, text) };
  }

  const documents: ComposedDocument[] = [];
  const anchors = new Map<string, YamlNode>();
  let stack: Frame[] = [];
  let problems: YamlProblem[] = [];
  let lastEnd = 0;

  const attach = (node: YamlNode, value: unknown): void => {
    const frame = stack[stack.length - 1];
    lastEnd = Math.max(lastEnd, node.end);
    if (frame.doc) {
      frame.doc.root = node;
      frame.doc.value = value;
      return;
    }
    const parent = frame.node!;
    if (parent.kind === 'seq') {
      parent.items.push(node);
      parent.value.push(value);
      parent.weight += node.weight;
      return;
    }
    if (!frame.pendingKey) {
      frame.pendingKey = node;
      return;
    }
    const key = frame.pendingKey;
    frame.pendingKey = null;
    if (node.kind === 'scalar' && node.empty) {
      const colon = text.indexOf(':', key.end);
      node.start = node.end = colon === -1 ? key.end : colon + 1;
    }
    parent.pairs.push({ key, value: node });
    parent.weight += node.weight;
    if (key.kind === 'scalar' && key.plain && key.value === '<<') {
      parent.merges.push(node);
      return;
    }
    const name = keyText(key);
    // Duplicates are rare: look for the first occurrence only when the key is already set.
    if (Object.hasOwn(parent.value, name)) {
      const earlier = parent.pairs.find((pair) => pair.key !== key && pair.key.kind === 'scalar' && keyText(pair.key) === name)?.key ?? key;
      problems.push({
        start: key.start,
        end: key.end,
        rule: 'yaml/duplicate-key',
        message: `Duplicate key "${name}": it is already set on line ${lines.positionAt(earlier.start).line + 1}.`,
      });
    }
    setKey(parent.value, name, value);
  };

  const finishMap = (node: YamlMap, value: Record<string, unknown>): void => {
    for (const merge of node.merges) {
      const target = resolveAlias(merge);
      const sources = target.kind === 'seq' ? target.items.map(resolveAlias) : [target];
      for (const source of sources) {
        const merged = valueOf(source);
        // An unknown alias is already reported as such; saying it again as a merge error adds nothing.
        if (source.kind === 'alias' && !source.target) continue;
        if (source.kind !== 'map' || typeof merged !== 'object' || merged === null) {
          problems.push({ start: merge.start, end: merge.end, rule: 'yaml/syntax', message: 'A merge key (<<) takes a mapping or a list of mappings.' });
          continue;
        }
        for (const [key, mergedValue] of Object.entries(merged)) if (!Object.hasOwn(value, key)) setKey(value, key, mergedValue);
      }
    }
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        stack = [{ node: null, pendingKey: null, doc: { root: null, value: null } }];
        problems = [];
        anchors.clear();
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const flow = event.style === 2;
        const node: YamlMap | YamlSeq = event.type === EVENT_ID.MAPPING
          ? { kind: 'map', value: {}, pairs: [], merges: [], flow, start: event.start, end: event.start, weight: 1 }
          : { kind: 'seq', value: [], items: [], flow, start: event.start, end: event.start, weight: 1 };
        if (event.anchorStart >= 0) anchors.set(text.slice(event.anchorStart, event.anchorEnd), node);
        stack.push({ node, pendingKey: null, doc: null });
        break;
      }
      case EVENT_ID.SCALAR: {
        const empty = event.valueStart < 0;
        const raw = empty ? '' : getScalarValue(text, event);
        const plain = event.style === 1;
        const tag = event.tagStart >= 0 ? text.slice(event.tagStart, event.tagEnd) : undefined;
        const value = tag ? resolveTagged(tag, raw, plain) : plain ? resolvePlainScalar(raw) : raw;
        // Quoted scalars' offsets exclude the quotes; ranges include them.
        const quote = event.style === 2 || event.style === 3 ? 1 : 0;
        let start = empty ? lastEnd : event.valueStart - quote;
        let end = empty ? lastEnd : event.valueEnd + quote;
        if (event.style >= 4) {
          // Block scalars: report on the `|` / `>` header line's content, not the trailing newline.
          while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
          while (start < end && text[start] === ' ') start++;
        }
        const node: YamlScalar = { kind: 'scalar', value, plain, empty, start, end, weight: 1 };
        if (event.anchorStart >= 0) anchors.set(text.slice(event.anchorStart, event.anchorEnd), node);
        attach(node, value);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(event.anchorStart, event.anchorEnd);
        const target = anchors.get(name);
        const node: YamlAlias = { kind: 'alias', name, target, start: event.anchorStart - 1, end: event.anchorEnd, weight: target ? target.weight : 1 };
        if (!target) problems.push({ start: node.start, end: node.end, rule: 'yaml/alias', message: `Unknown alias *${name}: no anchor &${name} is defined before it.` });
        attach(node, target ? valueOf(target) : null);
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop()!;
        if (frame.doc) {
          const root = frame.doc.root;
          let value = frame.doc.value;
          if (root && root.weight > MAX_EXPANDED_VALUES) {
            problems.push({
              start: root.start,
              end: Math.min(root.end, text.indexOf('\n', root.start) === -1 ? root.end : text.indexOf('\n', root.start)),
              rule: 'yaml/limits',
              message: `This document expands to more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values through aliases (an alias bomb?); it is not validated.`,
            });
            value = undefined;
          }
          documents.push({ root, value, problems });
          break;
        }
        const node = frame.node!;
        node.end = Math.max(node.end, lastEnd, node.start + 1);
        if (node.flow) {
          const close = text.indexOf(node.kind === 'map' ? '}' : ']', lastEnd);
          if (close !== -1) node.end = close + 1;
        }
        if (node.kind === 'map') finishMap(node, node.value);
        attach(node, node.value);
        break;
      }
    }
  }
  return { documents };
}

function toSyntaxProblem(error: unknown, text: string): YamlProblem {
  const mark = (error as { mark?: { position?: number } }).mark;
  const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
  const position = Math.min(Math.max(0, mark?.position ?? 0), text.length);
  let end = position;
  while (end < text.length && !/[\s,\]}]/.test(text[end])) end++;
  if (end === position && end < text.length) end++;
  const message = /maxDepth|nesting/i.test(reason)
    ? `Nesting deeper than ${MAX_DEPTH} levels: this document is not validated.`
    : capitalize(reason);
  return { start: position, end, rule: /maxDepth|nesting/i.test(reason) ? 'yaml/limits' : 'yaml/syntax', message };
}

function capitalize(text: string): string {
  return text.length ? text[0].toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.') : text;
}
