/**
 * Ansible through the real language server, with examples/ansible as the workspace:
 * diagnostics (a role's handlers known from the workspace scan), updates on edit, hover on
 * modules and keywords, and completion of modules, arguments and keywords.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { caret, LspClient, REPO_ROOT } from './lspClient';

const PROJECT = path.join(REPO_ROOT, 'examples', 'ansible');
const uriOf = (name: string): string => pathToFileURL(path.join(PROJECT, name)).href;
const textOf = (name: string): string => readFileSync(path.join(PROJECT, name), 'utf8');
const rows = (diagnostics: Array<{ code?: unknown; range: { start: { line: number; character: number } } }>): Array<[unknown, number, number]> =>
  diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]);

describe('Ansible over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: PROJECT });
    await client.ready();
  });
  after(() => client.stop());

  it('reports the example playbook\'s wrong choice, and nothing else', async () => {
    client.open(uriOf('site.yml'), textOf('site.yml'), 1);
    const diagnostics = await client.diagnosticsFor(uriOf('site.yml'), 1);
    assert.deepEqual(rows(diagnostics), [['ansible/module-arguments', 15, 15]]);
    assert.match(String(diagnostics[0].message), /"presnt" is not a valid "state" for ansible\.builtin\.iptables.*Did you mean "present"\?/);
    assert.equal(diagnostics[0].severity, 1);
  });

  it('reports schema, action and argument errors in a new playbook, then clears them on edit', async () => {
    const uri = uriOf('new.yml');
    const text = [
      '- name: Try',
      '  hosts: all',
      '  become: maybe',
      '  tasks:',
      '    - name: Install',
      '      ansible.builtin.apt:',
      '        name: curl',
      '        update_cach: true',
      '    - name: Nothing to do',
      '      when: true',
      '',
    ].join('\n');
    client.open(uri, text, 1);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(rows(diagnostics), [
      ['ansible/schema', 2, 10],
      ['ansible/module-arguments', 7, 8],
      ['ansible/task-action', 8, 6],
    ]);
    const fixed = text.replace('maybe', 'true').replace('update_cach', 'update_cache').replace('      when: true\n', '      ansible.builtin.debug:\n        msg: done\n');
    client.replace(uri, fixed, 2);
    assert.deepEqual(await client.diagnosticsFor(uri, 2), []);
  });

  it('knows the role\'s handlers from the workspace, so notify in the role is not flagged', async () => {
    client.open(uriOf('roles/web/tasks/main.yml'), textOf('roles/web/tasks/main.yml'), 1);
    assert.deepEqual(await client.diagnosticsFor(uriOf('roles/web/tasks/main.yml'), 1), []);
  });

  it('shows a module\'s description and arguments on hover', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf('roles/web/tasks/main.yml') }, position: { line: 1, character: 10 } });
    assert.ok(hover);
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /\*\*ansible\.builtin\.apt\*\*/);
    assert.match(markdown, /Manages apt-packages/);
    assert.match(markdown, /`update_cache` \(bool · aliases: update-cache\): Run the equivalent of apt-get update/);
    assert.match(markdown, /`state` \(str · choices: `absent`, `build-dep`, `fixed`, `latest`, `present` · default: `"present"`\)/);
  });

  it('shows an argument\'s details and a keyword\'s description on hover', async () => {
    const argument = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf('roles/web/tasks/main.yml') }, position: { line: 3, character: 6 } });
    assert.match((argument?.contents as MarkupContent).value, /\*\*state\*\* \(ansible\.builtin\.apt\)/);
    const keyword = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf('site.yml') }, position: { line: 3, character: 4 } });
    assert.match((keyword?.contents as MarkupContent).value, /\*\*become\*\* — play keyword/);
    const notify = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf('roles/web/tasks/main.yml') }, position: { line: 11, character: 4 } });
    assert.match((notify?.contents as MarkupContent).value, /\*\*notify\*\* — task keyword/);
  });

  async function complete(name: string, textWithCaret: string): Promise<CompletionItem[]> {
    const { text, position } = caret(textWithCaret);
    const uri = uriOf(name);
    client.open(uri, text, 1);
    await client.diagnosticsFor(uri, 1);
    const result = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  it('completes module names, short and fully qualified, where a task\'s module goes', async () => {
    const items = await complete('roles/web/tasks/complete-module.yml', '- name: Install\n  ap|\n');
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('apt') && labels.includes('ansible.builtin.apt'), labels.slice(0, 10).join());
    assert.ok(labels.includes('when'), 'task keywords too');
    assert.equal(items.find((i) => i.label === 'ansible.builtin.apt')?.detail, 'Manages apt-packages');
  });

  it('completes a module\'s arguments not yet given, required ones first', async () => {
    const items = await complete('roles/web/tasks/complete-args.yml', '- name: Link\n  ansible.builtin.file:\n    state: link\n    |\n');
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('path') && labels.includes('src') && !labels.includes('state'), labels.join());
    const sorted = [...items].sort((a, b) => String(a.sortText).localeCompare(String(b.sortText)));
    assert.equal(sorted[0].label, 'path');
  });

  it('completes play keywords in a play, without the ones already set', async () => {
    const items = await complete('complete-play.yml', '- name: Play\n  hosts: all\n  gath|\n');
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('gather_facts') && !labels.includes('hosts') && !labels.includes('apt'), labels.join());
  });

  it('leaves Kubernetes manifests to the Kubernetes checks, even in a tasks/ folder', async () => {
    const uri = uriOf('tasks/deployment.yaml');
    client.open(uri, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "2"\n', 1);
    const diagnostics = await client.diagnosticsFor(uri, 1);
    assert.ok(diagnostics.length > 0 && diagnostics.every((d) => !String(d.code).startsWith('ansible/')), JSON.stringify(rows(diagnostics)));
  });
});
