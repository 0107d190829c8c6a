/**
 * Gives the Ansible workspace the module specs of the installed collections it uses, for both
 * shells: each collection its files name (collections.ts) is loaded once, in a trusted
 * workspace, one collection at a time in the background (ansibleModules.ts runs ansible-doc
 * and caches), then handed to the workspace, whose files are to be diagnosed again. Until
 * then a collection's modules are not judged, so nothing false is reported meanwhile.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { AnsibleWorkspace } from '../ansible/workspace';
import { loadCollectionModules, type CollectionModulesMemoryCache } from './ansibleModules';

export interface AnsibleCollectionLoaderOptions {
  /** Whether the workspace is trusted: ansible-doc never runs otherwise. */
  trusted: boolean;
  /** Where the specs are cached across runs. */
  cacheDir: string;
  /** The folder ansible-doc runs in (its ansible.cfg and collections/ count). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  memoryCache?: CollectionModulesMemoryCache;
  log: (message: string) => void;
  /** A collection's modules were added: the workspace's Ansible files need diagnosing again. */
  onChange?: () => void;
}

export class AnsibleCollectionLoader {
  /** Collections asked for, so that each is loaded (or found missing) once. */
  private readonly requested = new Set<string>();
  /** One collection at a time: ansible-doc is CPU-heavy and the machine may have two cores. */
  private queue: Promise<void> = Promise.resolve();
  /** Set once ansible-doc proved missing (or the workspace untrusted): nothing more is tried. */
  private unavailable = false;

  constructor(private readonly workspace: AnsibleWorkspace, private readonly options: AnsibleCollectionLoaderOptions) {}

  /** Loads the collections not asked for before; resolves when those are done. */
  ensure(collections: Iterable<string>): Promise<void> {
    const fresh = [...collections].filter((collection) => !this.requested.has(collection));
    if (fresh.length === 0 || this.unavailable) return Promise.resolve();
    for (const collection of fresh) this.requested.add(collection);
    if (!this.options.trusted) {
      this.unavailable = true;
      this.options.log('Ansible collection modules are not checked: the workspace is not trusted, so ansible-doc is not run.');
      return Promise.resolve();
    }
    for (const collection of fresh) this.queue = this.queue.then(() => this.load(collection));
    return this.queue;
  }

  private async load(collection: string): Promise<void> {
    if (this.unavailable) return;
    const { log } = this.options;
    // loadCollectionModules never throws; its reasons for loading nothing go to the log.
    const result = await loadCollectionModules({ trusted: true, cacheDir: this.options.cacheDir, cwd: this.options.cwd, env: this.options.env, memoryCache: this.options.memoryCache, collections: [collection], log });
    if (!result) {
      this.unavailable = true;
      return;
    }
    if ('error' in result) {
      log(`The modules of ${collection} are not checked: ${result.error}`);
      return;
    }
    log(`Loaded the ${result.modules.length} modules of ${collection} from ${result.source} in ${Math.round(result.millis)} ms.`);
    if (result.modules.length === 0) return;
    this.workspace.addCollectionModules(result.modules);
    this.options.onChange?.();
  }
}

/**
 * For the CLI, which checks a trusted checkout: loads the collections the given files use
 * before the files are checked. Unreadable files are left to the check, which reports them.
 */
export async function loadCollectionsForFiles(absolutePaths: readonly string[], ansible: AnsibleWorkspace, options: Omit<AnsibleCollectionLoaderOptions, 'trusted' | 'onChange'>): Promise<void> {
  const collections = new Set<string>();
  for (const file of absolutePaths) {
    if (!/\.ya?ml$/i.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const collection of ansible.collectionsUsedIn(pathToFileURL(file).href, text)) collections.add(collection);
  }
  await new AnsibleCollectionLoader(ansible, { ...options, trusted: true }).ensure(collections);
}
