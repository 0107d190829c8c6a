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
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ValidationEngine } from '../engine/engine';
import { createNodeEngine } from '../node/engineFactory';
import type { TerraformWorkspace } from '../terraform/workspace';
import type { ChartWorkspace } from '../helm/workspace';
import type { AnsibleWorkspace } from '../ansible/workspace';
import { ansibleCompletion, ansibleHover } from './ansible';
import { ServerStatusNotification, type InitializationOptions, type ServerState } from '../protocol';
import { ChangedFilesRequest, CreatePrRequest, RevertPrRequest, RollbackCandidatesRequest } from '../protocol';
import { prRequestHandlers } from '../node/git/prRequests';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../settings';
import { codeActionsFor } from './codeActions';
import { toLspDiagnostic } from './convert';
import { completionAt } from './completion';
import { HelmRenderScheduler } from './helmRender';
import { folderLinks } from './links';
import { registerPlanRequest } from './plan';
import { registerDriftRequest } from './drift';
import type { GitOpsApps } from '../gitops/workspace';
import { AnsibleLintOnSave } from '../node/ansibleLint';
import { AnsibleCollectionLoader } from '../node/ansibleCollections';
import { defaultSchemaCacheDir } from '../node/terraformSchemaLoader';
import { kubectlKustomize } from '../node/kustomize';
import type { KustomizeWorkspace } from '../kustomize/workspace';
import { hoverAt } from './hover';
import type { TerraformSchemaLoader } from '../node/terraformSchemaLoader';
import { folderOf } from '../terraform/module';
import { createTerraformSchemaLoader, terraformCompletion, terraformDefinition, terraformFormatting, terraformHover, terraformSymbols } from './terraform';
import { WorkspaceScanner } from './workspaceScan';
import { WARM_UP_SAMPLES } from './warmUpSamples';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = (message: string): void => connection.console.log(message);

let engine: ValidationEngine;
let terraform: TerraformWorkspace;
let charts: ChartWorkspace;
let ansible: AnsibleWorkspace;
let helmRender: HelmRenderScheduler;
let gitops: GitOpsApps;
let ansibleLint: AnsibleLintOnSave;
let ansibleCollections: AnsibleCollectionLoader;
let terraformSchemas: TerraformSchemaLoader | undefined;
let canPullConfiguration = false;
let canWatchFiles = false;
let workspaceTrusted = false;
let workspaceFolders: string[] = [];
let settings: Settings = DEFAULT_SETTINGS;
/**
 * Resolved once the client's settings have been read. A request can arrive before that (the
 * Drift view open at start-up): those that depend on settings wait, or they would use defaults.
 */
let markSettingsLoaded!: () => void;
const settingsLoaded = new Promise<void>((resolve) => (markSettingsLoaded = resolve));
const loadedSettings = async (): Promise<Settings> => {
  await settingsLoaded;
  return settings;
};
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
  const initializationOptions = params.initializationOptions as InitializationOptions | undefined;
  workspaceTrusted = initializationOptions?.workspaceTrusted === true;
  workspaceFolders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []))
    .filter((folder) => folder.uri.startsWith('file:'))
    .map((folder) => fileURLToPath(folder.uri));
  let kustomize: KustomizeWorkspace;
  ({ engine, terraform, charts, ansible, gitops, kustomize } = await createNodeEngine(settings, __dirname));
  // kubectl renders what the embedded build cannot, and only where running programs is allowed.
  if (workspaceTrusted) {
    kustomize.useExternalRenderer({
      render: (folderUri) => kubectlKustomize(fileURLToPath(folderUri)),
      changed: (uris) => {
        for (const uri of uris) if (documents.get(uri)) publish(uri, documents.get(uri)?.version);
      },
    });
  }
  charts.setBoundaries(workspaceFolders.map((folder) => pathToFileURL(folder).href));
  ansibleLint = new AnsibleLintOnSave({
    settings: () => settings,
    trusted: workspaceTrusted,
    cwdFor: (file) => workspaceFolders.find((folder) => file.startsWith(folder + path.sep)) ?? path.dirname(file),
    log,
    publish: (uri) => publish(uri, documents.get(uri)?.version),
  });
  helmRender = new HelmRenderScheduler({
    charts,
    analyze: (text) => engine.analyzeDetached(text),
    settings: () => settings,
    trusted: workspaceTrusted,
    log,
    publish: (uri) => publish(uri, documents.get(uri)?.version),
  });
  terraformSchemas = createTerraformSchemaLoader(connection, terraform, {
    trusted: workspaceTrusted,
    cacheFolder: initializationOptions?.cacheFolder,
    log,
    onChange: (folderUri) => {
      for (const document of documents.all()) if (folderOf(document.uri) === folderUri && engine.has(document.uri)) publish(document.uri, document.version);
    },
    // "ready" waits for the workspace scan, which sets workspaceChecks.
    status: (message) => (message !== undefined ? sendStatus('indexing', message) : engine.workspaceChecks && sendStatus('ready', readyMessage())),
  });
  ansibleCollections = new AnsibleCollectionLoader(ansible, {
    trusted: workspaceTrusted,
    cacheDir: initializationOptions?.cacheFolder ?? defaultSchemaCacheDir(),
    cwd: workspaceFolders[0],
    log,
    onChange: () => {
      for (const document of documents.all()) if (engine.languageOf(document.uri) === ansible) publish(document.uri, document.version);
    },
  });
  // Workspace-wide checks start once the workspace has been read, so they never flicker.
  engine.workspaceChecks = workspaceFolders.length === 0;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '-'], resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      definitionProvider: true,
      documentSymbolProvider: true,
      documentFormattingProvider: true,
      documentLinkProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'gitops-iac' },
  };
});

