/**
 * The Roll Back… side and the lists the client shows, on real git repositories with a bare
 * remote on disk and the local GitHub double: recent IaC commits with their PR titles, a
 * revert PR made in a temporary worktree (the user's files untouched), changed IaC files,
 * and nothing at all in an untrusted workspace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGitHubApi, type GitHubApi } from '../support/githubApi';
import { prRequestHandlers } from '../../server/src/node/git/prRequests';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

const TOKEN = 'ghp_rollbackToken42';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-pr-git-'));
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: { ...process.env, HOME: scratch, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });

describe('rollback and lists', () => {
  let github: GitHubApi;
  let workTree: string;
  let bare: string;
  const previousHome = process.env.HOME;

  before(async () => {
    // The flow runs git in this process: it must see no user configuration either.
    process.env.HOME = scratch;
    github = await startGitHubApi({ token: TOKEN });
    bare = path.join(scratch, 'remote.git');
    workTree = path.join(scratch, 'work');
    fs.mkdirSync(path.join(workTree, 'apps'), { recursive: true });
    git(scratch, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    git(workTree, 'init', '--quiet', '--initial-branch=main');
    git(workTree, 'config', 'user.name', 'Test');
    git(workTree, 'config', 'user.email', 'test@example.invalid');
    const manifest = (replicas: number): string => `apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n`;
    fs.writeFileSync(path.join(workTree, 'apps/rc.yaml'), manifest(1));
    fs.writeFileSync(path.join(workTree, 'README.md'), 'readme\n');
    git(workTree, 'add', '.');
    git(workTree, 'commit', '--quiet', '-m', 'Initial');
    // A merged PR (a merge commit on the first-parent line), then a squash-merged one.
    git(workTree, 'switch', '--quiet', '-c', 'gitops/two');
    fs.writeFileSync(path.join(workTree, 'apps/two.yaml'), manifest(2).replace('name: web', 'name: two'));
    git(workTree, 'add', '.');
    git(workTree, 'commit', '--quiet', '-m', 'A second controller');
    git(workTree, 'switch', '--quiet', 'main');
    git(workTree, 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #4 from acme/gitops/two\n\nRun two replicas', 'gitops/two');
    fs.appendFileSync(path.join(workTree, 'README.md'), 'docs only\n');
    git(workTree, 'commit', '--quiet', '-am', 'Docs (#5)');
    fs.writeFileSync(path.join(workTree, 'apps/rc.yaml'), manifest(3));
    git(workTree, 'commit', '--quiet', '-am', 'Three replicas (#6)');
    git(workTree, 'remote', 'add', 'origin', pathToFileURL(bare).href);
    git(workTree, 'push', '--quiet', '-u', 'origin', 'main');
    fs.writeFileSync(path.join(workTree, 'apps/new.yaml'), 'kind: ConfigMap\n');
    fs.appendFileSync(path.join(workTree, 'README.md'), 'local edit\n');
  });
  after(async () => {
    process.env.HOME = previousHome;
    await github.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const handlers = (trusted: boolean) => prRequestHandlers({ trusted, folders: () => [workTree], settings: () => DEFAULT_SETTINGS, fromDir: __dirname });

  it('lists recent commits that changed IaC files, with their PR titles', async () => {
    const { candidates } = await handlers(true).rollbackCandidates({});
    assert.deepEqual(candidates.map((each) => [each.subject, each.merge, each.files, each.pullRequest]), [
      ['Three replicas (#6)', false, ['apps/rc.yaml'], { number: 6, title: 'Three replicas' }],
      ['Merge pull request #4 from acme/gitops/two', true, ['apps/two.yaml'], { number: 4, title: 'Run two replicas' }],
      ['Initial', false, ['apps/rc.yaml'], undefined],
    ]);
  });

  it('lists the changed IaC files with their status letters', async () => {
    const { repositories } = await handlers(true).changedFiles({});
    assert.equal(repositories.length, 1);
    assert.equal(repositories[0].branch, 'main');
    assert.deepEqual(repositories[0].files.map((file) => [file.path, file.index, file.workTree]), [['apps/new.yaml', '?', '?']]);
  });

  it('opens a "Revert: …" PR for a merged PR, leaving the work tree as it was', async () => {
    const merge = git(workTree, 'rev-parse', 'HEAD~2').trim();
    const status = git(workTree, 'status', '--porcelain=v2', '--branch');
    const result = await handlers(true).revertPr({ sha: merge, provider: 'github', apiUrl: github.url, repo: 'acme/shop', token: TOKEN, plan: 'plan of the revert' });
    assert.ok(result.ok, JSON.stringify(result));
    const pull = github.pullRequests().at(-1)!;
    assert.deepEqual([pull.title, pull.head, pull.base], ['Revert: Run two replicas', `gitops/revert-${merge.slice(0, 7)}`, 'main']);
    assert.match(pull.body, /^Reverts [0-9a-f]{12} \(Run two replicas\)\.$/m);
    assert.match(pull.body, /`apps\/two.yaml` deleted, \+0 −6/);
    assert.match(pull.body, /^## Plan\n\nplan of the revert$/m);
    // The pushed branch is main less the merged PR's file; the user's files are untouched.
    assert.equal(git(bare, 'diff', '--name-status', 'main', result.branch).trim(), 'D\tapps/two.yaml');
    assert.equal(git(workTree, 'status', '--porcelain=v2', '--branch'), status);
    assert.equal(git(workTree, 'worktree', 'list').trim().split('\n').length, 1);
  });

  it('reports a revert that conflicts with later commits, and removes its branch', async () => {
    const branches = git(workTree, 'branch', '-a');
    const initial = git(workTree, 'rev-list', '--max-parents=0', 'HEAD').trim();
    const result = await handlers(true).revertPr({ sha: initial, provider: 'github', apiUrl: github.url, repo: 'acme/shop', token: TOKEN });
    assert.equal(!result.ok && result.reason, 'revert-conflict');
    assert.match(!result.ok ? result.nextStep : '', /git revert [0-9a-f]{12}/);
    assert.equal(git(workTree, 'branch', '-a'), branches);
    assert.equal(git(workTree, 'worktree', 'list').trim().split('\n').length, 1);
  });

  it('runs nothing in an untrusted workspace', async () => {
    const result = await handlers(false).createPr({ files: ['apps/new.yaml'], title: 'x' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'untrusted');
    assert.deepEqual(await handlers(false).changedFiles({}), { repositories: [] });
    assert.deepEqual(await handlers(false).rollbackCandidates({}), { candidates: [] });
  });
});
