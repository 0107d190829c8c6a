/**
 * GitOps: Add CI Validation: writes the GitHub Actions workflow and/or the GitLab CI job of
 * ciTemplates.ts into the workspace, asking before replacing or changing any existing file,
 * then opens what it wrote.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { reportUnexpectedFailure } from '../pr/prOutcome';
import { GITHUB_WORKFLOW_PATH, GITLAB_CI_PATH, appendGitLabJob, githubWorkflow, gitlabJob, hasGitLabJob } from './ciTemplates';

const TITLE = 'Add CI Validation';

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}

async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
}

/** The workflow file, replacing an existing one only when the user says so. Returns the file written. */
async function writeGitHubWorkflow(root: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = vscode.Uri.joinPath(root, GITHUB_WORKFLOW_PATH);
  const existing = await readText(uri);
  const text = githubWorkflow();
  if (existing === text) return uri;
  if (existing !== undefined && !(await confirm(`${GITHUB_WORKFLOW_PATH} already exists.`, 'Replace it with the GitOps IaC workflow? Its current content is lost unless it is committed.', 'Replace'))) {
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** The job in .gitlab-ci.yml: a new file, or appended to the existing one when the user agrees. */
async function writeGitLabJob(root: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = vscode.Uri.joinPath(root, GITLAB_CI_PATH);
  const existing = await readText(uri);
  if (existing !== undefined && hasGitLabJob(existing)) {
    void vscode.window.showInformationMessage(`${GITLAB_CI_PATH} already has a gitops-iac job; it was left as it is.`);
    return uri;
  }
  if (existing !== undefined && !(await confirm(`${GITLAB_CI_PATH} already exists.`, 'Append the gitops-iac job to it? Everything in it stays.', 'Append'))) {
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(existing === undefined ? gitlabJob() : appendGitLabJob(existing)));
  return uri;
}

export const addCiValidation: CommandFactory = (ctx) => async () => {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    void vscode.window.showInformationMessage(`${TITLE}: open the folder of your repository first.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'GitHub Actions', description: GITHUB_WORKFLOW_PATH, picked: true, write: writeGitHubWorkflow },
      { label: 'GitLab CI', description: GITLAB_CI_PATH, picked: false, write: writeGitLabJob },
    ],
    { title: TITLE, placeHolder: 'Where do your pull requests run CI?', canPickMany: true },
  );
  if (!picked || picked.length === 0) return;
  try {
    for (const item of picked) {
      const written = await item.write(root);
      if (written) await vscode.window.showTextDocument(written, { preview: false });
    }
  } catch (error) {
    reportUnexpectedFailure(ctx, TITLE, error);
  }
};
