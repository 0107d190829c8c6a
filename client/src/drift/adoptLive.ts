/**
 * "Adopt Live Value": edits the manifest so a drifted field declares what is live, as an
 * ordinary unsaved change the user reviews and sends through a pull request. Nothing is written
 * to the cluster. Offered from the Drift tree and as a code action on the field's value; a
 * field it cannot change (a masked Secret value, a place not known) says why.
 */
import * as vscode from 'vscode';
import type { Range } from '../../../server/src/core/types';
import type { DriftResource, FieldDrift } from '../../../server/src/drift/types';
import { adoptLiveValueEdit, adoptRefusal, declaredUriOf } from '../../../server/src/drift/yamlEdit';
import type { DriftRefresher } from './refresh';

export const ADOPT_LIVE_COMMAND = 'gitopsIac.drift.adoptLiveValue';

export interface AdoptTarget {
  resource: DriftResource;
  field: FieldDrift;
}

/** Applies the edit for `target` to its manifest and shows it; tells the user when it cannot. */
export async function adoptLiveValue(target: AdoptTarget | undefined): Promise<void> {
  if (!target?.field || !target.resource) {
    void vscode.window.showWarningMessage('Adopt Live Value works on a drifted field: pick one in the Drift view.');
    return;
  }
  const { resource, field } = target;
  const refusal = adoptRefusal(resource, field);
  const declaredUri = declaredUriOf(resource, field);
  if (refusal || !declaredUri) {
    void vscode.window.showWarningMessage(`Cannot adopt the live value: ${refusal}`);
    return;
  }
  const uri = vscode.Uri.parse(declaredUri);
  const document = await vscode.workspace.openTextDocument(uri);
  const result = adoptLiveValueEdit(document.getText(), resource, field);
  if ('refusal' in result) {
    void vscode.window.showWarningMessage(`Cannot adopt the live value: ${result.refusal}`);
    return;
  }
  // Through the editor, not workspace.applyEdit: VS Code saves the files of a workspace edit
  // by itself (`files.refactoring.autoSave`), and this change must stay unsaved for review.
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  const range = toVsRange(result.edit.range);
  if (!(await editor.edit((builder) => builder.replace(range, result.edit.newText)))) {
    void vscode.window.showErrorMessage(`The manifest ${vscode.workspace.asRelativePath(uri)} could not be edited.`);
    return;
  }
  // Select the new value itself, not the space or line break that leads it.
  const startOffset = document.offsetAt(range.start);
  const leading = result.edit.newText.length - result.edit.newText.trimStart().length;
  editor.selection = new vscode.Selection(document.positionAt(startOffset + leading), document.positionAt(startOffset + result.edit.newText.length));
  editor.revealRange(editor.selection);
  vscode.window.setStatusBarMessage(`Adopted the live ${field.path}: review it and open a pull request (the cluster is unchanged).`, 8000);
}

/** The code action on a drifted field's value in its manifest (disabled, with the reason, when it cannot be adopted). */
export class AdoptLiveCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly refresher: DriftRefresher) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const uri = document.uri.toString();
    const actions: vscode.CodeAction[] = [];
    for (const environment of this.refresher.current.report?.environments ?? []) {
      for (const resource of environment.resources) {
        for (const field of resource.fields) {
          const declaredUri = declaredUriOf(resource, field);
          if (!declaredUri || vscode.Uri.parse(declaredUri).toString() !== uri) continue;
          if (!field.declaredRange || !toVsRange(field.declaredRange).intersection(range)) continue;
          actions.push(codeAction(document, { resource, field }));
        }
      }
    }
    return actions;
  }
}

/** A command rather than an edit, so the change is made the same way as from the tree (and stays unsaved). */
function codeAction(document: vscode.TextDocument, target: AdoptTarget): vscode.CodeAction {
  const action = new vscode.CodeAction(`Adopt live value of ${target.field.path}`, vscode.CodeActionKind.QuickFix);
  const result = adoptLiveValueEdit(document.getText(), target.resource, target.field);
  if ('refusal' in result) action.disabled = { reason: result.refusal };
  else action.command = { command: ADOPT_LIVE_COMMAND, title: action.title, arguments: [target] };
  return action;
}

function toVsRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
