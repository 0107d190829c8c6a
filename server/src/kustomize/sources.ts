/**
 * The YAML files a build reads, parsed once per text: 50 overlays over one base parse the
 * base once. Inline patches (`patch: |-` in a kustomization) are parsed as texts of their
 * own whose positions map back into the kustomization file.
 */
import type { Range } from '../core/types';
import type { YamlNode } from '../yaml/compose';
import { LineIndex } from '../yaml/lines';
import { parseSection } from '../yaml/parse';
import { cloneTree, fileSource, treeFromYaml, type Origin, type SourceFile, type TreeNode } from './tree';

export interface ParsedDocument {
  root: YamlNode;
  value: unknown;
  /** Its provenance trees, by producer: built once per text, copied for each use (builds change them). */
  trees?: Map<Origin['producer'], TreeNode>;
}

export interface ParsedText {
  file: SourceFile;
  documents: ParsedDocument[];
  /** The text does not parse as YAML (the engine reports the syntax error on the file itself). */
  broken: boolean;
}

function parseText(text: string, file: SourceFile): ParsedText {
  const parsed = parseSection(text);
  const documents: ParsedDocument[] = [];
  let broken = parsed.problems.length > 0;
  for (const document of parsed.documents) {
    if (document.problems.some((problem) => problem.rule === 'yaml/syntax')) broken = true;
    if (document.root && document.value !== undefined && document.value !== null) documents.push({ root: document.root, value: document.value });
  }
  return { file, documents, broken };
}

/** Parsed files by URI, reused while their text is the same. */
export class ParsedFiles {
  private readonly cache = new Map<string, { text: string; parsed: ParsedText }>();

  parse(uri: string, text: string): ParsedText {
    const cached = this.cache.get(uri);
    if (cached && cached.text === text) return cached.parsed;
    const parsed = parseText(text, fileSource(uri, new LineIndex(text)));
    this.cache.set(uri, { text, parsed });
    return parsed;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}

/**
 * An inline patch: the string value of `patch:` in the kustomization `host`. A literal block
 * (`|`, `|-`) keeps its lines, so its nodes map to exact places; any other string maps to itself.
 */
export function parseInline(host: SourceFile, hostText: string, scalar: YamlNode, content: string): ParsedText {
  const hostLines = new LineIndex(hostText);
  const innerLines = new LineIndex(content);
  const whole = host.rangeOf(scalar.start, scalar.end);
  // The parser places a block scalar at its first character of content, after the `|-` line.
  const isBlock = /[|>][-+1-9]*[ \t]*(#[^\n]*)?\n[ \t]*$/.test(hostText.slice(Math.max(0, scalar.start - 200), scalar.start));
  const start = hostLines.positionAt(scalar.start);
  const firstContentLine = start.line - (/^\n*/.exec(content)?.[0].length ?? 0);
  const indent = start.character;
  const file: SourceFile = {
    uri: host.uri,
    rangeOf(start, end): Range {
      if (!isBlock) return whole;
      const from = innerLines.positionAt(start);
      const to = innerLines.positionAt(end);
      const endCharacter = to.line === from.line ? to.character : innerLines.lineEnd(from.line) - innerLines.lineStart(from.line);
      return { start: { line: firstContentLine + from.line, character: from.character + indent }, end: { line: firstContentLine + from.line, character: endCharacter + indent } };
    },
  };
  return parseText(content, file);
}

/** A fresh provenance tree of a parsed document, every node attributed to `producer`. */
export function documentTree(parsed: ParsedText, document: ParsedDocument, producer: Origin['producer']): TreeNode {
  document.trees ??= new Map();
  let tree = document.trees.get(producer);
  if (!tree) {
    tree = treeFromYaml(document.value, document.root, parsed.file, producer);
    document.trees.set(producer, tree);
  }
  return cloneTree(tree);
}
