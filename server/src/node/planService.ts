/**
 * Preview Plan on Node: git (changedFiles.ts), the work tree, the Kustomize renders at both
 * ends (kustomizeSnapshots.ts), the cluster (kubePlan.ts), Terraform (terraformPlan.ts) and
 * Ansible (ansiblePlan.ts) wired into the pure plan service, the same way for the CLI and the
 * language server. A `head` commit is planned in a temporary
 * worktree of it, so the user's work tree is never touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PlanError, moveDeclaredUris } from '../plan/model';
import { computePlan } from '../plan/service';
import type { PlanReport } from '../plan/types';
import { planAnsiblePlaybook } from './ansiblePlan';
import { changedFilesSinceBase, inTemporaryWorktree, type NodeBranchChanges } from './changedFiles';
import { planKubernetes } from './kubePlan';
import { commitSnapshot, diskSnapshot } from './kustomizeSnapshots';
import { planTerraformFolder } from './terraformPlan';

export interface NodePlanOptions {
  /** A folder inside the repository. */
  folder: string;
  base: string;
  /** A commit to plan instead of the work tree (e.g. the revert Roll Back… would propose). */
  head?: string;
  /** Absolute paths to limit the plan to; everything changed when empty. */
  paths?: string[];
  kubernetesContext?: string;
  kubeconfig?: string;
  /** The inventory changed playbooks are checked against (`gitopsIac.drift.ansible.inventory`); empty: the one ansible.cfg names. */
  ansibleInventory?: string;
  /** False in an untrusted workspace: then nothing runs, git included, and the plan fails with words. */
  trusted: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * `terraform init`'s folder and a local state are not in git, so a worktree of a commit has
 * neither: it borrows the work tree's (the folder linked, the state copied so nothing writes
 * to it), and the plan compares with the same live state as one of the work tree would.
 */
function borrowTerraformState(workTreeFolder: string, folder: string): void {
  if (!fs.existsSync(folder)) return;
  const initialised = path.join(workTreeFolder, '.terraform');
  if (fs.existsSync(initialised) && !fs.existsSync(path.join(folder, '.terraform'))) fs.symlinkSync(initialised, path.join(folder, '.terraform'), 'junction');
  for (const state of ['terraform.tfstate', 'terraform.tfstate.d']) {
    const source = path.join(workTreeFolder, state);
    if (fs.existsSync(source) && !fs.existsSync(path.join(folder, state))) fs.cpSync(source, path.join(folder, state), { recursive: true });
  }
}

/** The plan of `changes` with the tools run on the files under `root` (the work tree, or a worktree of `changes.head`). */
function planIn(root: string, changes: NodeBranchChanges, options: NodePlanOptions): Promise<PlanReport> {
  const toRelative = (absolute: string): string => path.relative(changes.root, absolute).split(path.sep).join('/');
  return computePlan(
    changes,
    {
      readFile(relative) {
        try {
          return fs.readFileSync(path.join(root, relative), 'utf8');
        } catch {
          return undefined;
        }
      },
      // Renders answer under the repository's URI even from a worktree, so their links outlive it.
      kustomize: { base: () => commitSnapshot(changes.root, changes.rootUri, changes.mergeBase), head: () => diskSnapshot(root, changes.rootUri) },
      planKubernetes: (input) => planKubernetes(input, { trusted: options.trusted, ...(options.kubernetesContext ? { context: options.kubernetesContext } : {}), ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}) }),
      planTerraform: (folder) => {
        if (root !== changes.root) borrowTerraformState(path.join(changes.root, folder), path.join(root, folder));
        return planTerraformFolder(path.join(root, folder), { root, trusted: options.trusted, ...(options.env ? { env: options.env } : {}) });
      },
      planAnsible: async (playbooks) => {
        const environments = [];
        // One after another: each check-mode run connects to every host of the inventory.
        for (const playbook of playbooks) {
          environments.push(await planAnsiblePlaybook(path.join(root, playbook), { root, trusted: options.trusted, ...(options.ansibleInventory ? { inventory: options.ansibleInventory } : {}), ...(options.env ? { env: options.env } : {}) }));
        }
        return environments;
      },
      now: () => new Date(),
    },
    { paths: (options.paths ?? []).map((absolute) => toRelative(absolute)) },
  );
}

export async function planBranch(options: NodePlanOptions): Promise<PlanReport> {
  if (!options.trusted) throw new PlanError('The workspace is not trusted, so git, the cluster, Terraform and Ansible were not run. Trust the workspace to preview the plan.');
  const changes = await changedFilesSinceBase(options.folder, options.base, options.head);
  const head = changes.head;
  if (!head) return planIn(changes.root, changes, options);
  return inTemporaryWorktree(changes.root, head, async (worktree) => moveDeclaredUris(await planIn(worktree, changes, options), pathToFileURL(worktree).href, changes.rootUri));
}
