/**
 * `gitops-iac drift [--live SNAPSHOT.json | --context NAME] [--format text|json] PATH...`: where
 * the live environments no longer match what the files under PATH declare. Exit status is a
 * contract: 0 everything in sync, 1 drift, 2 bad usage or a live state that could not be read.
 * Only reads: LIST/GET on the cluster, `terraform plan -refresh-only`, `ansible-playbook --check`.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriftEnvironment, DriftReport, DriftResource, FieldDrift } from '../drift/types';
import { computeDrift, readFilesByUri, workspaceSources } from '../node/driftService';
import { findFiles } from '../node/walk';
import { oneOf, parseOrExit, readArguments, UsageError } from './arguments';

const DRIFT_FORMATS = ['text', 'json'] as const;
type DriftFormat = (typeof DRIFT_FORMATS)[number];

const EXIT_IN_SYNC = 0;
const EXIT_DRIFT = 1;
const EXIT_ERROR = 2;

export const DRIFT_USAGE = `Usage: gitops-iac drift [options] [PATH...]

Compares what the files under each PATH declare (default: the current folder) with the live
environments: Kubernetes objects (kustomize overlays rendered) with a cluster or a snapshot,
Terraform root modules with terraform plan -refresh-only, playbooks with ansible-playbook
--check --diff. Nothing is changed anywhere.

Options:
  --live SNAPSHOT.json     compare with the output of "kubectl get -o json" instead of a cluster
  --context NAME           the kubeconfig context to read (default: the current one)
  --kubeconfig FILE        the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)
  --namespace NS           only this namespace (default: every namespace the files name)
  --request-timeout SECS   give up on a cluster request after this many seconds (default: 15)
  --include-unmanaged      also list live objects that carry this app's tracking label but are not in git
  --inventory INVENTORY    the inventory playbooks are checked against (default: the one ansible.cfg names)
  --format text|json       output format (default: text)
  -h, --help               show this help

Exit status: 0 in sync, 1 drift found, 2 bad usage or the live state could not be read.
`;

export interface DriftCommand {
  format: DriftFormat;
  snapshot?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  inventory?: string;
  requestTimeoutSeconds?: number;
  includeUnmanaged: boolean;
  paths: string[];
  help: boolean;
}

const VALUE_OPTIONS = new Set(['--live', '--context', '--kubeconfig', '--namespace', '--inventory', '--request-timeout', '--format']);
const INCLUDE_UNMANAGED = '--include-unmanaged';

export function parseDriftArguments(argv: readonly string[]): DriftCommand {
  const options: Omit<DriftCommand, 'includeUnmanaged' | 'paths' | 'help'> = { format: 'text' };
  const { paths, flags, help } = readArguments(argv, { values: VALUE_OPTIONS, flags: new Set([INCLUDE_UNMANAGED]) }, (name, value) => {
    if (name === '--format') options.format = oneOf(name, value, DRIFT_FORMATS);
    else if (name === '--live') options.snapshot = value;
    else if (name === '--context') options.context = value;
    else if (name === '--kubeconfig') options.kubeconfig = value;
    else if (name === '--inventory') options.inventory = value;
    else if (name === '--request-timeout') {
      const seconds = Number(value.replace(/s$/, ''));
      if (!(seconds > 0)) throw new UsageError(`--request-timeout must be a number of seconds such as 30, not "${value}"`);
      options.requestTimeoutSeconds = seconds;
    } else options.namespace = value;
  });
  const command: DriftCommand = { ...options, includeUnmanaged: flags.has(INCLUDE_UNMANAGED), paths, help };
  if (command.snapshot !== undefined && (command.context !== undefined || command.kubeconfig !== undefined)) {
    throw new UsageError('--live reads a snapshot file: it cannot be combined with --context or --kubeconfig');
  }
  return command;
}

/** A file URI as a path relative to the working folder, for output people and CI read. */
function displayPath(uri: string, cwd: string): string {
  try {
    return path.relative(cwd, fileURLToPath(uri)) || uri;
  } catch {
    return uri;
  }
}

function declaredAt(resource: DriftResource, cwd: string): { file: string; line: number } | undefined {
  return resource.declaredAt ? { file: displayPath(resource.declaredAt.uri, cwd), line: resource.declaredAt.range.start.line + 1 } : undefined;
}

