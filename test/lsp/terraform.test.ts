/**
 * Terraform through the real language server: diagnostics across a module's files, hover,
 * go to definition, outline, completion and formatting; and the same files through the CLI.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CompletionItem, DocumentSymbol, Hover, Location, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { LspClient, REPO_ROOT } from './lspClient';

const MODULE = path.join(REPO_ROOT, 'test', 'fixtures', 'terraform-workspace', 'network');
const uriOf = (name: string): string => pathToFileURL(path.join(MODULE, name)).href;
const textOf = (name: string): string => readFileSync(path.join(MODULE, name), 'utf8');

describe('Terraform over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: path.dirname(MODULE) });
    await client.ready();
    client.open(uriOf('main.tf'), textOf('main.tf'), 1);
  });
  after(() => client.stop());

  it('reports an undeclared variable, knowing the variables declared in the module\'s other files', async () => {
    const diagnostics = await client.diagnosticsFor(uriOf('main.tf'), 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), [['tf/undeclared-reference', 1, 3, 11]]);
    assert.match(String(diagnostics[0].message), /No variable "vpc_name" is declared/);
  });

  it('reports a syntax error precisely', async () => {
    client.open(uriOf('broken.tf'), textOf('broken.tf'), 1);
    const diagnostics = await client.diagnosticsFor(uriOf('broken.tf'), 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['tf/syntax', 0]]);
  });

  it('clears the error once the variable is declared in another file of the module', async () => {
    const declared = `${textOf('variables.tf')}\nvariable "vpc_name" {\n  type = string\n}\n`;
    client.open(uriOf('variables.tf'), declared, 1);
    await client.diagnosticsFor(uriOf('variables.tf'), 1);
    client.replace(uriOf('main.tf'), textOf('main.tf'), 2);
    assert.deepEqual(await client.diagnosticsFor(uriOf('main.tf'), 2), []);
    client.replace(uriOf('variables.tf'), textOf('variables.tf'), 2);
    await client.diagnosticsFor(uriOf('variables.tf'), 2);
  });

  it('shows the declaration on hover over var.cidr_block', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf('main.tf') }, position: { line: 1, character: 20 } });
    assert.ok(hover);
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /Address range of the VPC/);
    assert.match(markdown, /10\.0\.0\.0\/16/);
  });

  it('goes to the definition of a variable in another file', async () => {
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uriOf('main.tf') }, position: { line: 1, character: 20 } });
    assert.equal(locations.length, 1);
    assert.equal(locations[0].uri, uriOf('variables.tf'));
    assert.equal(locations[0].range.start.line, 0);
  });

  it('outlines the blocks of a file', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf('main.tf') } });
    assert.ok(symbols.some((s) => s.name.includes('aws_vpc') && s.name.includes('main')), JSON.stringify(symbols.map((s) => s.name)));
    assert.ok(symbols.some((s) => s.name.includes('vpc_id')));
  });

  it('completes the variables of the module after var.', async () => {
    const uri = uriOf('outputs.tf');
    client.open(uri, 'output "cidr" {\n  value = var.\n}\n', 1);
    await client.diagnosticsFor(uri, 1);
    const items = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 14 } });
    const labels = (Array.isArray(items) ? items : items.items).map((item) => item.label);
    assert.ok(labels.includes('cidr_block'), labels.join(', '));
  });

  it('formats a file the way terraform fmt does', async () => {
    const uri = uriOf('messy.tf');
    const messy = 'resource "aws_vpc" "x" {\ncidr_block="10.1.0.0/16"\n  enable_dns_support =   true\n}\n';
    client.open(uri, messy, 1);
    await client.diagnosticsFor(uri, 1);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(edits.length > 0);
    const lines = messy.split('\n');
    // Apply the edits from the last to the first, as an editor does.
    const offsets = (position: { line: number; character: number }): number => lines.slice(0, position.line).reduce((n, l) => n + l.length + 1, 0) + position.character;
    let formatted = messy;
    for (const edit of [...edits].sort((a, b) => offsets(b.range.start) - offsets(a.range.start))) {
      formatted = formatted.slice(0, offsets(edit.range.start)) + edit.newText + formatted.slice(offsets(edit.range.end));
    }
    assert.equal(formatted, 'resource "aws_vpc" "x" {\n  cidr_block         = "10.1.0.0/16"\n  enable_dns_support = true\n}\n');
  });
});

describe('Terraform through the CLI', () => {
  it('checks .tf files in the folders it walks, with the same rules', async () => {
    const run = promisify(execFile);
    const result = await run(process.execPath, [path.join(REPO_ROOT, 'server', 'out', 'cli.js'), 'check', '--format', 'json', path.dirname(MODULE)]).catch((error: { code: number; stdout: string }) => error);
    assert.equal('code' in result ? result.code : 0, 1);
    const diagnostics = (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    assert.deepEqual(diagnostics.map((d) => [path.basename(d.file), d.line, d.column, d.rule]), [
      ['broken.tf', 1, 8, 'tf/syntax'],
      ['main.tf', 4, 12, 'tf/undeclared-reference'],
    ]);
  });
});
