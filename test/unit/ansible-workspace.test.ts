/**
 * The Ansible workspace: the role index (files seen and folders listed), the handler names
 * a file may notify, and per-play caching that must give the same findings as a fresh check
 * when lines move and when another file changes what is defined.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { createModuleCatalog } from '../../server/src/ansible/catalog';
import { AnsibleWorkspace } from '../../server/src/ansible/workspace';
import { readBuiltinModules } from '../../server/src/node/ansibleModules';
import { nodeSchemaFiles } from '../../server/src/node/schemaFiles';

const SCHEMAS = path.resolve(__dirname, '..', '..', 'schemas');
const bundle = readBuiltinModules(SCHEMAS);
assert.ok(typeof bundle !== 'string', String(bundle));
const modules = createModuleCatalog(bundle.modules);

function newWorkspace(folders: Record<string, string[]> = {}, files: Record<string, string> = {}, homeUri?: string): AnsibleWorkspace {
  return new AnsibleWorkspace({ schemaFiles: nodeSchemaFiles(SCHEMAS), modules, listFolders: (uri) => folders[uri], readFile: (uri) => files[uri], homeUri });
}

const PLAYBOOK = [
  '- name: Web',
  '  hosts: web',
  '  roles:',
  '    - web',
  '  tasks:',
  '    - name: Configure',
  '      ansible.builtin.copy: {src: a, dest: /b}',
  '      notify: Reload',
  '  handlers:',
  '    - name: Reload',
  '      ansible.builtin.service: {name: x, state: reloaded}',
  '      listen: config changed',
  '',
].join('\n');

describe('AnsibleWorkspace', () => {
  it('knows roles from the files it has and from folders listed on disk', () => {
    const workspace = newWorkspace({ 'file:///repo/roles': ['db'] });
    workspace.setFile('file:///repo/roles/web/tasks/main.yml', '- name: T\n  ansible.builtin.debug: {msg: x}\n');
    assert.equal(workspace.roleExists('web', 'file:///repo/site.yml'), true);
    assert.equal(workspace.roleExists('db', 'file:///repo/site.yml'), true);
    assert.equal(workspace.roleExists('cache', 'file:///repo/site.yml'), false);
    assert.equal(workspace.roleExists('db', 'file:///repo/roles/web/meta/main.yml'), true, 'a role\'s sibling roles');
    assert.equal(workspace.roleExists('geerlingguy.nginx', 'file:///repo/site.yml'), true, 'Galaxy and collection roles are not judged');
  });

  it('looks for roles in the roles_path of the nearest ansible.cfg, relative to it, and in Ansible\'s default places', () => {
    const cfg = '# project settings\n[defaults]\ninventory = hosts.yml\nRoles_Path = ./roles:../shared/roles ; comment\n  ~/more-roles\n[other]\nroles_path = /nowhere\n';
    const workspace = newWorkspace(
      { 'file:///repo/roles': ['web'], 'file:///shared/roles': ['common'], 'file:///home/me/more-roles': ['extra'], 'file:///etc/ansible/roles': ['system'] },
      { 'file:///repo/ansible.cfg': cfg },
      'file:///home/me',
    );
    assert.equal(workspace.roleExists('web', 'file:///repo/playbooks/web.yml'), true, 'roles_path relative to the cfg file');
    assert.equal(workspace.roleExists('common', 'file:///repo/playbooks/web.yml'), true, '../ from the cfg file');
    assert.equal(workspace.roleExists('extra', 'file:///repo/playbooks/deep/x.yml'), true, '~ and a continuation line');
    assert.equal(workspace.roleExists('system', 'file:///repo/playbooks/web.yml'), false, 'roles_path replaces the default');
    assert.equal(workspace.roleExists('cache', 'file:///repo/playbooks/web.yml'), false);
    // Without an ansible.cfg, Ansible's default roles_path applies.
    const plain = newWorkspace({ 'file:///etc/ansible/roles': ['system'] });
    assert.equal(plain.roleExists('system', 'file:///other/site.yml'), true);
    assert.equal(plain.roleExists('cache', 'file:///other/site.yml'), false);
  });

  it('says nothing about a role when roles_path has an entry it cannot resolve', () => {
    const workspace = newWorkspace({}, { 'file:///repo/ansible.cfg': '[defaults]\nroles_path = $ROLES_HOME:./roles\n' });
    assert.equal(workspace.roleExists('anything', 'file:///repo/site.yml'), true);
    const nearest = newWorkspace({}, { 'file:///repo/ansible.cfg': '[defaults]\nroles_path = $X\n', 'file:///repo/sub/ansible.cfg': '[defaults]\nforks = 5\n' });
    assert.equal(nearest.roleExists('anything', 'file:///repo/sub/site.yml'), false, 'the nearest cfg counts, with the default roles_path');
  });

  it('gives a playbook its plays\' and roles\' handlers, and a role file its role\'s and its plays\'', () => {
    const workspace = newWorkspace();
    workspace.setFile('file:///repo/site.yml', PLAYBOOK);
    assert.equal(workspace.handlerNamesFor('file:///repo/roles/web/tasks/main.yml'), undefined, 'not open yet');
    workspace.setFile('file:///repo/roles/web/tasks/main.yml', '- name: T\n  ansible.builtin.debug: {msg: x}\n  notify: Restart web\n');
    assert.equal(workspace.handlerNamesFor('file:///repo/roles/web/tasks/main.yml'), undefined, 'the role\'s handlers are unknown');
    workspace.setFile('file:///repo/roles/web/handlers/main.yml', '- name: Restart web\n  ansible.builtin.service: {name: web, state: restarted}\n');
    assert.deepEqual([...workspace.handlerNamesFor('file:///repo/site.yml')!].sort(), ['Reload', 'Restart web', 'config changed', 'web : Restart web']);
    assert.deepEqual([...workspace.handlerNamesFor('file:///repo/roles/web/tasks/main.yml')!].sort(), ['Reload', 'Restart web', 'config changed', 'web : Restart web']);
    assert.equal(workspace.handlerNamesFor('file:///repo/tasks/extra.yml'), undefined);
  });

  it('reuses per-play findings when lines move, with the same result as a fresh check', () => {
    const broken = PLAYBOOK.replace('src: a', 'srcc: a') + PLAYBOOK.replace('hosts: web', 'hosts: web\n  becme: true');
    const cached = newWorkspace();
    cached.setFile('file:///repo/site.yml', broken);
    cached.diagnose('file:///repo/site.yml');
    const moved = `# a comment\n\n${broken}`;
    cached.setFile('file:///repo/site.yml', moved);
    const fresh = newWorkspace();
    fresh.setFile('file:///repo/site.yml', moved);
    const lines = (findings: Array<{ rule: string; range: { start: { line: number; character: number } } }>): string[] => findings.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.rule}`).sort();
    const after = cached.diagnose('file:///repo/site.yml');
    assert.deepEqual(lines(after), lines(fresh.diagnose('file:///repo/site.yml')));
    assert.ok(after.some((f) => f.rule === 'ansible/module-arguments' && f.range.start.line === 8), JSON.stringify(lines(after)));
    assert.ok(after.some((f) => f.rule === 'ansible/schema' && f.range.start.line === 16), JSON.stringify(lines(after)));
  });

  it('redoes cross-file findings when another file defines what was missing', () => {
    const workspace = newWorkspace();
    const uri = 'file:///repo/site.yml';
    workspace.setFile(uri, PLAYBOOK.replace('notify: Reload', 'notify: Restart web'));
    const before = workspace.diagnose(uri).map((f) => f.rule);
    workspace.setFile('file:///repo/roles/web/handlers/main.yml', '- name: Restart web\n  ansible.builtin.service: {name: web, state: restarted}\n');
    const after = workspace.diagnose(uri).map((f) => f.rule);
    assert.ok(before.length > after.length, `${before.join()} → ${after.join()}`);
  });

  it('hands hover and completion the parsed file', () => {
    const workspace = newWorkspace();
    workspace.setFile('file:///repo/site.yml', PLAYBOOK);
    assert.match(workspace.hover('file:///repo/site.yml', { line: 6, character: 12 })?.markdown ?? '', /\*\*ansible\.builtin\.copy\*\*/);
    assert.match(workspace.hover('file:///repo/site.yml', { line: 6, character: 38 })?.markdown ?? '', /\*\*dest\*\* \(ansible\.builtin\.copy\)/);
    assert.equal(workspace.hover('file:///repo/site.yml', { line: 5, character: 16 }), undefined, 'a value, not a key');
    assert.deepEqual(workspace.completion('file:///repo/nothing.yml', { line: 0, character: 0 }), []);
  });
});
