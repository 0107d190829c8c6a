/**
 * Preview Plan and the PR lists through the real language server (server/out/server.js over
 * stdio), in a temporary git repository with a bare remote on disk: `gitopsIac/plan` runs the
 * real terraform on a changed module of `terraform_data` resources, an untrusted workspace is
 * refused in words, and `gitopsIac/changedFiles` and `gitopsIac/rollbackCandidates` answer
 * from git.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findOnPath } from '../../server/src/node/findOnPath';
import type { PlanReport } from '../../server/src/plan/types';
import type { ChangedRepository, RollbackCandidate } from '../../server/src/protocol';
import { LspClient } from './lspClient';

const TERRAFORM = findOnPath('terraform');

const BASE_MODULE = `resource "terraform_data" "kept" {
  input = "same"
}

resource "terraform_data" "sized" {
  input = { size = 1 }
}
`;

const BRANCH_MODULE = `resource "terraform_data" "kept" {
  input = "same"
}

resource "terraform_data" "sized" {
  input = { size = 2 }
}

resource "terraform_data" "fresh" {
  input = "new"
}
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

describe('plan and PR requests through the language server', () => {
  let temporary: string;
  let repository: string;
  const clients: LspClient[] = [];

  async function startServer(trusted: boolean): Promise<LspClient> {
    const client = await LspClient.start({ workspaceFolder: repository, initializationOptions: { workspaceTrusted: trusted } });
    clients.push(client);
    await client.ready();
    return client;
  }

  before(() => {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-lsp-plan-'));
    const remote = path.join(temporary, 'remote.git');
    repository = path.join(temporary, 'repo');
    git(temporary, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
    fs.mkdirSync(path.join(repository, 'infra'), { recursive: true });
    git(repository, 'init', '--quiet', '--initial-branch=main');
    git(repository, 'remote', 'add', 'origin', pathToFileURL(remote).href);
    fs.writeFileSync(path.join(repository, '.gitignore'), '.terraform/\n*.tfstate\n*.tfstate.backup\n.terraform.lock.hcl\n');
    fs.writeFileSync(path.join(repository, 'README.md'), '# infra\n');
    fs.writeFileSync(path.join(repository, 'infra', 'main.tf'), BASE_MODULE);
    git(repository, 'add', '.');
    git(repository, 'commit', '--quiet', '-m', 'Add the infra module');
    git(repository, 'commit', '--quiet', '--allow-empty', '-m', 'An empty commit changes no IaC file');
    git(repository, 'push', '--quiet', 'origin', 'main');
    if (TERRAFORM) {
      // What the base branch declares is what is live: terraform_data needs no provider, so this works offline.
      const infra = path.join(repository, 'infra');
      execFileSync(TERRAFORM, ['init', '-input=false', '-no-color'], { cwd: infra });
      execFileSync(TERRAFORM, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: infra });
    }
    git(repository, 'checkout', '--quiet', '-b', 'feature');
    fs.writeFileSync(path.join(repository, 'infra', 'main.tf'), BRANCH_MODULE);
    git(repository, 'commit', '--quiet', '-am', 'Grow the module (#12)');
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.stop();
  });

  after(() => {
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  });

  it('answers gitopsIac/plan with the terraform plan of the changed module', { skip: !TERRAFORM && 'terraform is not on the PATH' }, async () => {
    const client = await startServer(true);
    const report = await client.request<PlanReport>('gitopsIac/plan', { base: 'main' });
    assert.equal(report.base, 'main');
    assert.equal(report.mergeBase, git(repository, 'rev-parse', 'main').trim());
    assert.deepEqual(report.changedFiles, ['infra/main.tf']);
    assert.equal(report.environments.length, 1);
    const [terraform] = report.environments;
    assert.equal(terraform.error, undefined);
    assert.equal(terraform.name, 'infra');
    assert.deepEqual(terraform.resources.map((resource) => [resource.id, resource.action, resource.precision]), [
      ['terraform_data.kept', 'no-op', 'exact'],
      ['terraform_data.sized', 'update', 'exact'],
      ['terraform_data.fresh', 'create', 'exact'],
    ]);
    assert.deepEqual(report.counts, { create: 1, update: 1, replace: 0, delete: 0, 'no-op': 1 });
    const sized = terraform.resources.find((resource) => resource.id === 'terraform_data.sized');
    assert.deepEqual(sized?.changes.find((change) => change.path === 'input.size'), { path: 'input.size', before: 1, after: 2 });
    assert.equal(sized?.declaredAt?.uri, pathToFileURL(path.join(repository, 'infra', 'main.tf')).href);
    assert.equal(sized?.declaredAt?.range.start.line, 4);
    // The plan left neither a plan file nor a changed state behind.
    assert.ok(!fs.readdirSync(path.join(repository, 'infra')).some((name) => name.endsWith('.tfplan')));
  });

  it('refuses gitopsIac/plan in an untrusted workspace, with words, and lists nothing', async () => {
    const client = await startServer(false);
    await assert.rejects(client.request('gitopsIac/plan', { base: 'main' }), (error: Error) => {
      assert.match(error.message, /^The workspace is not trusted, so git, the cluster, Terraform and Ansible were not run\. Trust the workspace/);
      return true;
    });
    assert.deepEqual(await client.request('gitopsIac/changedFiles', {}), { repositories: [] });
    assert.deepEqual(await client.request('gitopsIac/rollbackCandidates', {}), { candidates: [] });
  });

  it('answers gitopsIac/changedFiles with the changed IaC files of the repository', async () => {
    const client = await startServer(true);
    fs.mkdirSync(path.join(repository, 'apps'), { recursive: true });
    fs.writeFileSync(path.join(repository, 'apps', 'web.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n');
    fs.appendFileSync(path.join(repository, 'infra', 'main.tf'), '\n# a comment\n');
    fs.appendFileSync(path.join(repository, 'README.md'), 'Not an IaC file.\n');
    try {
      const { repositories } = await client.request<{ repositories: ChangedRepository[] }>('gitopsIac/changedFiles', {});
      assert.equal(repositories.length, 1);
      assert.equal(repositories[0].root, pathToFileURL(repository).href);
      assert.equal(repositories[0].branch, 'feature');
      assert.deepEqual(
        repositories[0].files.map((file) => [file.path, file.index, file.workTree, file.uri]).sort(),
        [
          ['apps/web.yaml', '?', '?', pathToFileURL(path.join(repository, 'apps', 'web.yaml')).href],
          ['infra/main.tf', ' ', 'M', pathToFileURL(path.join(repository, 'infra', 'main.tf')).href],
        ],
      );
    } finally {
      git(repository, 'checkout', '--quiet', '--', 'infra/main.tf', 'README.md');
      fs.rmSync(path.join(repository, 'apps'), { recursive: true, force: true });
    }
  });

  it('answers gitopsIac/rollbackCandidates with the commits that changed IaC files', async () => {
    const client = await startServer(true);
    const { candidates } = await client.request<{ candidates: RollbackCandidate[] }>('gitopsIac/rollbackCandidates', { limit: 10 });
    assert.deepEqual(
      candidates.map((candidate) => [candidate.subject, candidate.files, candidate.merge, candidate.pullRequest]),
      [
        ['Grow the module (#12)', ['infra/main.tf'], false, { number: 12, title: 'Grow the module' }],
        ['Add the infra module', ['infra/main.tf'], false, undefined],
      ],
    );
    assert.equal(candidates[0].sha, git(repository, 'rev-parse', 'HEAD').trim());
    assert.equal(candidates[0].author, 'Test');
    assert.ok(!Number.isNaN(Date.parse(candidates[0].date)));
  });
});
