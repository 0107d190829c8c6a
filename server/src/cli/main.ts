/**
 * Entry point of the `gitops-iac` command line (bundled to `server/out/cli.js`): dispatches
 * `check`, `plan`, `drift` and `pr`, and runs `check` itself:
 * `gitops-iac check [--format text|json|sarif] [--kubernetes-version X] [--terraform-version X] [PATH...]`.
 * Exit codes are a contract: 0 no errors, 1 errors found, 2 bad usage or an internal failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createNodeEngine, MissingSchemasError, requireSchemasFolder } from '../node/engineFactory';
import { DEFAULT_SETTINGS, normalizeKubernetesVersion, type Settings } from '../settings';
import { normalizeTerraformVersion } from '../terraform/checks/context';
import { defaultSchemaCacheDir, loadSchemasForFiles } from '../node/terraformSchemaLoader';
import { loadCollectionsForFiles } from '../node/ansibleCollections';
import { checkFiles } from './check';
import { formatJson, formatSarif, formatText, OUTPUT_FORMATS, type OutputFormat, type ToolInfo } from './format';
import { findFiles } from '../node/walk';
import { runPr } from './pr';
import { runPlan } from './plan';
import { runDrift } from './drift';
import { oneOf, readArguments, UsageError } from './arguments';

const EXIT_CLEAN = 0;
const EXIT_ERRORS = 1;
const EXIT_USAGE = 2;

/** The commands other than `check`, which this file runs; each parses its own options and prints its own --help. */
const SUBCOMMANDS = new Map<string, (argv: readonly string[]) => Promise<number>>([['plan', runPlan], ['drift', runDrift], ['pr', runPr]]);

const COMMAND_SUMMARIES: [string, string][] = [
  ['check', 'validate Kubernetes, Kustomize, Helm, Terraform and Ansible files'],
  ['plan', 'preview what would change live if this branch were merged and applied'],
  ['drift', 'compare what the files declare with the live cluster, Terraform state or hosts'],
  ['pr', 'commit the changed files on a new branch and open a GitOps pull request'],
];

const COMMAND_NAMES = COMMAND_SUMMARIES.map(([name]) => name);

const USAGE = `Usage: gitops-iac COMMAND [options] [PATH...]

Commands:
${COMMAND_SUMMARIES.map(([name, summary]) => `  ${name.padEnd(8)}${summary}`).join('\n')}
  help    show this help; "gitops-iac help COMMAND" or "gitops-iac COMMAND --help" shows the options of one

Options:
  -h, --help   show this help
  --version    show the version

Exit status: 0 success, 1 findings (errors, drift), 2 bad usage or a failure; see each command's --help.
`;

const CHECK_USAGE = `Usage: gitops-iac check [options] [PATH...]

Validates the Kubernetes manifests (Kustomize overlays rendered, Helm charts and Argo CD /
Flux apps understood), Terraform and Ansible files in each PATH (default: the current
folder). Folders are searched for *.yaml, *.yml, *.tf and *.tfvars files, skipping what
.gitignore excludes; a file given by name is checked whatever its extension. Terraform
provider schemas are loaded for folders that 'terraform init' has prepared.

Options:
  --format text|json|sarif     output format (default: text)
  --kubernetes-version X       Kubernetes version to validate against, e.g. 1.36 (default: ${DEFAULT_SETTINGS.kubernetes.version})
  --terraform-version X        Terraform version the Terraform checks assume, e.g. 1.11 (default: ${DEFAULT_SETTINGS.terraform.version})
  -h, --help                   show this help
  --version                    show the version

Exit status: 0 no errors, 1 errors found, 2 bad usage or an internal failure.
`;

/** A failure the user can act on (missing schemas, an unreadable file): one plain line, exit status 2. */
class CliError extends Error {}

interface CheckCommand {
  kind: 'check';
  format: OutputFormat;
  kubernetesVersion: string;
  terraformVersion: string;
  paths: string[];
}

type Command = CheckCommand | { kind: 'help'; usage: string } | { kind: 'version' };

const commandList = (): string => `${COMMAND_NAMES.slice(0, -1).join(', ')} and ${COMMAND_NAMES[COMMAND_NAMES.length - 1]}`;

const CHECK_VALUE_OPTIONS = new Set(['--format', '--kubernetes-version', '--terraform-version']);

/** `normalized` when the version was understood; otherwise a UsageError naming the option. */
function versionOf(option: string, value: string, normalized: string | undefined, example: string): string {
  if (!normalized) throw new UsageError(`${option} must be a version such as ${example}, not "${value}"`);
  return normalized;
}

