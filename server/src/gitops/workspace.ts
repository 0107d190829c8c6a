/**
 * GitOps app definitions as a workspace check: every Argo CD or Flux object that deploys a
 * path of this very repository gets that path checked (an error when the folder does not
 * exist, a warning when it holds nothing to apply), and a link on the path opens the folder.
 * Two apps that deploy the same object get a warning each (ownership.ts).
 *
 * It is a LanguageWorkspace that owns no file: it observes every file the engine holds
 * (app definitions are Kubernetes objects, validated as such) and contributes findings to
 * the app definitions. Which repository a file is in, its remotes, and what a folder holds
 * are asked of the injected `Repositories` (node/gitRepositories.ts), so this stays pure.
 */
import type { Finding, Range } from '../core/types';
import type { ContributedFinding, LanguageWorkspace } from '../engine/engine';
import type { KubernetesSchemas } from '../kubernetes/schemaStore';
import type { ValidationContext } from '../kubernetes/validate';
import { CLUSTER_SCOPED_KINDS } from '../kustomize/resources';
import { appsInText, mayHoldApps, type AppSource, type FileApps } from './apps';
import { DeployedObjects, type RenderFolder } from './deployedObjects';
import { DUPLICATE_OWNERSHIP_RULE, ownershipConflicts, ownershipMessage, type OwningSource } from './ownership';
import { sameRepository } from './repoUrl';

export type FolderContents = 'missing' | 'empty' | 'manifests';

export interface Repositories {
  /** The git work tree holding a file (its root folder URI, no trailing slash) and its remotes' URLs. */
  repositoryOf(fileUri: string): { rootUri: string; remoteUrls: string[] } | undefined;
  /** Whether a folder exists and holds something to apply (YAML or JSON manifests, a kustomization, a Chart.yaml). */
  folderContents(folderUri: string, recursive: boolean): FolderContents;
}

export const APP_PATH_RULE = 'gitops/app-path';

/** Flux's bootstrap names the GitRepository of the repository it was bootstrapped from so. */
const FLUX_BOOTSTRAP_SOURCE = 'flux-system';

export interface FolderLink {
  range: Range;
  folderUri: string;
}

export class GitOpsApps implements LanguageWorkspace {
  private readonly files = new Map<string, FileApps>();
  private readonly deployed: DeployedObjects;
  private schemas: KubernetesSchemas | undefined;
  /** Ownership findings by app file; dropped when an app, or a folder an app deploys, changes. */
  private ownership: Map<string, ContributedFinding[]> | undefined;
  /** App files that had ownership findings before the last changes, once a change dropped them: to re-publish. */
  private formerOwnershipFiles: Set<string> | undefined;

  /** `renderFolder` renders a kustomization folder (the Kustomize workspace's cached render). */
  constructor(
    private readonly repositories: Repositories,
    renderFolder: RenderFolder,
  ) {
    this.deployed = new DeployedObjects(renderFolder);
  }

  handles(): boolean {
    return false;
  }

  setFile(): void {}

  removeFile(): void {}

  diagnose(): Finding[] {
    return [];
  }

  observeFile(uri: string, text: string | undefined): void {
    const heldApps = this.files.delete(uri);
    if (text !== undefined && mayHoldApps(text)) this.files.set(uri, appsInText(text));
    const foldersChanged = this.deployed.observeFile(uri, text);
    if (heldApps || this.files.has(uri) || foldersChanged) this.forgetOwnership();
  }

  useValidation(context: ValidationContext): void {
    this.schemas = context.schemas;
    this.forgetOwnership();
  }

  private forgetOwnership(): void {
    this.formerOwnershipFiles ??= new Set();
    for (const uri of this.ownership?.keys() ?? []) this.formerOwnershipFiles.add(uri);
    this.ownership = undefined;
  }

  /** The folder an app's path names, when the app deploys from the repository holding `uri`. */
  private folderOf(uri: string, source: AppSource): string | undefined {
    const repository = this.repositories.repositoryOf(uri);
    if (!repository || !this.isThisRepository(source, repository.remoteUrls)) return undefined;
    const relative = source.path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (relative === '' || relative === '.') return repository.rootUri;
    // A path that climbs out of the repository is not a folder of it.
    if (relative.startsWith('/') || relative.split('/').includes('..')) return undefined;
    return `${repository.rootUri}/${relative}`;
  }

