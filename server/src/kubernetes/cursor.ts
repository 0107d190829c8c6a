/**
 * Where the cursor is in a Kubernetes YAML file, for hover and completion: which document, the
 * path of the key or mapping under it, and the resource's apiVersion and kind. Completion runs
 * on text that is being typed (`  ima`, `  - `), which rarely parses, so the path is read from
 * the indentation of the lines above the cursor; hover prefers the parsed tree, which is exact.
 */
import { composeDocuments, type YamlNode } from '../yaml/compose';
import { LineIndex } from '../yaml/lines';
import type { PathSegment } from '../yaml/path';
import { splitSections, type Section } from '../yaml/sections';

export interface ResourceIdentity {
  apiVersion?: string;
  kind?: string;
}

export interface HoverTarget extends ResourceIdentity {
  /** Path of the key under the cursor, or of the key whose value is under it. */
  path: PathSegment[];
  part: 'key' | 'value';
  /** Offsets, in the whole text, of the key or value under the cursor. */
  start: number;
  end: number;
  /** The scalar under the cursor, when it is a value. */
  value?: string;
}

export interface CompletionContext extends ResourceIdentity {
  /** Key position: the path of the mapping being typed in. Value position: the path of the key. */
  path: PathSegment[];
  position: 'key' | 'value';
  /** Keys the mapping already has (on other lines than the cursor's). */
  presentKeys: string[];
  /** The partial word before the cursor, and where it starts in the whole text. */
  prefix: string;
  replaceStart: number;
  /** Column of the mapping's keys, for the indentation of nested keys that completion inserts. */
  indent: number;
  /** True right after `key:`: an inserted value needs a space before it. */
  needsSpace: boolean;
}

interface LineElement {
  col: number;
  kind: 'dash' | 'key' | 'scalar';
  key?: string;
  /** Column just after the key's text, and where its inline value starts. */
  keyEnd?: number;
  valueCol?: number;
}

/**
 * The key patterns backtrack on long runs of spaces, so they only see this much of a line: keys
 * are short, and a cursor further right than this gets no completion.
 */
const MAX_LINE = 2000;
// A plain key cannot start with `- ` and ends before the spaces ahead of its colon; written so
// that each character has one way to match, which keeps matching linear.
const KEY = String.raw`("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?:[^\s#'"{\[\-:]|[-:](?=\S))(?:[^\s:]|[ \t]+(?=[^\s:#])|:(?=\S))*)`;
const KEY_AT_START = new RegExp(String.raw`^${KEY}[ \t]*:(?=[ \t]|$)[ \t]*`);
const KEY_POSITION = /^([ \t]*(?:-[ \t]+)*)([^\s#:'"]*)$/;
const VALUE_POSITION = new RegExp(String.raw`^([ \t]*(?:-[ \t]+)*)${KEY}[ \t]*:([ \t]*)([^\s#]*)$`);

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return String(JSON.parse(key));
    } catch {
      return key.slice(1, -1);
    }
  }
  return key.startsWith("'") ? key.slice(1, -1).replace(/''/g, "'") : key.trimEnd();
}

/** `---` and `...` end a document's structure: nothing above them is a parent or a sibling. */
const isDocumentMarker = (line: string): boolean => /^(---|\.\.\.)([ \t]|$)/.test(line);

