/**
 * `gitops-iac` without a command it knows: the usage names every command with one line on
 * what it does, `help` and `--help` print it and exit 0, `help COMMAND` is that command's
 * own help, and an unknown or missing command exits 2 naming the commands.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { describe, it } from 'node:test';
import { runCli } from './runCli';

const COMMANDS = ['check', 'plan', 'drift', 'pr'];
// No command here reads the working folder: any will do.
const CWD = os.tmpdir();

describe('gitops-iac: usage', () => {
  it('lists every command with a one-line description, for help and --help alike, exiting 0', async () => {
    const help = await runCli(['help'], CWD);
    assert.deepEqual([help.code, help.stderr], [0, '']);
    assert.match(help.stdout, /^Usage: gitops-iac COMMAND/);
    for (const command of [...COMMANDS, 'help']) assert.match(help.stdout, new RegExp(`^  ${command} +\\S.*$`, 'm'), `${command} is listed`);
    for (const args of [['--help'], ['-h']]) assert.deepEqual(await runCli(args, CWD), help, args.join(' '));
  });

  it('prints a command\'s own help for "help COMMAND", as COMMAND --help does', async () => {
    for (const command of COMMANDS) {
      const viaHelp = await runCli(['help', command], CWD);
      assert.equal(viaHelp.code, 0, command);
      assert.match(viaHelp.stdout, new RegExp(`^Usage: gitops-iac ${command} `), command);
      assert.deepEqual(await runCli([command, '--help'], CWD), viaHelp, command);
    }
  });

  const failures: [string, string[], RegExp][] = [
    ['an unknown command', ['lint', '.'], /^gitops-iac: unknown command "lint" \(the commands are check, plan, drift and pr\)\n/],
    ['help on an unknown command', ['help', 'lint'], /^gitops-iac: unknown command "lint" \(the commands are check, plan, drift and pr\)\n/],
    ['a name an object has (no prototype lookup)', ['constructor'], /^gitops-iac: unknown command "constructor"/],
    ['no command', [], /^gitops-iac: no command given \(the commands are check, plan, drift and pr\)\n/],
  ];
  for (const [name, args, message] of failures) {
    it(`exits 2 on ${name}, naming the commands`, async () => {
      const result = await runCli(args, CWD);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Run "gitops-iac --help" for usage\./);
      assert.equal(result.stdout, '');
    });
  }
});
