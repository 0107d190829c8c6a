/**
 * `gitops-iac plan` as a process, on a real git repository with a base branch: Kubernetes
 * objects dry-run applied against the test API server (test/support/kubeApiServer.ts), a
 * Terraform module of `terraform_data` resources planned by the real terraform against a
 * local state, and a playbook checked by the real ansible-playbook against localhost.
 * Secret, sensitive and no_log values are grepped for in every output.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { KubeApiServer } from '../support/kubeApiServer';
import { writeKubeconfig } from '../support/kubeconfig';
import { findOnPath } from '../../server/src/node/findOnPath';
import type { PlanReport, PlanResource } from '../../server/src/plan/types';
import { runCli, type CliRun } from './runCli';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'plan');
const TERRAFORM = findOnPath('terraform');
const ANSIBLE_PLAYBOOK = findOnPath('ansible-playbook');
/** Values that must never be printed: Secret data (plain and base64) and a Terraform sensitive variable. */
const SECRETS = ['base-password-7731', 'branch-password-9924', Buffer.from('base-password-7731').toString('base64'), Buffer.from('branch-password-9924').toString('base64'), 'tf-secret-base-5521', 'tf-secret-branch-6642'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

function copyFixture(name: string, into: string): void {
  fs.cpSync(path.join(FIXTURES, name), into, { recursive: true });
}

function resourceOf(report: PlanReport, id: string): PlanResource {
  const found = report.environments.flatMap((environment) => environment.resources).find((resource) => resource.id === id);
  assert.ok(found, `no resource ${id} in ${report.environments.flatMap((environment) => environment.resources.map((resource) => resource.id)).join(', ')}`);
  return found;
}

function assertNoSecrets(run: CliRun): void {
  for (const secret of SECRETS) {
    assert.ok(!run.stdout.includes(secret), `stdout reveals ${secret}`);
    assert.ok(!run.stderr.includes(secret), `stderr reveals ${secret}`);
  }
}

describe('gitops-iac plan', () => {
  let temporary: string;
  let repository: string;
  let api: KubeApiServer;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-plan-'));
    repository = path.join(temporary, 'repo');
    fs.mkdirSync(repository);
    api = await KubeApiServer.start();
    // What the base branch declares is what is live.
    api.seed(fs.readFileSync(path.join(FIXTURES, 'base', 'apps', 'web.yaml'), 'utf8'));
    for (const file of ['secret.yaml', 'old.yaml']) api.seed(fs.readFileSync(path.join(FIXTURES, 'base', 'apps', file), 'utf8'));
    const kubeconfig = writeKubeconfig(temporary, [{ name: 'test-cluster', server: api.url, caPem: api.caPem, token: api.token, namespace: 'shop' }]);
    env = { KUBECONFIG: kubeconfig, HOME: temporary, TF_CLI_CONFIG_FILE: path.join(temporary, 'none.tfrc') };
    fs.writeFileSync(env.TF_CLI_CONFIG_FILE!, '');

    git(repository, 'init', '--quiet', '--initial-branch=main');
    copyFixture('base', repository);
    fs.writeFileSync(path.join(repository, '.gitignore'), '.terraform/\n*.tfstate\n*.tfstate.backup\n.terraform.lock.hcl\n');
    git(repository, 'add', '.');
    git(repository, 'commit', '--quiet', '-m', 'base');
    if (TERRAFORM) {
      const tf = { ...process.env, ...env };
      execFileSync(TERRAFORM, ['init', '-input=false', '-no-color'], { cwd: path.join(repository, 'infra'), env: tf });
      execFileSync(TERRAFORM, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: path.join(repository, 'infra'), env: tf });
    }
    git(repository, 'checkout', '--quiet', '-b', 'feature');
    fs.rmSync(path.join(repository, 'apps', 'old.yaml'));
    copyFixture('branch', repository);
    git(repository, 'add', '-A');
    git(repository, 'commit', '--quiet', '-m', 'change');
    // Uncommitted and untracked changes are part of the preview too.
    copyFixture('uncommitted', repository);
  });

  after(async () => {
    await api?.close();
    fs.rmSync(temporary, { recursive: true, force: true });
  });

  it('plans Kubernetes objects with a dry-run apply and never writes', async () => {
    const run = await runCli(['plan', '--format', 'json'], repository, env);
    assert.equal(run.code, 0, run.stderr);
    assertNoSecrets(run);
    const report = JSON.parse(run.stdout) as PlanReport;
    assert.equal(report.base, 'main');
    assert.match(report.mergeBase ?? '', /^[0-9a-f]{40}$/);
    const kubernetes = report.environments.find((environment) => environment.source === 'kubernetes');
    assert.ok(kubernetes && !kubernetes.error, kubernetes?.error);
    assert.equal(kubernetes.name, 'test-cluster');

    const web = resourceOf(report, 'apps/v1/Deployment/shop/web');
    assert.equal(web.action, 'update');
    assert.equal(web.precision, 'exact');
    // Only what the branch changes: the server's defaults and metadata are not changes.
    assert.deepEqual(web.changes.map((change) => [change.path, change.before, change.after]), [
      ['spec.replicas', 2, 3],
      ['spec.template.spec.containers[name=web].image', 'registry.example.com/shop/web:1.4.0', 'registry.example.com/shop/web:1.5.0'],
    ]);
    assert.ok(web.declaredAt?.uri.endsWith('/apps/web.yaml'));
    assert.equal(web.declaredAt?.range.start.line, 0);

    const created = resourceOf(report, 'v1/ConfigMap/shop/settings');
    assert.equal(created.action, 'create');
    assert.ok(created.changes.some((change) => change.path === 'data.mode' && change.after === 'fast'));

    const removed = resourceOf(report, 'v1/ConfigMap/shop/legacy');
    assert.equal(removed.action, 'delete');
    assert.match(removed.note ?? '', /apps\/old\.yaml/);

    const secret = resourceOf(report, 'v1/Secret/shop/credentials');
    assert.equal(secret.action, 'update');
    assert.ok(secret.changes.length > 0 && secret.changes.every((change) => change.sensitive));

    const unchanged = resourceOf(report, 'v1/Service/shop/web');
    assert.equal(unchanged.action, 'no-op');

    const writes = api.requests.filter((request) => request.method !== 'GET' && !(request.method === 'PATCH' && request.query.get('dryRun') === 'All'));
    assert.deepEqual(writes, []);
    const applies = api.requests.filter((request) => request.method === 'PATCH');
    assert.ok(applies.length >= 4);
    for (const apply of applies) {
      assert.equal(apply.query.get('fieldManager'), 'gitops-iac');
      assert.equal(apply.query.get('force'), 'true');
    }
  });

  it('falls back to the local comparison, labelled approximate, when a webhook refuses the dry-run', async () => {
    api.applyRefusal = { kind: 'webhook', webhook: 'policy.example.com', code: 400, message: 'dry-run is not supported' };
    try {
      const run = await runCli(['plan', '--format', 'json'], repository, env);
      assert.equal(run.code, 0, run.stderr);
      assertNoSecrets(run);
      const report = JSON.parse(run.stdout) as PlanReport;
      const web = resourceOf(report, 'apps/v1/Deployment/shop/web');
      assert.equal(web.precision, 'approximate');
      assert.equal(web.action, 'update');
      assert.match(web.note ?? '', /policy\.example\.com/);
      assert.ok(web.changes.some((change) => change.path === 'spec.replicas' && change.before === 2 && change.after === 3));
      const secret = resourceOf(report, 'v1/Secret/shop/credentials');
      assert.equal(secret.precision, 'approximate');
    } finally {
      api.applyRefusal = undefined;
    }
  });

  it('falls back when RBAC forbids the dry-run (403)', async () => {
    api.applyRefusal = { kind: 'forbidden' };
    try {
      const run = await runCli(['plan', '--format', 'json', 'apps'], repository, env);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as PlanReport;
      assert.match(resourceOf(report, 'apps/v1/Deployment/shop/web').note ?? '', /403/);
      // PATH limits the plan: the Terraform folder is not planned.
      assert.equal(report.environments.filter((environment) => environment.source === 'terraform').length, 0);
    } finally {
      api.applyRefusal = undefined;
    }
  });

  it('plans Terraform with terraform plan and show, sensitive values masked', { skip: !TERRAFORM && 'terraform is not on the PATH' }, async () => {
    const run = await runCli(['plan', '--format', 'json', 'infra'], repository, env);
    assert.equal(run.code, 0, run.stderr);
    assertNoSecrets(run);
    const report = JSON.parse(run.stdout) as PlanReport;
    const terraform = report.environments.find((environment) => environment.source === 'terraform');
    assert.ok(terraform && !terraform.error, terraform?.error);
    assert.equal(terraform.name, 'infra');
    assert.deepEqual(terraform.counts, { create: 1, update: 1, replace: 1, delete: 1, 'no-op': 1 });

    const changed = resourceOf(report, 'terraform_data.settings');
    assert.equal(changed.action, 'update');
    assert.deepEqual(changed.changes.find((change) => change.path === 'input.size'), { path: 'input.size', before: 1, after: 2 });
    const token = changed.changes.find((change) => change.path === 'input.token');
    assert.deepEqual(token, { path: 'input.token', before: '(sensitive value)', after: '(sensitive value)', sensitive: true });
    assert.ok(changed.declaredAt?.uri.endsWith('/infra/main.tf'));

    assert.equal(resourceOf(report, 'terraform_data.fresh').action, 'create');
    assert.equal(resourceOf(report, 'terraform_data.rotated').action, 'replace');
    const gone = resourceOf(report, 'terraform_data.retired');
    assert.equal(gone.action, 'delete');
    assert.equal(gone.declaredAt, undefined);
    // The plan neither wrote the state nor left a plan file behind.
    assert.ok(!fs.readdirSync(path.join(repository, 'infra')).some((name) => name.endsWith('.tfplan')));
  });

  it('prints Markdown with the counts and each change', async () => {
    const run = await runCli(['plan'], repository, env);
    assert.equal(run.code, 0, run.stderr);
    assertNoSecrets(run);
    assert.match(run.stdout, /^### Plan: \d+ to create, /);
    assert.match(run.stdout, /#### Kubernetes: test-cluster/);
    assert.match(run.stdout, /<summary>~ update Deployment shop\/web<\/summary>/);
    assert.match(run.stdout, /\| `spec.replicas` \| `2` \| `3` \|/);
    assert.match(run.stdout, /Declared at `apps\/web.yaml:1`/);
  });

  it('says when the cluster cannot be reached, and still plans the rest', async () => {
    const kubeconfig = writeKubeconfig(fs.mkdtempSync(path.join(temporary, 'down-')), [{ name: 'down', server: 'https://127.0.0.1:9', caPem: api.caPem, token: 'x' }]);
    const run = await runCli(['plan', '--format', 'json'], repository, { ...env, KUBECONFIG: kubeconfig });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as PlanReport;
    const kubernetes = report.environments.find((environment) => environment.source === 'kubernetes');
    assert.match(kubernetes?.error ?? '', /could not be reached/);
    assert.match(run.stderr, /down: The cluster of context "down" could not be reached/);
  });

  it('exits 2 with words when there is nothing to compare with', async () => {
    const unknownBase = await runCli(['plan', '--base', 'release'], repository, env);
    assert.equal(unknownBase.code, 2);
    assert.match(unknownBase.stderr, /no branch "release"/);
    const outside = await runCli(['plan'], temporary, env);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /not in a git repository/);
    const usage = await runCli(['plan', '--format', 'sarif'], repository, env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--format must be one of markdown, json/);
    const unknownHead = await runCli(['plan', '--head', 'no-such-commit'], repository, env);
    assert.equal(unknownHead.code, 2);
    assert.match(unknownHead.stderr, /"no-such-commit" is not a commit of this repository/);
  });
});

