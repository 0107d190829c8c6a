/**
 * An in-memory repository for the Kustomize tests: files by path under `file:///repo`,
 * read through the same reader interface the disk implements.
 */
import type { KustomizeReader } from '../../server/src/kustomize/render';

export const ROOT = 'file:///repo';

export const uriOf = (path: string): string => `${ROOT}/${path}`;

export function memoryReader(files: Record<string, string>): KustomizeReader {
  const texts = new Map(Object.entries(files).map(([path, text]) => [uriOf(path), text]));
  return {
    readFile: (uri) => texts.get(uri),
    isFolder: (uri) => [...texts.keys()].some((file) => file.startsWith(`${uri}/`)),
  };
}

/** `line:column` (1-based) of a range start, as people read positions. */
export const at = (range: { start: { line: number; character: number } }): string => `${range.start.line + 1}:${range.start.character + 1}`;

/** Lines joined with line breaks: fixtures read as the YAML they are. */
export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/**
 * A Deployment of app "web" whose selector matches its pod template's labels. `metadata` is its
 * metadata (one line, or two joined by a line break); `podSpec` are the lines under the pod
 * template's `spec:`, from line 11 (12 with two metadata lines): the tests' positions count on it.
 */
export const webDeployment = (metadata: string, ...podSpec: string[]): string =>
  yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    metadata,
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    ...podSpec,
  );
