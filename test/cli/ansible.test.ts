/**
 * `gitops-iac check` on an Ansible project, as a process: playbooks, role task files and
 * variables are checked beside Kubernetes manifests, in the usual text, JSON and SARIF
 * shapes; a role's handlers and folders are found on disk. Lint rules (owned elsewhere) are
 * left out of the exact comparisons so these tests state only what the structure and
 * argument checks find.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { findOnPath } from '../../server/src/node/findOnPath';
import { runCli, type CliRun } from './runCli';

const ROOT = path.resolve(__dirname, '..', '..');
const PROJECT = path.join(ROOT, 'test', 'fixtures', 'ansible-core', 'project');
const OWN_RULES = /^ansible\/(schema|task-action|module-arguments|unknown-module|deprecated)$/;

const check = (args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliRun> => runCli(['check', ...args], cwd, env);
const ansibleDoc = findOnPath('ansible-doc');
const noPosix = !ansibleDoc ? 'ansible-doc is not installed' : spawnSync(ansibleDoc, ['--list', '-t', 'module', 'ansible.posix']).status === 0 ? false : 'the ansible.posix collection is not installed';

describe('gitops-iac check on an Ansible project', () => {
  let work: string;
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-ansible-cli-'));
    fs.cpSync(PROJECT, path.join(work, 'project'), { recursive: true });
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('reports Ansible findings in JSON beside the Kubernetes ones, and exits 1', async () => {
    const result = await check(['--format', 'json', 'project'], work);
    assert.equal(result.code, 1, result.stderr);
    const diagnostics = (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    const own = diagnostics.filter((d) => OWN_RULES.test(d.rule)).map((d) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.rule} ${d.message}`);
    assert.deepEqual(own, [
      'project/group_vars/all.yml:2:1-2:9 error ansible/schema "app-name" is not a valid variable name: use letters, digits and underscores, not starting with a digit.',
      'project/roles/app/tasks/main.yml:4:12-4:19 error ansible/module-arguments "latests" is not a valid "state" for ansible.builtin.apt. Allowed: absent, build-dep, fixed, latest, present. Did you mean "latest"?',
      'project/site.yml:3:3-3:8 error ansible/schema Unknown play keyword "becom". Did you mean "become"?',
      'project/site.yml:10:22-10:24 error ansible/module-arguments Wrong type in "status_code" of ansible.builtin.uri: its items must be an integer, found the string "ok".',
    ]);
    assert.ok(diagnostics.some((d) => d.file === 'project/k8s/deployment.yaml' && d.rule === 'k8s/schema'), 'the manifest is still Kubernetes');
    assert.ok(!diagnostics.some((d) => d.file === 'project/config.yml'), 'a plain YAML list is not Ansible');
    // The role exists on disk and its handler is defined: neither is reported.
    assert.ok(!diagnostics.some((d) => /missing-role|undefined-handler/.test(d.rule)), JSON.stringify(diagnostics.filter((d) => d.rule.startsWith('ansible/'))));
  });

  it('prints text lines and the summary', async () => {
    const result = await check(['project/site.yml'], work);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^project\/site\.yml:3:3: error ansible\/schema Unknown play keyword "becom"\. Did you mean "become"\?$/m);
    assert.match(result.stdout, /\d+ errors?, \d+ warnings?, \d+ infos? in 1 file\n$/);
  });

  it('writes SARIF results with the Ansible rules', async () => {
    const result = await check(['--format', 'sarif', 'project/site.yml'], work);
    const log = JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }> }> }> };
    const becom = log.runs[0].results.find((r) => r.ruleId === 'ansible/schema');
    assert.deepEqual(becom?.locations[0].physicalLocation.region, { startLine: 3, startColumn: 3, endLine: 3, endColumn: 8 });
  });

  it('finds roles through the roles_path of the nearest ansible.cfg, and reports only the role that is nowhere', async () => {
    const project = path.join(work, 'configured');
    fs.mkdirSync(path.join(project, 'playbooks'), { recursive: true });
    fs.mkdirSync(path.join(work, 'shared', 'roles', 'common', 'tasks'), { recursive: true });
    fs.writeFileSync(path.join(work, 'shared', 'roles', 'common', 'tasks', 'main.yml'), '- name: Ping\n  ansible.builtin.ping:\n');
    fs.writeFileSync(path.join(project, 'ansible.cfg'), '[defaults]\nroles_path = ../shared/roles\n');
    fs.writeFileSync(path.join(project, 'playbooks', 'site.yml'), '- name: Site\n  hosts: all\n  roles:\n    - common\n    - nowhere\n');
    const result = await check(['--format', 'json', 'configured'], work);
    const roles = (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.filter((d) => d.rule === 'ansible/missing-role');
    assert.deepEqual(roles.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity}`), ['configured/playbooks/site.yml:5:7 warning']);
    assert.match(roles[0]?.message ?? '', /"nowhere"/);
  });

  it('loads the installed collections the files use (ansible.posix) and checks their modules\' arguments', { skip: noPosix }, async () => {
    const project = path.join(work, 'collections');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'site.yml'), '- name: Tune\n  hosts: all\n  tasks:\n    - name: Lower swappiness\n      ansible.posix.sysctl:\n        name: vm.swappiness\n        value: "10"\n        stat: present\n');
    const result = await check(['--format', 'json', 'collections'], work, { XDG_CACHE_HOME: path.join(work, 'cache') });
    const own = (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.filter((d) => OWN_RULES.test(d.rule));
    assert.deepEqual(own.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message}`), [
      'collections/site.yml:8:9 error Unknown argument "stat" for ansible.posix.sysctl. Did you mean "state"?',
    ]);
    assert.equal(result.code, 1);
  });

  it('exits 0 on a clean role', async () => {
    const result = await check(['--format', 'json', path.join(ROOT, 'examples', 'ansible', 'roles')], work);
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(JSON.parse(result.stdout), { diagnostics: [] });
  });
});
