// Runs INSIDE VS Code's extension host (code-server's Node extension host), loaded through the
// workbench's `extensionTestsPath` by test/e2e/extension-host.test.ts: the client's behaviour
// is asserted through the vscode API. Plain CommonJS, because the host `require`s it as is.
//
// The scenario comes from the environment the host inherits from code-server:
//   GITOPS_IAC_E2E_SCENARIO=trusted     the whole client: commands, diagnostics, settings, restart
//   GITOPS_IAC_E2E_SCENARIO=restricted  Restricted Mode: the workspace is untrusted and still validated
// Every wait is on an event with a timeout, never a fixed sleep.
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads CommonJS */
'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'gitops-iac.gitops-iac';
const SOURCE = 'gitops-iac';
/** Generous: on 2 busy cores the first diagnostics wait for the server's start and workspace scan. */
const WAIT_MS = 45_000;

const REPLICAS = '5:12-5:15 error k8s/schema Wrong type for "replicas": expected an integer, found the string "3".';
const UNKNOWN_FIELD =
  '17:10-17:25 error k8s/schema Unknown field "imagePullpolicy" in spec.template.spec.containers[0]. Did you mean "imagePullPolicy"?';
const LATEST_TAG =
  '16:17-16:29 warning k8s/no-latest-tag Container "web": image "nginx:latest" uses the "latest" tag, so it can change without notice. Pin a version tag or a digest (image@sha256:...).';
const ALL = [REPLICAS, LATEST_TAG, UNKNOWN_FIELD];

const SEVERITY = ['error', 'warning', 'info', 'hint'];

function log(message) {
  console.log(`[gitops-iac e2e] ${message}`);
}

/** One line per diagnostic: `line:char-line:char severity code message` (0-based positions), by position. */
function describe(diagnostics) {
  return diagnostics
    .slice()
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((d) => {
      const { start, end } = d.range;
      const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
      return `${start.line}:${start.character}-${end.line}:${end.character} ${SEVERITY[d.severity]} ${code} ${d.message}`;
    });
}

/** This extension's diagnostics for `uri`, described. */
function ours(uri) {
  return describe(vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE));
}

/**
 * Resolves with the described diagnostics once `predicate` holds for them; checked now and on
 * every change of `uri`'s diagnostics. Rejects after `WAIT_MS`, saying what was last seen.
 */
function waitForDiagnostics(uri, what, predicate) {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    let subscription;
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}; diagnostics now:\n${ours(uri).join('\n') || '(none)'}`));
    }, WAIT_MS);
    const check = () => {
      const described = ours(uri);
      if (!predicate(described)) return false;
      clearTimeout(timer);
      subscription.dispose();
      resolve(described);
      return true;
    };
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === key)) check();
    });
    check();
  });
}

/** Waits for exactly `expected` (described, in position order). */
function waitForExactly(uri, what, expected) {
  return waitForDiagnostics(uri, `${what}:\n${expected.join('\n') || '(none)'}`, (described) => sameList(described, expected));
}

function sameList(a, b) {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

async function activateExtension() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is loaded`);
  await extension.activate();
  assert.equal(extension.isActive, true, 'the extension is active');
  log(`activated ${EXTENSION_ID} ${extension.packageJSON.version}`);
  return extension;
}

async function openManifest() {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, 'broken.yaml');
  const document = await vscode.workspace.openTextDocument(uri);
  assert.equal(document.languageId, 'yaml');
  await vscode.window.showTextDocument(document);
  return uri;
}

async function trustedScenario() {
  assert.equal(vscode.workspace.isTrusted, true, 'the workspace is trusted (workspace trust disabled)');
  const extension = await activateExtension();
  assert.equal(extension.packageJSON.capabilities.untrustedWorkspaces.supported, 'limited');

  const commands = await vscode.commands.getCommands(true);
  for (const command of ['gitopsIac.restartServer', 'gitopsIac.showOutput']) {
    assert.ok(commands.includes(command), `command ${command} is registered`);
  }
  log('commands registered');

  const uri = await openManifest();
  const first = await waitForDiagnostics(uri, 'the three findings', (described) => described.length >= 3);
  assert.deepEqual(first, ALL);
  const raw = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
  assert.ok(raw.every((d) => d.source === SOURCE), 'every finding comes from gitops-iac');
  log('diagnostics of broken.yaml as expected');

  const config = () => vscode.workspace.getConfiguration('gitopsIac', uri);
  const workspace = vscode.ConfigurationTarget.Workspace;

  await config().update('rules', { 'k8s/no-latest-tag': 'off' }, workspace);
  await waitForExactly(uri, 'no latest-tag warning with the rule off', [REPLICAS, UNKNOWN_FIELD]);
  await config().update('rules', { 'k8s/no-latest-tag': 'error' }, workspace);
  await waitForExactly(uri, 'the latest-tag finding as an error', [REPLICAS, LATEST_TAG.replace(' warning ', ' error '), UNKNOWN_FIELD]);
  await config().update('rules', undefined, workspace);
  await waitForExactly(uri, 'the default levels back', ALL);
  log('gitopsIac.rules applied');

  await config().update('validate.enable', false, workspace);
  await waitForExactly(uri, 'no diagnostics with validation off', []);
  await config().update('validate.enable', true, workspace);
  await waitForExactly(uri, 'the findings back with validation on', ALL);
  log('gitopsIac.validate.enable applied');

  // A restart drops the client's diagnostics; the new server publishes them again.
  let cleared = false;
  const restarted = waitForDiagnostics(uri, 'the findings to be cleared by the restart, then back', (described) => {
    if (described.length === 0) cleared = true;
    return cleared && sameList(described, ALL);
  });
  await vscode.commands.executeCommand('gitopsIac.restartServer');
  await restarted;
  log('gitopsIac.restartServer restarted the server');

  // Still answering after the restart: an edit is validated again.
  const editor = vscode.window.activeTextEditor;
  assert.ok(editor && editor.document.uri.toString() === uri.toString(), 'broken.yaml is the active editor');
  const replicasValue = new vscode.Range(5, 12, 5, 15);
  assert.equal(editor.document.getText(replicasValue), '"3"');
  assert.ok(await editor.edit((edit) => edit.replace(replicasValue, '3')), 'the edit applied');
  await waitForExactly(uri, 'the replicas error gone after the edit', [LATEST_TAG, UNKNOWN_FIELD]);
  log('an edit after the restart is validated');

  await vscode.commands.executeCommand('gitopsIac.showOutput');
  log('gitopsIac.showOutput ran');
}

async function restrictedScenario() {
  assert.equal(vscode.workspace.isTrusted, false, 'the workspace opened in Restricted Mode');
  await activateExtension();
  const uri = await openManifest();
  const described = await waitForDiagnostics(uri, 'the three findings in Restricted Mode', (found) => found.length >= 3);
  assert.deepEqual(described, ALL);
  log('validates in Restricted Mode');
}

async function run() {
  const scenario = process.env.GITOPS_IAC_E2E_SCENARIO ?? 'trusted';
  log(`scenario ${scenario}, Node ${process.version}, VS Code ${vscode.version}`);
  if (scenario === 'trusted') await trustedScenario();
  else if (scenario === 'restricted') await restrictedScenario();
  else throw new Error(`unknown GITOPS_IAC_E2E_SCENARIO ${scenario}`);
  log('all passed');
}

module.exports = { run };
