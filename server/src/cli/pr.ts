/**
 * `gitops-iac pr`: Create GitOps PR from a terminal or CI. Prints exactly
 * `{"url":...,"branch":...,"number":...}` on stdout; words go to stderr. The token comes from
 * GITHUB_TOKEN or GITLAB_TOKEN and is never printed. Exit status: 0 the PR is open (or would
 * be, on a dry run), 1 validation errors blocked it, 2 any other failure or bad usage.
 */
import * as fs from 'node:fs';
import type { CreatePrParams, PrProvider, PrResult } from '../protocol';
import { createPullRequest } from '../node/git/createPullRequest';
import { engineValidator } from '../node/git/prValidation';

export const PR_USAGE = `Usage: gitops-iac pr --title T [options] [PATH...]

Commits the changed IaC files under each PATH (default: the current folder; a file by name)
on a new branch from HEAD, validates them, pushes the branch and opens a pull request. You
stay on your branch; your other uncommitted changes stay as they are.

Options:
  --title T                 the PR title (required)
  --branch B                the branch name (default: gitops/<slug of the title>, made unique)
  --base B                  the branch to merge into (default: the upstream of the current branch)
  --provider P              github, gitlab or compare (default: from the remote's host)
  --api-url URL             the REST API root (GitHub Enterprise, self-hosted GitLab)
  --repo OWNER/NAME         the project, when the remote URL does not name it
  --remote NAME             the remote to push to (default: origin)
  --draft                   open a draft PR, even when validation found errors
  --plan-file FILE          markdown for the PR's Plan section
  --dry-run                 do everything except push and call the API; print the body on stderr

The token is read from GITHUB_TOKEN (github) or GITLAB_TOKEN (gitlab).
Exit status: 0 done, 1 validation errors blocked the PR, 2 any other failure.
`;

export class PrUsageError extends Error {}

const VALUE_OPTIONS = ['--title', '--branch', '--base', '--provider', '--api-url', '--repo', '--remote', '--plan-file'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const PROVIDERS: readonly PrProvider[] = ['github', 'gitlab', 'compare'];

export interface PrCommand {
  values: Partial<Record<ValueOption, string>>;
  draft: boolean;
  dryRun: boolean;
  help: boolean;
  paths: string[];
}

export function parsePrArguments(argv: readonly string[]): PrCommand {
  const command: PrCommand = { values: {}, draft: false, dryRun: false, help: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      command.paths.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') command.help = true;
    else if (arg === '--draft') command.draft = true;
    else if (arg === '--dry-run') command.dryRun = true;
    else if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = (equals === -1 ? arg : arg.slice(0, equals)) as ValueOption;
      if (!VALUE_OPTIONS.includes(name)) throw new PrUsageError(`unknown option ${name}`);
      const value = equals !== -1 ? arg.slice(equals + 1) : argv[++i];
      if (value === undefined || value === '') throw new PrUsageError(`${name} needs a value`);
      command.values[name] = value;
    } else command.paths.push(arg);
  }
  if (command.help) return command;
  if (!command.values['--title']?.trim()) throw new PrUsageError('--title is required');
  const provider = command.values['--provider'];
  if (provider !== undefined && !PROVIDERS.includes(provider as PrProvider)) throw new PrUsageError(`--provider must be one of ${PROVIDERS.join(', ')}, not "${provider}"`);
  if (command.paths.length === 0) command.paths.push('.');
  return command;
}

/** The token for the provider asked for; without one, GitHub's first. */
function tokenFor(provider: PrProvider | undefined): string | undefined {
  const github = process.env.GITHUB_TOKEN || undefined;
  const gitlab = process.env.GITLAB_TOKEN || undefined;
  if (provider === 'github') return github;
  if (provider === 'gitlab') return gitlab;
  return provider === 'compare' ? undefined : (github ?? gitlab);
}

const EXIT_DONE = 0;
const EXIT_BLOCKED = 1;
const EXIT_FAILED = 2;

function report(result: PrResult): number {
  if (!result.ok) {
    process.stderr.write(`gitops-iac: ${result.message}\n`);
    for (const finding of result.validation?.findings ?? []) {
      if (finding.severity === 'error') process.stderr.write(`${finding.path}:${finding.line}:${finding.column}: error ${finding.rule} ${finding.message}\n`);
    }
    process.stderr.write(`Next step: ${result.nextStep}\n`);
    return result.reason === 'validation-failed' ? EXIT_BLOCKED : EXIT_FAILED;
  }
  if (result.dryRun) {
    process.stderr.write(`Dry run: would push branch ${result.branch} and open a ${result.provider} PR into ${result.base} with this body:\n\n${result.body ?? ''}\n\n`);
  } else if (result.existing) process.stderr.write(`An open PR for ${result.branch} already existed; the branch now holds the new commit.\n`);
  if (result.validation.errors > 0) process.stderr.write(`gitops-iac: validation found ${result.validation.errors} error(s); the PR is a draft that says so.\n`);
  process.stdout.write(`${JSON.stringify({ url: result.url, branch: result.branch, number: result.number ?? null })}\n`);
  return EXIT_DONE;
}

export async function runPr(argv: readonly string[]): Promise<number> {
  let command: PrCommand;
  try {
    command = parsePrArguments(argv);
  } catch (error) {
    if (!(error instanceof PrUsageError)) throw error;
    process.stderr.write(`gitops-iac: ${error.message}\nRun "gitops-iac pr --help" for usage.\n`);
    return EXIT_FAILED;
  }
  if (command.help) {
    process.stdout.write(PR_USAGE);
    return EXIT_DONE;
  }
  const { values } = command;
  const provider = values['--provider'] as PrProvider | undefined;
  let plan: string | undefined;
  if (values['--plan-file'] !== undefined) {
    try {
      plan = fs.readFileSync(values['--plan-file'], 'utf8');
    } catch (error) {
      process.stderr.write(`gitops-iac: cannot read ${values['--plan-file']}: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
  }
  const params: CreatePrParams & { folder: string } = {
    folder: process.cwd(),
    files: command.paths,
    title: values['--title'] ?? '',
    branch: values['--branch'],
    base: values['--base'],
    provider,
    apiUrl: values['--api-url'],
    repo: values['--repo'],
    remote: values['--remote'],
    token: tokenFor(provider),
    draft: command.draft,
    dryRun: command.dryRun,
    plan,
  };
  return report(await createPullRequest(params, engineValidator()));
}
