/**
 * Bad input never crashes or hangs the server: each case gets a clear diagnostic or a
 * note, and the server still answers afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient } from './lspClient';

const header = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';

function aliasBomb(): string {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'bcdefghijk';
  for (let i = 0; i < names.length; i++) {
    const previous = i === 0 ? 'a' : names[i - 1];
    levels.push(`${names[i]}: &${names[i]} [${new Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `${header}data:\n${levels.map((line) => `  ${line}`).join('\n')}\n`;
}

describe('bad input over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
    await client.ready();
  });
  after(() => client.stop());

  async function diagnose(name: string, text: string): Promise<{ code: unknown; message: string }[]> {
    const uri = `untitled:${name}`;
    client.open(uri, text, 1);
    const diagnostics = await client.diagnosticsFor(uri, 1, 60000);
    // The server is still alive and answering.
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    return diagnostics.map((d) => ({ code: d.code, message: String(d.message) }));
  }

  it('refuses to expand a YAML alias bomb', async () => {
    const diagnostics = await diagnose('bomb.yaml', aliasBomb());
    assert.ok(diagnostics.some((d) => d.code === 'yaml/limits' && /alias bomb/.test(d.message)), JSON.stringify(diagnostics));
  });

  it('skips a 20 MB file with a note', async () => {
    const item = '  key-%: "a value that is long enough to take some room in the file"\n';
    const lines: string[] = [];
    for (let i = 0; lines.length * item.length < 20 * 1024 * 1024; i++) lines.push(item.replace('%', String(i)));
    const diagnostics = await diagnose('huge.yaml', `${header}data:\n${lines.join('')}`);
    assert.deepEqual(diagnostics.map((d) => d.code), ['file/skipped']);
    assert.match(diagnostics[0].message, /over the 16\.0 MB limit/);
  });

  it('stops at 10,000 levels of nesting with a diagnostic', async () => {
    const deep = `${header}data:\n  x: ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    const diagnostics = await diagnose('deep.yaml', deep);
    assert.ok(diagnostics.some((d) => d.code === 'yaml/limits' && /Nesting deeper than/.test(d.message)), JSON.stringify(diagnostics));
  });

  it('skips binary data with a note', async () => {
    const diagnostics = await diagnose('binary.yaml', `${header}\u0000\u0001\u0002\u00ff binary`);
    assert.deepEqual(diagnostics.map((d) => d.code), ['file/skipped']);
  });

  it('survives text decoded from invalid UTF-8 (replacement characters, lone surrogates)', async () => {
    const diagnostics = await diagnose('mangled.yaml', `${header}data:\n  k: "\uFFFD\uD800\uFFFD"\n  \uDC00: x\n`);
    assert.ok(Array.isArray(diagnostics));
  });

  it('reports each YAML syntax problem precisely and keeps validating the other documents', async () => {
    const text = `${header}data:\n  a: [1, 2\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: "eighty"}]\n`;
    const uri = 'untitled:syntax.yaml';
    client.open(uri, text, 1);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const syntax = diagnostics.find((d) => d.code === 'yaml/syntax');
    assert.ok(syntax, JSON.stringify(diagnostics));
    assert.deepEqual(syntax.range, { start: { line: 4, character: 9 }, end: { line: 4, character: 10 } });
    assert.ok(diagnostics.some((d) => d.code === 'k8s/schema' && d.range.start.line === 10), JSON.stringify(diagnostics));
  });

  it('reports duplicate keys, tabs and unknown aliases', async () => {
    const text = `${header}data:\n  a: "1"\n  a: "2"\n  b: *missing\n`;
    const uri = 'untitled:dupes.yaml';
    client.open(uri, text, 1);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(diagnostics.filter((d) => d.code !== 'k8s/schema').map((d) => [d.code, d.range.start.line, d.message]), [
      ['yaml/duplicate-key', 5, 'Duplicate key "a": it is already set on line 5.'],
      ['yaml/alias', 6, 'Unknown alias *missing: no anchor &missing is defined before it.'],
    ]);
    client.open('untitled:tabs.yaml', `${header}data:\n\tb: x\n`, 1);
    const tabs = await client.diagnosticsFor('untitled:tabs.yaml', 1);
    assert.deepEqual(tabs.map((d) => [d.code, d.range.start.line, d.message]), [['yaml/syntax', 4, 'Tabs are not allowed as indentation.']]);
  });
});
