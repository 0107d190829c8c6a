/**
 * The HCL parser: tree-sitter's Terraform grammar compiled to WebAssembly (shipped in
 * @tree-sitter-grammars/tree-sitter-hcl). It is error-tolerant (a syntax error becomes an
 * ERROR or MISSING node and the rest of the file still parses), gives exact ranges, and
 * re-parses incrementally from the previous tree. Loading the WebAssembly is asynchronous,
 * so the language server and the CLI await `loadTerraformParser` once at start.
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';

/** Where the two .wasm files are: next to the bundle in server/out, or in node_modules when run from source. */
export interface WasmFiles {
  runtime: string;
  terraformGrammar: string;
}

let language: Language | undefined;

export async function loadTerraformParser(files: WasmFiles): Promise<void> {
  if (language) return;
  await Parser.init({ locateFile: () => files.runtime });
  language = await Language.load(files.terraformGrammar);
}

export function isTerraformParserLoaded(): boolean {
  return language !== undefined;
}

/** A parser for one document; keep it with the document to re-parse incrementally. */
export function createTerraformParser(): Parser {
  if (!language) throw new Error('The Terraform parser is not loaded: await loadTerraformParser() first.');
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Parses `text`; with `previous` (already edited with `tree.edit`) only the changed part is re-parsed. */
export function parseTerraform(parser: Parser, text: string, previous?: Tree): Tree {
  const tree = parser.parse(text, previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

export type { Tree, Node as SyntaxNode, Edit } from 'web-tree-sitter';
