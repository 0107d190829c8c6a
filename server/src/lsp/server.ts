/**
 * The language server: a thin shell that connects LSP to the validation engine. It owns
 * scheduling (coalesced, sliced validation; stale results dropped), the workspace scan,
 * settings, and translation of findings into LSP diagnostics. No validation logic lives here.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import type { ValidationEngine } from '../engine/engine';
import { createNodeEngine } from '../node/engineFactory';
import type { TerraformWorkspace } from '../terraform/workspace';
import { ServerStatusNotification, type InitializationOptions, type ServerState } from '../protocol';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../settings';
import { codeActionsFor } from './codeActions';
import { toLspDiagnostic } from './convert';
import { completionAt } from './completion';
import { hoverAt } from './hover';
import { terraformCompletion, terraformDefinition, terraformFormatting, terraformHover, terraformSymbols } from './terraform';
import { WorkspaceScanner } from './workspaceScan';
import { WARM_UP_SAMPLES } from './warmUpSamples';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = (message: string): void => connection.console.log(message);

let engine: ValidationEngine;
let terraform: TerraformWorkspace;
let canPullConfiguration = false;
let canWatchFiles = false;
let workspaceTrusted = false;
let workspaceFolders: string[] = [];
let settings: Settings = DEFAULT_SETTINGS;
let scanner: WorkspaceScanner | undefined;

function sendStatus(state: ServerState, message: string): void {
  void connection.sendNotification(ServerStatusNotification.type, {
    state,
    message,
    kubernetesVersion: engine?.kubernetesVersion,
    indexedFiles: engine?.uris().length,
  });
}

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  const capabilities = params.capabilities;
  canPullConfiguration = capabilities.workspace?.configuration === true;
  canWatchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  workspaceTrusted = (params.initializationOptions as InitializationOptions | undefined)?.workspaceTrusted === true;
  workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []))
    .filter((folder) => folder.uri.startsWith('file:'))
    .map((folder) => fileURLToPath(folder.uri));
  ({ engine, terraform } = await createNodeEngine(settings, __dirname));
  // Workspace-wide checks start once the workspace has been read, so they never flicker.
  engine.workspaceChecks = workspaceFolders.length === 0;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '-'], resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      definitionProvider: true,
      documentSymbolProvider: true,
      documentFormattingProvider: true,
    },
    serverInfo: { name: 'gitops-iac' },
  };
});

connection.onInitialized(async () => {
  log(`GitOps IaC server started (workspace trusted: ${String(workspaceTrusted)}).`);
  sendStatus('starting', 'Loading settings');
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'gitopsIac' });
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,tf,tfvars}' }] });
  }
  await reloadSettings(undefined);
  warmUp();
  scanner = new WorkspaceScanner(connection, engine, workspaceFolders, () => settings, (state, message) => sendStatus(state, message), (uri) => documents.get(uri) !== undefined);
  await scanner.scan();
  engine.workspaceChecks = true;
  sendStatus('ready', `Validating against Kubernetes ${engine.kubernetesVersion}`);
  revalidateOpenDocuments();
});

/**
 * While the server is otherwise idle, analyses one small object of each common kind: the
 * validators get compiled and the parser warmed before the user's first file. One object
 * per event-loop turn, so a request that arrives meanwhile is served between them.
 */
function warmUp(): void {
  const samples = [...WARM_UP_SAMPLES];
  const next = (): void => {
    const sample = samples.shift();
    if (sample === undefined) return;
    engine.warmUp(sample);
    setImmediate(next);
  };
  setImmediate(next);
}

async function reloadSettings(pushed: unknown): Promise<void> {
  let raw: unknown = pushed;
  if (canPullConfiguration) {
    try {
      [raw] = await connection.workspace.getConfiguration([{ section: 'gitopsIac' }]);
    } catch (error) {
      log(`Could not read settings: ${String(error)}`);
    }
  }
  const parsed = parseSettings(raw);
  for (const problem of parsed.problems) log(problem);
  settings = parsed.settings;
  engine.configure(settings);
  for (const note of engine.notes) log(note);
}

connection.onDidChangeConfiguration(async (change) => {
  const pushed = (change.settings as { gitopsIac?: unknown } | undefined)?.gitopsIac;
  await reloadSettings(pushed);
  revalidateOpenDocuments();
});

// ---- Validation scheduling -------------------------------------------------------------

