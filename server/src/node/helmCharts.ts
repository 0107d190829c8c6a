/**
 * The disk side of Helm chart detection: whether a folder holds a Chart.yaml, and reading
 * a chart file the shell did not feed in (the values.schema.json next to an open values file).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChartFiles } from '../helm/workspace';

function pathOf(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    // Not a file: URI (an untitled editor): nothing on disk.
    return undefined;
  }
}

export const diskChartFiles: ChartFiles = {
  hasChartFile(folderUri) {
    const folder = pathOf(folderUri);
    return folder !== undefined && existsSync(path.join(folder, 'Chart.yaml'));
  },
  readFile(uri) {
    const file = pathOf(uri);
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};
