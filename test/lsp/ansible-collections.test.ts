/**
 * Module specs of installed collections, through the real server and the real ansible-doc:
 * a collection is loaded only when a file uses it, in a trusted workspace, after which its
 * modules' arguments are checked; untrusted, nothing runs and nothing is reported. Uses the
 * small ansible.posix collection (Debian's `ansible` package installs it) and a cache folder
 * of its own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { findOnPath } from '../../server/src/node/findOnPath';
import { LspClient } from './lspClient';

const COLLECTION = 'ansible.posix';

function whyUnavailable(): string | false {
  const ansibleDoc = findOnPath('ansible-doc');
  if (!ansibleDoc) return 'ansible-doc is not installed (bash scripts/install-ansible.sh)';
  try {
    const listed = JSON.parse(execFileSync(ansibleDoc, ['--list', '--json', '-t', 'module', COLLECTION], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Record<string, unknown>;
    return `${COLLECTION}.sysctl` in listed ? false : `${COLLECTION}.sysctl is not installed`;
  } catch {
    return `the ${COLLECTION} collection is not installed (apt-get install ansible)`;
  }
}
const unavailable = whyUnavailable();

const playbook = (argument: string): string => `---
- name: Tune the kernel
  hosts: all
  tasks:
    - name: Lower swappiness
      ansible.posix.sysctl:
        name: vm.swappiness
        value: "10"
        ${argument}: present
`;
const WRONG = playbook('stat');
const RIGHT = playbook('state');

const argumentFindings = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => /^ansible\/(module-arguments|unknown-module)$/.test(String(d.code)));
const logged = (client: LspClient, pattern: RegExp): boolean =>
  client.notifications.some((n) => n.method === 'window/logMessage' && pattern.test((n.params as { message: string }).message));

describe('installed Ansible collections through the LSP (the real ansible-doc)', { skip: unavailable }, () => {
  let workspace: string;
  let cacheFolder: string;
  let uri: string;

  before(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'gitops-iac-ansible-collections-'));
    cacheFolder = mkdtempSync(path.join(tmpdir(), 'gitops-iac-ansible-cache-'));
    const file = path.join(workspace, 'site.yml');
    writeFileSync(file, WRONG);
    uri = pathToFileURL(file).href;
  });
  after(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(cacheFolder, { recursive: true, force: true });
  });

  it('untrusted: runs nothing, caches nothing and reports nothing about the collection module', async () => {
    const client = await LspClient.start({ workspaceFolder: workspace, initializationOptions: { workspaceTrusted: false, cacheFolder } });
    try {
      await client.ready();
      client.open(uri, WRONG, 1);
      assert.deepEqual(argumentFindings(await client.diagnosticsFor(uri, 1)), []);
      await client.until(() => logged(client, /collection modules are not checked: the workspace is not trusted/), 'the untrusted note');
      assert.deepEqual(readdirSync(cacheFolder), [], 'ansible-doc did not run');
    } finally {
      await client.stop();
    }
  });

  it('trusted: loads the collection the file uses, then reports an unknown argument and accepts the fixed task', async () => {
    const client = await LspClient.start({ workspaceFolder: workspace, initializationOptions: { workspaceTrusted: true, cacheFolder } });
    try {
      await client.ready();
      client.open(uri, WRONG, 1);
      // Before the collection is loaded its modules are not judged: nothing false meanwhile.
      assert.deepEqual(argumentFindings(await client.diagnosticsFor(uri, 1)), []);
      // The first load runs ansible-doc (about 3 s here); a busy machine takes longer.
      const found = await client.diagnosticsWhen(uri, (d) => argumentFindings(d).length > 0, 'the unknown argument', 60_000);
      assert.deepEqual(argumentFindings(found).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity}`), ['8:8 1']);
      assert.match(String(argumentFindings(found)[0].message), /"stat".*ansible\.posix\.sysctl.*Did you mean "state"\?/);
      assert.ok(logged(client, /Loaded the \d+ modules of ansible\.posix from ansible-doc/));
      assert.equal(readdirSync(cacheFolder).filter((name) => name.endsWith('.json')).length, 1, 'cached on disk');

      client.replace(uri, RIGHT, 2);
      assert.deepEqual(argumentFindings(await client.diagnosticsFor(uri, 2)), []);
    } finally {
      await client.stop();
    }
  });

  it('a restarted server takes the collection from the disk cache', async () => {
    const client = await LspClient.start({ workspaceFolder: workspace, initializationOptions: { workspaceTrusted: true, cacheFolder } });
    try {
      await client.ready();
      client.open(uri, WRONG, 1);
      await client.diagnosticsWhen(uri, (d) => argumentFindings(d).length === 1, 'the unknown argument', 30_000);
      assert.ok(logged(client, /Loaded the \d+ modules of ansible\.posix from disk/));
    } finally {
      await client.stop();
    }
  });
});