const pending = new Set<string>();
let flushScheduled = false;

function schedule(uri: string): void {
  pending.add(uri);
  if (flushScheduled) return;
  flushScheduled = true;
  // Coalesce a burst of changes into one validation, without a fixed delay.
  setImmediate(() => {
    flushScheduled = false;
    const uris = [...pending];
    pending.clear();
    for (const each of uris) void validate(each);
  });
}

const SLOW_VALIDATION_MS = 100;

/** Documents being validated now; a request meanwhile marks a rerun instead of racing it. */
const running = new Map<string, { rerun: boolean }>();

async function validate(uri: string): Promise<void> {
  const inFlight = running.get(uri);
  if (inFlight) {
    inFlight.rerun = true;
    return;
  }
  const state = { rerun: false };
  running.set(uri, state);
  try {
    await validateOnce(uri);
  } finally {
    running.delete(uri);
    // The rerun reuses every section the finished run analysed, so it costs little.
    if (state.rerun) schedule(uri);
  }
}

async function validateOnce(uri: string): Promise<void> {
  const document = documents.get(uri);
  if (!document) return;
  const version = document.version;
  const isCurrent = (): boolean => documents.get(uri)?.version === version;
  const started = performance.now();
  const done = await engine.setFileAsync(uri, document.getText(), isCurrent);
  // Never publish diagnostics for a version the user has already changed.
  if (!done || !isCurrent()) return;
  publish(uri, version);
  // Only slow validations are logged: a line per keystroke would be noise, and traffic.
  const elapsed = Math.round(performance.now() - started);
  if (elapsed >= SLOW_VALIDATION_MS) log(`Validated ${uri} v${version} in ${elapsed} ms.`);
  scheduleWorkspaceRefresh(uri);
}

function publish(uri: string, version: number | undefined): void {
  const diagnostics = engine.diagnose(uri).map(toLspDiagnostic);
  void connection.sendDiagnostics({ uri, version, diagnostics });
}

let refreshTimer: NodeJS.Timeout | undefined;

/** A change in one file can resolve or break references in others: refresh the rest, later. */
function scheduleWorkspaceRefresh(changedUri: string): void {
  if (documents.all().length < 2) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    for (const document of documents.all()) if (document.uri !== changedUri && engine.has(document.uri)) publish(document.uri, document.version);
  }, 300);
}

function revalidateOpenDocuments(): void {
  for (const document of documents.all()) schedule(document.uri);
}

documents.onDidOpen((event) => schedule(event.document.uri));
documents.onDidChangeContent((event) => schedule(event.document.uri));
documents.onDidClose((event) => {
  // The file on disk is what the workspace holds once the editor lets go of it.
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  void scanner?.reload(event.document.uri);
});

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    if (documents.get(change.uri)) continue;
    if (change.type === FileChangeType.Deleted) engine.removeFile(change.uri);
    else void scanner?.reload(change.uri);
  }
  revalidateOpenDocuments();
});

// ---- Editor features -------------------------------------------------------------------

const isTerraform = (uri: string): boolean => engine.languageOf(uri) === terraform;

connection.onHover((params) => {
  const { uri } = params.textDocument;
  if (isTerraform(uri)) return terraformHover(terraform, uri, params.position);
  const document = documents.get(uri);
  return document ? hoverAt(document, params.position, engine.schemas) : null;
});

connection.onCompletion((params) => {
  const { uri } = params.textDocument;
  if (isTerraform(uri)) return terraformCompletion(terraform, uri, params.position);
  const document = documents.get(uri);
  return document ? completionAt(document, params.position, engine.schemas) : null;
});

connection.onDefinition((params) => (isTerraform(params.textDocument.uri) ? terraformDefinition(terraform, params.textDocument.uri, params.position) : []));
connection.onDocumentSymbol((params) => (isTerraform(params.textDocument.uri) ? terraformSymbols(terraform, params.textDocument.uri) : []));
connection.onDocumentFormatting((params) => (isTerraform(params.textDocument.uri) ? terraformFormatting(terraform, params.textDocument.uri) : []));

connection.onCodeAction((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? codeActionsFor(document, params.context.diagnostics) : [];
});

process.on('uncaughtException', (error) => {
  log(`Internal error: ${error.stack ?? String(error)}`);
  sendStatus('error', `Internal error: ${error.message}`);
});

documents.listen(connection);
connection.listen();
