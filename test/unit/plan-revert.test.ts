/**
 * Roll Back… previews the plan of the revert: a dry-run RevertPr names the revert commit it
 * would push (on no branch), and the plan of that commit (`head`) runs the real tools in a
 * temporary worktree of it, on a real git repository with a bare remote. Terraform borrows the
 * work tree's local state, so the plan compares with what is live; the user's work tree,
 * branches and worktrees stay exactly as they were.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findOnPath } from '../../server/src/node/findOnPath';
import { prRequestHandlers } from '../../server/src/node/git/prRequests';
import { planBranch } from '../../server/src/node/planService';
import { PlanError } from '../../server/src/plan/model';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

const TERRAFORM = findOnPath('terraform');
const ANSIBLE_PLAYBOOK = findOnPath('ansible-playbook');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-plan-revert-'));
const ENV = { ...process.env, HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', TF_IN_AUTOMATION: '1' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });

const module = (size: string): string => `resource "terraform_data" "app" {\n  input = "${size}"\n}\n`;
const playbook = (text: string): string =>
  `---\n- name: Configure the host\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: Motd\n      ansible.builtin.copy:\n        dest: "{{ target_dir }}/motd"\n        content: "${text}\\n"\n`;

describe('the plan of a revert, in a temporary worktree', { skip: (!TERRAFORM || !ANSIBLE_PLAYBOOK) && 'terraform and ansible-playbook are needed' }, () => {
  let workTree: string;
  let host: string;
  let reverted: string;
  const previousHome = process.env.HOME;
  const snapshot = (): string => [git(workTree, 'status', '--porcelain=v2', '--branch', '--ignored'), git(workTree, 'branch', '-a'), git(workTree, 'worktree', 'list'), fs.readFileSync(path.join(workTree, 'infra', 'terraform.tfstate'), 'utf8')].join('\n');

  before(() => {
    // The revert runs git in this process: it must see no user configuration either.
    process.env.HOME = scratch;
    const bare = path.join(scratch, 'remote.git');
    workTree = path.join(scratch, 'work');
    host = path.join(scratch, 'host');
    fs.mkdirSync(host);
    fs.mkdirSync(path.join(workTree, 'infra'), { recursive: true });
    fs.mkdirSync(path.join(workTree, 'ops'));
    git(scratch, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    git(workTree, 'init', '--quiet', '--initial-branch=main');
    git(workTree, 'config', 'user.name', 'Test');
    git(workTree, 'config', 'user.email', 'test@example.invalid');
    fs.writeFileSync(path.join(workTree, '.gitignore'), 'terraform.tfstate*\n.terraform/\n');
    fs.writeFileSync(path.join(workTree, 'infra', 'main.tf'), module('small'));
    fs.writeFileSync(path.join(workTree, 'ops', 'site.yml'), playbook('hello'));
    fs.writeFileSync(path.join(workTree, 'ops', 'hosts.ini'), `[shop]\nlocalhost ansible_connection=local ansible_python_interpreter=auto_silent target_dir=${host}\n`);
    fs.writeFileSync(path.join(workTree, 'ops', 'ansible.cfg'), '[defaults]\ninventory = hosts.ini\n');
    git(workTree, 'add', '.');
    git(workTree, 'commit', '--quiet', '-m', 'Initial');
    fs.writeFileSync(path.join(workTree, 'infra', 'main.tf'), module('large'));
    fs.writeFileSync(path.join(workTree, 'ops', 'site.yml'), playbook('welcome'));
    git(workTree, 'commit', '--quiet', '-am', 'Grow the app (#7)');
    reverted = git(workTree, 'rev-parse', 'HEAD').trim();
    git(workTree, 'remote', 'add', 'origin', pathToFileURL(bare).href);
    git(workTree, 'push', '--quiet', '-u', 'origin', 'main');
    // What is live is what main declares: the state has "large", the host "welcome".
    execFileSync('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: path.join(workTree, 'infra'), env: ENV, stdio: 'ignore' });
    fs.writeFileSync(path.join(host, 'motd'), 'welcome\n');
  });
  after(() => {
    process.env.HOME = previousHome;
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('plans the revert commit a dry run names: what reverting would change live, and nothing else', async () => {
    const before = snapshot();
    const handlers = prRequestHandlers({ trusted: true, folders: () => [workTree], settings: () => DEFAULT_SETTINGS, fromDir: __dirname });
    const preview = await handlers.revertPr({ sha: reverted, dryRun: true });
    assert.ok(preview.ok && preview.commit, JSON.stringify(preview));
    assert.equal(git(workTree, 'show', '--format=%s', '--no-patch', preview.commit).trim(), `Revert "Grow the app (#7)"`);

    const report = await planBranch({ folder: workTree, base: preview.base, head: preview.commit, trusted: true, env: ENV });
    assert.equal(report.head, preview.commit);
    assert.equal(report.mergeBase, reverted);
    assert.deepEqual(report.changedFiles, ['infra/main.tf', 'ops/site.yml']);
    const [terraform, ansible] = report.environments;
    assert.equal(terraform.error, undefined);
    // An update from the borrowed state; without it Terraform would see nothing live and plan a create.
    assert.deepEqual(terraform.resources.map((resource) => [resource.id, resource.action]), [['terraform_data.app', 'update']]);
    assert.deepEqual(terraform.resources[0].changes.find((change) => change.path === 'input'), { path: 'input', before: 'large', after: 'small' });
    assert.equal(ansible.error, undefined);
    const motd = ansible.resources.find((resource) => resource.title === 'Motd on localhost')!;
    assert.equal(motd.action, 'update');
    assert.deepEqual(motd.changes, [{ path: path.join(host, 'motd'), before: 'welcome\n', after: 'hello\n' }]);
    // Links point at the repository's files, not at the worktree that is gone.
    assert.equal(motd.declaredAt?.uri, pathToFileURL(path.join(workTree, 'ops', 'site.yml')).href);
    assert.equal(terraform.resources[0].declaredAt?.uri, pathToFileURL(path.join(workTree, 'infra', 'main.tf')).href);

    assert.equal(snapshot(), before, 'the work tree, its branches, worktrees or state changed');
    assert.equal(fs.readFileSync(path.join(host, 'motd'), 'utf8'), 'welcome\n');
  });

  it('plans the work tree as before when no head is given, and refuses an unknown head in words', async () => {
    const report = await planBranch({ folder: workTree, base: 'main', trusted: true, env: ENV });
    assert.equal(report.head, undefined);
    assert.deepEqual(report.changedFiles, []);
    for (const head of ['no-such-ref', '--output=/tmp/x']) {
      await assert.rejects(planBranch({ folder: workTree, base: 'main', head, trusted: true, env: ENV }), (error: unknown) => error instanceof PlanError && error.message === `"${head}" is not a commit of this repository, so there is nothing to plan.`);
    }
  });
});
