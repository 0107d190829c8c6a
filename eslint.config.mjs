// Lint rules that keep the architecture honest: the core (everything in server/src except
// the LSP shell) never imports vscode or the LSP connection, so the CLI can run it as is.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/out/**', 'node_modules/**', '.bench/**', '.scratch/**', '.tools/**', 'test-output/**', 'schemas/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/lsp/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'The core must not depend on VS Code.' },
          { name: 'vscode-languageserver', message: 'Only server/src/lsp speaks LSP.' },
          { name: 'vscode-languageserver/node', message: 'Only server/src/lsp speaks LSP.' },
        ],
        patterns: [{ group: ['**/lsp/*'], message: 'The core must not depend on the LSP shell.' }],
      }],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/lsp/**', 'server/src/cli/**', 'server/src/node/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'The core must not depend on VS Code.' },
          { name: 'vscode-languageserver', message: 'Only server/src/lsp speaks LSP.' },
          { name: 'vscode-languageserver/node', message: 'Only server/src/lsp speaks LSP.' },
          { name: 'node:fs', message: 'The core takes its I/O as parameters (see server/src/node).' },
          { name: 'fs', message: 'The core takes its I/O as parameters (see server/src/node).' },
          { name: 'node:child_process', message: 'The core takes its I/O as parameters.' },
        ],
        patterns: [{ group: ['**/lsp/*', '**/cli/*'], message: 'The core must not depend on its shells.' }],
      }],
    },
  },
);
