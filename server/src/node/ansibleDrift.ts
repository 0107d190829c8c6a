/**
 * Ansible drift for one playbook: `ansible-playbook --check --diff` with the json stdout
 * callback, in a trusted workspace only. Check mode changes nothing on the hosts; each task
 * that would change something is drift, placed at its task's line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkModeDrift, taskLineRange } from '../drift/ansible/checkModeDrift';
import type { DeclaredAt, DriftEnvironment } from '../drift/types';
import { findOnPath } from './findOnPath';
import { runTool } from './toolProcess';

export interface AnsibleDriftOptions {
  /** False in an untrusted workspace: then nothing runs. */
  trusted: boolean;
  env?: NodeJS.ProcessEnv;
  /** Default 10 minutes: check mode still connects to every host and runs every task. */
  timeoutMs?: number;
  /** The ansible-playbook executable; found on the PATH when absent. */
  ansiblePlaybookPath?: string;
  /** The inventory (`gitopsIac.drift.ansible.inventory`): a path, relative to the playbook's folder, or a host list. Empty: the one ansible.cfg names. */
  inventory?: string;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/**
 * What ansible-playbook runs with: the caller's environment (SSH agent, vault password
 * file, collections paths), with the json callback, no colours and no retry files.
 */
function checkEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCALHOST_WARNING: 'false',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
  };
}

/** Reads each file a task is declared in once, to place the task at its line. */
function taskLocator(): (file: string, line: number) => DeclaredAt | undefined {
  const texts = new Map<string, string | undefined>();
  return (file, line) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, fs.readFileSync(file, 'utf8'));
      } catch {
        texts.set(file, undefined);
      }
    }
    const text = texts.get(file);
    if (text === undefined) return undefined;
    return { uri: pathToFileURL(file).href, range: taskLineRange(text, line - 1) };
  };
}

/** What ansible-playbook says went wrong: its `ERROR!` line and where, or else the last lines of stderr. */
function stderrSummary(stderr: string): string {
  const lines = stderr.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean);
  const error = lines.findIndex((line) => line.startsWith('ERROR!'));
  const text = (error >= 0 ? lines.slice(error, error + 2) : lines.slice(-4)).join(' ');
  return text.length > 600 ? `${text.slice(0, 599)}…` : text;
}

export async function ansibleDrift(playbook: string, options: AnsibleDriftOptions): Promise<DriftEnvironment> {
  const env = options.env ?? process.env;
  const inventory = options.inventory?.trim() ?? '';
  const name = `${path.basename(playbook)} (${inventory ? `inventory ${inventory}` : 'inventory from ansible.cfg'})`;
  const environment = (fields: Partial<DriftEnvironment>): DriftEnvironment => ({ name, source: 'ansible', asOf: new Date().toISOString(), resources: [], ...fields });
  if (!options.trusted) return environment({ error: 'The workspace is not trusted; trust the workspace to run ansible-playbook in check mode.' });
  const executable = options.ansiblePlaybookPath ?? findOnPath('ansible-playbook', env);
  if (!executable) return environment({ error: 'ansible-playbook was not found on the PATH; install Ansible (ansible-core) to compare with the hosts.' });

  const args = ['--check', '--diff'];
  if (inventory) args.push('-i', inventory);
  // The playbook's folder is the working folder, so ansible.cfg there (and relative inventory paths) apply as when run by hand.
  args.push('--', playbook);
  const run = await runTool(executable, args, { cwd: path.dirname(playbook), env: checkEnvironment(env), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal });
  if (run.kind === 'unavailable') return environment({ error: `ansible-playbook could not run: ${run.reason}.` });
  let output: unknown;
  try {
    output = JSON.parse(run.stdout);
  } catch {
    // Exit status 1 (error), 4 (parse or connection errors before any task), 5 (bad options): stderr says why.
    return environment({ error: `ansible-playbook --check failed (exit status ${run.code}): ${stderrSummary(run.stderr) || 'no output'}` });
  }
  const drift = checkModeDrift(output, taskLocator());
  if (typeof drift === 'string') return environment({ error: `Unexpected output of ansible-playbook: ${drift}.` });
  const result = environment({ resources: drift.resources });
  if (drift.problems.length > 0) result.error = drift.problems.join(' ');
  return result;
}
