/**
 * A real LSP client for tests: spawns the built server (`node server/out/server.js --stdio`)
 * and speaks JSON-RPC to it over its stdin/stdout, as VS Code does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_PATH = path.join(REPO_ROOT, 'server', 'out', 'server.js');

export interface StartOptions {
  /** Folder opened as the workspace; none when omitted. */
  workspaceFolder?: string;
  /** Answers to `workspace/configuration` for section `gitopsIac`. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
}

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  settings: Record<string, unknown>;
  private readonly waiters: (() => void)[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly connection: MessageConnection, settings: Record<string, unknown>) {
    this.settings = settings;
    child.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      this.wake();
    });
    connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map(() => this.settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection, options.settings ?? {});
    const folder = options.workspaceFolder ? pathToFileURL(options.workspaceFolder).href : null;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: folder ? [{ uri: folder, name: 'test' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] }, completion: { completionItem: { snippetSupport: false } } },
        window: { workDoneProgress: true },
      },
      initializationOptions: options.initializationOptions ?? { workspaceTrusted: true },
    });
    connection.sendNotification('initialized', {});
    return client;
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `condition` holds, re-checking on every message from the server. */
  async until<T>(condition: () => T | undefined, what: string, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value !== undefined && value !== false) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`Timed out waiting for ${what}. Server stderr:\n${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Resolves once the server says it is ready (workspace read). */
  ready(): Promise<unknown> {
    return this.until(() => this.notifications.find((n) => n.method === 'gitopsIac/serverStatus' && (n.params as { state: string }).state === 'ready'), 'the ready status');
  }

  open(uri: string, text: string, version = 1): void {
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  /** Replaces the whole text (a change without a range). */
  replace(uri: string, text: string, version: number): void {
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  edit(uri: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): void {
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** The diagnostics published for this exact version of a document. */
  diagnosticsFor(uri: string, version: number, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.until(() => this.published.findLast((p) => p.uri === uri && p.version === version)?.diagnostics, `diagnostics of ${uri} v${version}`, timeoutMs);
  }

  /** The latest diagnostics published for a document once they satisfy `predicate`. */
  diagnosticsWhen(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean, what: string, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.until(() => {
      const latest = this.published.findLast((p) => p.uri === uri)?.diagnostics;
      return latest && predicate(latest) ? latest : undefined;
    }, what, timeoutMs);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params);
  }

  get serverErrors(): string {
    return this.stderr;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; kill it below either way.
    }
    const exited = this.child.exitCode !== null ? Promise.resolve() : once(this.child, 'exit');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

/** `text` with its single `|` caret removed, and the caret's position. */
export function caret(text: string): { text: string; position: { line: number; character: number } } {
  const offset = text.indexOf('|');
  if (offset === -1) throw new Error('no caret in fixture');
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { text: before + text.slice(offset + 1), position: { line, character: offset - (before.lastIndexOf('\n') + 1) } };
}
