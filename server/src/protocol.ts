/**
 * Every custom LSP message between the GitOps IaC client and server, in one place.
 * The client imports this same file (bundled by esbuild), so the two sides can never
 * disagree on a method name or a payload shape.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

export type ServerState = 'starting' | 'indexing' | 'ready' | 'error';

export interface ServerStatusParams {
  state: ServerState;
  /** Short human text for the status bar tooltip ("Indexed 42 files", an error, …). */
  message: string;
  /** Kubernetes version the server validates against (after fallbacks). */
  kubernetesVersion?: string;
  /** Files of the workspace index (CRDs, resources, references). */
  indexedFiles?: number;
}

/** Sent by the server whenever its state changes, so the client can show it in the status bar. */
export namespace ServerStatusNotification {
  export const method = 'gitopsIac/serverStatus';
  export const type = new NotificationType<ServerStatusParams>(method);
}

/** Initialization options the client passes; everything else comes through workspace/configuration. */
export interface InitializationOptions {
  /** False in an untrusted workspace: the server then runs no external program. */
  workspaceTrusted: boolean;
}
