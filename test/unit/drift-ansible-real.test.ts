/**
 * Ansible drift with the real ansible-playbook in check mode against localhost (connection
 * local) on a temporary folder: some files already match the playbook, others differ, one
 * task is no_log and its values must never appear. Check mode must leave every file as it was.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ansibleDrift } from '../../server/src/node/ansibleDrift';
import { findOnPath } from '../../server/src/node/findOnPath';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'drift', 'ansible');
const ansiblePlaybook = findOnPath('ansible-playbook');
const SECRETS = ['ansible-secret-Zp3-current', 'ansible-secret-Zp3-desired', 'Zp3'];

/** The host's files before the run: motd and data match the playbook; app.conf, server.ini, db.secret, license.txt and a flag differ; cache is missing. */
const TARGET_FILES: Record<string, string> = {
  motd: 'welcome\n',
  'app.conf': 'listen=80\nworkers=4\n',
  'server.ini': '[main]\nport=80\nhost=a\n',
  'db.secret': 'ansible-secret-Zp3-current\n',
  'license.txt': 'old license\n',
  'search.flag': 'on\n',
  'checkout.flag': 'on\n',
};

function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(folder).sort().map((name) => {
    const file = path.join(folder, name);
    return [name, fs.statSync(file).isDirectory() ? '<dir>' : fs.readFileSync(file, 'utf8')];
  }));
}

describe('Ansible drift with the real ansible-playbook', { skip: ansiblePlaybook ? false : 'ansible-playbook is not on the PATH' }, () => {
  let root: string;
  let target: string;
  let playbook: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-ansible-drift-'));
    target = path.join(root, 'target');
    fs.mkdirSync(path.join(target, 'data'), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.join(target, 'data'), 0o755);
    for (const [name, text] of Object.entries(TARGET_FILES)) fs.writeFileSync(path.join(target, name), text, { mode: 0o644 });
    fs.chmodSync(path.join(target, 'motd'), 0o644);
    // The playbook with an ansible.cfg beside it that names the inventory, as a repository would have them.
    const project = path.join(root, 'project');
    fs.mkdirSync(project);
    playbook = path.join(project, 'site.yml');
    fs.copyFileSync(path.join(FIXTURES, 'site.yml'), playbook);
    fs.writeFileSync(path.join(project, 'hosts.ini'), `[shop]\nlocalhost ansible_connection=local ansible_python_interpreter=auto_silent target_dir=${target}\n`);
    fs.writeFileSync(path.join(project, 'ansible.cfg'), '[defaults]\ninventory = hosts.ini\n');
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports the tasks that would change, with their diffs, and changes nothing', async () => {
    const before = snapshot(target);
    const environment = await ansibleDrift(playbook, { trusted: true });
    assert.deepEqual(snapshot(target), before, 'check mode changed the host');
    assert.equal(environment.source, 'ansible');
    assert.equal(environment.name, 'site.yml (inventory from ansible.cfg)');
    assert.ok(!Number.isNaN(Date.parse(environment.asOf)));
    assert.deepEqual(environment.resources.map((r) => `${r.name}: ${r.status}`), [
      'Motd already matches: in-sync',
      'App config differs: drifted',
      'Port line differs: drifted',
      'Data folder exists: in-sync',
      'Cache folder is missing: drifted',
      'Database password file: drifted',
      'License text without a diff: drifted',
      'Feature flags: drifted',
    ]);
    const app = environment.resources.find((r) => r.name === 'App config differs')!;
    assert.equal(app.id, `${playbook}:14@localhost`);
    assert.equal(app.declaredAt?.uri, `file://${playbook}`);
    assert.equal(app.declaredAt?.range.start.line, 13);
    assert.equal(app.fields[0].path, path.join(target, 'app.conf'));
    assert.match(app.fields[0].explanation, /-listen=80\n\+listen=8080/);
    const secret = environment.resources.find((r) => r.name === 'Database password file')!;
    assert.deepEqual(secret.fields.map((f) => f.explanation), ['would change; output hidden by no_log']);
    // The failing task (ignore_errors) is said in words.
    assert.match(environment.error ?? '', /Task "Copy from a source that does not exist" failed on localhost/);
    const output = JSON.stringify(environment);
    for (const value of SECRETS) assert.ok(!output.includes(value), `no_log content leaked: ${value}`);
  });

  it('uses the inventory of the setting over ansible.cfg, and reports an unreachable host', async () => {
    const unreachable = path.join(root, 'unreachable.ini');
    fs.copyFileSync(path.join(FIXTURES, 'unreachable.ini'), unreachable);
    const environment = await ansibleDrift(playbook, { trusted: true, inventory: unreachable, env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False' } });
    assert.equal(environment.name, `site.yml (inventory ${unreachable})`);
    assert.deepEqual(environment.resources, []);
    assert.match(environment.error ?? '', /^Host web-1 is unreachable: .*Connection refused/);
  });

  it('runs nothing in an untrusted workspace, and says what to do', async () => {
    const environment = await ansibleDrift(playbook, { trusted: false });
    assert.deepEqual(environment.resources, []);
    assert.equal(environment.error, 'The workspace is not trusted; trust the workspace to run ansible-playbook in check mode.');
  });

  it('stops ansible-playbook when the refresh is cancelled', async () => {
    const controller = new AbortController();
    const running = ansibleDrift(playbook, { trusted: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const environment = await running;
    assert.equal(environment.error, 'ansible-playbook could not run: ansible-playbook --check was cancelled.');
    assert.deepEqual(environment.resources, []);
  });

  it('says when ansible-playbook cannot run or fails before any task', async () => {
    const missing = await ansibleDrift(playbook, { trusted: true, ansiblePlaybookPath: path.join(root, 'no-such-ansible-playbook') });
    assert.match(missing.error ?? '', /^ansible-playbook could not run: cannot run ".*no-such-ansible-playbook" \(ENOENT\)\.$/);
    const broken = path.join(root, 'project', 'broken.yml');
    fs.writeFileSync(broken, '- hosts: all\n  tasks:\n    - name: x\n      no.such.module: {}\n');
    const failed = await ansibleDrift(broken, { trusted: true });
    assert.match(failed.error ?? '', /^ansible-playbook --check failed \(exit status 4\): .*no\.such\.module/);
  });
});
