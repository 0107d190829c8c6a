/**
 * The `gitopsIac/plan` request: Preview Plan for a workspace folder. A failure the user can act
 * on (no repository, unknown base branch, untrusted workspace) is answered as a request error
 * whose message is the words to show.
 */
import { ResponseError, type Connection } from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { planBranch } from '../node/planService';
import { PlanError } from '../plan/model';
import { PlanRequest, type PlanParams } from '../protocol';

/** LSP's code for a request the server understood but could not carry out. */
const REQUEST_FAILED = -32803;

export interface PlanRequestContext {
  workspaceTrusted(): boolean;
  /** Absolute paths of the workspace folders. */
  workspaceFolders(): string[];
  /** `gitopsIac.drift.ansible.inventory`: what changed playbooks are checked against. */
  ansibleInventory(): Promise<string>;
}

function toPath(given: string, folder: string): string {
  return given.startsWith('file:') ? fileURLToPath(given) : path.resolve(folder, given);
}

export function registerPlanRequest(connection: Connection, context: PlanRequestContext): void {
  connection.onRequest(PlanRequest.type, async (params: PlanParams) => {
    const folder = params.folder ? fileURLToPath(params.folder) : context.workspaceFolders()[0];
    if (!folder) throw new ResponseError(REQUEST_FAILED, 'Open a folder inside a git repository to preview its plan.');
    try {
      return await planBranch({
        folder,
        base: params.base || 'main',
        ...(params.head ? { head: params.head } : {}),
        paths: (params.paths ?? []).map((given) => toPath(given, folder)),
        ...(params.kubernetesContext ? { kubernetesContext: params.kubernetesContext } : {}),
        ansibleInventory: await context.ansibleInventory(),
        trusted: context.workspaceTrusted(),
      });
    } catch (error) {
      if (error instanceof PlanError) throw new ResponseError(REQUEST_FAILED, error.message);
      throw error;
    }
  });
}
