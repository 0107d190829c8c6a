/**
 * `gitops-iac pr` as a process, on real git repositories with a bare remote on disk
 * (file://), against the local GitHub double (validated with GitHub's OpenAPI description)
 * and the GitLab double. Every failure is injected for real (a pre-receive hook, a wrong
 * token, a closed port, a detached HEAD, a merge in progress, validation errors) and must
 * leave the work tree, index, stashes and branches byte for byte as they were. The token and
 * the Secret's values must never appear in any output or request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from './runCli';
import { startGitHubApi, type GitHubApi } from '../support/githubApi';
import { startGitLabApi, type GitLabApi } from '../support/gitlabApi';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'pr');
const TOKEN = 'ghp_testToken0123456789abcdefSECRET';
const NEW_SECRET = 'new-password-9c2e-do-not-leak';
const PICKED = 'apps/web/deployment.yaml';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-pr-'));
/** git sees no user or system configuration but the repository's own. */
const GIT_ENV = { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Repository {
  workTree: string;
  bare: string;
}

let count = 0;

/** A repository whose first commit holds what `populate` writes, pushed to its bare remote. */
function pushedRepository(populate: (workTree: string) => void): Repository {
  const root = path.join(scratch, `repo-${++count}`);
  const bare = path.join(root, 'remote.git');
  const workTree = path.join(root, 'work');
  fs.mkdirSync(workTree, { recursive: true });
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(workTree, 'init', '--quiet', '--initial-branch=main');
  git(workTree, 'config', 'user.name', 'Test');
  git(workTree, 'config', 'user.email', 'test@example.invalid');
  populate(workTree);
  git(workTree, 'add', '.');
  git(workTree, 'commit', '--quiet', '-m', 'Initial manifests');
  git(workTree, 'remote', 'add', 'origin', `file://${bare}`);
  git(workTree, 'push', '--quiet', '-u', 'origin', 'main');
  return { workTree, bare };
}

/**
 * A repository pushed to its bare remote, then: the picked manifest and the Secret changed,
 * README.md changed but not staged, notes.txt staged, service.yaml partly staged, an
 * untracked file, and a stash.
 */
function makeRepository(): Repository {
  const { workTree, bare } = pushedRepository((workTree) => {
    fs.mkdirSync(path.join(workTree, 'apps', 'web'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'deployment.yaml'), path.join(workTree, PICKED));
    fs.copyFileSync(path.join(FIXTURES, 'secret.yaml'), path.join(workTree, 'apps/web/secret.yaml'));
    fs.copyFileSync(path.join(FIXTURES, 'README.md'), path.join(workTree, 'README.md'));
    fs.writeFileSync(path.join(workTree, 'apps/web/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n');
  });

  fs.appendFileSync(path.join(workTree, 'README.md'), 'Stashed line.\n');
  git(workTree, 'stash', 'push', '--quiet', '-m', 'kept stash');
  const deployment = path.join(workTree, PICKED);
  fs.writeFileSync(deployment, fs.readFileSync(deployment, 'utf8').replace('replicas: 3', 'replicas: 4'));
  fs.writeFileSync(path.join(workTree, 'apps/web/secret.yaml'), fs.readFileSync(path.join(FIXTURES, 'secret.yaml'), 'utf8').replace('old-password-4f7a', NEW_SECRET));
  fs.appendFileSync(path.join(workTree, 'README.md'), 'An unstaged line.\n');
  fs.writeFileSync(path.join(workTree, 'notes.txt'), 'staged notes\n');
  git(workTree, 'add', 'notes.txt');
  const service = path.join(workTree, 'apps/web/service.yaml');
  fs.writeFileSync(service, fs.readFileSync(service, 'utf8').replace('port: 80', 'port: 8080'));
  git(workTree, 'add', 'apps/web/service.yaml');
  fs.appendFileSync(service, '      name: http\n');
  fs.writeFileSync(path.join(workTree, 'scratch.txt'), 'untracked\n');
  return { workTree, bare };
}

/** Everything the flow must leave as it was: status with index and work tree blobs, both diffs, stashes, refs, file hashes. */
function snapshot(workTree: string): Record<string, string> {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(`${path.relative(workTree, full)} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
    }
  };
  walk(workTree);
  return {
    status: git(workTree, 'status', '--porcelain=v2', '--branch', '--untracked-files=all'),
    staged: git(workTree, 'diff', '--cached'),
    unstaged: git(workTree, 'diff'),
    stashes: git(workTree, 'stash', 'list', '--format=%H %gs'),
    refs: git(workTree, 'for-each-ref', '--format=%(refname) %(objectname) %(upstream)'),
    worktrees: git(workTree, 'worktree', 'list', '--porcelain'),
    files: files.sort().join('\n'),
  };
}

const remoteBranches = (bare: string): string[] => git(bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads').trim().split('\n').sort();

function assertNoLeak(run: CliRun, ...texts: string[]): void {
  for (const text of [run.stdout, run.stderr, ...texts]) {
    assert.ok(!text.includes(TOKEN), 'the token leaked');
    assert.ok(!text.includes(NEW_SECRET) && !text.includes('old-password-4f7a'), 'a Secret value leaked');
  }
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('gitops-iac pr', () => {
  let github: GitHubApi;
  let gitlab: GitLabApi;
  const pr = (repository: Repository, args: string[], env: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN }): Promise<CliRun> =>
    runCli(['pr', '--provider', 'github', '--api-url', github.url, '--repo', 'acme/shop', ...args], repository.workTree, { ...GIT_ENV, GITHUB_TOKEN: '', GITLAB_TOKEN: '', ...env });

  before(async () => {
    github = await startGitHubApi({ token: TOKEN, repositories: [{ owner: 'acme', name: 'shop' }] });
    gitlab = await startGitLabApi({ token: TOKEN, projects: [{ path: 'platform/infra/shop' }] });
  });
  after(async () => {
    await github.close();
    await gitlab.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('opens a PR holding exactly the picked files, and leaves every other change as it was', async () => {
    const repository = makeRepository();
    const before = snapshot(repository.workTree);
    const run = await pr(repository, ['--title', 'Scale web to 4', '--plan-file', path.join(FIXTURES, 'plan.md'), PICKED, 'apps/web/secret.yaml']);
    assert.equal(run.code, 0, run.stderr);
    const pull = github.pullRequests().at(-1)!;
    assert.equal(run.stdout, `${JSON.stringify({ url: `${github.url}/acme/shop/pull/${pull.number}`, branch: 'gitops/scale-web-to-4', number: pull.number })}\n`);
    assert.deepEqual([pull.title, pull.head, pull.base, pull.draft], ['Scale web to 4', 'gitops/scale-web-to-4', 'main', false]);
    for (const heading of ['Summary', 'Validation', 'Plan']) assert.match(pull.body, new RegExp(`^## ${heading}$`, 'm'));
    assert.match(pull.body, /`apps\/web\/deployment.yaml` modified, \+1 −1/);
    assert.match(pull.body, /replicas: 4/);

    // The remote branch differs from main by exactly the picked files, as they were on disk.
    assert.deepEqual(git(repository.bare, 'diff', '--name-only', 'main', 'gitops/scale-web-to-4').trim().split('\n'), [PICKED, 'apps/web/secret.yaml']);
    assert.equal(git(repository.bare, 'show', `gitops/scale-web-to-4:${PICKED}`), fs.readFileSync(path.join(repository.workTree, PICKED), 'utf8'));
    assert.equal(git(repository.bare, 'rev-parse', 'gitops/scale-web-to-4^'), git(repository.workTree, 'rev-parse', 'HEAD'));

    // Still on main; the work tree, index and stash untouched; one new branch, tracking the remote one.
    const after = snapshot(repository.workTree);
    assert.deepEqual({ ...after, refs: '' }, { ...before, refs: '' });
    const newRefs = after.refs.split('\n').filter((line) => !before.refs.includes(line));
    assert.deepEqual(newRefs.map((line) => line.split(' ')[0]).sort(), ['refs/heads/gitops/scale-web-to-4', 'refs/remotes/origin/gitops/scale-web-to-4']);
    assertNoLeak(run, pull.body, JSON.stringify(github.requests.map((request) => request.body)));
  });

  it('links to the open PR when one exists for the branch', async () => {
    const repository = makeRepository();
    const existing = github.addPull({ owner: 'acme', repo: 'shop', title: 'Earlier', body: '', head: 'gitops/existing', base: 'main', draft: false, state: 'open' });
    const run = await pr(repository, ['--title', 'Scale web to 4', '--branch', 'gitops/existing', PICKED]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { url: `${github.url}/acme/shop/pull/${existing.number}`, branch: 'gitops/existing', number: existing.number });
    assert.match(run.stderr, /already existed/);
    assert.equal(github.pullRequests().filter((pull) => pull.head === 'gitops/existing').length, 1);
  });

  const failures: { name: string; reason: RegExp; code?: number; prepare: (repository: Repository) => Promise<string[]> | string[]; env?: () => Promise<NodeJS.ProcessEnv> | NodeJS.ProcessEnv }[] = [
    {
      name: 'a push refused by a pre-receive hook',
      reason: /push to origin failed: .*refused by the shop's policy/,
      prepare: (repository) => {
        const hook = path.join(repository.bare, 'hooks', 'pre-receive');
        fs.writeFileSync(hook, '#!/bin/sh\necho "refused by the shop\'s policy" >&2\nexit 1\n', { mode: 0o755 });
        return [];
      },
    },
    { name: 'a refused token (401)', reason: /GitHub refused the token \(Bad credentials\)/, prepare: () => [], env: () => ({ GITHUB_TOKEN: 'wrong-token' }) },
    { name: 'no token', reason: /No GitHub token was given/, prepare: () => [], env: () => ({}) },
    { name: 'an unreachable API', reason: /Could not reach GitHub at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/, prepare: async () => ['--api-url', `http://127.0.0.1:${await closedPort()}`] },
    {
      name: 'an unreachable remote',
      reason: /ls-remote to origin failed/,
      prepare: (repository) => {
        fs.renameSync(repository.bare, `${repository.bare}.moved`);
        return [];
      },
    },
    {
      name: 'a detached HEAD',
      reason: /HEAD is detached/,
      prepare: (repository) => {
        git(repository.workTree, 'checkout', '--quiet', '--detach');
        return [];
      },
    },
    {
      name: 'a merge in progress',
      reason: /merge is in progress/,
      prepare: (repository) => {
        git(repository.workTree, 'stash', 'push', '--quiet', '--include-untracked', '-m', 'set aside for the merge');
        git(repository.workTree, 'switch', '--quiet', '-c', 'other');
        fs.writeFileSync(path.join(repository.workTree, PICKED), fs.readFileSync(path.join(FIXTURES, 'deployment.yaml'), 'utf8').replace('replicas: 3', 'replicas: 7'));
        git(repository.workTree, 'commit', '--quiet', '-am', 'Seven');
        git(repository.workTree, 'switch', '--quiet', 'main');
        fs.writeFileSync(path.join(repository.workTree, PICKED), fs.readFileSync(path.join(FIXTURES, 'deployment.yaml'), 'utf8').replace('replicas: 3', 'replicas: 5'));
        git(repository.workTree, 'commit', '--quiet', '-am', 'Five');
        try {
          git(repository.workTree, 'merge', 'other');
        } catch {
          // The conflict is the point.
        }
        return [];
      },
    },
    {
      name: 'validation errors (exit 1)',
      reason: /Validation found 1 error[\s\S]*apps\/web\/deployment.yaml:7:13: error k8s\/schema/,
      code: 1,
      prepare: (repository) => {
        const file = path.join(repository.workTree, PICKED);
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('replicas: 4', 'replicas: "4"'));
        return [];
      },
    },
  ];

  for (const failure of failures) {
    it(`leaves everything as it was after ${failure.name}`, async () => {
      const repository = makeRepository();
      const extra = await failure.prepare(repository);
      const before = snapshot(repository.workTree);
      const remoteBefore = fs.existsSync(repository.bare) ? remoteBranches(repository.bare) : [];
      const requestsBefore = github.requests.length;
      const run = await pr(repository, ['--title', 'Scale web to 4', ...extra, PICKED], failure.env ? await failure.env() : undefined);
      assert.equal(run.code, failure.code ?? 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, failure.reason);
      assert.match(run.stderr, /Next step: \S/);
      assert.deepEqual(snapshot(repository.workTree), before);
      if (fs.existsSync(repository.bare)) assert.deepEqual(remoteBranches(repository.bare), remoteBefore);
      assert.ok(!github.requests.slice(requestsBefore).some((request) => request.operationId === 'pulls/create'), 'no PR was asked for');
      assertNoLeak(run);
    });
  }

  it('says what is wrong with the command line, with exit status 2', async () => {
    const repository = makeRepository();
    const before = snapshot(repository.workTree);
    for (const [args, message] of [[[PICKED], /--title is required/], [['--title', 'x', '--provider', 'gitea'], /--provider must be one of github, gitlab, compare/], [['--title', 'x', '--frobnicate'], /unknown option --frobnicate/], [['--title', 'x', '--branch', 'bad..name', PICKED], /"bad\.\.name" contains "\.\." or "@\{"/], [['--title', 'x', '../elsewhere.yaml'], /is outside the repository/]] as const) {
      const run = await runCli(['pr', ...args], repository.workTree, GIT_ENV);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
    assert.deepEqual(snapshot(repository.workTree), before);
    const help = await runCli(['pr', '--help'], repository.workTree);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: gitops-iac pr --title T/);
  });

  it('deletes the pushed branch again when the PR cannot be opened', async () => {
    // This double refuses every head branch, as GitHub does for one it cannot see.
    const refusing = await startGitHubApi({ token: TOKEN, hasBranch: () => false });
    try {
      const repository = makeRepository();
      const before = snapshot(repository.workTree);
      const run = await runCli(['pr', '--provider', 'github', '--api-url', refusing.url, '--repo', 'acme/shop', '--title', 'Scale web to 4', PICKED], repository.workTree, { ...GIT_ENV, GITHUB_TOKEN: TOKEN });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /GitHub answered 422 \(Validation Failed\)/);
      assert.ok(refusing.requests.some((request) => request.operationId === 'pulls/create'));
      assert.deepEqual(remoteBranches(repository.bare), ['main']);
      assert.deepEqual(snapshot(repository.workTree), before);
      assertNoLeak(run);
    } finally {
      await refusing.close();
    }
  });

  it('opens a draft that says validation failed when asked to', async () => {
    const repository = makeRepository();
    const file = path.join(repository.workTree, PICKED);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('replicas: 4', 'replicas: "4"'));
    const run = await pr(repository, ['--title', 'Try a string', '--draft', PICKED]);
    assert.equal(run.code, 0, run.stderr);
    const pull = github.pullRequests().at(-1)!;
    assert.equal(pull.draft, true);
    assert.match(pull.body, /\*\*Validation failed: 1 error, 0 warnings\.\*\* This draft must not be merged/);
    assert.match(pull.body, /line 7: \*\*error\*\* `k8s\/schema`/);
  });

  describe('with a picked kustomize patch, validated as part of the overlay that renders it', () => {
    const PATCH = 'overlays/production/replicas.yaml';
    const PATCH_HEAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 5\n';
    /** The base and overlay of fixtures/pr/kustomize, pushed, then the overlay's patch changed to `patch`. */
    const withPatch = (patch: string): Repository => {
      const repository = pushedRepository((workTree) => fs.cpSync(path.join(FIXTURES, 'kustomize'), workTree, { recursive: true }));
      fs.writeFileSync(path.join(repository.workTree, PATCH), patch);
      return repository;
    };

    it('opens the PR: a patch is not a whole Deployment', async () => {
      const repository = withPatch(PATCH_HEAD);
      const run = await pr(repository, ['--title', 'Five api replicas', PATCH]);
      assert.equal(run.code, 0, run.stderr);
      const pull = github.pullRequests().at(-1)!;
      assert.equal(pull.head, 'gitops/five-api-replicas');
      assert.match(pull.body, /^No problems found by GitOps IaC in the 1 changed file\.$/m);
      assert.deepEqual(git(repository.bare, 'diff', '--name-only', 'main', 'gitops/five-api-replicas').trim().split('\n'), [PATCH]);
    });

    it('blocks the PR with the error the overlay places in the patch', async () => {
      const repository = withPatch(`${PATCH_HEAD}  replcias: 5\n`);
      const before = snapshot(repository.workTree);
      const requestsBefore = github.requests.length;
      const run = await pr(repository, ['--title', 'Five api replicas', PATCH]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /Validation found 1 error /);
      assert.match(run.stderr, /overlays\/production\/replicas\.yaml:7:3: error k8s\/schema In overlay overlays\/production: Unknown field "replcias" in spec/);
      assert.doesNotMatch(run.stderr, /Missing required field/);
      assert.deepEqual(snapshot(repository.workTree), before);
      assert.deepEqual(remoteBranches(repository.bare), ['main']);
      assert.equal(github.requests.length, requestsBefore);
    });
  });

  it('does everything but push and call the API on a dry run', async () => {
    const repository = makeRepository();
    const before = snapshot(repository.workTree);
    const requestsBefore = github.requests.length;
    const run = await pr(repository, ['--title', 'Scale web to 4', '--dry-run', '--plan-file', path.join(FIXTURES, 'plan.md'), PICKED]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { url: `${github.url}/acme/shop/compare/main...gitops/scale-web-to-4?expand=1`, branch: 'gitops/scale-web-to-4', number: null });
    assert.match(run.stderr, /Dry run: would push branch gitops\/scale-web-to-4 and open a github PR into main/);
    assert.match(run.stderr, /^## Plan$/m);
    assert.equal(github.requests.length, requestsBefore);
    assert.deepEqual(remoteBranches(repository.bare), ['main']);
    assert.deepEqual(snapshot(repository.workTree), before);
  });

  it('opens a GitLab merge request, and links to the open one on a second try', async () => {
    const repository = makeRepository();
    const args = ['pr', '--provider', 'gitlab', '--api-url', gitlab.url, '--repo', 'platform/infra/shop', '--title', 'Scale web to 4', '--branch', 'gitops/mr', PICKED];
    const env = { ...GIT_ENV, GITHUB_TOKEN: '', GITLAB_TOKEN: TOKEN };
    const first = await runCli(args, repository.workTree, env);
    assert.equal(first.code, 0, first.stderr);
    const origin = gitlab.url.replace(/\/api\/v4$/, '');
    assert.deepEqual(JSON.parse(first.stdout), { url: `${origin}/platform/infra/shop/-/merge_requests/1`, branch: 'gitops/mr', number: 1 });
    const [mr] = gitlab.mergeRequests();
    assert.equal(mr.source_branch, 'gitops/mr');
    assert.match(mr.description, /^## Validation$/m);
    assert.equal(gitlab.requests.find((request) => request.method === 'POST')?.path, '/api/v4/projects/platform%2Finfra%2Fshop/merge_requests');

    // The same branch again (as a new clone would push it): GitLab's 409 leads to the open MR.
    git(repository.workTree, 'branch', '-D', 'gitops/mr');
    git(repository.bare, 'branch', '-D', 'gitops/mr');
    const second = await runCli(args, repository.workTree, env);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout).number, 1);
    const refused = await runCli(args.map((arg) => (arg === 'gitops/mr' ? 'gitops/mr-2' : arg)), repository.workTree, { ...env, GITLAB_TOKEN: 'wrong' });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /GitLab refused the token \(401 Unauthorized\)/);
    assertNoLeak(first, mr.description);
  });
});
