/**
 * `gitops-iac plan [--format markdown|json] [--base main] [--head COMMIT] [--context NAME] [PATH...]`: what
 * would change live if this branch were merged and applied. Exit status 0 when the plan was
 * made (whatever it says, environments that could not be planned included), 2 on bad usage or
 * when there is nothing to compare with (no repository, unknown base branch).
 */
import * as path from 'node:path';
import { planBranch } from '../node/planService';
import { PlanError } from '../plan/model';
import { renderPlanJson, renderPlanMarkdown } from '../plan/render';
import { oneOf, parseOrExit, readArguments } from './arguments';

const PLAN_FORMATS = ['markdown', 'json'] as const;
type PlanFormat = (typeof PLAN_FORMATS)[number];

export const PLAN_USAGE = `Usage: gitops-iac plan [options] [PATH...]

Previews what would change live if this branch were merged and applied: the Kubernetes,
Terraform and Ansible files changed since the merge base with the base branch (uncommitted
changes included), planned with a server-side apply dry-run, terraform plan, and
ansible-playbook in check mode with --diff. Nothing is applied. Each PATH limits the plan to
the changed files under it.

Options:
  --format markdown|json   output format (default: markdown)
  --base BRANCH            the branch this one merges into (default: main; origin/BRANCH is tried too)
  --head COMMIT            plan this commit instead of the work tree (in a temporary worktree)
  --context NAME           the kubeconfig context to dry-run against (default: the current one)
  -h, --help               show this help

Exit status: 0 the plan was made, 2 bad usage or no plan possible.
`;

export interface PlanCommand {
  format: PlanFormat;
  base: string;
  head?: string;
  context?: string;
  paths: string[];
  help: boolean;
}

const VALUE_OPTIONS = new Set(['--format', '--base', '--head', '--context']);

export function parsePlanArguments(argv: readonly string[]): PlanCommand {
  const options: Omit<PlanCommand, 'paths' | 'help'> = { format: 'markdown', base: 'main' };
  const { paths, help } = readArguments(argv, { values: VALUE_OPTIONS }, (name, value) => {
    if (name === '--format') options.format = oneOf(name, value, PLAN_FORMATS);
    else if (name === '--base') options.base = value;
    else if (name === '--head') options.head = value;
    else options.context = value;
  });
  return { ...options, paths, help };
}

/** Runs `gitops-iac plan` with the arguments after `plan`; returns the exit status. */
export async function runPlan(argv: readonly string[]): Promise<number> {
  const write = (text: string): void => void process.stdout.write(text);
  const warn = (text: string): void => void process.stderr.write(text);
  const command = parseOrExit('plan', PLAN_USAGE, argv, parsePlanArguments);
  if (typeof command === 'number') return command;
  const cwd = process.cwd();
  try {
    // CI checks out trusted code, as for `check`: the cluster and Terraform are used.
    const report = await planBranch({
      folder: cwd,
      base: command.base,
      ...(command.head ? { head: command.head } : {}),
      paths: command.paths.map((given) => path.resolve(cwd, given)),
      ...(command.context ? { kubernetesContext: command.context } : {}),
      trusted: true,
    });
    write(command.format === 'json' ? renderPlanJson(report) : renderPlanMarkdown(report));
    for (const environment of report.environments) if (environment.error) warn(`gitops-iac: ${environment.name}: ${environment.error}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    warn(`gitops-iac: ${error.message}\n`);
    return 2;
  }
}
