/** Quick fixes: the certain fixes the engine attached to each diagnostic. */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './convert';

function fixesOf(diagnostic: Diagnostic): DiagnosticData['fixes'] {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return diagnostic.source === DIAGNOSTIC_SOURCE && Array.isArray(data?.fixes) ? data.fixes : [];
}

export function codeActionsFor(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const fixes = fixesOf(diagnostic);
    for (const fix of fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fixes.length === 1,
        edit: { changes: { [document.uri]: fix.edits } },
      });
    }
  }
  return actions;
}
