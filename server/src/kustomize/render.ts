/**
 * The public rendering API: what a kustomization folder produces, with every field traced
 * back to the file and YAML node that wrote it. Pure: files come through a reader, so the
 * same code serves the editor (unsaved texts), the CLI, drift and plan.
 */
import type { Finding, Range } from '../core/types';
import type { PathSegment } from '../yaml/path';
import { buildKustomization } from './build';

/** How the renderer reads the repository. URIs are `file://` URIs without a trailing slash. */
export interface KustomizeReader {
  /** A file's text, or undefined when there is no such file (missing, unreadable, a folder). */
  readFile(uri: string): string | undefined;
  /** Whether a folder exists at the URI. */
  isFolder(uri: string): boolean;
}

export interface SourceLocation {
  uri: string;
  range: Range;
}

/** Where a rendered field came from, and whether a patch or transformer (not the base) wrote it. */
export interface FieldSource extends SourceLocation {
  /** `resource` for the base file, `patch` for a patch, `kustomization` for a transformer or generator. */
  producer: 'resource' | 'patch' | 'kustomization';
}

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The object as `kustomize build` prints it. */
  value: Record<string, unknown>;
  /** The document that defined the object (a resource file, or the generator entry). */
  source: SourceLocation;
  /** Who produced the field at `path` (the deepest ancestor that exists when the path does not). */
  sourceOf(path: readonly PathSegment[], at?: 'key' | 'value'): FieldSource;
}

/** A finding placed in a file: a kustomization, a patch or a resource. */
export interface LocatedFinding extends Finding {
  uri: string;
}

export interface RenderResult {
  /** The kustomization file rendered. */
  kustomizationUri: string;
  objects: RenderedObject[];
  /** Problems found while building: missing paths, bad fields, patches that target nothing. */
  problems: LocatedFinding[];
  /** Every file read (or looked for) while rendering: a change to any of them invalidates the result. */
  dependencies: string[];
  /** Files whose objects were added as resources. */
  resourceFiles: string[];
  /** Files read as patches: fragments of objects, not objects. */
  patchFiles: string[];
  /** The ConfigMaps and Secrets its generators made, by the names they were given (before hashes and prefixes). */
  generated: { kind: string; name: string; namespace?: string }[];
  /** Why the embedded build could not render this kustomization faithfully, when it could not. */
  notRendered?: string;
}

/**
 * Renders the kustomization in `folderUri` (its `kustomization.yaml`, `.yml` or
 * `Kustomization`) with the embedded build. Never throws on bad input: problems are findings.
 */
export function renderKustomization(folderUri: string, reader: KustomizeReader): RenderResult {
  return buildKustomization(folderUri.replace(/\/+$/, ''), reader);
}
