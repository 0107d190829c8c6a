/** Terraform's editor features in LSP terms: the Terraform workspace answers, this file translates. */
import {
  CompletionItemKind,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { TerraformCompletionItem, CompletionKind } from '../terraform/completion';
import { formattingEdits } from '../terraform/format';
import type { TerraformSymbol, TerraformSymbolKind } from '../terraform/symbols';
import type { TerraformWorkspace } from '../terraform/workspace';

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  variable: CompletionItemKind.Variable,
  local: CompletionItemKind.Variable,
  module: CompletionItemKind.Module,
  output: CompletionItemKind.Field,
  resource: CompletionItemKind.Class,
  data: CompletionItemKind.Class,
  function: CompletionItemKind.Function,
  keyword: CompletionItemKind.Keyword,
  property: CompletionItemKind.Property,
  block: CompletionItemKind.Struct,
  value: CompletionItemKind.Value,
};

const SYMBOL_KINDS: Record<TerraformSymbolKind, SymbolKind> = {
  namespace: SymbolKind.Namespace,
  module: SymbolKind.Module,
  class: SymbolKind.Class,
  struct: SymbolKind.Struct,
  variable: SymbolKind.Variable,
  constant: SymbolKind.Constant,
  property: SymbolKind.Property,
  field: SymbolKind.Field,
  object: SymbolKind.Object,
  package: SymbolKind.Package,
  event: SymbolKind.Event,
  interface: SymbolKind.Interface,
  key: SymbolKind.Key,
};

export function terraformHover(terraform: TerraformWorkspace, uri: string, position: Position): Hover | null {
  const hover = terraform.hover(uri, position);
  return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.contents }, range: hover.range } : null;
}

export function terraformDefinition(terraform: TerraformWorkspace, uri: string, position: Position): Location[] {
  return terraform.definition(uri, position).map((location) => ({ uri: location.uri, range: location.range }));
}

export function terraformCompletion(terraform: TerraformWorkspace, uri: string, position: Position): CompletionItem[] {
  return terraform.completion(uri, position).map((item: TerraformCompletionItem) => ({
    label: item.label,
    kind: COMPLETION_KINDS[item.kind],
    detail: item.detail,
    documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
    insertText: item.insertText,
  }));
}

function toDocumentSymbol(symbol: TerraformSymbol): DocumentSymbol {
  return {
    name: symbol.name,
    detail: symbol.detail,
    kind: SYMBOL_KINDS[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children.map(toDocumentSymbol),
  };
}

export function terraformSymbols(terraform: TerraformWorkspace, uri: string): DocumentSymbol[] {
  return terraform.symbols(uri).map(toDocumentSymbol);
}

/** `terraform fmt` output as edits; none when the file does not parse (as terraform fmt refuses it). */
export function terraformFormatting(terraform: TerraformWorkspace, uri: string): TextEdit[] {
  const text = terraform.text(uri);
  return text === undefined ? [] : formattingEdits(text);
}
