/**
 * Splits a YAML stream into its documents by their `---` / `...` marker lines, without
 * parsing. YAML forbids a marker line at column 0 inside any content (the spec's
 * "c-forbidden" lines end every scalar), so this split is exact, and it is what makes
 * validation incremental: an edit re-parses only the section it falls in.
 */

export interface Section {
  /** The section's text, from its `---` line (if any) up to the next section. */
  text: string;
  /** Offset of the section in the whole text. */
  offset: number;
  /** Zero-based line of the section's first line in the whole text. */
  line: number;
}

const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/;
const DOCUMENT_END = /^\.\.\.(?=[ \t\r\n]|$)/;

/** True when a section holds nothing but blank lines, comments and markers. */
export function isBlankSection(text: string): boolean {
  return /^(?:[ \t]*(?:#.*)?\r?\n?|---[ \t]*(?:#.*)?\r?\n?|\.\.\.[ \t]*(?:#.*)?\r?\n?)*$/.test(text);
}

export function splitSections(text: string): Section[] {
  const sections: Section[] = [];
  let sectionStart = 0;
  let sectionLine = 0;
  let afterEndMarker = false;
  let hasDirective = false;
  let line = 0;
  for (let lineStart = 0; lineStart < text.length; line++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const first = text.charCodeAt(lineStart);
    // Only lines starting with '-', '.', '%' or content after '...' can start a section.
    const isStart = first === 45 /* - */ && DOCUMENT_START.test(text.slice(lineStart, lineStart + 4));
    const startsBareDocument = afterEndMarker && !isStart && !/^[ \t]*(#.*)?\r?\n?$/.test(text.slice(lineStart, lineEnd));
    if ((isStart || startsBareDocument) && lineStart > sectionStart && !hasDirective) {
      sections.push({ text: text.slice(sectionStart, lineStart), offset: sectionStart, line: sectionLine });
      sectionStart = lineStart;
      sectionLine = line;
    }
    if (isStart || startsBareDocument) {
      afterEndMarker = false;
      hasDirective = false;
    }
    if (first === 46 /* . */ && DOCUMENT_END.test(text.slice(lineStart, lineStart + 4))) afterEndMarker = true;
    // A directive (`%YAML 1.2`) belongs to the document that the next `---` opens.
    if (first === 37 /* % */ && !afterEndMarker) hasDirective = true;
    lineStart = lineEnd;
  }
  sections.push({ text: text.slice(sectionStart), offset: sectionStart, line: sectionLine });
  return sections;
}