connection.onInitialized(async () => {
  log(`GitOps IaC server started (workspace trusted: ${String(workspaceTrusted)}).`);
  sendStatus('starting', 'Loading settings');
  if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'gitopsIac' });
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,tf,tfvars}' }, { globPattern: '**/values.schema.json' }, { globPattern: '**/.terraform.lock.hcl' }] });
  }
  await reloadSettings(undefined);
  markSettingsLoaded();
  warmUp();
  scanner = new WorkspaceScanner(connection, engine, workspaceFolders, () => settings, (state, message) => sendStatus(state, message), (uri) => documents.get(uri) !== undefined);
  await scanner.scan();
  engine.workspaceChecks = true;
  sendStatus('ready', readyMessage());
  revalidateOpenDocuments();
  void terraformSchemas?.ensureAll(terraform.moduleFolders());
  void ansibleCollections.ensure(ansible.collectionsInUse());
});

const readyMessage = (): string => `Validating against Kubernetes ${engine.kubernetesVersion}`;

/**
 * While the server is otherwise idle, analyses one small object of each common kind: the
 * validators get compiled and the parser warmed before the user's first file. One object
 * per event-loop turn, so a request that arrives meanwhile is served between them.
 */
function warmUp(): void {
  const samples = [...WARM_UP_SAMPLES];
  const ansibleSteps = ansible.warmUpSteps();
  const next = (): void => {
    const sample = samples.shift();
    if (sample !== undefined) engine.warmUp(sample);
    else ansibleSteps.shift()?.();
    if (sample !== undefined || ansibleSteps.length > 0) setImmediate(next);
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
  terraform.configure({ terraformVersion: settings.terraform.version });
  for (const note of engine.notes) log(note);
}

connection.onDidChangeConfiguration(async (change) => {
  const pushed = (change.settings as { gitopsIac?: unknown } | undefined)?.gitopsIac;
  await reloadSettings(pushed);
  helmRender.settingsChanged();
  ansibleLint.settingsChanged();
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
  if (engine.languageOf(uri) === ansible) void ansibleCollections.ensure(ansible.collectionsUsedBy(uri));
  // Only slow validations are logged: a line per keystroke would be noise, and traffic.
  const elapsed = Math.round(performance.now() - started);
  if (elapsed >= SLOW_VALIDATION_MS) log(`Validated ${uri} v${version} in ${elapsed} ms.`);
  scheduleWorkspaceRefresh(uri);
}

function publish(uri: string, version: number | undefined): void {
  // ansible-lint's findings from the last save join ours until the next edit.
  const diagnostics = [...engine.diagnose(uri), ...ansibleLint.findingsFor(uri)].map(toLspDiagnostic);
  void connection.sendDiagnostics({ uri, version, diagnostics });
}

let refreshTimer: NodeJS.Timeout | undefined;

/** A change in one file can resolve or break references in others: refresh the rest, later. */
function scheduleWorkspaceRefresh(changedUri: string): void {
  if (documents.all().length < 2) return;
  // Files that depend on this one (an overlay's patches over an edited base) are re-published at once.
  for (const dependent of engine.dependentsOf(changedUri)) {
    const document = documents.get(dependent);
    if (document) publish(dependent, document.version);
  }
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    for (const document of documents.all()) if (document.uri !== changedUri && engine.has(document.uri)) publish(document.uri, document.version);
  }, 300);
}

