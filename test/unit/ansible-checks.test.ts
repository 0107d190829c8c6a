/**
 * Structure (schema) and module-argument checks of Ansible files, with the real bundled
 * schemas and ansible.builtin specs. Each case is a small file and the exact findings of
 * our own checks (lint rules are tested by their owner and left out here).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { typeProblem } from '../../server/src/ansible/arguments';
import { parseKeyValueArguments } from '../../server/src/ansible/kvArguments';
import type { AnsibleWorkspace } from '../../server/src/ansible/workspace';
import { createNodeAnsibleWorkspace } from '../../server/src/node/ansibleWorkspace';

const SCHEMAS = path.resolve(__dirname, '..', '..', 'schemas');
const OWN_RULES = /^(yaml|ansible\/(schema|task-action|module-arguments|unknown-module|deprecated))/;

function newWorkspace(): AnsibleWorkspace {
  const { workspace, note } = createNodeAnsibleWorkspace(SCHEMAS);
  assert.equal(note, undefined);
  return workspace;
}
const shared = newWorkspace();

/** `line:column severity rule message` (1-based) of our own findings for a file. */
function check(name: string, text: string, workspace = shared): string[] {
  const uri = `file:///repo/${name}`;
  assert.ok(workspace.handles(uri, text), `${name} should be Ansible`);
  workspace.setFile(uri, text);
  return workspace.diagnose(uri)
    .filter((f) => OWN_RULES.test(f.rule))
    .map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}`);
}

const play = (...lines: string[]): string => ['- name: Play', '  hosts: all', ...lines, ''].join('\n');
const tasks = (...lines: string[]): string => ['- name: Task', ...lines, ''].join('\n');

describe('Ansible structure checks', () => {
  it('accepts a clean playbook', () => {
    assert.deepEqual(check('site.yml', play(
      '  become: true',
      '  vars:',
      '    port: 80',
      '  pre_tasks:',
      '    - name: Update',
      '      ansible.builtin.apt:',
      '        update_cache: yes',
      '  tasks:',
      '    - name: Group',
      '      block:',
      '        - name: Install',
      '          ansible.builtin.apt: name=nginx state=present',
      '      rescue:',
      '        - name: Say',
      '          ansible.builtin.debug: msg="failed {{ port }}"',
      '      when: port > 0',
      '    - name: Templated values pass',
      '      ansible.builtin.wait_for:',
      '        port: "{{ port }}"',
      '        timeout: 30',
      '      become: "{{ do_become }}"',
      '      loop: "{{ items }}"',
      '  handlers:',
      '    - name: Restart',
      '      ansible.builtin.service: name=nginx state=restarted',
      '      listen: web',
      '- ansible.builtin.import_playbook: other.yml',
    )), []);
  });

  it('reports unknown play keywords with did-you-mean, on the key, with a fix', () => {
    const workspace = newWorkspace();
    assert.deepEqual(check('site.yml', play('  becme: true', '  gather_fact: no'), workspace), [
      '3:3 error ansible/schema Unknown play keyword "becme". Did you mean "become"?',
      '4:3 error ansible/schema Unknown play keyword "gather_fact". Did you mean "gather_facts"?',
    ]);
    const fix = workspace.diagnose('file:///repo/site.yml').find((f) => f.message.includes('becme'))?.fixes?.[0];
    assert.deepEqual(fix?.edits, [{ range: { start: { line: 2, character: 2 }, end: { line: 2, character: 7 } }, newText: 'become' }]);
  });

  it('words wrong types in plain language on the value', () => {
    assert.deepEqual(check('site.yml', play('  become: maybe', '  serial: lots', '  tasks:', '    - name: T', '      ansible.builtin.debug: msg=x', '      async: soon', '      notify: {a: 1}')), [
      '3:11 error ansible/schema Wrong value for "become": expected a boolean (true or false) or a Jinja template ("{{ … }}"), found the string "maybe".',
      '4:11 error ansible/schema Wrong value for "serial": expected an integer, a percentage ("30%"), a Jinja template ("{{ … }}") or a list, found the string "lots".',
      '8:14 error ansible/schema Wrong value for "async": expected an integer or a Jinja template ("{{ … }}"), found the string "soon".',
      '9:15 error ansible/schema Wrong value for "notify": expected a string or a list, found a mapping.',
    ]);
  });

  it('reads values as Ansible does, as YAML 1.1: yes/no/on/off are booleans wherever a keyword takes one', () => {
    assert.deepEqual(check('site.yml', play(
      '  become: yes',
      '  gather_facts: no',
      '  any_errors_fatal: On',
      '  force_handlers: OFF',
      '  tasks:',
      '    - name: T',
      '      ansible.builtin.apt:',
      '        name: curl',
      '        update_cache: yes',
      '      become: Yes',
      '      ignore_errors: NO',
      '      no_log: off',
      '      run_once: on',
      '      check_mode: no',
      '      diff: yes',
      '      retries: 0x0A',
      '      delay: 1_000',
      '      delegate_facts: yes',
      '    - name: Block',
      '      block:',
      '        - name: In',
      '          ansible.builtin.debug: msg=x',
      '      ignore_unreachable: yes',
    )), []);
    // Quoted, "yes" is a string for YAML 1.1 too: the schema (and ansible-lint) want a boolean.
    assert.deepEqual(check('site.yml', play('  become: "yes"', '  gather_facts: y')), [
      '3:11 error ansible/schema Wrong value for "become": expected a boolean (true or false) or a Jinja template ("{{ … }}"), found the string "yes".',
      '4:17 error ansible/schema Wrong value for "gather_facts": expected a boolean (true or false) or a Jinja template ("{{ … }}"), found the string "y".',
    ]);
  });

  it('reads a list of plays without hosts, or with hosts misspelt, as a playbook and says what is wrong', () => {
    assert.deepEqual(check('deploy.yml', '- name: Misspelt\n  hostz: all\n  tasks:\n    - name: Ping\n      ansible.builtin.ping:\n'), [
      '1:3 error ansible/schema This play has no "hosts": add the hosts or groups it runs on (for example hosts: all).',
      '2:3 error ansible/schema Unknown play keyword "hostz". Did you mean "hosts"?',
    ]);
  });

  it('reports a play without hosts at its name, and import_playbook mixed with a play', () => {
    assert.deepEqual(check('site.yml', '- name: Lost\n  tasks: []\n- import_playbook: x.yml\n  hosts: all\n'), [
      '1:3 error ansible/schema This play has no "hosts": add the hosts or groups it runs on (for example hosts: all).',
      '3:3 error ansible/schema An import_playbook entry cannot also be a play (hosts, tasks, roles): make them two list items.',
    ]);
  });

  it('reports tasks with no action, two actions, and a misspelt keyword', () => {
    assert.deepEqual(check('roles/r/tasks/main.yml', [
      '- name: Nothing',
      '  when: true',
      '- name: Two',
      '  ansible.builtin.debug: msg=a',
      '  ansible.builtin.shell: echo',
      '- name: Typo',
      '  ansible.builtin.debug: msg=a',
      '  regster: out',
      '',
    ].join('\n')), [
      '1:3 error ansible/task-action This task has no action: add the module it runs (for example ansible.builtin.debug:), or make it a block:.',
      '5:3 error ansible/task-action This task has several actions ("ansible.builtin.debug", "ansible.builtin.shell"): a task runs exactly one module. Is "ansible.builtin.shell" a misspelt keyword, or does it belong in a task of its own?',
      '8:3 error ansible/schema Unknown task keyword "regster". Did you mean "register"?',
    ]);
  });

  it('reports loop together with with_*, and two with_* loops', () => {
    assert.deepEqual(check('tasks/loops.yml', tasks('  ansible.builtin.debug: msg={{ item }}', '  loop: [1]', '  with_items: [2]', '- name: B', '  ansible.builtin.debug: msg=x', '  with_items: [1]', '  with_dict: {}')), [
      '4:3 error ansible/task-action "loop" and "with_items" cannot be used together: keep one of them.',
      '8:3 error ansible/task-action A task loops once: "with_items" and "with_dict" cannot be used together.',
    ]);
  });

  it('reports what does not belong on a block, and a play inside a task list', () => {
    assert.deepEqual(check('roles/r/tasks/b.yml', [
      '- name: Block',
      '  block:',
      '    - name: In',
      '      ansible.builtin.debug: msg=x',
      '  register: out',
      '- name: Play here?',
      '  hosts: all',
      '  ansible.builtin.debug: msg=x',
      '',
    ].join('\n')), [
      '5:3 error ansible/schema "register" is a task keyword that a block does not take.',
      '7:3 error ansible/schema "hosts" belongs to a play, not a task: is this a play inside a task list?',
    ]);
  });

  it('warns about the deprecated include', () => {
    assert.deepEqual(check('tasks/inc.yml', tasks('  include: other.yml')), [
      '2:3 warning ansible/deprecated "include" is deprecated and removed in ansible-core 2.16: use ansible.builtin.include_tasks or ansible.builtin.import_tasks.',
    ]);
  });

  it('accepts action: and local_action: in mapping and string form', () => {
    assert.deepEqual(check('tasks/act.yml', tasks('  local_action:', '    module: ansible.builtin.debug', '    msg: hi', '- name: B', '  action: ansible.builtin.copy src=a dest=b', '- name: C', '  action: ansible.builtin.copy src=a')), [
      '8:3 error ansible/module-arguments ansible.builtin.copy is missing the required argument "dest".',
    ]);
  });

  it('stops at YAML syntax errors', () => {
    const findings = check('site.yml', '- hosts: all\n  tasks: [\n');
    assert.equal(findings.length, 1);
    assert.match(findings[0], /error yaml\/syntax/);
  });

  it('says a playbook or task file must be a list', () => {
    assert.deepEqual(check('roles/r/tasks/main.yml', 'name: x\napt: y\n'), ['1:1 error ansible/schema A task file is a list (each item starting with "- "), found a mapping.']);
  });

  it('checks variables files, role metadata, requirements and inventories', () => {
    assert.deepEqual(check('group_vars/all.yml', 'good_name: 1\nbad-name: 2\nhosts: 3\n'), [
      '2:1 error ansible/schema "bad-name" is not a valid variable name: use letters, digits and underscores, not starting with a digit.',
      '3:1 warning ansible/schema "hosts" is a reserved name (a Python or play keyword): Ansible warns about it and it may not work as a variable. Rename it.',
    ]);
    assert.deepEqual(check('roles/r/meta/main.yml', 'galaxy_info:\n  author: me\n  description: d\n  license: MIT\n  min_ansible_version: "2.14"\n  platforms: []\ndependencies: [3]\n'), [
      '7:16 error ansible/schema Wrong value for "dependencies[0]": expected a string or a mapping, found the integer 3.',
    ]);
    assert.deepEqual(check('requirements.yml', 'collections:\n  - name: community.general\n    versio: 1.0.0\n'), [
      '3:5 error ansible/schema Unknown field "versio" in collections[0]. Did you mean "version"?',
    ]);
    assert.deepEqual(check('inventory/prod.yml', 'all:\n  hosts:\n    a.example.com:\n  children:\n    web:\n      hosts:\n        b.example.com:\n'), []);
  });

  it('checks YAML inventories as Ansible reads them: errors where it fails, warnings where it skips', () => {
    assert.deepEqual(check('inventory/list.yml', 'all:\n  children:\n    web:\n      hosts:\n        - web1.example.com\n        - web2.example.com\n'), [
      '5:9 error ansible/schema "hosts" of group "web" must be a mapping of host names (each with its variables, or nothing), found a list: Ansible cannot read the inventory.',
    ]);
    assert.deepEqual(check('inventory/mixed.yml', [
      'all:',
      '  hosts: web1.example.com',
      '  children:',
      '    web:',
      '      hostz:',
      '        x:',
      '      vars: [a]',
      '    db: [db1]',
      '    cache:',
      '      hosts:',
      '        c1: [1]',
      '        c2:',
      '          port: 1',
      '',
    ].join('\n')), [
      '5:7 warning ansible/schema "hostz" is not a group key: Ansible ignores it (a group has only hosts, children and vars). Did you mean "hosts"?',
      '7:13 error ansible/schema "vars" of group "web" must be a mapping of variables, found a list: Ansible cannot read the inventory.',
      '8:9 error ansible/schema Group "db" must be a mapping of hosts, children and vars (or nothing), found a list: Ansible cannot read the inventory.',
      '11:13 error ansible/schema The variables of host "c1" must be a mapping (or nothing), found a list: Ansible cannot read the inventory.',
    ]);
  });
});

describe('Ansible module arguments', () => {
  it('reports unknown arguments (aliases accepted), wrong types, bad choices and missing required ones', () => {
    assert.deepEqual(check('tasks/args.yml', tasks(
      '  ansible.builtin.apt:',
      '    pkg: nginx',
      '    state: latests',
      '    update_cach: yes',
      '    cache_valid_time: soon',
      '- name: B',
      '  ansible.builtin.file:',
      '    mode: "0644"',
      '- name: C',
      '  ansible.builtin.copy: src=a dest=/b bogus=1 force=maybe',
    )), [
      '4:12 error ansible/module-arguments "latests" is not a valid "state" for ansible.builtin.apt. Allowed: absent, build-dep, fixed, latest, present. Did you mean "latest"?',
      '5:5 error ansible/module-arguments Unknown argument "update_cach" for ansible.builtin.apt. Did you mean "update_cache"?',
      '6:23 error ansible/module-arguments Wrong type for "cache_valid_time" of ansible.builtin.apt: expected an integer, found the string "soon".',
      '8:3 error ansible/module-arguments ansible.builtin.file is missing the required argument "path".',
      '11:39 error ansible/module-arguments Unknown argument "bogus" for ansible.builtin.copy. It takes: attributes, backup, checksum, content, decrypt, dest, directory_mode, follow, force, group, local_follow, mode, owner, remote_src, selevel, ….',
      '11:53 error ansible/module-arguments Wrong type for "force" of ansible.builtin.copy: expected a boolean (true/false, yes/no), found the string "maybe".',
    ]);
  });

  it('checks mutually exclusive, required_one_of, required_together and required_if', () => {
    assert.deepEqual(check('tasks/rel.yml', tasks(
      '  ansible.builtin.apt: deb=/x.deb name=y',
      '- name: B',
      '  ansible.builtin.service:',
      '    name: nginx',
      '- name: C',
      '  ansible.builtin.debconf: name=tzdata question=q',
      '- name: D',
      '  ansible.builtin.group: name=g non_unique=true',
    )), [
      '2:3 error ansible/module-arguments ansible.builtin.apt: "deb" and "package" cannot be used together.',
      '4:3 error ansible/module-arguments ansible.builtin.service needs one of "state" or "enabled".',
      '7:3 error ansible/module-arguments ansible.builtin.debconf: "question", "vtype" and "value" must be given together (missing "vtype" and "value").',
      '9:3 error ansible/module-arguments ansible.builtin.group: non_unique=true needs "gid".',
    ]);
  });

  it('handles free-form modules: k=v options extracted, the rest is the command', () => {
    assert.deepEqual(check('tasks/ff.yml', tasks(
      '  ansible.builtin.command: echo a=b chdir=/tmp',
      '- name: B',
      '  ansible.builtin.shell:',
      '    cmd: echo hi',
      '    chdir: /tmp',
      '- name: C',
      '  ansible.builtin.command: echo hi',
      '  args:',
      '    creates: /x',
      '    chdirr: /tmp',
      '- name: D',
      '  ansible.builtin.apt: nginx',
      '- name: E',
      '  ansible.builtin.set_fact: anything=1 other=2',
    )), [
      '11:5 error ansible/module-arguments Unknown argument "chdirr" for ansible.builtin.command. Did you mean "chdir"?',
      '13:24 error ansible/module-arguments ansible.builtin.apt does not take free-form text: give its arguments as a mapping or as key=value pairs.',
    ]);
  });

  it('accepts templated arguments whole or in part', () => {
    assert.deepEqual(check('tasks/tpl.yml', tasks('  ansible.builtin.apt: "{{ apt_args }}"', '- name: B', '  ansible.builtin.apt:', '    name: x', '    state: "{{ wanted }}"', '    install_recommends: "{{ flag }}"')), []);
  });

  it('rejects a misspelt fully qualified builtin module, warns about a short one, and stays quiet about other collections', () => {
    assert.deepEqual(check('tasks/mod.yml', tasks(
      '  ansible.builtin.aptt: name=x',
      '- name: B',
      '  cpy: src=a dest=b',
      '- name: C',
      '  community.general.ufw: rule=allow',
      '- name: D',
      '  my_custom_thing: x=1',
      '- name: E (a builtin module of a later ansible-core)',
      '  ansible.builtin.dnf5: name=x',
      '- name: F',
      '  ansible.builtin.no_such_thing_at_all: x=1',
    )), [
      '2:3 error ansible/unknown-module Unknown module "ansible.builtin.aptt": ansible.builtin has no module "aptt". Did you mean "ansible.builtin.apt"?',
      '4:3 warning ansible/unknown-module Unknown module "cpy". Did you mean "copy"?',
      '8:3 info ansible/unknown-module Module "my_custom_thing" is not an ansible.builtin module: it must come from a collection (the play\'s collections:) or a library/ folder. Its arguments are not checked.',
      '12:3 warning ansible/unknown-module "ansible.builtin.no_such_thing_at_all" is not an ansible.builtin module.',
    ]);
  });

  it('accepts any argument name for set_fact and add_host', () => {
    assert.deepEqual(check('tasks/open.yml', tasks(
      '  ansible.builtin.set_fact:',
      '    web_port: 8080',
      '    cacheable: yes',
      '- name: B',
      '  ansible.builtin.add_host:',
      '    name: web9',
      '    groups: web',
      '    ansible_host: 10.0.0.9',
      '- name: C',
      '  ansible.builtin.add_host: name=web8 ansible_port=2222',
    )), []);
  });

  it('maps a YAML boolean back to the one choice of the same truth, as Ansible does', () => {
    assert.deepEqual(check('tasks/upgrade.yml', tasks('  ansible.builtin.apt:', '    upgrade: yes', '- name: B', '  ansible.builtin.apt:', '    upgrade: true', '- name: C', '  ansible.builtin.apt:', '    upgrade: sometimes')), [
      '9:14 error ansible/module-arguments "sometimes" is not a valid "upgrade" for ansible.builtin.apt. Allowed: dist, full, no, safe, yes.',
    ]);
  });

  it('coerces values the way Ansible does', () => {
    const cases: Array<[string, unknown, boolean]> = [
      ['bool', 'yes', true], ['bool', 'No', true], ['bool', 1, true], ['bool', 'on', true], ['bool', 'maybe', false], ['bool', 2, false],
      ['int', '8', true], ['int', 8, true], ['int', 8.5, false], ['int', 'eight', false],
      ['float', '1.5', true], ['float', 'x', false],
      ['list', 'a,b', true], ['list', ['a'], true], ['list', { a: 1 }, false],
      ['dict', 'a=1 b=2', true], ['dict', { a: 1 }, true], ['dict', ['a'], false],
      ['str', { a: 1 }, true], ['raw', ['x'], true], ['bytes', '10M', true], ['bool', '{{ x }}', true],
    ];
    for (const [type, value, ok] of cases) assert.equal(typeProblem(type, value) === undefined, ok, `${type} ${JSON.stringify(value)}`);
  });

  it('splits key=value strings like Ansible, keeping quotes and templates whole', () => {
    const parsed = parseKeyValueArguments('echo "a b" msg="hi there" x={{ a | default("b c") }} tail');
    assert.deepEqual(parsed.pairs.map((p) => [p.key, p.value]), [['msg', 'hi there'], ['x', '{{ a | default("b c") }}']]);
    assert.equal(parsed.freeForm, 'echo "a b" tail');
  });
});
