/**
 * The GitOps PR flow as a user meets it, in a real VS Code (code-server) in headless Chromium:
 * a git repository made at test time from test/fixtures/pr-e2e, whose `origin` is
 * git@github.com:acme/infra.git while the repository's `core.sshCommand` runs the git command
 * meant for GitHub on a bare repository on disk (git's `insteadOf` would not do: `git remote
 * get-url` expands it, hiding the host the flow reads the forge from); the local GitHub REST double (test/support/githubApi.ts) stands in for
 * api.github.com through `gitopsIac.pr.githubApiUrl`, and code-server's environment holds the
 * token as `GITOPS_IAC_GITHUB_TOKEN` (code-server takes `GITHUB_TOKEN` for itself and hides it
 * from extensions). Then "GitOps: Create GitOps PR" from the
 * palette, and the terminal guard on `kubectl apply` typed in the integrated terminal.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startGitHubApi, type GitHubApi } from '../support/githubApi';
import { REPO_ROOT } from './browser';
import { EditorSession } from './editorSession';

const execFileAsync = promisify(execFile);

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'pr-e2e');
const REMOTE_URL = 'git@github.com:acme/infra.git';
const TOKEN = 'ghp_e2eTestTokenThatMustNeverBeEchoed0001';
const CHANGED_MANIFEST = 'overlays/prod/web-deployment.yaml';
/** What Create GitOps PR proposes for that one file. */
const PROPOSED_TITLE = 'Update web deployment (overlays/prod)';
/** Picked-file flow timeouts: validation, plan and push on 2 busy cores. */
const FLOW_TIMEOUT_MS = 90_000;

/** git with the test's own identity and no system configuration. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
  });
  return stdout;
}

/**
 * A work tree of the fixture on main, pushed to a bare remote, then changed: the manifest
 * (to be proposed) and the README (not IaC, so never offered and never committed).
 */
async function makeRepository(parent: string): Promise<{ workTree: string; bare: string }> {
  const hostRoot = path.join(parent, 'github.com');
  const bare = path.join(hostRoot, 'acme', 'infra.git');
  const workTree = path.join(parent, 'infra');
  fs.cpSync(FIXTURE, workTree, { recursive: true });
  await git(parent, 'init', '--bare', '--initial-branch=main', bare);
  // Called as `ssh [options] git@github.com "git-receive-pack 'acme/infra.git'"`: runs that last
  // argument in the folder that plays github.com.
  const fakeSsh = path.join(parent, 'fake-ssh.sh');
  fs.writeFileSync(fakeSsh, `#!/bin/sh\nfor last; do :; done\ncd '${hostRoot}' && exec sh -c "$last"\n`, { mode: 0o755 });
  await git(workTree, 'init', '--initial-branch=main');
  await git(workTree, 'config', 'user.name', 'E2E Test');
  await git(workTree, 'config', 'user.email', 'e2e@example.invalid');
  await git(workTree, 'config', 'core.sshCommand', fakeSsh);
  await git(workTree, 'remote', 'add', 'origin', REMOTE_URL);
  await git(workTree, 'add', '.');
  await git(workTree, 'commit', '-m', 'Initial manifests');
  await git(workTree, 'push', '-u', 'origin', 'main');
  const manifest = path.join(workTree, CHANGED_MANIFEST);
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('replicas: 3', 'replicas: 4'));
  fs.appendFileSync(path.join(workTree, 'README.md'), '\nA note that is not part of the PR.\n');
  return { workTree, bare };
}