describe('gitops-iac plan of a changed playbook', { skip: !ANSIBLE_PLAYBOOK && 'ansible-playbook is not on the PATH' }, () => {
  /** The no_log task's value on the host and in the playbook: neither may be printed. */
  const NO_LOG_VALUES = ['plan-secret-Qx8-current', 'plan-secret-Qx8-desired', 'Qx8'];
  let temporary: string;
  let repository: string;
  let target: string;
  const hostFiles = (): Record<string, string> =>
    Object.fromEntries(fs.readdirSync(target).sort().map((name) => [name, fs.statSync(path.join(target, name)).isDirectory() ? '<dir>' : fs.readFileSync(path.join(target, name), 'utf8')]));

  before(() => {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-plan-ansible-'));
    target = path.join(temporary, 'host');
    fs.mkdirSync(target);
    const files = { motd: 'welcome\n', 'app.conf': 'listen=80\n', 'stale.txt': 'old\n', 'db.secret': 'plan-secret-Qx8-current\n', 'license.txt': 'old license\n' };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(target, name), text);
    fs.chmodSync(path.join(target, 'motd'), 0o644);
    repository = path.join(temporary, 'repo');
    fs.mkdirSync(path.join(repository, 'ops'), { recursive: true });
    git(repository, 'init', '--quiet', '--initial-branch=main');
    // The inventory comes from the ansible.cfg beside the playbook, as in a repository.
    fs.writeFileSync(path.join(repository, 'ops', 'ansible.cfg'), '[defaults]\ninventory = hosts.ini\n');
    fs.writeFileSync(path.join(repository, 'ops', 'hosts.ini'), `[shop]\nlocalhost ansible_connection=local ansible_python_interpreter=auto_silent target_dir=${target}\n`);
    git(repository, 'add', '.');
    git(repository, 'commit', '--quiet', '-m', 'base');
    git(repository, 'checkout', '--quiet', '-b', 'feature');
    fs.copyFileSync(path.join(FIXTURES, 'ansible', 'site.yml'), path.join(repository, 'ops', 'site.yml'));
    git(repository, 'add', '.');
    git(repository, 'commit', '--quiet', '-m', 'playbook');
  });

  after(() => {
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  });

  it('plans each task with check mode, exact, and changes nothing on the host', async () => {
    const before = hostFiles();
    const run = await runCli(['plan', '--format', 'json'], repository, { HOME: temporary });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(hostFiles(), before, 'check mode changed the host');
    const report = JSON.parse(run.stdout) as PlanReport;
    assert.deepEqual(report.changedFiles, ['ops/site.yml']);
    assert.equal(report.environments.length, 1);
    const [ansible] = report.environments;
    assert.equal(ansible.source, 'ansible');
    assert.equal(ansible.name, 'ops/site.yml (inventory from ansible.cfg)');
    assert.equal(ansible.error, undefined);
    assert.deepEqual(
      ansible.resources.map((resource) => [resource.title, resource.action, resource.precision]),
      [
        ['Motd already matches on localhost', 'no-op', 'exact'],
        ['App config differs on localhost', 'update', 'exact'],
        ['Cache folder is missing on localhost', 'create', 'exact'],
        ['Stale file is removed on localhost', 'delete', 'exact'],
        ['Database password file on localhost', 'update', 'exact'],
        ['License text without a diff on localhost', 'update', 'exact'],
        ['Welcome page is new on localhost', 'create', 'exact'],
      ],
    );
    assert.deepEqual(ansible.counts, { create: 2, update: 3, replace: 0, delete: 1, 'no-op': 1 });

    const app = resourceOf(report, 'ops/site.yml:15@localhost');
    assert.deepEqual(app.changes, [{ path: path.join(target, 'app.conf'), before: 'listen=80\n', after: 'listen=8080\n' }]);
    assert.ok(app.declaredAt?.uri.endsWith('/ops/site.yml'));
    assert.equal(app.declaredAt?.range.start.line, 14);
    const cache = resourceOf(report, 'ops/site.yml:21@localhost');
    assert.deepEqual(cache.changes, [{ path: 'state', before: 'absent', after: 'directory' }]);
    const secret = resourceOf(report, 'ops/site.yml:32@localhost');
    assert.deepEqual(secret.changes, [{ path: 'result', before: '(sensitive value)', after: '(sensitive value)', sensitive: true }]);
    assert.match(secret.note ?? '', /no_log/);
    const license = resourceOf(report, 'ops/site.yml:39@localhost');
    assert.deepEqual(license.changes, []);
    assert.match(license.note ?? '', /no diff shown/);
    // A copy to a new file: named after its destination (not Ansible's temporary file), a create.
    const welcome = resourceOf(report, 'ops/site.yml:46@localhost');
    assert.deepEqual(welcome.changes, [{ path: path.join(target, 'welcome.html'), after: '<h1>shop</h1>\n' }, { path: 'state', before: 'absent', after: 'file' }]);

    const markdown = await runCli(['plan'], repository, { HOME: temporary });
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, /#### Ansible: ops\/site\.yml \\\(inventory from ansible\.cfg\\\)/);
    assert.match(markdown.stdout, /<summary>\+ create Cache folder is missing on localhost<\/summary>/);
    for (const value of NO_LOG_VALUES) {
      for (const output of [run.stdout, run.stderr, markdown.stdout, markdown.stderr]) assert.ok(!output.includes(value), `no_log value ${value} was printed`);
    }
  });

  it('plans a commit instead of the work tree with --head, in a temporary worktree', async () => {
    // An uncommitted edit the work-tree plan would include; the plan of HEAD must not.
    const site = path.join(repository, 'ops', 'site.yml');
    const committed = fs.readFileSync(site, 'utf8');
    fs.writeFileSync(site, committed.replace('listen=8080', 'listen=9090'));
    try {
      const run = await runCli(['plan', '--format', 'json', '--head', 'HEAD'], repository, { HOME: temporary });
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as PlanReport;
      assert.equal(report.head, git(repository, 'rev-parse', 'HEAD').trim());
      const app = resourceOf(report, 'ops/site.yml:15@localhost');
      assert.deepEqual(app.changes, [{ path: path.join(target, 'app.conf'), before: 'listen=80\n', after: 'listen=8080\n' }]);
      assert.equal(app.declaredAt?.uri, pathToFileURL(site).href);
      assert.equal(git(repository, 'worktree', 'list').trim().split('\n').length, 1);
    } finally {
      fs.writeFileSync(site, committed);
    }
  });

  it('says why a playbook could not be planned', async () => {
    const inventory = path.join(repository, 'ops', 'hosts.ini');
    const reachable = fs.readFileSync(inventory, 'utf8');
    // A host that refuses connections: check mode reports it instead of its tasks.
    fs.writeFileSync(inventory, '[shop]\nweb-1 ansible_host=127.0.0.1 ansible_port=9 ansible_connection=ssh ansible_user=nobody target_dir=/srv/shop\n');
    try {
      const run = await runCli(['plan', '--format', 'json'], repository, { HOME: temporary, ANSIBLE_HOST_KEY_CHECKING: 'False' });
      assert.equal(run.code, 0, run.stderr);
      const [ansible] = (JSON.parse(run.stdout) as PlanReport).environments;
      assert.deepEqual(ansible.resources, []);
      assert.match(ansible.error ?? '', /^Host web-1 is unreachable: /);
      assert.match(run.stderr, /ops\/site\.yml \(inventory from ansible\.cfg\): Host web-1 is unreachable/);
    } finally {
      fs.writeFileSync(inventory, reachable);
    }
  });
});
