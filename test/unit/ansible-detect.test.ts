import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectAnsibleFile } from '../../server/src/ansible/detect';

const PLAY = '- name: Web\n  hosts: web\n  tasks:\n    - apt: name=nginx\n';
const TASKS = '- name: Install\n  ansible.builtin.apt:\n    name: nginx\n- name: Start\n  service: name=nginx state=started\n';
const VARS = 'http_port: 80\nusers:\n  - alice\n';
const INVENTORY = 'all:\n  children:\n    web:\n      hosts:\n        web1.example.com:\n  vars:\n    ansible_user: deploy\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n';

const cases: Array<[string, string, string | undefined]> = [
  // Playbooks, by content wherever they are.
  ['site.yml', PLAY, 'playbook'],
  ['playbooks/deploy.yaml', PLAY, 'playbook'],
  ['play.yml', '---\n- hosts: all\n  roles: [common]\n', 'playbook'],
  ['play.yml', '-   hosts: all\n    become: true\n', 'playbook'],
  ['imports.yml', '- import_playbook: web.yml\n- ansible.builtin.import_playbook: db.yml\n', 'playbook'],
  ['play.yml', '# a comment\n- name: "Quoted"\n  "hosts": all\n', 'playbook'],
  ['play.yml', '- name: Block scalar\n  hosts: all\n  tasks:\n    - shell: |\n        hosts: not a key\n', 'playbook'],
  // Plays without their hosts (Ansible refuses them, so they must be read as plays to say so).
  ['playbooks/forgot.yml', '- name: Forgot the hosts\n  tasks:\n    - ansible.builtin.ping:\n', 'playbook'],
  ['deploy.yml', '- name: Misspelt\n  hostz: all\n  tasks:\n    - ping:\n', 'playbook'],
  ['deploy.yml', '- name: No hosts\n  gather_facts: false\n  become: true\n  roles:\n    - web\n', 'playbook'],
  ['site.yml', '- roles:\n    - common\n', 'playbook'],
  ['playbook-web.yaml', '- name: x\n  pre_tasks: []\n', 'playbook'],
  // …but not another tool's list that happens to use one of those words.
  ['users.yml', '- name: alice\n  roles: [admin, dev]\n- name: bob\n  roles: [dev]\n', undefined],
  ['ci.yml', '- name: build\n  tasks: [compile, test]\n  image: golang\n  commands: [make]\n', undefined],
  ['pipeline.yml', '- name: deploy\n  tasks:\n    - run: make\n', undefined],
  // Task files: by role path, by a tasks/ or handlers/ folder, or by content.
  ['roles/web/tasks/main.yml', TASKS, 'tasks'],
  ['roles/web/tasks/sub/install.yaml', '- name: x\n  my_custom_module: {a: 1}\n', 'tasks'],
  ['roles/web/tasks/main.yml', '', 'tasks'],
  ['roles/web/handlers/main.yml', '- name: restart nginx\n  service: name=nginx state=restarted\n', 'handlers'],
  ['handlers/main.yml', '- name: restart\n  my.collection.thing: {}\n', 'handlers'],
  ['tasks/setup.yml', '- name: x\n  custom: y\n', 'tasks'],
  ['anything.yml', TASKS, 'tasks'],
  ['steps.yml', '- block:\n    - debug: msg=x\n  rescue:\n    - fail: msg=y\n', 'tasks'],
  ['steps.yml', '- include_tasks: other.yml\n', 'tasks'],
  ['steps.yml', '- name: x\n  community.general.ufw:\n    rule: allow\n', 'tasks'],
  // Variables.
  ['group_vars/all.yml', VARS, 'vars'],
  ['inventory/group_vars/web/main.yml', VARS, 'vars'],
  ['host_vars/web1.yaml', VARS, 'vars'],
  ['roles/web/vars/main.yml', VARS, 'vars'],
  ['roles/web/defaults/main.yml', VARS, 'vars'],
  ['vars/common.yml', VARS, 'vars'],
  ['group_vars/all.yml', '', 'vars'],
  // Role metadata and requirements.
  ['roles/web/meta/main.yml', 'galaxy_info:\n  author: me\ndependencies: []\n', 'role-meta'],
  ['roles/web/meta/other.yml', 'x: 1\n', undefined],
  ['requirements.yml', 'collections:\n  - name: community.general\n', 'requirements'],
  ['roles/requirements.yml', '- src: geerlingguy.nginx\n', 'requirements'],
  ['requirements.yml', 'flask: 1.0\n', undefined],
  // Inventories.
  ['inventory/prod.yml', INVENTORY, 'inventory'],
  ['hosts.yml', 'web:\n  hosts:\n    a.example.com:\n', 'inventory'],
  ['anywhere/cluster.yml', INVENTORY, 'inventory'],
  ['inventory/prod.yml', 'web:\n  image: nginx\n', undefined],
  // Never Ansible: Kubernetes, Helm, kustomize, CI and other YAML.
  ['roles/web/tasks/main.yml', DEPLOYMENT, undefined],
  ['site.yml', DEPLOYMENT + '---\n' + PLAY, undefined],
  ['deploy.yaml', DEPLOYMENT, undefined],
  ['charts/web/templates/tasks.yaml', TASKS, undefined],
  ['charts/web/Chart.yaml', 'apiVersion: v2\nname: web\n', undefined],
  ['charts/web/values.yaml', VARS, undefined],
  ['charts/web/values-prod.yaml', VARS, undefined],
  ['overlays/prod/kustomization.yaml', 'resources:\n  - ../base\n', undefined],
  ['.github/workflows/ci.yml', 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n', undefined],
  ['docker-compose.yml', 'services:\n  web:\n    image: nginx\n', undefined],
  ['config.yml', '- name: a\n  value: 1\n- name: b\n  value: 2\n', undefined],
  ['data.yml', '- 1\n- 2\n', undefined],
  ['roles/web/templates/app.yml', TASKS, undefined],
  ['roles/web/files/list.yml', TASKS, undefined],
  ['notes.md', PLAY, undefined],
  ['settings.yml', VARS, undefined],
];

describe('detectAnsibleFile', () => {
  for (const [path, text, expected] of cases) {
    it(`${path}: ${JSON.stringify(text.slice(0, 30))} is ${expected ?? 'not Ansible'}`, () => {
      assert.equal(detectAnsibleFile(`file:///repo/${path}`, text), expected);
    });
  }

  it('reads percent-encoded URIs and Windows-style drive URIs', () => {
    assert.equal(detectAnsibleFile('file:///c%3A/repo/roles/my%20role/tasks/main.yml', TASKS), 'tasks');
  });

  it('looks only at the start of a huge file and stays fast', () => {
    const big = PLAY + '    - debug: msg=x\n'.repeat(200_000);
    const start = performance.now();
    assert.equal(detectAnsibleFile('file:///repo/big.yml', big), 'playbook');
    assert.ok(performance.now() - start < 200);
  });
});