export function parseArguments(argv: readonly string[]): Command {
  let format: OutputFormat = 'text';
  let kubernetesVersion = DEFAULT_SETTINGS.kubernetes.version;
  let terraformVersion = DEFAULT_SETTINGS.terraform.version;
  const { paths: positionals, flags, help } = readArguments(argv, { values: CHECK_VALUE_OPTIONS, flags: new Set(['--version']) }, (name, value) => {
    if (name === '--format') format = oneOf(name, value, OUTPUT_FORMATS);
    else if (name === '--terraform-version') terraformVersion = versionOf(name, value, normalizeTerraformVersion(value), '1.11');
    else kubernetesVersion = versionOf(name, value, normalizeKubernetesVersion(value), '1.36');
  });
  const version = flags.has('--version');

  const [command, ...paths] = positionals;
  if (command !== undefined && command !== 'check' && command !== 'help') throw new UsageError(`unknown command "${command}" (the commands are ${commandList()})`);
  if (help || command === 'help') return { kind: 'help', usage: command === 'check' ? CHECK_USAGE : USAGE };
  if (version) return { kind: 'version' };
  if (command === undefined) throw new UsageError(`no command given (the commands are ${commandList()})`);
  return { kind: 'check', format, kubernetesVersion, terraformVersion, paths: paths.length > 0 ? paths : ['.'] };
}

/** What package.json says about the tool, read from the package root beside `schemas/`. */
function readToolInfo(packageRoot: string): ToolInfo {
  let manifest: { name?: string; publisher?: string; version?: string; homepage?: string } = {};
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    // A missing or broken package.json only costs the version number.
  }
  const marketplace = `https://marketplace.visualstudio.com/items?itemName=${manifest.publisher ?? 'gitops-iac'}.${manifest.name ?? 'gitops-iac'}`;
  return { version: manifest.version ?? '0.0.0', informationUri: manifest.homepage ?? marketplace };
}

async function runCheck(command: CheckCommand): Promise<number> {
  const cwd = process.cwd();
  const walk = findFiles(command.paths, cwd);
  for (const warning of walk.warnings) process.stderr.write(`gitops-iac: ${warning}\n`);
  if (walk.missing.length > 0) {
    for (const missing of walk.missing) process.stderr.write(`gitops-iac: ${missing}: no such file or folder\n`);
    return EXIT_USAGE;
  }

  const settings: Settings = { ...DEFAULT_SETTINGS, kubernetes: { version: command.kubernetesVersion }, terraform: { version: command.terraformVersion } };
  const { engine, terraform, ansible, schemasFolder: folder } = await createNodeEngine(settings, __dirname);
  terraform.configure({ terraformVersion: settings.terraform.version });
  // CI checks out trusted code: provider schemas are loaded for initialised folders. Only the
  // text format tells what was loaded; failures go to stderr in every format.
  const absolutePaths = walk.files.map((file) => file.absolutePath);
  await loadSchemasForFiles(absolutePaths, terraform, (message, problem) => {
    if (problem || command.format === 'text') process.stderr.write(`gitops-iac: ${message}\n`);
  });
  // Likewise the specs of the installed Ansible collections the files use, when ansible-doc is here.
  await loadCollectionsForFiles(absolutePaths, ansible, {
    cacheDir: defaultSchemaCacheDir(),
    cwd,
    log: (message) => {
      if (command.format === 'text') process.stderr.write(`gitops-iac: ${message}\n`);
    },
  });
  const result = checkFiles(walk.files, engine, settings, (absolutePath) => {
    try {
      return fs.readFileSync(absolutePath);
    } catch (error) {
      throw new CliError(`cannot read ${path.relative(cwd, absolutePath) || absolutePath}: ${(error as Error).message}`);
    }
  });
  for (const note of result.notes) process.stderr.write(`gitops-iac: ${note}\n`);

  let output: string;
  if (command.format === 'json') output = formatJson(result);
  else if (command.format === 'sarif') output = formatSarif(result, { cwd, tool: readToolInfo(path.dirname(folder)) });
  else output = formatText(result, { color: process.stdout.isTTY === true && !process.env.NO_COLOR });
  process.stdout.write(output);

  const hasErrors = result.files.some((file) => file.findings.some((finding) => finding.severity === 'error'));
  return hasErrors ? EXIT_ERRORS : EXIT_CLEAN;
}

export async function main(argv: readonly string[]): Promise<number> {
  // `help COMMAND` is `COMMAND --help`.
  if (argv[0] === 'help' && argv.length > 1) return main([argv[1], '--help']);
  const subcommand = SUBCOMMANDS.get(argv[0]);
  if (subcommand) return subcommand(argv.slice(1));
  let command: Command;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gitops-iac: ${error.message}\nRun "gitops-iac --help" for usage.\n`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    process.stdout.write(command.usage);
    return EXIT_CLEAN;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${readToolInfo(path.dirname(requireSchemasFolder(__dirname))).version}\n`);
    return EXIT_CLEAN;
  }
  return runCheck(command);
}

/** One line on stderr; the stack trace only when GITOPS_IAC_DEBUG=1 asks for it. */
function reportCrash(error: unknown): void {
  if (process.env.GITOPS_IAC_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
    return;
  }
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  if (error instanceof CliError || error instanceof MissingSchemasError) process.stderr.write(`gitops-iac: ${message}\n`);
  else process.stderr.write(`gitops-iac: internal error: ${message} (set GITOPS_IAC_DEBUG=1 for a stack trace)\n`);
}

if (require.main === module) {
  // A reader that stops early (`gitops-iac check | head`) is not a failure of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      reportCrash(error);
      process.exitCode = EXIT_USAGE;
    }
  });
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      reportCrash(error);
      process.exitCode = EXIT_USAGE;
    },
  );
}
