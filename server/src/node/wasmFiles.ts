/** Finds the tree-sitter .wasm files: copied next to the bundles by scripts/build.mjs, or in node_modules. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { WasmFiles } from '../terraform/parser';

export function locateWasmFiles(fromDir: string): WasmFiles {
  const bundled = { runtime: path.join(fromDir, 'tree-sitter.wasm'), terraformGrammar: path.join(fromDir, 'tree-sitter-terraform.wasm') };
  if (existsSync(bundled.runtime) && existsSync(bundled.terraformGrammar)) return bundled;
  try {
    return {
      runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
      terraformGrammar: require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
    };
  } catch {
    throw new Error(`cannot find the Terraform parser (tree-sitter.wasm, tree-sitter-terraform.wasm) in ${fromDir}; reinstall GitOps IaC`);
  }
}
