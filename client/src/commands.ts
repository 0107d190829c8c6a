/**
 * Every command of the extension as a small factory `(ctx) => handler`. The ids here are
 * the ones declared under `contributes.commands` in package.json.
 */
import type { CommandFactory } from './ctx';

const restartServer: CommandFactory = (ctx) => async () => {
  try {
    await ctx.restart();
  } catch (error) {
    ctx.reportError('Restarting the GitOps IaC server failed', error);
  }
};

const showOutput: CommandFactory = (ctx) => () => ctx.showOutput();

export const COMMANDS: Readonly<Record<string, CommandFactory>> = {
  'gitopsIac.restartServer': restartServer,
  'gitopsIac.showOutput': showOutput,
};
