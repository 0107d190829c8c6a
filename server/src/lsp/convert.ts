/**
 * The core's answers in LSP terms: findings into diagnostics (carrying their fixes for code
 * actions), and the Markdown hovers and completion items of the Ansible and Terraform workspaces.
 */
import { DiagnosticSeverity, MarkupKind, type CompletionItem, type CompletionItemKind, type Diagnostic, type Hover, type Range } from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'gitops-iac';

/** What a diagnostic carries in `data`, for the code action request to read back. */
export interface DiagnosticData {
  fixes: Fix[];
}

export function toLspDiagnostic(finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    message: finding.message,
  };
  if (finding.fixes?.length) diagnostic.data = { fixes: finding.fixes } satisfies DiagnosticData;
  return diagnostic;
}

export function toLspHover(markdown: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, range };
}

/** What the completion items of the cores have in common; their documentation is Markdown. */
export interface CoreCompletionItem {
  label: string;
  detail?: string;
  documentation?: string;
  sortText?: string;
  insertText?: string;
}

export function toLspCompletionItem(item: CoreCompletionItem, kind: CompletionItemKind, insertText = item.insertText): CompletionItem {
  return {
    label: item.label,
    kind,
    detail: item.detail,
    documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
    sortText: item.sortText,
    insertText,
  };
}