describe('GitOps PR flow in VS Code (code-server + Chromium)', { timeout: 300_000 }, () => {
  const session = new EditorSession({ screenshotPrefix: 'pr-flow-' });
  let github: GitHubApi | undefined;
  let sandbox: string | undefined;
  let repository: { workTree: string; bare: string } | undefined;

  before(async () => {
    sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-pr-e2e-')));
    repository = await makeRepository(sandbox);
    github = await startGitHubApi({ token: TOKEN });
    await session.open({
      workspace: repository.workTree,
      env: { GITOPS_IAC_GITHUB_TOKEN: TOKEN },
      settings: {
        'gitopsIac.pr.githubApiUrl': github.url,
        'terminal.integrated.shellIntegration.enabled': true,
        'terminal.integrated.defaultProfile.linux': 'bash',
        // The built-in Git extension would ask about the repository in toasts of its own.
        'git.enabled': false,
      },
    });
    await session.scenario('language-server-startup', () => session.languageServerReady());
  }, { timeout: 150_000 });

  after(async () => {
    await session.close();
    await github?.close();
    if (sandbox) fs.rmSync(sandbox, { recursive: true, force: true, maxRetries: 3 });
    github = sandbox = repository = undefined;
  });

  async function runCommand(title: string): Promise<void> {
    const p = session.page;
    await p.keyboard.press('F1');
    await p.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await p.keyboard.type(title);
    await p.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await p.keyboard.press('Enter');
  }

  it('creates a PR of the picked manifest from the command palette', async () => {
    await session.scenario('create-pr', async () => {
      const p = session.page;
      assert.ok(repository && github);
      await runCommand('GitOps: Create GitOps PR');

      // The file pick: only the changed IaC file is offered, preselected; accept it.
      const fileRow = p.locator('.quick-input-list .monaco-list-row', { hasText: CHANGED_MANIFEST });
      await fileRow.waitFor({ timeout: FLOW_TIMEOUT_MS });
      const rows = await p.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      assert.equal(rows.length, 1, `one file offered: ${rows.join(' | ')}`);
      assert.ok(rows[0].startsWith(CHANGED_MANIFEST), rows[0]);
      await p.keyboard.press('Enter');

      // The title, proposed from the file; accepted as it is.
      const input = p.locator('.quick-input-widget input');
      await p.locator('.quick-input-widget .quick-input-title', { hasText: 'title' }).waitFor({ timeout: FLOW_TIMEOUT_MS });
      assert.equal(await input.inputValue(), PROPOSED_TITLE);
      await p.keyboard.press('Enter');

      const toast = p.locator('.notifications-toasts .notification-toast', { hasText: /Pull request #\d+ opened/ });
      await toast.waitFor({ timeout: FLOW_TIMEOUT_MS });
      await toast.locator('a.monaco-button', { hasText: 'Open' }).waitFor();
      await session.screenshot('pr-opened');

      // The double recorded one PR, from the pushed branch into main, with the body's sections.
      const [pull] = github.pullRequests();
      assert.ok(pull, 'the GitHub double received a pull request');
      assert.equal(pull.title, PROPOSED_TITLE);
      assert.equal(pull.base, 'main');
      assert.equal(pull.draft, false);
      const branch = pull.head.replace(/^[^:]+:/, '');
      assert.match(pull.body, /^## Validation$/m);
      assert.match(pull.body, /^## Plan$/m);
      assert.doesNotMatch(pull.body, new RegExp(TOKEN));
      for (const [where, text] of Object.entries(session.logs())) assert.ok(!text.includes(TOKEN), `the token appears in the ${where}`);

      // The remote's branch differs from main by exactly the picked file, holding its new text.
      const changed = (await git(repository.bare, 'diff', '--name-only', 'main', branch)).trim().split('\n');
      assert.deepEqual(changed, [CHANGED_MANIFEST]);
      assert.match(await git(repository.bare, 'show', `${branch}:${CHANGED_MANIFEST}`), /replicas: 4/);
      const files = (await git(repository.bare, 'ls-tree', '-r', '--name-only', branch)).trim().split('\n').sort();
      const mainFiles = (await git(repository.bare, 'ls-tree', '-r', '--name-only', 'main')).trim().split('\n').sort();
      assert.deepEqual(files, mainFiles);

      // Back on main with both changes still uncommitted, exactly as before.
      assert.equal((await git(repository.workTree, 'branch', '--show-current')).trim(), 'main');
      assert.deepEqual((await git(repository.workTree, 'status', '--porcelain')).split('\n').filter(Boolean).sort(), [
        ' M README.md',
        ` M ${CHANGED_MANIFEST}`,
      ]);
    });
  });

  it('warns about kubectl apply typed in the integrated terminal', async () => {
    await session.scenario('terminal-guard', async () => {
      const p = session.page;
      // Whatever the first scenario left open (a dialog, a quick input) must not take the keys.
      await p.keyboard.press('Escape');
      await p.keyboard.press('Escape');
      // Notifications of the first scenario would hide the new one.
      await runCommand('Notifications: Clear All Notifications');
      await runCommand('Terminal: Create New Terminal');
      const terminal = p.locator('.terminal-wrapper.active .xterm');
      await terminal.waitFor({ timeout: FLOW_TIMEOUT_MS });
      await terminal.click();
      // Shell integration marks the prompt once bash has started with it.
      await p.locator('.terminal-wrapper.active .xterm-decoration-container .terminal-command-decoration').first().waitFor({ timeout: FLOW_TIMEOUT_MS });
      await p.keyboard.type('kubectl apply -f x.yaml');
      await p.keyboard.press('Enter');
      const warning = p.locator('.notifications-toasts .notification-toast', { hasText: 'changes live infrastructure by hand' });
      await warning.waitFor({ timeout: FLOW_TIMEOUT_MS });
      await warning.locator('a.monaco-button', { hasText: 'Create GitOps PR instead' }).waitFor();
      await session.screenshot('terminal-guard');
    });
  });
});