  private isThisRepository(source: AppSource, remoteUrls: readonly string[]): boolean {
    if (source.repoURL !== undefined) return remoteUrls.some((remote) => sameRepository(remote, source.repoURL!));
    const reference = source.gitRepository;
    if (!reference) return false;
    const definitions = [...this.files.values()].flatMap((file) => file.gitRepositories).filter((d) => d.name === reference.name && (!reference.namespace || !d.namespace || d.namespace === reference.namespace));
    if (definitions.length > 0) return definitions.some((d) => remoteUrls.some((remote) => sameRepository(remote, d.url)));
    return reference.name === FLUX_BOOTSTRAP_SOURCE;
  }

  findingsFor(uri: string): ContributedFinding[] {
    const file = this.files.get(uri);
    if (!file) return [];
    const findings: ContributedFinding[] = [];
    for (const source of file.sources) {
      const folder = this.folderOf(uri, source);
      if (!folder) continue;
      const contents = this.repositories.folderContents(folder, source.recursive);
      if (contents === 'manifests') continue;
      const message =
        contents === 'missing'
          ? `${source.app} deploys "${source.path}", which does not exist in this repository.`
          : `${source.app} deploys "${source.path}", which holds nothing to apply (no YAML manifests, kustomization or Chart.yaml${source.recursive ? '' : ' directly in it; set directory.recurse to read its subfolders'}).`;
      findings.push({ range: source.pathRange, severity: contents === 'missing' ? 'error' : 'warning', rule: APP_PATH_RULE, message, original: message });
    }
    return [...findings, ...(this.ownershipFindings().get(uri) ?? [])];
  }

  /** App files whose ownership findings this change may have added or cleared. */
  dependentsOf(uri: string): string[] {
    if (!this.formerOwnershipFiles) return [];
    const dependents = new Set([...this.formerOwnershipFiles, ...this.ownershipFindings().keys()]);
    this.formerOwnershipFiles = undefined;
    dependents.delete(uri);
    return [...dependents];
  }

  private ownershipFindings(): Map<string, ContributedFinding[]> {
    if (this.ownership) return this.ownership;
    const owners: OwningSource[] = [];
    for (const [uri, file] of this.files) {
      for (const source of file.sources) {
        const folder = source.destination && this.folderOf(uri, source);
        if (folder) owners.push({ appId: `${uri}#${source.app}`, uri, source, objects: this.deployed.objectsOf(folder, source.recursive).objects });
      }
    }
    const isNamespaced = (apiVersion: string, kind: string): boolean => this.schemas?.lookup(apiVersion, kind)?.namespaced ?? !CLUSTER_SCOPED_KINDS.has(kind);
    const ownership = new Map<string, ContributedFinding[]>();
    for (const conflict of ownershipConflicts(owners, isNamespaced)) {
      const { uri, source } = conflict.owner;
      const message = ownershipMessage(conflict, this.repositoryPath(conflict.other.uri));
      const finding: ContributedFinding = { range: source.pathRange, severity: 'warning', rule: DUPLICATE_OWNERSHIP_RULE, message, original: message };
      ownership.set(uri, [...(ownership.get(uri) ?? []), finding]);
    }
    this.ownership = ownership;
    return ownership;
  }

  /** A file's path from its repository's root, for messages. */
  private repositoryPath(uri: string): string {
    const root = this.repositories.repositoryOf(uri)?.rootUri;
    return decodeURIComponent(root && uri.startsWith(`${root}/`) ? uri.slice(root.length + 1) : uri);
  }

  /** Links from each app's path to its folder, when the folder exists. */
  links(uri: string): FolderLink[] {
    const links: FolderLink[] = [];
    for (const source of this.files.get(uri)?.sources ?? []) {
      const folder = this.folderOf(uri, source);
      if (folder && this.repositories.folderContents(folder, false) !== 'missing') links.push({ range: source.pathRange, folderUri: folder });
    }
    return links;
  }
}
