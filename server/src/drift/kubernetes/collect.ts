/**
 * The objects git declares, from the files of a workspace: plain manifests as written, and
 * what each top kustomization (one no other includes) renders, with every field traced to
 * the file that wrote it. Files a kustomization reads are its own (a base, a patch) and are
 * not also taken as they stand. Helm charts are skipped: only `helm template` knows their
 * objects. Kinds without a CRD in the workspace are still collected and compared.
 */
import { shiftRange } from '../../core/types';
import { isListKind, resourcesOf } from '../../kubernetes/documents';
import { folderOf, isKustomizationUri } from '../../kustomize/paths';
import type { RenderResult, SourceLocation } from '../../kustomize/render';
import { parseSection } from '../../yaml/parse';
import { nodeAtPath } from '../../yaml/path';
import { splitSections } from '../../yaml/sections';
import type { DesiredObject } from './compare';

export interface DesiredSources {
  /** The workspace's files by URI (the engine's texts, unsaved edits included, or the files the CLI walked). */
  files: ReadonlyMap<string, string>;
  /** A kustomization folder's render: the Kustomize workspace's `renderFolder`, so drift shares its cache. */
  renderFolder: (folderUri: string) => RenderResult;
}

export interface DesiredCollection {
  objects: DesiredObject[];
  /** Files or folders whose objects could not be known, in words (a kustomization the embedded build cannot render). */
  notes: string[];
}

const MANIFEST = /\.ya?ml$/i;
const CHART_FILE = /\/Chart\.ya?ml$/;

const isUnder = (uri: string, folderUri: string): boolean => uri.startsWith(`${folderUri}/`);

function objectsOfFile(uri: string, text: string): DesiredObject[] {
  const objects: DesiredObject[] = [];
  for (const section of splitSections(text)) {
    const parsed = parseSection(section.text);
    const rangeOf = (start: number, end: number) => shiftRange(parsed.lines.rangeOf(start, end), section.line);
    for (const document of parsed.documents) {
      for (const resource of resourcesOf(document)) {
        if (!resource.kind || isListKind(resource.kind, resource.apiVersion)) continue;
        const locateField = (path: Parameters<typeof nodeAtPath>[1], at: 'key' | 'value'): SourceLocation => {
          const found = nodeAtPath(resource.node, path);
          const node = at === 'key' && found.key ? found.key : found.node;
          return { uri, range: rangeOf(node.start, node.end) };
        };
        objects.push({ value: resource.value, declaredAt: { uri, range: rangeOf(resource.node.start, resource.node.end) }, locateField });
      }
    }
  }
  return objects;
}

function objectsOfRender(result: RenderResult): DesiredObject[] {
  return result.objects.map((object) => ({
    value: object.value,
    declaredAt: { uri: object.source.uri, range: object.source.range },
    locateField: (path, at) => object.sourceOf(path, at),
  }));
}

export function collectDesired(sources: DesiredSources): DesiredCollection {
  const uris = [...sources.files.keys()].sort();
  const charts = uris.filter((uri) => CHART_FILE.test(uri)).map(folderOf);
  const renders = new Map<string, RenderResult>();
  for (const uri of uris) {
    const folder = folderOf(uri);
    if (isKustomizationUri(uri) && !charts.some((chart) => folder === chart || isUnder(folder, chart))) renders.set(folder, sources.renderFolder(folder));
  }
  // Everything a render read belongs to it: a kustomization it includes is no top one, a manifest it read is no plain one.
  const read = new Set<string>();
  const included = new Set<string>();
  for (const [folder, result] of renders) {
    for (const dependency of result.dependencies) {
      read.add(dependency);
      if (isKustomizationUri(dependency) && folderOf(dependency) !== folder) included.add(folderOf(dependency));
    }
  }
  const objects: DesiredObject[] = [];
  const notes: string[] = [];
  for (const [folder, result] of renders) {
    if (included.has(folder)) continue;
    // A partial render would compare objects that are not the real ones.
    if (result.notRendered) notes.push(`${folder}: not compared, ${result.notRendered}`);
    else objects.push(...objectsOfRender(result));
  }
  for (const uri of uris) {
    if (!MANIFEST.test(uri) || isKustomizationUri(uri) || read.has(uri)) continue;
    if (charts.some((chart) => isUnder(uri, chart))) continue;
    objects.push(...objectsOfFile(uri, sources.files.get(uri) ?? ''));
  }
  return { objects, notes };
}
