/**
 * Entry point of the VS Code extension: builds the context, registers the commands and
 * starts the language server. Everything else lives in `ctx.ts` and `commands.ts`.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { Ctx } from './ctx';
import { registerTerminalGuard } from './guard/terminalGuard';
import { registerDriftPanel } from './drift/panel';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  // Commands come first, so "Restart Server" and "Show Output" work even if the start fails.
  for (const [name, factory] of Object.entries(COMMANDS)) ctx.registerCommand(name, factory);
  context.subscriptions.push(registerTerminalGuard());
  registerDriftPanel(ctx);
  try {
    await ctx.start();
    // Measured to the language server's answer to `initialize`, which is when it starts serving.
    ctx.outputChannel.info(`Activated in ${Math.round(performance.now() - started)} ms.`);
  } catch (error) {
    ctx.reportError('The GitOps IaC language server failed to start', error);
  }
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
