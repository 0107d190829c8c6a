/**
 * Tests run INSIDE the real extension host (code-server's Node extension host), the way
 * @vscode/test-electron would, which cannot download VS Code here: the workbench's `payload`
 * query parameter names this repository as the extension under development and
 * test/e2e/exthost/index.js as `extensionTestsPath`. The host runs `run()`, and the workbench
 * reports its exit code through `window.codeAutomationExit` (and the host's console through
 * `window.codeAutomationLog`), which the page exposes to this process.
 *
 * Two runs, side by side, each with its own code-server, fresh user data and browser context
 * on a temporary copy of test/fixtures/e2e-workspace: trusted (workspace trust disabled)
 * exercising the whole client, and Restricted Mode (an untrusted workspace), which must still
 * validate and must tell the server that the workspace is untrusted.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  REPO_ROOT,
  WORKBENCH_TIMEOUT_MS,
  copyFixtureWorkspace,
  launchBrowser,
  loadLauncher,
  newPage,
  outputChannelLog,
  removeWorkspace,
  saveScreenshot,
  serverLogTail,
  type CodeServer,
  type CodeServerLauncher,
} from './browser';

const TESTS_MODULE = path.join(REPO_ROOT, 'test', 'e2e', 'exthost', 'index.js');
/** The whole in-host run: workbench start, activation, every scenario step (each waits ≤ 45 s). */
const EXIT_TIMEOUT_MS = 150_000;

type Scenario = 'trusted' | 'restricted';

interface HostRun {
  exitCode: number;
  /** The extension host's console, as the workbench forwarded it. */
  log: string[];
  /** The "GitOps IaC" output channel's log file, as the extension host wrote it. */
  outputChannel: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

describe('client behaviour inside the real extension host', { timeout: 240_000, concurrency: true }, () => {
  let launcher: CodeServerLauncher;
  let browser: Browser | undefined;

  before(async () => {
    launcher = await loadLauncher();
    launcher.assertCodeServerInstalled();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
  });

    /** Starts code-server for `scenario`, runs the in-host tests, stops everything (also on failure). */
  async function runInExtensionHost(scenario: Scenario): Promise<HostRun> {
    assert.ok(browser, 'the browser is running');
    let workspace: string | undefined;
    let server: CodeServer | undefined;
    let context: BrowserContext | undefined;
    let page: Page | undefined;
    let timer: NodeJS.Timeout | undefined;
    const log: string[] = [];
    try {
      workspace = copyFixtureWorkspace();
      server = await launcher.startCodeServer({
        workspace,
        trust: scenario === 'trusted' ? 'disabled' : 'restricted',
        // The extension host inherits code-server's environment.
        env: { GITOPS_IAC_E2E_SCENARIO: scenario },
      });
      ({ context, page } = await newPage(browser));
      const authority = `127.0.0.1:${server.port}`;
      const payload = [
        ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO_ROOT}`],
        ['extensionTestsPath', `vscode-remote://${authority}${TESTS_MODULE}`],
      ];
      let reportExit: (code: number) => void = () => undefined;
      const exited = new Promise<number>((resolve) => {
        reportExit = resolve;
      });
      await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
      await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
        const line = ([] as unknown[]).concat(args).map(text).join(' ');
        log.push(type === 'log' || type === 'info' ? line : `[${type}] ${line}`);
      });
      await page.goto(`${launcher.workspaceUrl(server.url, workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, {
        timeout: WORKBENCH_TIMEOUT_MS,
      });
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no exit code from the extension host within ${EXIT_TIMEOUT_MS} ms`)), EXIT_TIMEOUT_MS);
      });
      const exitCode = await Promise.race([exited, timedOut]);
      if (exitCode !== 0) await saveScreenshot(page, `extension-host-${scenario}`);
      return { exitCode, log, outputChannel: outputChannelLog(server) };
    } catch (error) {
      await saveScreenshot(page, `extension-host-${scenario}`);
      if (error instanceof Error) error.message += `\n--- extension host console ---\n${log.join('\n')}\n${serverLogTail(server)}`;
      throw error;
    } finally {
      clearTimeout(timer);
      await context?.close().catch(() => undefined);
      await server?.stop();
      removeWorkspace(workspace);
    }
  }

  function assertPassed(run: HostRun): void {
    assert.equal(run.exitCode, 0, `the in-host tests failed (exit code ${run.exitCode}); their log:\n${run.log.join('\n')}`);
    assert.ok(run.log.some((line) => line.includes('[gitops-iac e2e] all passed')), `the in-host tests ran to the end; their log:\n${run.log.join('\n')}`);
  }

  it('trusted workspace: activation, commands, diagnostics, settings and restart, through the vscode API', async () => {
    const run = await runInExtensionHost('trusted');
    assertPassed(run);
    // The client told the server the workspace is trusted (the server's first log line), and
    // gitopsIac.restartServer really started a second server: the settings changes before it
    // were applied by the running server, without a restart.
    const starts = run.outputChannel.match(/GitOps IaC server started \(workspace trusted: true\)/g) ?? [];
    assert.equal(starts.length, 2, `one start, then one more for the restart command; output channel:\n${run.outputChannel}`);
    assert.doesNotMatch(run.outputChannel, /workspace trusted: false/);
  });

  it('Restricted Mode: the untrusted workspace is still validated, and the server is told it is untrusted', async () => {
    const run = await runInExtensionHost('restricted');
    assertPassed(run);
    assert.match(run.outputChannel, /GitOps IaC server started \(workspace trusted: false\)/, `output channel:\n${run.outputChannel}`);
    assert.doesNotMatch(run.outputChannel, /workspace trusted: true/);
  });
});
