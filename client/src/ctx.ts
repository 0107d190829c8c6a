/**
 * The extension's context: it owns the language client, the status bar item, the output
 * channel and every disposable, so `extension.ts` stays a few lines and commands get one
 * object to act on.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type RequestParam,
  type RequestType,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ServerStatusNotification,
  type InitializationOptions,
  type ServerState,
  type ServerStatusParams,
} from '../../server/src/protocol';

/** Shown in the output channel, the status bar and the client's own messages. */
export const DISPLAY_NAME = 'GitOps IaC';

/**
 * The client id doubles as the settings prefix: vscode-languageclient reads
 * `gitopsIac.trace.server` because of it.
 */
const CLIENT_ID = 'gitopsIac';

/** The same section the server pulls with `workspace/configuration`. */
const CONFIGURATION_SECTION = 'gitopsIac';

const SHOW_OUTPUT_COMMAND = 'gitopsIac.showOutput';

const STATE_ICONS: Record<ServerState, string> = {
  starting: '$(sync~spin)',
  indexing: '$(sync~spin)',
  ready: '$(check)',
  error: '$(error)',
};

/** A command is built from the context, so it can reach the client without globals. */
export type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

export class Ctx implements vscode.Disposable {
  readonly outputChannel: vscode.LogOutputChannel;
  private readonly client: LanguageClient;
  private readonly statusBarItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    this.outputChannel = vscode.window.createOutputChannel(DISPLAY_NAME, { log: true });
    this.disposables.push(this.outputChannel);

    this.statusBarItem = vscode.window.createStatusBarItem('gitopsIac.status', vscode.StatusBarAlignment.Left);
    this.statusBarItem.name = DISPLAY_NAME;
    this.statusBarItem.command = SHOW_OUTPUT_COMMAND;
    this.disposables.push(this.statusBarItem);

    this.client = this.createClient();
    this.disposables.push(
      this.client.onNotification(ServerStatusNotification.type, (status) => this.showStatus(status)),
      this.client.onDidChangeState(({ newState }) => this.onClientStateChange(newState)),
      // The server runs no external program in an untrusted workspace; once the user trusts
      // it, a restart hands the server the new InitializationOptions.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        void this.restart().catch((error: unknown) => this.reportError('Restarting the GitOps IaC server failed', error));
      }),
    );
  }

  /** Registers a command built by `factory`; it is disposed with the context. */
  registerCommand(name: string, factory: CommandFactory): void {
    this.disposables.push(vscode.commands.registerCommand(name, factory(this)));
  }

  async start(): Promise<void> {
    this.showStatus({ state: 'starting', message: 'Starting the language server…' });
    await this.client.start();
  }

  /** Stops and starts the server; also works when the server stopped or never started. */
  async restart(): Promise<void> {
    await this.client.restart();
  }

  async stop(): Promise<void> {
    if (this.client.needsStop()) await this.client.stop();
  }

  /** Sends a custom request (server/src/protocol.ts) to the language server, starting it first if needed. */
  async sendRequest<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>, token?: vscode.CancellationToken): Promise<R> {
    if (!this.client.isRunning()) await this.client.start();
    return this.client.sendRequest(type, params, token);
  }

  showOutput(): void {
    this.outputChannel.show(true);
  }

  /** Logs the failure and tells the user, with a way to the log: errors are never swallowed. */
  reportError(summary: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.outputChannel.error(`${summary}: ${error instanceof Error && error.stack ? error.stack : detail}`);
    this.showStatus({ state: 'error', message: `${summary}: ${detail}` });
    void vscode.window.showErrorMessage(`${summary}: ${detail}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') this.showOutput();
    });
  }

  dispose(): void {
    // The client is stopped by `deactivate`; disposing here covers a context that is
    // thrown away without it (dispose on a stopped client does nothing).
    void this.client.dispose().catch(() => undefined);
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }

  private createClient(): LanguageClient {
    const module = this.extensionContext.asAbsolutePath('server/out/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
        // By file name as well as language: another Terraform extension may name the language differently.
        { scheme: 'file', language: 'terraform' },
        { scheme: 'file', pattern: '**/*.{tf,tfvars}' },
      ],
      // The server pulls settings with workspace/configuration; this makes the client send
      // workspace/didChangeConfiguration whenever a `gitopsIac.*` setting changes, so the
      // server knows to drop its cache and pull again.
      synchronize: { configurationSection: CONFIGURATION_SECTION },
      // A function, so every (re)start reports the trust state of that moment.
      initializationOptions: (): InitializationOptions => ({
        workspaceTrusted: vscode.workspace.isTrusted,
        // Terraform's provider schemas are cached here, so a restart does not run Terraform again.
        cacheFolder: this.extensionContext.globalStorageUri.scheme === 'file' ? this.extensionContext.globalStorageUri.fsPath : undefined,
      }),
      outputChannel: this.outputChannel,
      // The status bar shows failures; popping the log open on every error is noise.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
    return new LanguageClient(CLIENT_ID, DISPLAY_NAME, serverOptions, clientOptions);
  }

  private onClientStateChange(state: State): void {
    switch (state) {
      case State.Starting:
        this.showStatus({ state: 'starting', message: 'Starting the language server…' });
        break;
      case State.Stopped:
        this.showStatus({
          state: 'error',
          message: 'The language server stopped. Run "GitOps IaC: Restart Server" to start it again.',
        });
        break;
      case State.Running:
        // The server reports its own progress (indexing, ready) with ServerStatusNotification.
        break;
    }
  }

  private showStatus(status: ServerStatusParams): void {
    const item = this.statusBarItem;
    item.text = `${STATE_ICONS[status.state]} ${DISPLAY_NAME}`;
    item.tooltip = statusTooltip(status);
    item.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  }
}

function statusTooltip(status: ServerStatusParams): string {
  const lines = [status.message];
  if (status.kubernetesVersion !== undefined) lines.push(`Kubernetes ${status.kubernetesVersion}`);
  if (status.indexedFiles !== undefined) {
    lines.push(`${status.indexedFiles} indexed ${status.indexedFiles === 1 ? 'file' : 'files'}`);
  }
  lines.push('Click to show the output.');
  return lines.join('\n');
}