/** The contract: `{"resources":[{apiVersion, kind, namespace, name, status, fields:[paths], …more}]}`. */
export function formatDriftJson(report: DriftReport, cwd: string): string {
  const resources = report.environments.flatMap((environment) => environment.resources.map((resource) => {
    const where = declaredAt(resource, cwd);
    return {
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      namespace: resource.namespace,
      name: resource.name,
      status: resource.status,
      fields: resource.fields.map((field) => field.path),
      source: resource.source,
      id: resource.id,
      environment: environment.name,
      ...(where ? { declaredAt: where } : {}),
      ...(resource.explanation ? { explanation: resource.explanation } : {}),
      ...(resource.approximate ? { approximate: true } : {}),
      explanations: resource.fields.map((field) => field.explanation),
      changedBy: resource.fields.map((field) => field.changedBy ?? null),
    };
  }));
  return `${JSON.stringify({ resources })}\n`;
}

function fieldLine(field: FieldDrift): string {
  const who = field.changedBy ? ` (changed by ${field.changedBy.manager}, ${field.changedBy.operation}${field.changedBy.time ? ` at ${field.changedBy.time}` : ''})` : '';
  // An Ansible diff explains over several lines: keep them under the field.
  return `    ${field.path}: ${field.explanation.replace(/\n(?=.)/g, '\n      ')}${who}\n`;
}

function environmentText(environment: DriftEnvironment, cwd: string): string {
  let text = `${environment.source} ${environment.name} (as of ${environment.asOf})\n`;
  if (environment.error) text += `  error: ${environment.error}\n`;
  if (environment.note) text += `  note: ${environment.note}\n`;
  for (const resource of environment.resources) {
    const where = declaredAt(resource, cwd);
    text += `  ${resource.status.padEnd(9)} ${resource.id}${where ? `  ${where.file}:${where.line}` : ''}${resource.approximate ? '  (approximate)' : ''}\n`;
    if (resource.explanation) text += `    ${resource.explanation}\n`;
    for (const field of resource.fields) text += fieldLine(field);
  }
  return text;
}

export function formatDriftText(report: DriftReport, cwd: string): string {
  if (report.environments.length === 0) return 'Nothing to compare: the paths declare no Kubernetes object, Terraform module or playbook.\n';
  const all = report.environments.flatMap((environment) => environment.resources);
  const count = (status: DriftResource['status']) => all.filter((resource) => resource.status === status).length;
  const summary = [`${count('drifted')} drifted`, `${count('missing')} missing`, ...(count('unmanaged') ? [`${count('unmanaged')} unmanaged`] : []), `${count('in-sync')} in sync`].join(', ');
  return `${report.environments.map((environment) => environmentText(environment, cwd)).join('\n')}\n${summary}\n`;
}

export function driftExitCode(report: DriftReport): number {
  if (report.environments.some((environment) => environment.error)) return EXIT_ERROR;
  return report.environments.some((environment) => environment.resources.some((resource) => resource.status !== 'in-sync')) ? EXIT_DRIFT : EXIT_IN_SYNC;
}

/** Runs `gitops-iac drift` with the arguments after `drift`; returns the exit status. */
export async function runDrift(argv: readonly string[]): Promise<number> {
  const command = parseOrExit('drift', DRIFT_USAGE, argv, parseDriftArguments);
  if (typeof command === 'number') return command;
  const cwd = process.cwd();
  const walk = findFiles(command.paths.length > 0 ? command.paths : ['.'], cwd);
  for (const warning of walk.warnings) process.stderr.write(`gitops-iac: ${warning}\n`);
  if (walk.missing.length > 0) {
    for (const missing of walk.missing) process.stderr.write(`gitops-iac: ${missing}: no such file or folder\n`);
    return EXIT_ERROR;
  }
  const files = readFilesByUri(walk.files.map((file) => file.absolutePath));
  // The command line runs on code its user chose to run it on: it is trusted.
  const sources = workspaceSources(files, {
    trusted: true,
    root: cwd,
    ...(command.inventory ? { ansibleInventory: command.inventory } : {}),
    kubernetes: {
      includeUnmanaged: command.includeUnmanaged,
      // Text and JSON output name fields and values, never the diff editor's documents.
      includeDiffTexts: false,
      ...(command.snapshot ? { snapshot: path.resolve(cwd, command.snapshot) } : {}),
      ...(command.context ? { context: command.context } : {}),
      ...(command.kubeconfig ? { kubeconfig: path.resolve(cwd, command.kubeconfig) } : {}),
      ...(command.namespace ? { namespace: command.namespace } : {}),
      ...(command.requestTimeoutSeconds ? { timeoutMs: command.requestTimeoutSeconds * 1000 } : {}),
    },
  });
  const report = await computeDrift(sources);
  for (const environment of report.environments) if (environment.error) process.stderr.write(`gitops-iac: ${environment.source} ${environment.name}: ${environment.error}\n`);
  process.stdout.write(command.format === 'json' ? formatDriftJson(report, cwd) : formatDriftText(report, cwd));
  return driftExitCode(report);
}
