/**
 * The pre-push hook of GitOps: Protect Branches, run by the real git: a clone of a bare
 * remote on disk pushes to main (refused), to a feature branch (allowed), and through the
 * documented bypasses. The hook goes where git runs hooks from (`core.hooksPath` included),
 * and a hook that was there before keeps running, first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { installPrePushHook } from '../../client/src/guard/hookInstaller';
import { BYPASS_VARIABLE, prePushHookScript } from '../../client/src/guard/prePushHook';

const execFileAsync = promisify(execFile);

let sandbox: string;

/** git with no user or system configuration, so the machine's settings cannot change the result. */
function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: sandbox,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    ...extra,
  };
}

async function git(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await execFileAsync('git', args, { cwd, env: gitEnv(extraEnv) });
    return { code: 0, stderr };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : 1, stderr: failure.stderr ?? String(error) };
  }
}

async function gitOk(cwd: string, args: string[]): Promise<void> {
  const { code, stderr } = await git(cwd, args);
  assert.equal(code, 0, `git ${args.join(' ')} failed: ${stderr}`);
}

/** A bare remote with one commit on main, and a fresh clone of it; returns the clone. */
async function makeClone(name: string): Promise<{ clone: string; remote: string }> {
  const remote = path.join(sandbox, `${name}.git`);
  const seed = path.join(sandbox, `${name}-seed`);
  const clone = path.join(sandbox, name);
  await gitOk(sandbox, ['init', '--bare', '--initial-branch=main', remote]);
  await gitOk(sandbox, ['init', '--initial-branch=main', seed]);
  await fs.writeFile(path.join(seed, 'app.yaml'), 'kind: ConfigMap\n');
  await gitOk(seed, ['add', 'app.yaml']);
  await gitOk(seed, ['commit', '-m', 'Initial commit']);
  await gitOk(seed, ['push', remote, 'main']);
  await gitOk(sandbox, ['clone', remote, clone]);
  return { clone, remote };
}

async function commitChange(clone: string, text: string): Promise<void> {
  await fs.writeFile(path.join(clone, 'app.yaml'), text);
  await gitOk(clone, ['commit', '-am', text.trim()]);
}

async function remoteHead(remote: string, branch: string): Promise<string> {
  const { stdout } = await execFileAsync('git', ['rev-parse', `refs/heads/${branch}`], { cwd: remote, env: gitEnv() });
  return stdout.trim();
}

async function localHead(clone: string): Promise<string> {
  const { stdout } = await execFileAsync('git', ['rev-parse', 'HEAD'], { cwd: clone, env: gitEnv() });
  return stdout.trim();
}

const neverAsked = async (): Promise<boolean> => assert.fail('no existing hook, so nothing to ask');

