/**
 * The language server's PR requests, answered with the same flow as the CLI. Nothing runs
 * in an untrusted workspace, git included: PR requests fail with words, lists are empty.
 */
import { fileURLToPath } from 'node:url';
import type { ChangedRepository, CreatePrParams, PrFailure, PrResult, RevertPrParams, RollbackCandidate, RollbackCandidatesParams, ChangedFilesParams } from '../../protocol';
import type { Settings } from '../../settings';
import { createPullRequest } from './createPullRequest';
import { changedFiles, rollbackCandidates } from './history';
import { engineValidator } from './prValidation';
import { revertPullRequest } from './revertPullRequest';

export interface PrRequestContext {
  trusted: boolean;
  /** Workspace folders, as paths. */
  folders: () => readonly string[];
  settings: () => Settings;
  /** Where the server bundle is, to find the schemas. */
  fromDir: string;
}

const UNTRUSTED: PrFailure = {
  ok: false,
  reason: 'untrusted',
  message: 'This workspace is not trusted, so GitOps IaC runs no git command and opens no PR in it. Nothing was changed.',
  nextStep: 'Trust the workspace (Workspaces: Manage Workspace Trust), then try again.',
};

const NO_FOLDER: PrFailure = { ok: false, reason: 'not-a-repository', message: 'No folder is open, so there is no repository to open a PR for.', nextStep: 'Open the folder of a git clone, then try again.' };

export function prRequestHandlers(context: PrRequestContext) {
  const folderOf = (uri: string | undefined): string | undefined => (uri ? fileURLToPath(uri) : context.folders()[0]);
  return {
    createPr: async (params: CreatePrParams): Promise<PrResult> => {
      const folder = folderOf(params.folder);
      if (!context.trusted) return UNTRUSTED;
      return folder ? createPullRequest({ ...params, folder }, engineValidator(context.settings(), context.fromDir)) : NO_FOLDER;
    },
    revertPr: async (params: RevertPrParams): Promise<PrResult> => {
      const folder = folderOf(params.folder);
      if (!context.trusted) return UNTRUSTED;
      return folder ? revertPullRequest({ ...params, folder }, engineValidator(context.settings(), context.fromDir)) : NO_FOLDER;
    },
    changedFiles: async (params: ChangedFilesParams): Promise<{ repositories: ChangedRepository[] }> => ({
      repositories: context.trusted ? await changedFiles(params.folders?.map((uri) => fileURLToPath(uri)) ?? context.folders()) : [],
    }),
    rollbackCandidates: async (params: RollbackCandidatesParams): Promise<{ candidates: RollbackCandidate[] }> => {
      const folder = folderOf(params.folder);
      return { candidates: context.trusted && folder ? await rollbackCandidates(folder, params.limit) : [] };
    },
  };
}
