/** Ansible's editor features in LSP terms: the Ansible workspace answers, this file translates. */
import { CompletionItemKind, type CompletionItem, type Hover, type Position } from 'vscode-languageserver/node';
import type { AnsibleCompletionItem } from '../ansible/completion';
import type { AnsibleWorkspace } from '../ansible/workspace';
import { toLspCompletionItem, toLspHover } from './convert';

const COMPLETION_KINDS: Record<AnsibleCompletionItem['kind'], CompletionItemKind> = {
  module: CompletionItemKind.Module,
  keyword: CompletionItemKind.Keyword,
  argument: CompletionItemKind.Property,
};

export function ansibleHover(ansible: AnsibleWorkspace, uri: string, position: Position): Hover | null {
  const hover = ansible.hover(uri, position);
  return hover ? toLspHover(hover.markdown, hover.range) : null;
}

export function ansibleCompletion(ansible: AnsibleWorkspace, uri: string, position: Position): CompletionItem[] {
  return ansible.completion(uri, position).map((item) => toLspCompletionItem(item, COMPLETION_KINDS[item.kind], `${item.label}: `));
}
