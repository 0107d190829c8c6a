/**
 * The Plan and Drift sections of a PR body, asked from the language server at the moment the
 * PR is made. Either may be unavailable (no cluster, no Terraform, untrusted, slow): the PR is
 * still opened, and the Plan section says why it is missing.
 */
import * as vscode from 'vscode';
import { DriftRequest, PlanRequest } from '../../../server/src/protocol';
import type { DriftReport } from '../../../server/src/drift/types';
import { renderPlanMarkdown } from '../../../server/src/plan/render';
import type { Ctx } from '../ctx';

/** Long enough for a Terraform plan of a few modules; a PR must not wait forever on a cluster. */
const PLAN_TIMEOUT_MS = 120_000;
const DRIFT_TIMEOUT_MS = 30_000;

async function withTimeout<T>(ms: number, what: string, run: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const source = new vscode.CancellationTokenSource();
  const timer = setTimeout(() => source.cancel(), ms);
  try {
    return await Promise.race([
      run(source.token),
      new Promise<never>((_, reject) => source.token.onCancellationRequested(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)))),
    ]);
  } finally {
    clearTimeout(timer);
    source.dispose();
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The plan of the picked files against `base`, as markdown for the body's Plan section. */
export async function planMarkdown(ctx: Ctx, folder: string, paths: string[], base: string | undefined): Promise<string> {
  try {
    const report = await withTimeout(PLAN_TIMEOUT_MS, 'The plan', (token) => ctx.sendRequest(PlanRequest.type, { folder, paths, base }, token));
    return renderPlanMarkdown(report, { headingLevel: 3 });
  } catch (error) {
    ctx.outputChannel.warn(`The plan for the PR body is not available: ${reasonOf(error)}`);
    return `Not available when this pull request was made: ${reasonOf(error).replace(/\s+/g, ' ').replace(/[.\s]+$/, '')}. Run \`gitops-iac plan\` to preview it.\n`;
  }
}

/** The drift seen now, or undefined when it cannot be had (no cluster configured, unreachable, …). */
export async function currentDrift(ctx: Ctx): Promise<DriftReport | undefined> {
  try {
    return await withTimeout(DRIFT_TIMEOUT_MS, 'The drift check', (token) => ctx.sendRequest(DriftRequest.type, {}, token));
  } catch (error) {
    ctx.outputChannel.info(`No drift section in the PR body: ${reasonOf(error)}`);
    return undefined;
  }
}
