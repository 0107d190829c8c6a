/**
 * Preview Plan, the whole of it: which IaC files changed on this branch since the merge base,
 * sorted into Kubernetes objects (applied and removed; for a kustomization's inputs, the objects
 * its overlays render differently), Terraform module folders and Ansible playbooks, each
 * planned by the tool that would apply it. Pure: git, the disk and the tools
 * are passed in, so the CLI and the language server run the same plan.
 */
import { detectAnsibleFile } from '../ansible/detect';
import { textLooksLikeKubernetes } from '../kubernetes/documents';
import { planReport } from './model';
import { manifestObjects, removedObjects, uriOf, type ManifestObject } from './kubernetes';
import { folderOfPath, planKustomizations, type KustomizeSnapshot } from './kustomizations';
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
  planKubernetes(input: { objects: ManifestObject[]; removed: { object: ManifestObject; path: string }[]; notes: string[] }): Promise<PlanEnvironment>;
  /** The repository at the merge base and at the head, for Kustomize renders; absent: kustomizations are not rendered. */
  kustomize?: { base(): Promise<KustomizeSnapshot>; head(): Promise<KustomizeSnapshot> };
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

function selected(path: string, paths: readonly string[] | undefined): boolean {
  if (!paths || paths.length === 0) return true;
  return paths.some((wanted) => {
    const prefix = wanted.replace(/\/+$/, '');
    return prefix === '' || prefix === '.' || path === prefix || path.startsWith(`${prefix}/`);
  });
}

export async function computePlan(changes: BranchChanges, io: PlanIo, selection: PlanSelection = {}): Promise<PlanReport> {
  // Any changed file may be a kustomization's input (a generator reads `.env` and `.properties` files too).
  const kustomize = io.kustomize
    ? await planKustomizations({
        rootUri: changes.rootUri,
        changedPaths: changes.files.filter((file) => selected(file.path, selection.paths)).map((file) => file.path),
        base: await io.kustomize.base(),
        head: await io.kustomize.head(),
      })
    : undefined;
  // What a kustomization reads is its own (a base, a patch), planned through its render rather than as it stands.
  const files = changes.files.filter((file) => (MANIFEST.test(file.path) || TERRAFORM.test(file.path)) && selected(file.path, selection.paths) && !kustomize?.readPaths.has(file.path));
  const current: ManifestObject[] = [...(kustomize?.objects ?? [])];
  const atBase: { object: ManifestObject; path: string }[] = [...(kustomize?.removed ?? [])];
  const terraformFolders = new Set<string>();
  const playbooks: string[] = [];
  const changedFiles: string[] = [...(kustomize?.plannedPaths ?? [])];

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
  const notes = kustomize?.notes ?? [];
  if (current.length > 0 || removed.length > 0 || notes.length > 0) environments.push(await io.planKubernetes({ objects: current, removed, notes }));
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
