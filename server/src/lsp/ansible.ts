/** Ansible's editor features in LSP terms: the Ansible workspace answers, this file translates. */
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover, type Position } from 'vscode-languageserver/node';
import type { AnsibleCompletionItem } from '../ansible/completion';
import type { AnsibleWorkspace } from '../ansible/workspace';

const COMPLETION_KINDS: Record<AnsibleCompletionItem['kind'], CompletionItemKind> = {
  module: CompletionItemKind.Module,
  keyword: CompletionItemKind.Keyword,
  argument: CompletionItemKind.Property,
};

export function ansibleHover(ansible: AnsibleWorkspace, uri: string, position: Position): Hover | null {
  const hover = ansible.hover(uri, position);
  return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
}

export function ansibleCompletion(ansible: AnsibleWorkspace, uri: string, position: Position): CompletionItem[] {
  return ansible.completion(uri, position).map((item) => ({
    label: item.label,
    kind: COMPLETION_KINDS[item.kind],
    detail: item.detail,
    documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
    sortText: item.sortText,
    insertText: `${item.label}: `,
  }));
}