describe('pre-push hook (real git, bare remote on disk)', () => {
  before(async () => {
    sandbox = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-iac-hook-')));
  });
  after(async () => {
    await fs.rm(sandbox, { recursive: true, force: true });
  });

  it('refuses a push to main, naming the bypass; allows a feature branch; both bypasses work', async () => {
    const { clone, remote } = await makeClone('basic');
    const result = await installPrePushHook(clone, { protectedBranches: ['main', 'master'], confirmChain: neverAsked });
    assert.ok(result.installed);
    assert.equal(result.hookPath, path.join(clone, '.git', 'hooks', 'pre-push'));
    const before = await remoteHead(remote, 'main');

    await commitChange(clone, 'replicas: 2\n');
    const refused = await git(clone, ['push', 'origin', 'main']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /direct pushes to the protected branch 'main' are refused/);
    assert.match(refused.stderr, new RegExp(`${BYPASS_VARIABLE}=1 git push`));
    assert.match(refused.stderr, /git push --no-verify/);
    assert.equal(await remoteHead(remote, 'main'), before, 'main on the remote did not move');

    // Pushing the same commit to another branch name is the GitOps way.
    const feature = await git(clone, ['push', 'origin', 'HEAD:refs/heads/gitops/more-replicas']);
    assert.equal(feature.code, 0, feature.stderr);
    assert.equal(await remoteHead(remote, 'gitops/more-replicas'), await localHead(clone));

    const bypassed = await git(clone, ['push', 'origin', 'main'], { [BYPASS_VARIABLE]: '1' });
    assert.equal(bypassed.code, 0, bypassed.stderr);
    assert.equal(await remoteHead(remote, 'main'), await localHead(clone));

    await commitChange(clone, 'replicas: 3\n');
    const noVerify = await git(clone, ['push', '--no-verify', 'origin', 'main']);
    assert.equal(noVerify.code, 0, noVerify.stderr);
    assert.equal(await remoteHead(remote, 'main'), await localHead(clone));
  });

  it('refuses deleting a protected branch and matches glob patterns', async () => {
    const { clone, remote } = await makeClone('globs');
    await gitOk(clone, ['push', 'origin', 'main:refs/heads/release/1.0']);
    await installPrePushHook(clone, { protectedBranches: ['main', 'release/*'], confirmChain: neverAsked });
    const deletion = await git(clone, ['push', 'origin', ':refs/heads/release/1.0']);
    assert.notEqual(deletion.code, 0);
    assert.match(deletion.stderr, /protected branch 'release\/1\.0'/);
    assert.ok(await remoteHead(remote, 'release/1.0'));
    const other = await git(clone, ['push', 'origin', 'main:refs/heads/releases-notes']);
    assert.equal(other.code, 0, other.stderr);
  });

  it('installs into core.hooksPath when it is set', async () => {
    const { clone } = await makeClone('hookspath');
    await gitOk(clone, ['config', 'core.hooksPath', '.githooks']);
    const result = await installPrePushHook(clone, { protectedBranches: ['main'], confirmChain: neverAsked });
    assert.ok(result.installed);
    assert.equal(result.hookPath, path.join(clone, '.githooks', 'pre-push'));
    await commitChange(clone, 'replicas: 4\n');
    const refused = await git(clone, ['push', 'origin', 'main']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /protected branch 'main'/);
  });

  it('keeps an existing hook only when allowed, and runs it first with the same input', async () => {
    const { clone } = await makeClone('chained');
    const hookPath = path.join(clone, '.git', 'hooks', 'pre-push');
    const log = path.join(sandbox, 'chained-hook.log');
    const existing = `#!/bin/sh\necho "args: $1" >> '${log}'\ncat >> '${log}'\n[ -e '${path.join(sandbox, 'veto')}' ] && exit 3\nexit 0\n`;
    await fs.writeFile(hookPath, existing, { mode: 0o755 });

    const declined = await installPrePushHook(clone, { protectedBranches: ['main'], confirmChain: async () => false });
    assert.equal(declined.installed, false);
    assert.equal(await fs.readFile(hookPath, 'utf8'), existing, 'the existing hook is left exactly as it was');

    let asked: string | undefined;
    const chained = await installPrePushHook(clone, {
      protectedBranches: ['main'],
      confirmChain: async (existingHook) => {
        asked = existingHook;
        return true;
      },
    });
    assert.equal(asked, hookPath);
    assert.ok(chained.installed && chained.chainedHook);
    assert.equal(await fs.readFile(chained.chainedHook, 'utf8'), existing);

    await gitOk(clone, ['checkout', '-b', 'feature']);
    await commitChange(clone, 'replicas: 5\n');
    const pushed = await git(clone, ['push', 'origin', 'feature']);
    assert.equal(pushed.code, 0, pushed.stderr);
    const logged = await fs.readFile(log, 'utf8');
    assert.match(logged, /^args: origin$/m);
    assert.match(logged, new RegExp(`^refs/heads/feature ${await localHead(clone)} refs/heads/feature 0{40}$`, 'm'));

    // The earlier hook's refusal stands even where ours would allow the push.
    await fs.writeFile(path.join(sandbox, 'veto'), '');
    await commitChange(clone, 'replicas: 6\n');
    const vetoed = await git(clone, ['push', 'origin', 'feature']);
    assert.notEqual(vetoed.code, 0);

    // Installing again replaces only our own hook, without asking, and keeps the chain.
    const again = await installPrePushHook(clone, { protectedBranches: ['main', 'prod'], confirmChain: neverAsked });
    assert.ok(again.installed && again.replacedOurs);
    assert.equal(again.chainedHook, chained.chainedHook);
  });

  it('refuses branch names that would not be safe in the script, before touching anything', async () => {
    assert.throws(() => prePushHookScript({ protectedBranches: ['main\nrm -rf /'] }), /not a valid branch name/);
    assert.throws(() => prePushHookScript({ protectedBranches: [] }), /empty/);
    // Characters git allows in branch names but sh would read are quoted.
    const script = prePushHookScript({ protectedBranches: ["it's$(x)|y"] });
    assert.match(script, /'it'\\''s\$\(x\)\|y'\)/);
  });
});
