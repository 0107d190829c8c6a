/**
 * The real ansible-lint on save, through the real server: its findings join ours after a save
 * (trusted workspace, `gitopsIac.ansible.lint.onSave`), without the rules we report ourselves,
 * and go at the next edit. Needs `ansible-lint` (bash scripts/install-ansible.sh).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { AnsibleLintOnSave, type AnsibleLintRun } from '../../server/src/node/ansibleLint';
import { findOnPath } from '../../server/src/node/findOnPath';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/settings';
import { LspClient } from './lspClient';

const noAnsibleLint = findOnPath('ansible-lint') ? false : 'ansible-lint is not installed (bash scripts/install-ansible.sh)';

const PLAYBOOK = `---
- name: Configure web servers
  hosts: all
  become: yes
  tasks:
    - name: install curl
      ansible.builtin.apt: name=curl state=present
    - name: Say hello
      ansible.builtin.debug:
        msg: "{{greeting}}"
`;

const ruleOf = (diagnostic: Diagnostic): string => String(diagnostic.code ?? '');
const lintOf = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => ruleOf(d).startsWith('ansible-lint/'));

describe('ansible-lint on save (the real ansible-lint through the LSP)', { skip: noAnsibleLint }, () => {
  let workspace: string;
  let client: LspClient;
  let uri: string;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'gitops-iac-ansible-lint-'));
    const file = path.join(workspace, 'site.yml');
    writeFileSync(file, PLAYBOOK);
    uri = pathToFileURL(file).href;
    client = await LspClient.start({ workspaceFolder: workspace, settings: { ansible: { lint: { onSave: true } } } });
    await client.ready();
  });

  after(async () => {
    await client?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('adds its findings after a save, on their lines, leaving out the rules we report ourselves', async () => {
    client.open(uri, PLAYBOOK, 1);
    const ours = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(lintOf(ours), [], 'nothing from ansible-lint before a save');
    client.notify('textDocument/didSave', { textDocument: { uri } });
    // ansible-lint itself takes 4-6 s, far more on a busy CI machine (its first run builds caches).
    const merged = await client.diagnosticsWhen(uri, (d) => lintOf(d).length > 0, 'ansible-lint findings', 90_000);
    const lint = lintOf(merged).map((d) => [ruleOf(d), d.range.start.line, d.range.start.character, d.range.end.character, d.severity]);
    assert.deepEqual(lint.sort(), [
      ['ansible-lint/jinja[spacing]', 9, 8, 27, 2],
      ['ansible-lint/no-free-form', 5, 4, 24, 2],
      ['ansible-lint/yaml[truthy]', 3, 2, 13, 2],
    ]);
    assert.ok(!merged.some((d) => ruleOf(d) === 'ansible-lint/name[casing]'), 'name[casing] is ours (ansible/name-casing), not repeated');
    const truthy = merged.find((d) => ruleOf(d) === 'ansible-lint/yaml[truthy]');
    assert.equal(truthy?.message, 'Truthy value should be one of [false, true]');
    // Our own findings are still there.
    for (const own of ours) assert.ok(merged.some((d) => ruleOf(d) === ruleOf(own) && d.range.start.line === own.range.start.line), ruleOf(own));
  });

  it('drops them at the next edit', async () => {
    client.replace(uri, PLAYBOOK.replace('install curl', 'Install curl'), 2);
    const edited = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(lintOf(edited), []);
  });

  it('follows the rule levels of the settings', async () => {
    client.settings = { ansible: { lint: { onSave: true } }, rules: { 'ansible-lint/yaml[truthy]': 'off' } };
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    // What the editor holds (version 2) is saved to disk.
    writeFileSync(fileURLToPath(uri), PLAYBOOK.replace('install curl', 'Install curl'));
    client.notify('textDocument/didSave', { textDocument: { uri } });
    const merged = await client.diagnosticsWhen(uri, (d) => lintOf(d).length > 0, 'ansible-lint findings after the second save', 90_000);
    assert.deepEqual(lintOf(merged).map(ruleOf).sort(), ['ansible-lint/jinja[spacing]', 'ansible-lint/no-free-form']);
  });
});

/** The scheduling rules, with a recording runner in place of the process. */
describe('AnsibleLintOnSave', () => {
  function scheduler(overrides: { trusted?: boolean; onSave?: boolean } = {}) {
    const calls: string[] = [];
    const published: string[] = [];
    const pending: Array<(issues: { rule: string; line: number }[]) => void> = [];
    const settings: Settings = { ...DEFAULT_SETTINGS, ansible: { lint: { onSave: overrides.onSave ?? true, path: 'ansible-lint' } } };
    const lint = new AnsibleLintOnSave({
      settings: () => settings,
      trusted: overrides.trusted ?? true,
      cwdFor: () => '/work',
      log: () => undefined,
      publish: (uri) => published.push(uri),
      run: (executable, file, cwd): AnsibleLintRun => {
        calls.push(`${executable} ${file} in ${cwd}`);
        let cancelled = false;
        return {
          result: new Promise((resolve) => {
            pending.push((issues) =>
              resolve(cancelled ? { kind: 'cancelled' } : { kind: 'linted', issues: issues.map((i) => ({ ...i, message: i.rule, path: 'a.yml', level: 'error' as const })) }),
            );
          }),
          cancel: () => {
            cancelled = true;
          },
        };
      },
    });
    return { lint, calls, published, pending };
  }

  it('runs nothing in an untrusted workspace, with the setting off, or for a file that is not on disk', async () => {
    for (const options of [{ trusted: false }, { onSave: false }]) {
      const { lint, calls } = scheduler(options);
      await lint.fileSaved('file:///work/a.yml', 'x: 1\n');
      assert.deepEqual(calls, []);
    }
    const { lint, calls } = scheduler();
    await lint.fileSaved('untitled:Untitled-1', 'x: 1\n');
    assert.deepEqual(calls, []);
  });

  it('lets the newest save win: the older run is cancelled and its result dropped', async () => {
    const { lint, calls, published, pending } = scheduler();
    const first = lint.fileSaved('file:///work/a.yml', '- hosts: all\n');
    const second = lint.fileSaved('file:///work/a.yml', '- hosts: all\n  become: yes\n');
    assert.deepEqual(calls, ['ansible-lint /work/a.yml in /work', 'ansible-lint /work/a.yml in /work']);
    pending[0]?.([{ rule: 'old', line: 1 }]);
    pending[1]?.([{ rule: 'yaml[truthy]', line: 2 }, { rule: 'fqcn[action-core]', line: 1 }]);
    await Promise.all([first, second]);
    assert.deepEqual(published, ['file:///work/a.yml']);
    assert.deepEqual(lint.findingsFor('file:///work/a.yml').map((f) => [f.rule, f.range.start.line, f.range.start.character, f.range.end.character]), [
      ['ansible-lint/yaml[truthy]', 1, 2, 13],
    ]);
    lint.fileEdited('file:///work/a.yml');
    assert.deepEqual(lint.findingsFor('file:///work/a.yml'), []);
  });
});
