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
import { oneOf, parseOrExit, readArguments, UsageError } from './arguments';

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

const VALUE_OPTIONS = ['--title', '--branch', '--base', '--provider', '--api-url', '--repo', '--remote', '--plan-file'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const FLAGS = new Set(['--draft', '--dry-run']);
const PROVIDERS: readonly PrProvider[] = ['github', 'gitlab', 'compare'];

export interface PrCommand {
  values: Partial<Record<ValueOption, string>>;
  draft: boolean;
  dryRun: boolean;
  help: boolean;
  paths: string[];
}

export function parsePrArguments(argv: readonly string[]): PrCommand {
  const values: PrCommand['values'] = {};
  const { paths, flags, help } = readArguments(argv, { values: new Set(VALUE_OPTIONS), flags: FLAGS }, (name, value) => {
    values[name as ValueOption] = value;
  });
  const command: PrCommand = { values, draft: flags.has('--draft'), dryRun: flags.has('--dry-run'), help, paths };
  if (command.help) return command;
  if (!values['--title']?.trim()) throw new UsageError('--title is required');
  if (values['--provider'] !== undefined) oneOf('--provider', values['--provider'], PROVIDERS);
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
  const command = parseOrExit('pr', PR_USAGE, argv, parsePrArguments);
  if (typeof command === 'number') return command;
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
