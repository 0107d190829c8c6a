/**
 * GitOps: Create GitOps PR. The user picks the changed IaC files, sees validation errors
 * (and may open a draft anyway), confirms a title; the language server then branches, commits
 * only those files, pushes, opens the PR and returns to the original branch with every other
 * change as it was (server/src/node/git, server/src/node/forges). This file is the dialogue.
 */
import * as vscode from 'vscode';
import {
  ChangedFilesRequest,
  CreatePrRequest,
  type ChangedFile,
  type ChangedRepository,
  type CreatePrParams,
  type PrValidation,
} from '../../../server/src/protocol';
import type { CommandFactory, Ctx } from '../ctx';
import { currentDrift, planMarkdown } from './bodySections';
import { forgeAccess } from './forgeTokens';
import { describeErrors, reportUnexpectedFailure, showPrCreated, showPrFailure } from './prOutcome';
import { proposeTitle } from './prTitle';
import { readSettings } from './workflowSettings';

const TITLE = 'Create GitOps PR';
const OPEN_DRAFT = 'Open Draft PR Anyway';

/** True when the command may run git; otherwise tells the user how to get there. */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showErrorMessage(`${what} runs git and needs a trusted workspace.`, manage);
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

function statusWord(file: ChangedFile): string {
  const letters = `${file.index}${file.workTree}`;
  if (letters.includes('?')) return 'untracked';
  if (letters.includes('A')) return 'added';
  if (letters.includes('D')) return 'deleted';
  if (letters.includes('R')) return 'renamed';
  return 'modified';
}

async function pickRepository(repositories: ChangedRepository[]): Promise<ChangedRepository | undefined> {
  const changed = repositories.filter((repository) => repository.files.length > 0);
  if (changed.length <= 1) return changed[0];
  const picked = await vscode.window.showQuickPick(
    changed.map((repository) => ({
      label: vscode.workspace.asRelativePath(vscode.Uri.parse(repository.root), true) || vscode.Uri.parse(repository.root).fsPath,
      description: `${repository.files.length} changed IaC files`,
      repository,
    })),
    { title: TITLE, placeHolder: 'Which repository?' },
  );
  return picked?.repository;
}

async function pickFiles(repository: ChangedRepository): Promise<ChangedFile[] | undefined> {
  const items = repository.files.map((file) => ({
    label: file.path,
    description: statusWord(file),
    picked: true,
    file,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE}: files to commit`,
    placeHolder: 'Only the picked files are committed; every other change stays as it is.',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) return undefined;
  return picked.map((item) => item.file);
}

/** Asks whether to open a draft when validation found errors; true to go on as a draft. */
async function confirmDraft(validation: PrValidation): Promise<boolean> {
  const errors = validation.errors;
  const choice = await vscode.window.showWarningMessage(
    `Validation found ${errors} ${errors === 1 ? 'error' : 'errors'} in the picked files.`,
    {
      modal: true,
      detail: `${describeErrors(validation.findings)}\n\nFix them first, or open a draft pull request whose description says that validation failed.`,
    },
    OPEN_DRAFT,
  );
  return choice === OPEN_DRAFT;
}

async function askTitle(proposed: string): Promise<string | undefined> {
  const title = await vscode.window.showInputBox({
    title: `${TITLE}: title`,
    value: proposed,
    prompt: 'The pull request title; the branch name is made from it.',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'The title must not be empty.' : undefined),
  });
  return title?.trim();
}

export async function createGitOpsPullRequest(ctx: Ctx): Promise<void> {
  if (!(await requireTrust(TITLE))) return;
  const { repositories } = await ctx.sendRequest(ChangedFilesRequest.type, {});
  const repository = await pickRepository(repositories);
  if (!repository) {
    const where = repositories.length === 0 ? 'No git repository holds this workspace' : 'No IaC file has changed';
    void vscode.window.showInformationMessage(`${where}, so there is nothing to propose. Edit a manifest, a .tf file or a playbook first.`);
    return;
  }
  const files = await pickFiles(repository);
  if (!files) return;

  const rootUri = vscode.Uri.parse(repository.root);
  const settings = readSettings(rootUri);
  const target: CreatePrParams = {
    folder: repository.root,
    files: files.map((file) => file.path),
    title: proposeTitle(files),
    branchTemplate: settings.pr.branchTemplate,
    base: settings.pr.baseBranch || undefined,
  };

  // A dry run validates the files and names the provider (hence which token to ask for)
  // without touching the repository or the network. As a draft, so errors do not stop it.
  const preview = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: TITLE },
    async (progress) => {
      progress.report({ message: 'Validating the picked files…' });
      return ctx.sendRequest(CreatePrRequest.type, { ...target, dryRun: true, draft: true });
    },
  );
  if (!preview.ok) {
    await showPrFailure(ctx, preview);
    return;
  }
  const draft = preview.validation.errors > 0;
  if (draft && !(await confirmDraft(preview.validation))) return;

  const title = await askTitle(target.title);
  if (!title) return;
  ctx.outputChannel.info(`${TITLE}: ${target.files.length} picked, ${preview.validation.errors} errors; opening a ${draft ? 'draft ' : ''}PR on ${preview.provider}.`);
  const access = await forgeAccess(preview.provider, settings, ctx.extensionContext.secrets);
  if (!access) return;

  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: TITLE }, async (progress) => {
    progress.report({ message: 'Previewing the plan…' });
    const plan = await planMarkdown(ctx, repository.root, target.files, target.base);
    progress.report({ message: 'Checking drift…' });
    const drift = await currentDrift(ctx);
    ctx.outputChannel.info(`${TITLE}: plan and drift read; committing, pushing and opening the pull request.`);
    progress.report({ message: 'Committing, pushing and opening the pull request…' });
    return ctx.sendRequest(CreatePrRequest.type, { ...target, ...access, title, draft, plan, drift });
  });
  if (result.ok) await showPrCreated(result, draft);
  else await showPrFailure(ctx, result, preview.provider);
}

export const createPr: CommandFactory = (ctx) => async () => {
  try {
    await createGitOpsPullRequest(ctx);
  } catch (error) {
    reportUnexpectedFailure(ctx, TITLE, error);
  }
};
