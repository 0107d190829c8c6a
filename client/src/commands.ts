/**
 * Every command of the extension as a small factory `(ctx) => handler`. The ids here are
 * the ones declared under `contributes.commands` in package.json.
 */
import { addCiValidation } from './ci/addCiValidation';
import type { CommandFactory } from './ctx';
import { protectBranches } from './guard/protectBranches';
import { createPr } from './pr/createPr';
import { setGitLabToken } from './pr/forgeTokens';
import { previewPlan } from './plan/previewPlan';
import { rollback } from './pr/rollback';

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
  'gitopsIac.createPr': createPr,
  'gitopsIac.rollback': rollback,
  'gitopsIac.setGitLabToken': setGitLabToken,
  'gitopsIac.protectBranches': protectBranches,
  'gitopsIac.addCiValidation': addCiValidation,
  'gitopsIac.previewPlan': previewPlan,
};
