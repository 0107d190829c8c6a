// Bundles the shipped JavaScript with esbuild: one file each for the extension client,
// the language server and the CLI, so the .vsix carries no node_modules.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

// web-tree-sitter's CommonJS build reads import.meta.url, which a CommonJS bundle does not
// have: give it the bundle's own URL. Its .wasm files are copied next to the bundle (below),
// so the node_modules fallback in server/src/node/wasmFiles.ts stays outside the bundle.
const server = {
  ...common,
  define: { 'import.meta.url': '__bundleUrl' },
  external: ['web-tree-sitter/tree-sitter.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'],
};
const bundleUrl = "const __bundleUrl = require('url').pathToFileURL(__filename).href;";

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  build({ ...server, entryPoints: ['server/src/lsp/server.ts'], outfile: 'server/out/server.js', banner: { js: bundleUrl } }),
  build({
    ...server,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'server/out/cli.js',
    banner: { js: `#!/usr/bin/env node\n${bundleUrl}` },
  }),
]);

// The Terraform parser's WebAssembly ships next to the server and CLI bundles.
mkdirSync('server/out', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'server/out/tree-sitter.wasm');
copyFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'), 'server/out/tree-sitter-terraform.wasm');
