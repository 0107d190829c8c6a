/**
 * Reads the workspace's YAML files into the engine at start-up (so CRDs, references and
 * duplicates are known), and re-reads a file from disk when it changes or its editor closes.
 * Work is sliced so the server keeps answering while it reads, and progress is shown.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { ValidationEngine } from '../engine/engine';
import { findFiles } from '../node/walk';
import type { ServerState } from '../protocol';
import type { Settings } from '../settings';

/** Past this many files the scan stops: the editor stays responsive on huge monorepos. */
const MAX_SCANNED_FILES = 5000;

const decoder = new TextDecoder('utf-8', { fatal: true });

export class WorkspaceScanner {
  constructor(
    private readonly connection: Connection,
    private readonly engine: ValidationEngine,
    private readonly folders: readonly string[],
    private readonly settings: () => Settings,
    private readonly status: (state: ServerState, message: string) => void,
    /** Open documents belong to the editor: their text, not the disk's, is what counts. */
    private readonly isOpen: (uri: string) => boolean,
  ) {}

  async scan(): Promise<void> {
    if (this.folders.length === 0) return;
    const started = performance.now();
    this.status('indexing', 'Reading the workspace');
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('GitOps IaC: reading the workspace', 0, undefined, false);
    try {
      const files = findFiles(this.folders, '/').files.map((file) => file.absolutePath);
      const chosen = files.slice(0, MAX_SCANNED_FILES);
      if (files.length > chosen.length) {
        this.connection.console.warn(`The workspace has ${files.length} YAML files; only the first ${MAX_SCANNED_FILES} are indexed.`);
      }
      for (const [index, file] of chosen.entries()) {
        const uri = pathToFileURL(file).href;
        if (!this.engine.has(uri)) await this.load(uri, file);
        if (index % 20 === 0) progress?.report(Math.round((index / chosen.length) * 100), `${index} of ${chosen.length} files`);
      }
      this.connection.console.log(`Indexed ${chosen.length} YAML files in ${Math.round(performance.now() - started)} ms.`);
    } catch (error) {
      this.connection.console.error(`Reading the workspace failed: ${String(error)}`);
    } finally {
      progress?.done();
    }
  }

  /** Re-reads one file from disk (after an editor closed it, or a watcher saw it change). */
  async reload(uri: string): Promise<void> {
    if (!uri.startsWith('file:')) {
      this.engine.removeFile(uri);
      return;
    }
    await this.load(uri, fileURLToPath(uri));
  }

  private async load(uri: string, file: string): Promise<void> {
    let text: string;
    try {
      const bytes = await readFile(file);
      if (bytes.length > this.settings().validate.maxFileSize) return;
      text = decoder.decode(bytes);
    } catch {
      // Gone, unreadable or not UTF-8: the workspace index simply does not include it.
      this.engine.removeFile(uri);
      return;
    }
    if (!this.isOpen(uri)) await this.engine.setFileAsync(uri, text, () => !this.isOpen(uri));
  }
}
