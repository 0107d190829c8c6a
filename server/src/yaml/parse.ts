import { composeDocuments, type ComposedDocument, type YamlProblem } from './compose';
import { LineIndex } from './lines';
import { describeSyntaxErrors } from './syntaxErrors';

/** One parsed section: its documents (usually one) and every YAML-level problem in it. */
export interface ParsedSection {
  lines: LineIndex;
  documents: ComposedDocument[];
  /** Syntax problems of the section as a whole (a section that fails to parse has no documents). */
  problems: YamlProblem[];
}

export function parseSection(text: string): ParsedSection {
  const lines = new LineIndex(text);
  const { documents, syntaxError } = composeDocuments(text, lines);
  if (!syntaxError) return { lines, documents, problems: [] };
  // Depth limits are ours, not syntax: keep our own message for them.
  const described = syntaxError.rule === 'yaml/syntax' ? describeSyntaxErrors(text) : [];
  return { lines, documents, problems: (described.length ? described : [syntaxError]).map((p) => withinContent(p, text)) };
}

/**
 * A parser that runs out of text (an unclosed `[`) reports at the very end, past the last
 * line; the last character of content is where the user can see and fix it.
 */
function withinContent(problem: YamlProblem, text: string): YamlProblem {
  const contentEnd = text.trimEnd().length;
  if (problem.start < contentEnd || contentEnd === 0) return problem;
  return { ...problem, start: contentEnd - 1, end: contentEnd };
}
