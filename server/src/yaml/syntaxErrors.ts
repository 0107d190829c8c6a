/**
 * Wording for YAML syntax errors. js-yaml stops at its first error with terse reasons
 * ("deficient indentation"); the `yaml` package recovers and explains each problem
 * ("Flow sequence in block collection must be sufficiently indented and end with a ]").
 * It is only run on a section that js-yaml rejected, so its cost never touches valid files.
 */
import { parseAllDocuments } from 'yaml';
import type { YamlProblem } from './compose';

/** Past this size the second parse would cost too much; js-yaml's own reason is used instead. */
const MAX_DESCRIBED_TEXT = 1024 * 1024;
/** A pathological section can produce thousands of errors; the first few say all that helps. */
const MAX_PROBLEMS = 20;

export function describeSyntaxErrors(text: string): YamlProblem[] {
  if (text.length > MAX_DESCRIBED_TEXT) return [];
  let documents;
  try {
    documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  } catch {
    return [];
  }
  const list = Array.isArray(documents) ? documents : [];
  const problems: YamlProblem[] = [];
  const seen = new Set<string>();
  for (const document of list) {
    for (const error of document.errors) {
      const [start, end] = error.pos;
      const message = sentence(error.message);
      if (seen.has(message)) continue;
      seen.add(message);
      problems.push({ start, end: Math.max(end, start + 1), rule: 'yaml/syntax', message });
      if (problems.length === MAX_PROBLEMS) return problems;
    }
  }
  return problems;
}

function sentence(message: string): string {
  const firstLine = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  return /[.!?]$/.test(firstLine) ? firstLine : `${firstLine}.`;
}
