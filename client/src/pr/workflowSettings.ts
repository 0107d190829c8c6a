/**
 * The settings of the GitOps workflow commands, read through the one Settings parser
 * (server/src/settings.ts), so the client and the server agree on defaults and on what a bad
 * value means.
 */
import * as vscode from 'vscode';
import { parseSettings, type Settings } from '../../../server/src/settings';

export function readSettings(scope?: vscode.Uri): Settings {
  const raw = vscode.workspace.getConfiguration(undefined, scope).get<unknown>('gitopsIac');
  return parseSettings(raw).settings;
}