/** The block-structure elements of a line: `- ` markers, then a key or a scalar. Null when blank. */
function lineElements(line: string): LineElement[] | null {
  if (/^[ \t]*(#.*)?$/.test(line) || isDocumentMarker(line) || line.startsWith('%')) return null;
  const elements: LineElement[] = [];
  let col = /^[ \t]*/.exec(line)![0].length;
  while (line[col] === '-' && (col + 1 === line.length || line[col + 1] === ' ' || line[col + 1] === '\t')) {
    elements.push({ col, kind: 'dash' });
    col++;
    while (line[col] === ' ' || line[col] === '\t') col++;
  }
  if (col >= line.length || line[col] === '#') return elements;
  const match = KEY_AT_START.exec(line.slice(col, col + MAX_LINE));
  if (match) elements.push({ col, kind: 'key', key: unquote(match[1]), keyEnd: col + match[1].length, valueCol: col + match[0].length });
  else elements.push({ col, kind: 'scalar' });
  return elements;
}

/** The `- ` markers in a line's leading indentation. */
const dashesIn = (indentation: string): LineElement[] => [...indentation.matchAll(/-/g)].map((match) => ({ col: match.index!, kind: 'dash' }));

/**
 * The path of the mapping whose keys sit at column `col` of line `lineNo`, read from the lines
 * above: a key at a smaller column is its parent, a `- ` marker makes it a list item (its
 * index counted from the markers above at the same column). `leading` holds the elements left
 * of `col` on line `lineNo` itself. Undefined when the cursor is inside a scalar (a block
 * scalar's text), where no path applies.
 */
function pathAbove(lines: string[], lineNo: number, col: number, leading: LineElement[]): PathSegment[] | undefined {
  const path: PathSegment[] = [];
  let mode: 'map' | 'seq' = 'map';
  let target = col;
  let index = 0;
  for (let l = lineNo; l >= 0 && !(l < lineNo && isDocumentMarker(lines[l])); l--) {
    let elements = l === lineNo ? leading : lineElements(lines[l]);
    while (elements && elements.length) {
      if (mode === 'map') {
        let i = elements.length - 1;
        while (i >= 0 && elements[i].col >= target) i--;
        if (i < 0) break;
        const element = elements[i];
        elements = elements.slice(0, i);
        if (element.kind === 'scalar') return undefined;
        target = element.col;
        if (element.kind === 'key') path.unshift(element.key!);
        else [mode, index] = ['seq', 0];
        continue;
      }
      const i = elements.findIndex((element) => element.col === target);
      if (i >= 0 && elements[i].kind === 'key') {
        // A list at its parent key's own indentation (`containers:` / `- name: x`).
        path.unshift(elements[i].key!, index);
        elements = elements.slice(0, i);
        mode = 'map';
        continue;
      }
      if (i >= 0 && elements[i].kind === 'dash') {
        index++;
        elements = elements.slice(0, i);
        if (elements.length === 0) break;
      } else if (elements[0].col > target) {
        break;
      }
      // The list starts on this line or under something left of its markers.
      path.unshift(index);
      mode = 'map';
    }
  }
  if (mode === 'seq') path.unshift(index);
  return path;
}

/** Keys at column `col` in the same mapping as line `lineNo` (that line itself excluded). */
function keysOfMapping(lines: string[], lineNo: number, col: number, startsItem: boolean): string[] {
  const keys: string[] = [];
  const scan = (from: number, step: number): void => {
    for (let l = from; l >= 0 && l < lines.length && !isDocumentMarker(lines[l]); l += step) {
      const elements = lineElements(lines[l]);
      // Deeper lines, and a list at this column (indentless, the value of a sibling key), are inside siblings.
      if (!elements || !elements.length || elements[0].col > col || (elements[0].col === col && elements[0].kind === 'dash')) continue;
      const atCol = elements.find((element) => element.col === col);
      if (atCol?.kind === 'key' && (elements[0].col === col || step < 0)) keys.push(atCol.key!);
      if (elements[0].col < col || atCol?.kind !== 'key') return;
    }
  };
  if (!startsItem) scan(lineNo - 1, -1);
  scan(lineNo + 1, 1);
  return keys;
}

interface SectionAt {
  section: Section;
  lines: LineIndex;
  lineTexts: string[];
  /** Cursor line and character within the section. */
  line: number;
  character: number;
}

function sectionAt(text: string, offset: number): SectionAt | undefined {
  if (typeof text !== 'string' || !Number.isFinite(offset)) return undefined;
  const clamped = Math.max(0, Math.min(Math.floor(offset), text.length));
  const sections = splitSections(text);
  let section = sections[0];
  for (const candidate of sections) if (candidate.offset <= clamped) section = candidate;
  if (!section) return undefined;
  const lines = new LineIndex(section.text);
  const { line, character } = lines.positionAt(clamped - section.offset);
  const lineTexts = Array.from({ length: lines.lineCount }, (_, i) => lines.lineText(i));
  return { section, lines, lineTexts, line, character };
}

/** apiVersion and kind of the section: from its parsed value, else from its top-level lines. */
function identityOf(sectionText: string, value: unknown): ResourceIdentity {
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const fromText = (key: string): string | undefined => new RegExp(String.raw`^${key}:[ \t]*["']?([^\s"'#]+)`, 'm').exec(sectionText)?.[1];
  return {
    apiVersion: typeof record.apiVersion === 'string' ? record.apiVersion : fromText('apiVersion'),
    kind: typeof record.kind === 'string' ? record.kind : fromText('kind'),
  };
}

/** The section's parsed documents; empty when it does not parse. (The wording of syntax errors is not needed here.) */
function documentsOf(sectionText: string): ReturnType<typeof composeDocuments> {
  return composeDocuments(sectionText, new LineIndex(sectionText));
}

function firstValue(sectionText: string): unknown {
  return documentsOf(sectionText).documents.find((document) => document.value !== undefined)?.value;
}

/** The completion context at `offset` in `text`; undefined where completion has nothing to say. */
export function completionContextAt(text: string, offset: number): CompletionContext | undefined {
  try {
    const at = sectionAt(text, offset);
    if (!at) return undefined;
    const { section, lines, lineTexts, line, character } = at;
    const lineText = lineTexts[line] ?? '';
    const before = lineText.slice(0, character);
    if (before.length > MAX_LINE) return undefined;
    const lineStart = section.offset + lines.lineStart(line);
    // After a `...` end marker a new document starts, within the same section.
    let documentStart = 0;
    for (let l = line - 1; l >= 0 && !documentStart; l--) if (/^\.\.\.([ \t]|$)/.test(lineTexts[l])) documentStart = lines.lineStart(l + 1);
    const documentText = section.text.slice(documentStart);
    const identity = identityOf(documentText, firstValue(documentText));
    const keyMatch = KEY_POSITION.exec(before);
    if (keyMatch) {
      // Right after a `-` with no space yet, nothing can be inserted correctly.
      if (keyMatch[2] === '-') return undefined;
      const col = keyMatch[1].length;
      const leading = dashesIn(keyMatch[1]);
      const path = pathAbove(lineTexts, line, col, leading);
      if (!path) return undefined;
      const presentKeys = keysOfMapping(lineTexts, line, col, leading.length > 0);
      return { ...identity, path, position: 'key', presentKeys, prefix: keyMatch[2], replaceStart: lineStart + col, indent: col, needsSpace: false };
    }
    const valueMatch = VALUE_POSITION.exec(before);
    if (valueMatch) {
      const col = valueMatch[1].length;
      const leading = dashesIn(valueMatch[1]);
      const path = pathAbove(lineTexts, line, col, leading);
      if (!path) return undefined;
      const prefix = valueMatch[4];
      return {
        ...identity,
        path: [...path, unquote(valueMatch[2])],
        position: 'value',
        presentKeys: [],
        prefix,
        replaceStart: lineStart + character - prefix.length,
        indent: col,
        needsSpace: valueMatch[3] === '' && prefix === '',
      };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Finds the key or scalar value under `offset` in a parsed tree. */
function locate(node: YamlNode, offset: number, path: PathSegment[]): Omit<HoverTarget, keyof ResourceIdentity> | undefined {
  const within = (candidate: YamlNode): boolean => candidate.start <= offset && offset <= candidate.end;
  const step = (child: YamlNode, childPath: PathSegment[]): Omit<HoverTarget, keyof ResourceIdentity> | undefined => {
    if (child.kind === 'scalar') return child.empty ? undefined : { path: childPath, part: 'value', start: child.start, end: child.end, value: String(child.value) };
    return child.kind === 'alias' ? undefined : locate(child, offset, childPath);
  };
  if (node.kind === 'map') {
    for (const pair of node.pairs) {
      if (pair.key.kind !== 'scalar') continue;
      const name = String(pair.key.value);
      if (within(pair.key)) return { path: [...path, name], part: 'key', start: pair.key.start, end: pair.key.end };
      if (pair.value !== pair.key && within(pair.value)) return step(pair.value, [...path, name]);
    }
  } else if (node.kind === 'seq') {
    const i = node.items.findIndex(within);
    if (i >= 0) return step(node.items[i], [...path, i]);
  }
  return undefined;
}

/** The key or value under the cursor, for hover; undefined when there is none. */
export function hoverTargetAt(text: string, offset: number): HoverTarget | undefined {
  try {
    const at = sectionAt(text, offset);
    if (!at) return undefined;
    const { section, lines, lineTexts, line, character } = at;
    const parsed = documentsOf(section.text);
    const relative = lines.lineStart(line) + character;
    for (const document of parsed.documents) {
      if (!document.root || document.root.start > relative || document.root.end < relative) continue;
      const found = locate(document.root, relative, []);
      if (found) return { ...identityOf(section.text, document.value), ...found, start: found.start + section.offset, end: found.end + section.offset };
    }
    if (!parsed.syntaxError) return undefined;
    // The section does not parse: read the cursor's line.
    const elements = lineElements(lineTexts[line] ?? '');
    const key = elements?.find((element) => element.kind === 'key');
    if (!elements || !key || character < key.col) return undefined;
    const path = pathAbove(lineTexts, line, key.col, elements.filter((element) => element.col < key.col));
    if (!path) return undefined;
    const lineStart = section.offset + lines.lineStart(line);
    const identity = identityOf(section.text, undefined);
    if (character <= key.keyEnd!) return { ...identity, path: [...path, key.key!], part: 'key', start: lineStart + key.col, end: lineStart + key.keyEnd! };
    const rest = lineTexts[line].slice(key.valueCol!);
    const comment = rest.search(/(^|[ \t])#/);
    const value = (comment === -1 ? rest : rest.slice(0, comment)).trimEnd();
    if (!value || character < key.valueCol! || character > key.valueCol! + value.length) return undefined;
    const start = lineStart + key.valueCol!;
    return { ...identity, path: [...path, key.key!], part: 'value', start, end: start + value.length, value: unquote(value) };
  } catch {
    return undefined;
  }
}
