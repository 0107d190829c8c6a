import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAnsibleFile } from '../../server/src/ansible/parse';
import type { AnsibleFileKind, ModuleCatalog, ModuleSpec } from '../../server/src/ansible/types';

const spec = (fqcn: string): ModuleSpec => ({ fqcn, shortDescription: '', options: {} });
const catalog: ModuleCatalog = {
  resolve: (name) => ['apt', 'copy', 'debug', 'shell', 'include_tasks'].includes(name.replace(/^ansible\.builtin\./, '')) ? spec(`ansible.builtin.${name.replace(/^ansible\.builtin\./, '')}`) : undefined,
  names: () => [],
};

/** Parses the file of `kind` at `uri` made of `lines`, with the catalog above. */
const parseLines = (uri: string, kind: AnsibleFileKind, lines: string[]) => parseAnsibleFile(uri, lines.join('\n'), kind, catalog);

describe('parseAnsibleFile', () => {
  it('reads plays, their task lists in run order, handlers and roles', () => {
    const file = parseLines('file:///p/site.yml', 'playbook', [
      '- name: Web',
      '  hosts: web',
      '  roles:',
      '    - common',
      '    - role: nginx',
      '      vars: {port: 80}',
      '  tasks:',
      '    - name: Install',
      '      apt: name=curl',
      '      notify: restart',
      '  pre_tasks:',
      '    - debug: msg=first',
      '  handlers:',
      '    - name: restart',
      '      ansible.builtin.shell: systemctl restart nginx',
      '- import_playbook: other.yml',
      '',
    ]);
    assert.equal(file.syntax.length, 0);
    assert.equal(file.plays.length, 2);
    const [play, imported] = file.plays;
    assert.equal(play.name, 'Web');
    assert.deepEqual(play.tasks.map((t) => t.action?.name), ['debug', 'apt']);
    assert.equal(play.tasks[1].action?.module?.fqcn, 'ansible.builtin.apt');
    assert.deepEqual(play.handlers.map((t) => [t.name, t.isHandler, t.action?.module?.fqcn]), [['restart', true, 'ansible.builtin.shell']]);
    assert.deepEqual(play.roles.map((r) => [r.name, r.range.start.line, r.range.start.character]), [['common', 3, 6], ['nginx', 4, 12]]);
    assert.equal(imported.importPlaybook, 'other.yml');
    assert.equal(play.importPlaybook, undefined);
  });

  it('reads blocks with rescue and always, and keeps unknown modules unresolved', () => {
    const file = parseLines('file:///r/roles/x/tasks/main.yml', 'tasks', [
      '- block:',
      '    - copy: {src: a, dest: b}',
      '  rescue:',
      '    - community.general.foo: {x: 1}',
      '  always:',
      '    - debug:',
      '        msg: done',
      '      when: x',
      '      loop: [1, 2]',
    ]);
    assert.equal(file.tasks.length, 1);
    const block = file.tasks[0];
    assert.equal(block.action, undefined);
    assert.deepEqual(block.children.map((t) => [t.action?.name, t.action?.module?.fqcn]), [
      ['copy', 'ansible.builtin.copy'],
      ['community.general.foo', undefined],
      ['debug', 'ansible.builtin.debug'],
    ]);
    assert.equal(block.children[2].action?.args?.kind, 'map');
  });

  it('reads action: and local_action: in string and mapping form, with args: beside them', () => {
    const file = parseLines('file:///t/tasks/main.yml', 'tasks', [
      '- action: copy src=a dest=b',
      '- local_action:',
      '    module: debug',
      '    msg: hi',
      '- shell: echo hi',
      '  args:',
      '    chdir: /tmp',
      '- name: no action here',
      '  when: true',
    ]);
    const [first, second, third, fourth] = file.tasks;
    assert.equal(first.action?.name, 'copy');
    assert.equal(first.action?.module?.fqcn, 'ansible.builtin.copy');
    assert.equal(first.action?.pair.key.kind === 'scalar' && first.action.pair.key.value, 'action');
    assert.equal(second.action?.name, 'debug');
    assert.equal(second.action?.args?.kind, 'map');
    assert.equal(third.action?.args?.kind, 'scalar');
    assert.equal(third.action?.extraArgs?.kind, 'map');
    assert.equal(fourth.action, undefined);
  });

  it('marks every task of a handlers file as a handler', () => {
    const file = parseAnsibleFile('file:///r/roles/x/handlers/main.yml', '- name: restart\n  shell: x\n', 'handlers', catalog);
    assert.deepEqual(file.tasks.map((t) => t.isHandler), [true]);
  });

  it('reports YAML syntax errors as findings and survives odd shapes', () => {
    const broken = parseAnsibleFile('file:///p/a.yml', '- hosts: all\n  tasks: [\n', 'playbook', catalog);
    assert.ok(broken.syntax.length > 0);
    assert.equal(broken.syntax[0].severity, 'error');
    for (const text of ['', 'just a string', '- 1\n- [a]\n- null\n', '- hosts: all\n  tasks: 3\n  roles: {a: 1}\n', '- hosts: all\n  tasks:\n    - 3\n    - block: nope\n']) {
      const file = parseAnsibleFile('file:///p/b.yml', text, 'playbook', catalog);
      assert.ok(Array.isArray(file.plays));
    }
  });

  it('gives offsets the line index turns into ranges', () => {
    const file = parseAnsibleFile('file:///t/tasks/main.yml', '- name: x\n  apt:\n    name: curl\n', 'tasks', catalog);
    const key = file.tasks[0].action!.pair.key;
    assert.deepEqual(file.lines.rangeOf(key.start, key.end), { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
  });
});
