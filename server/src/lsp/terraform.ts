/** Terraform's editor features in LSP terms: the Terraform workspace answers, this file translates. */
import {
  CompletionItemKind,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { defaultSchemaCacheDir, TerraformSchemaLoader } from '../node/terraformSchemaLoader';
import type { CompletionKind } from '../terraform/completion';
import { formattingEdits } from '../terraform/format';
import type { TerraformSymbol, TerraformSymbolKind } from '../terraform/symbols';
import type { TerraformWorkspace } from '../terraform/workspace';
import { toLspCompletionItem, toLspHover } from './convert';

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
  return hover ? toLspHover(hover.contents, hover.range) : null;
}

export function terraformDefinition(terraform: TerraformWorkspace, uri: string, position: Position): Location[] {
  return terraform.definition(uri, position).map((location) => ({ uri: location.uri, range: location.range }));
}

export function terraformCompletion(terraform: TerraformWorkspace, uri: string, position: Position): CompletionItem[] {
  return terraform.completion(uri, position).map((item) => toLspCompletionItem(item, COMPLETION_KINDS[item.kind]));
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

export interface TerraformSchemaOptions {
  trusted: boolean;
  /** The extension's storage folder, from InitializationOptions; an OS cache folder when absent. */
  cacheFolder?: string;
  log: (message: string) => void;
  /** A folder's schemas changed: diagnose its open files again. */
  onChange: (folderUri: string) => void;
  /** For the status bar: what is loading, or undefined once nothing is. */
  status: (message: string | undefined) => void;
}

/** The provider schema loader of the language server, with its loads shown as LSP progress. */
export function createTerraformSchemaLoader(connection: Connection, terraform: TerraformWorkspace, options: TerraformSchemaOptions): TerraformSchemaLoader {
  let progress: Promise<WorkDoneProgressServerReporter | undefined> | undefined;
  return new TerraformSchemaLoader(terraform, {
    trusted: options.trusted,
    cacheDir: options.cacheFolder ?? defaultSchemaCacheDir(),
    log: options.log,
    onChange: options.onChange,
    onBusy: (message) => {
      options.status(message);
      if (message !== undefined) {
        if (!progress) {
          progress = connection.window.createWorkDoneProgress().catch(() => undefined);
          void progress.then((reporter) => reporter?.begin('GitOps IaC: Terraform provider schemas', undefined, message, false));
        } else void progress.then((reporter) => reporter?.report(message));
        return;
      }
      void progress?.then((reporter) => reporter?.done());
      progress = undefined;
    },
  });
}
