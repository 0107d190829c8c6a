/**
 * Preview Plan, the whole of it: which IaC files changed on this branch since the merge base,
 * sorted into Kubernetes objects (applied and removed), Terraform module folders and Ansible
 * playbooks, each planned by the tool that would apply it. Pure: git, the disk and the tools
 * are passed in, so the CLI and the language server run the same plan.
 */
import { detectAnsibleFile } from '../ansible/detect';
import { textLooksLikeKubernetes } from '../kubernetes/documents';
import { planReport } from './model';
import { manifestObjects, removedObjects, type ManifestObject } from './kubernetes';
import type { PlanEnvironment, PlanReport } from './types';

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface ChangedFile {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  status: ChangeStatus;
}

export interface BranchChanges {
  /** The repository root as a file URI. */
  rootUri: string;
  /** The ref compared against, as resolved (`main` or `origin/main`). */
  baseRef: string;
  mergeBase: string;
  /** The commit planned instead of the work tree (full sha); absent for the work tree. */
  head?: string;
  files: ChangedFile[];
  /** A file's text at the merge base; undefined when it did not exist there. */
  readAtMergeBase(path: string): Promise<string | undefined>;
}

export interface PlanIo {
  /** The text of a repository-relative file in the work tree (or at `head`); undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  planKubernetes(input: { objects: ManifestObject[]; removed: { object: ManifestObject; path: string }[] }): Promise<PlanEnvironment>;
  /** Plans one module folder (repository-relative, `.` for the root). */
  planTerraform(folder: string): Promise<PlanEnvironment>;
  /** Plans changed playbooks (repository-relative); absent when Ansible planning is not available. */
  planAnsible?(playbooks: string[]): Promise<PlanEnvironment[]>;
  now(): Date;
}

export interface PlanSelection {
  /** Repository-relative paths (files or folders) to limit the plan to; everything when empty. */
  paths?: readonly string[];
}

const MANIFEST = /\.(ya?ml|json)$/i;
const TERRAFORM = /\.(tf|tfvars)$/i;

const uriOf = (rootUri: string, path: string): string => `${rootUri.replace(/\/$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;

function selected(path: string, paths: readonly string[] | undefined): boolean {
  if (!paths || paths.length === 0) return true;
  return paths.some((wanted) => {
    const prefix = wanted.replace(/\/+$/, '');
    return prefix === '' || prefix === '.' || path === prefix || path.startsWith(`${prefix}/`);
  });
}

const folderOfPath = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');

export async function computePlan(changes: BranchChanges, io: PlanIo, selection: PlanSelection = {}): Promise<PlanReport> {
  const files = changes.files.filter((file) => (MANIFEST.test(file.path) || TERRAFORM.test(file.path)) && selected(file.path, selection.paths));
  const current: ManifestObject[] = [];
  const atBase: { object: ManifestObject; path: string }[] = [];
  const terraformFolders = new Set<string>();
  const playbooks: string[] = [];
  const changedFiles: string[] = [];

  for (const file of files) {
    if (TERRAFORM.test(file.path)) {
      terraformFolders.add(folderOfPath(file.path));
      changedFiles.push(file.path);
      continue;
    }
    const uri = uriOf(changes.rootUri, file.path);
    const text = file.status === 'deleted' ? undefined : io.readFile(file.path);
    const baseText = file.status === 'added' ? undefined : await changes.readAtMergeBase(file.path);
    if (text !== undefined && detectAnsibleFile(uri, text) === 'playbook') {
      playbooks.push(file.path);
      changedFiles.push(file.path);
      continue;
    }
    const isManifest = (text !== undefined && textLooksLikeKubernetes(text)) || (baseText !== undefined && textLooksLikeKubernetes(baseText));
    if (!isManifest) continue;
    changedFiles.push(file.path);
    if (text !== undefined) current.push(...manifestObjects(uri, text));
    if (baseText !== undefined) for (const object of manifestObjects(uri, baseText)) atBase.push({ object, path: file.path });
  }

  const environments: PlanEnvironment[] = [];
  const removedSet = new Set(removedObjects(atBase.map((entry) => entry.object), current));
  const removed = atBase.filter((entry) => removedSet.has(entry.object));
  if (current.length > 0 || removed.length > 0) environments.push(await io.planKubernetes({ objects: current, removed }));
  for (const folder of [...terraformFolders].sort()) environments.push(await io.planTerraform(folder));
  if (playbooks.length > 0 && io.planAnsible) environments.push(...(await io.planAnsible(playbooks)));

  return planReport({
    rootUri: changes.rootUri,
    base: changes.baseRef,
    mergeBase: changes.mergeBase,
    ...(changes.head ? { head: changes.head } : {}),
    changedFiles,
    environments,
    createdAt: io.now(),
  });
}
