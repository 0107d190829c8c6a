/**
 * What an app deploys from a folder of this repository, as object identities: the plain
 * manifests in it, or what its kustomization renders. Read from the files the engine holds
 * (the workspace scan reads every YAML file git would track), with the Kustomize workspace's
 * render for kustomization folders, and cached per folder until a file under it, or one its
 * render read, changes: an edit recomputes only the folders it can affect.
 */
import { resourcesOf, isListKind } from '../kubernetes/documents';
import { folderOf, isKustomizationUri } from '../kustomize/paths';
import type { RenderResult } from '../kustomize/render';
import { parseSection } from '../yaml/parse';
import { splitSections } from '../yaml/sections';

export interface DeployedObject {
  apiVersion: string;
  kind: string;
  /** As written or rendered; the app's destination decides it when absent. */
  namespace?: string;
  name: string;
}

export interface FolderObjects {
  objects: DeployedObject[];
  /** Why the folder's objects cannot be known here, when they cannot. */
  unknown?: string;
}

/** A kustomization folder's render (the Kustomize workspace's, so both share one cache). */
export type RenderFolder = (folderUri: string) => RenderResult;

interface CachedFolder {
  folderUri: string;
  result: FolderObjects;
  /** Files its renders read, outside the folder too (bases, components). */
  dependencies: ReadonlySet<string>;
}

/** Files a GitOps tool may apply or build from: manifests, kustomizations, chart markers. */
const DEPLOYABLE = /\.(ya?ml|json)$|\/Kustomization$/i;
const CHART_FILE = /\/Chart\.yaml$/;

const isUnder = (uri: string, folderUri: string): boolean => uri.startsWith(`${folderUri}/`);

export class DeployedObjects {
  private readonly texts = new Map<string, string>();
  private readonly parsed = new Map<string, { text: string; objects: DeployedObject[] }>();
  private readonly folders = new Map<string, CachedFolder>();

  constructor(private readonly renderFolder: RenderFolder) {}

  /** Takes a file's new text (undefined: removed); says whether a cached folder's objects may have changed. */
  observeFile(uri: string, text: string | undefined): boolean {
    // Other files (a generator's env file) matter only as what a render read.
    const deployable = DEPLOYABLE.test(uri);
    if (deployable) {
      if (this.texts.get(uri) === text) return false;
      if (text === undefined) {
        this.texts.delete(uri);
        this.parsed.delete(uri);
      } else this.texts.set(uri, text);
    }
    let changed = false;
    for (const [key, cached] of this.folders) {
      if ((deployable && isUnder(uri, cached.folderUri)) || cached.dependencies.has(uri)) {
        this.folders.delete(key);
        changed = true;
      }
    }
    return changed;
  }

  /** The objects an app deploys from the folder, reading subfolders when `recursive`. */
  objectsOf(folderUri: string, recursive: boolean): FolderObjects {
    const key = `${recursive ? 'recursive' : 'flat'}:${folderUri}`;
    const cached = this.folders.get(key);
    if (cached) return cached.result;
    const dependencies = new Set<string>();
    const result = this.collect(folderUri, recursive, dependencies);
    this.folders.set(key, { folderUri, result, dependencies });
    return result;
  }

  private collect(folderUri: string, recursive: boolean, dependencies: Set<string>): FolderObjects {
    const files = [...this.texts.keys()].filter((uri) => isUnder(uri, folderUri) && (recursive || folderOf(uri) === folderUri));
    // A chart's objects are known only to `helm template`, which needs helm and a trusted workspace: no owner can be told.
    if (files.some((uri) => CHART_FILE.test(uri) && folderOf(uri) === folderUri)) return { objects: [], unknown: 'a Helm chart' };
    const kustomizations = new Set(files.filter(isKustomizationUri).map(folderOf));
    const charts = new Set(files.filter((uri) => CHART_FILE.test(uri)).map(folderOf));
    if (kustomizations.has(folderUri)) return this.rendered(folderUri, dependencies);
    // Read recursively (Flux, Argo CD's directory.recurse), a subfolder with a kustomization is
    // built as one, as Flux does; a subfolder chart is skipped, as above.
    const objects: DeployedObject[] = [];
    const topmost = [...kustomizations].filter((folder) => ![...kustomizations].some((other) => isUnder(folder, other)));
    for (const folder of topmost) objects.push(...this.rendered(folder, dependencies).objects);
    for (const uri of files) {
      if (isKustomizationUri(uri) || CHART_FILE.test(uri)) continue;
      if ([...kustomizations, ...charts].some((folder) => isUnder(uri, folder))) continue;
      objects.push(...this.objectsInFile(uri));
    }
    return { objects };
  }

  private rendered(folderUri: string, dependencies: Set<string>): FolderObjects {
    const result = this.renderFolder(folderUri);
    for (const dependency of result.dependencies) dependencies.add(dependency);
    // A partial render would name objects that are not the real ones.
    if (result.notRendered) return { objects: [], unknown: result.notRendered };
    return { objects: result.objects.map(({ apiVersion, kind, namespace, name }) => ({ apiVersion, kind, namespace, name })) };
  }

  /** The named objects of a manifest file (a List's items, not the List), parsed once per text. */
  private objectsInFile(uri: string): DeployedObject[] {
    const text = this.texts.get(uri) ?? '';
    const previous = this.parsed.get(uri);
    if (previous?.text === text) return previous.objects;
    const objects: DeployedObject[] = [];
    for (const section of splitSections(text)) {
      for (const document of parseSection(section.text).documents) {
        for (const resource of resourcesOf(document)) {
          // An object without a name (generateName) gets a new one each time: no two apps can share it.
          if (!resource.apiVersion || !resource.kind || !resource.name || isListKind(resource.kind, resource.apiVersion)) continue;
          objects.push({ apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.namespace, name: resource.name });
        }
      }
    }
    this.parsed.set(uri, { text, objects });
    return objects;
  }
}
