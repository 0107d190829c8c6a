/** Finds the tree-sitter .wasm files: copied next to the bundles by scripts/build.mjs, or in node_modules. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { WasmFiles } from '../terraform/parser';

export function locateWasmFiles(fromDir: string): WasmFiles {
  const bundled = { runtime: path.join(fromDir, 'tree-sitter.wasm'), terraformGrammar: path.join(fromDir, 'tree-sitter-terraform.wasm') };
  if (existsSync(bundled.runtime) && existsSync(bundled.terraformGrammar)) return bundled;
  return {
    runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
    terraformGrammar: require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
  };
}
