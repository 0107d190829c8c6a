/**
 * The terminal guard: with shell integration, VS Code reports each command run in the
 * integrated terminal; when one changes live infrastructure by hand (server/src/gitops/
 * applyCommands.ts decides) in a GitOps workspace, a warning explains the GitOps flow and
 * offers Create GitOps PR instead. It cannot stop the command (it has already started); it
 * teaches. Setting `gitopsIac.guard.terminal`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findApplyCommands, type ApplyCommand } from '../../../server/src/gitops/applyCommands';
import { readSettings } from '../pr/workflowSettings';

const CREATE_PR = 'Create GitOps PR instead';
const DONT_SHOW_AGAIN = "Don't Show Again";
const IAC_FILES = '**/*.{yaml,yml,tf,tfvars}';
const SKIPPED_FOLDERS = '**/{node_modules,.git,.terraform}/**';

/** True when `folder` or a folder above it holds `.git` (a folder, or a worktree's file). */
async function insideGitRepository(folder: string): Promise<boolean> {
  for (let current = folder; ; current = path.dirname(current)) {
    try {
      await fs.stat(path.join(current, '.git'));
      return true;
    } catch {
      if (path.dirname(current) === current) return false;
    }
  }
}

/** A git repository with IaC files: where changes should go through pull requests. */
async function isGitOpsWorkspace(): Promise<boolean> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  const inGit = await Promise.all(folders.map((folder) => insideGitRepository(folder.uri.fsPath)));
  if (!inGit.some(Boolean)) return false;
  return (await vscode.workspace.findFiles(IAC_FILES, SKIPPED_FOLDERS, 1)).length > 0;
}

function warningFor(command: ApplyCommand): string {
  return (
    `"${command.text}" changes live infrastructure by hand. In a GitOps workspace, changes go through a pull request: ` +
    'it is validated and reviewed, and the cluster or cloud is updated from git when it is merged, so git stays the truth and nothing drifts.'
  );
}

export function registerTerminalGuard(): vscode.Disposable {
  // Looked up when an apply-like command is seen, and remembered once true.
  let gitOpsWorkspace = false;
  // One warning at a time: a script running many commands must not pile them up.
  let showing = false;
  return vscode.window.onDidStartTerminalShellExecution(async (event) => {
    if (showing || !readSettings().guard.terminal) return;
    const [command] = findApplyCommands(event.execution.commandLine.value);
    if (!command) return;
    gitOpsWorkspace ||= await isGitOpsWorkspace();
    if (!gitOpsWorkspace) return;
    showing = true;
    try {
      const choice = await vscode.window.showWarningMessage(warningFor(command), CREATE_PR, DONT_SHOW_AGAIN);
      if (choice === CREATE_PR) await vscode.commands.executeCommand('gitopsIac.createPr');
      if (choice === DONT_SHOW_AGAIN) {
        await vscode.workspace.getConfiguration('gitopsIac').update('guard.terminal', false, vscode.ConfigurationTarget.Global);
      }
    } finally {
      showing = false;
    }
  });
}