function revalidateOpenDocuments(): void {
  for (const document of documents.all()) schedule(document.uri);
}

documents.onDidOpen((event) => {
  schedule(event.document.uri);
  void terraformSchemas?.ensureForFile(event.document.uri);
});
documents.onDidChangeContent((event) => {
  ansibleLint.fileEdited(event.document.uri);
  schedule(event.document.uri);
});
documents.onDidSave((event) => {
  void helmRender.fileSaved(event.document.uri);
  if (engine.languageOf(event.document.uri) === ansible) void ansibleLint.fileSaved(event.document.uri, event.document.getText());
});
documents.onDidClose((event) => {
  // The file on disk is what the workspace holds once the editor lets go of it.
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  void scanner?.reload(event.document.uri);
});

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    if (terraformSchemas?.lockFileChanged(change.uri) || documents.get(change.uri)) continue;
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
  if (engine.languageOf(uri) === ansible) return ansibleHover(ansible, uri, params.position);
  const document = documents.get(uri);
  return document ? hoverAt(document, params.position, engine.schemas) : null;
});

connection.onCompletion((params) => {
  const { uri } = params.textDocument;
  if (isTerraform(uri)) return terraformCompletion(terraform, uri, params.position);
  if (engine.languageOf(uri) === ansible) return ansibleCompletion(ansible, uri, params.position);
  const document = documents.get(uri);
  return document ? completionAt(document, params.position, engine.schemas) : null;
});

connection.onDefinition((params) => (isTerraform(params.textDocument.uri) ? terraformDefinition(terraform, params.textDocument.uri, params.position) : []));
connection.onDocumentSymbol((params) => (isTerraform(params.textDocument.uri) ? terraformSymbols(terraform, params.textDocument.uri) : []));
connection.onDocumentFormatting((params) => (isTerraform(params.textDocument.uri) ? terraformFormatting(terraform, params.textDocument.uri) : []));

connection.onDocumentLinks((params) => folderLinks(gitops, params.textDocument.uri));

registerPlanRequest(connection, { workspaceTrusted: () => workspaceTrusted, workspaceFolders: () => workspaceFolders, ansibleInventory: async () => (await loadedSettings()).drift.ansible.inventory });
registerDriftRequest(connection, {
  workspaceTrusted: () => workspaceTrusted,
  workspaceFolders: () => workspaceFolders,
  settings: loadedSettings,
  openTexts: () => documents.all().map((document): [string, string] => [document.uri, document.getText()]),
  log,
});

connection.onCodeAction((params) => {
  const document = documents.get(params.textDocument.uri);
  return document ? codeActionsFor(document, params.context.diagnostics) : [];
});

// ---- GitOps pull requests: the same flow as `gitops-iac pr`, nothing at all when untrusted --------

// Trust is known only after initialize, so the handlers read it when a request comes.
const pullRequests = (): ReturnType<typeof prRequestHandlers> => prRequestHandlers({ trusted: workspaceTrusted, folders: () => workspaceFolders, settings: () => settings, fromDir: __dirname });
/** The PR handlers, once the client's settings are read (they name the branch template and the base). */
const pullRequestsWhenReady = async (): Promise<ReturnType<typeof prRequestHandlers>> => {
  await settingsLoaded;
  return pullRequests();
};
connection.onRequest(CreatePrRequest.type, async (params) => (await pullRequestsWhenReady()).createPr(params));
connection.onRequest(RevertPrRequest.type, async (params) => (await pullRequestsWhenReady()).revertPr(params));
connection.onRequest(ChangedFilesRequest.type, async (params) => (await pullRequestsWhenReady()).changedFiles(params));
connection.onRequest(RollbackCandidatesRequest.type, async (params) => (await pullRequestsWhenReady()).rollbackCandidates(params));

process.on('uncaughtException', (error) => {
  log(`Internal error: ${error.stack ?? String(error)}`);
  sendStatus('error', `Internal error: ${error.message}`);
});

documents.listen(connection);
connection.listen();
