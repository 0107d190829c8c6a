/**
 * Which chart a file belongs to and what it is there, from its URI alone. A chart is a
 * folder with a Chart.yaml; the nearest one above a file wins, so a subchart's files
 * belong to the subchart. Whether a folder holds a Chart.yaml is asked of the caller.
 */

export type ChartFileRole =
  /** Chart.yaml. */
  | 'chart'
  /** values.yaml and other values files in the chart's root (values-prod.yaml) or ci/. */
  | 'values'
  /** values.schema.json. */
  | 'values-schema'
  /** A Go template under templates/ (or a vendored subchart's templates/). */
  | 'template'
  /** A plain CustomResourceDefinition under crds/: validated as Kubernetes, not claimed. */
  | 'crd'
  | 'other';

export interface ChartMembership {
  /** The chart's folder URI, without a trailing slash. */
  chartRoot: string;
  /** The file's path inside the chart, with `/`. */
  relativePath: string;
  role: ChartFileRole;
}

export const folderOfUri = (uri: string): string => uri.slice(0, uri.lastIndexOf('/'));

/** `file:///a/b/c` → `file:///a/b`; undefined at the root. */
function parentFolder(folderUri: string): string | undefined {
  const slash = folderUri.lastIndexOf('/');
  const parent = folderUri.slice(0, slash);
  return slash <= 'file://'.length || parent.endsWith(':/') || parent.endsWith(':') ? undefined : parent;
}

export function roleInChart(relativePath: string): ChartFileRole {
  if (relativePath === 'Chart.yaml') return 'chart';
  if (relativePath === 'values.schema.json') return 'values-schema';
  if (/^(?:charts\/[^/]+\/)*templates\//.test(relativePath)) return 'template';
  if (/^(?:charts\/[^/]+\/)*crds\//.test(relativePath)) return 'crd';
  if (/^values[^/]*\.ya?ml$/i.test(relativePath) || /^ci\/[^/]+\.ya?ml$/i.test(relativePath)) return 'values';
  return 'other';
}

/**
 * The chart a file belongs to: the nearest folder above it, up to (and including) a
 * `boundary` folder when one contains the file, for which `hasChart` says yes.
 */
export function chartMembership(uri: string, hasChart: (folderUri: string) => boolean, boundaries: readonly string[] = []): ChartMembership | undefined {
  const boundary = boundaries.find((folder) => uri.startsWith(`${folder}/`));
  for (let folder: string | undefined = folderOfUri(uri); folder !== undefined; folder = parentFolder(folder)) {
    if (hasChart(folder)) {
      const relativePath = uri.slice(folder.length + 1);
      return { chartRoot: folder, relativePath, role: roleInChart(relativePath) };
    }
    if (folder === boundary) break;
  }
  return undefined;
}
