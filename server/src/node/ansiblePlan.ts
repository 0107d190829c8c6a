/**
 * The Ansible plan of one changed playbook: the drift side's check-mode run
 * (`ansible-playbook --check --diff`, trusted workspaces only, ansibleDrift.ts) read as a plan.
 */
import * as path from 'node:path';
import { ansiblePlanResources } from '../plan/ansible';
import { planEnvironment } from '../plan/model';
import type { PlanEnvironment } from '../plan/types';
import { ansibleDrift } from './ansibleDrift';

export interface AnsiblePlanOptions {
  /** The repository root: environments and task ids are named relative to it. */
  root: string;
  /** False in an untrusted workspace: then nothing runs. */
  trusted: boolean;
  /** `gitopsIac.drift.ansible.inventory`: a path relative to the playbook's folder, or a host list; empty: the one ansible.cfg names. */
  inventory?: string;
  env?: NodeJS.ProcessEnv;
}

export async function planAnsiblePlaybook(playbook: string, options: AnsiblePlanOptions): Promise<PlanEnvironment> {
  const inventory = options.inventory?.trim() ?? '';
  const relative = path.relative(options.root, playbook).split(path.sep).join('/');
  const name = `${relative} (${inventory ? `inventory ${inventory}` : 'inventory from ansible.cfg'})`;
  const checked = await ansibleDrift(playbook, { trusted: options.trusted, ...(inventory ? { inventory } : {}), ...(options.env ? { env: options.env } : {}) });
  const rootPrefix = `${options.root.replace(/[\\/]+$/, '')}${path.sep}`;
  const relativeId = (id: string): string => (id.startsWith(rootPrefix) ? id.slice(rootPrefix.length).split(path.sep).join('/') : id);
  return planEnvironment('ansible', name, ansiblePlanResources(checked.resources, relativeId), checked.error);
}
