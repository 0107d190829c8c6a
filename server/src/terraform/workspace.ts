/**
 * The Terraform side of the engine: every .tf and .tfvars file the shell feeds in, grouped
 * into modules by folder. Pure: reading the folders of called modules is injected
 * (`readModuleFolder`), so the CLI and the language server give it disk access and tests give
 * it a map.
 *
 * - `setFile` keeps one parser and tree per file and re-parses incrementally (document.ts).
 * - `diagnose` returns a file's syntax problems (cached per top-level block) and the language
 *   findings of its module, computed once per folder and kept until a file of that folder, or
 *   of a module it calls, changes.
 * - `setProviderSchemas` adds a folder's provider schemas (loaded by the shell when Terraform
 *   can run); its files are then also checked against them (providerSchemaChecks.ts).
 * - `hover`, `definition`, `completion` and `symbols` are pure functions of the same state.
 *
 * The shell is expected to feed every .tf file of a folder (as the workspace scan does): a
 * module is all of its folder's files, and one missing file means missing declarations.
 */
import type { Finding, Position } from '../core/types';
import { BLOCK_CHECKS, MODULE_CHECKS } from './checks';
import { DEFAULT_TERRAFORM_VERSION, parseTerraformVersion, type CalledModule, type CheckContext, type TerraformVersion } from './checks/context';
import { typeText } from './checks/typeConstraints';
import { variableType } from './checks/variables';
import { completeAt, type TerraformCompletionItem } from './completion';
import { TerraformDocument } from './document';
import { moveFinding, originOf, type Block, type FileKind, type TerraformFile } from './model';
import { buildModuleIndex, folderOf, isOverrideFile, type ModuleFile, type ModuleIndex } from './module';
import { definitionAt, hoverAt, type EditorContext, type TerraformHover, type TerraformLocation } from './navigation';
import { checkBlockAgainstProviderSchemas } from './providerSchemaChecks';
import { requiredProviders, type ProviderSchemaIndex } from './providerSchemaIndex';
import { checkTerraformSecurity } from './security/index';
import { documentSymbols, type TerraformSymbol } from './symbols';

export type ModuleFolderReader = (folderUri: string) => Array<{ uri: string; text: string }> | undefined;

/** The module of `folder` made of its .tf `files`, each parsed once (for a folder the workspace does not hold). */
export function parseModuleFiles(folder: string, files: ReadonlyArray<{ uri: string; text: string }>): ModuleIndex {
  const models = files.map(({ uri, text }) => {
    const document = new TerraformDocument('tf');
    try {
      document.update(text);
      return { uri, file: document.model };
    } finally {
      document.dispose();
    }
  });
  return buildModuleIndex(folder, models);
}

export interface TerraformWorkspaceOptions {
  /** Reads the .tf files of a called module's folder; undefined when the folder does not exist. */
  readModuleFolder?: ModuleFolderReader;
  /** The Terraform version to check against, `MAJOR.MINOR` (default 1.11). */
  terraformVersion?: string;
}


interface FolderAnalysis {
  generation: number;
  /** The generation of each called module's folder when this was computed. */
  dependencies: Map<string, number>;
  findings: Map<string, Finding[]>;
}

/** The block checks' findings for one top-level block, valid while the module's declarations match `signature`. */
interface BlockFindings {
  signature: string;
  findings: Finding[];
}

interface ExternalModule {
  index: ModuleIndex | undefined;
  texts: Map<string, string>;
}

export class TerraformWorkspace {
  private readonly documents = new Map<string, TerraformDocument>();
  /** The URIs of the documents of each folder. */
  private readonly folders = new Map<string, Set<string>>();
  /** Bumped whenever a file of the folder changes; analyses remember the generations they used. */
  private readonly generations = new Map<string, number>();
  private readonly indexes = new Map<string, { generation: number; index: ModuleIndex }>();
  private readonly analyses = new Map<string, FolderAnalysis>();
  private readonly external = new Map<string, ExternalModule>();
  /** Blocks are immutable and reused while their text is unchanged, so their findings can be too. */
  private readonly blockFindings = new WeakMap<Block, BlockFindings>();
  /** Numbers for the module indexes and provider schemas an analysis used, for its signature. */
  private readonly objectIds = new WeakMap<object, number>();
  private nextObjectId = 1;
  /** Provider schemas by folder, for the folders whose schemas the shell could load. */
  private readonly providerSchemas = new Map<string, ProviderSchemaIndex>();
  private readonly readModuleFolder: ModuleFolderReader;
  private version: TerraformVersion;

  constructor(options: TerraformWorkspaceOptions = {}) {
    this.readModuleFolder = options.readModuleFolder ?? (() => undefined);
    this.version = parseTerraformVersion(options.terraformVersion ?? DEFAULT_TERRAFORM_VERSION) ?? parseTerraformVersion(DEFAULT_TERRAFORM_VERSION)!;
  }

  /** Changes the Terraform version; every analysis is redone on next use. */
  configure(options: Pick<TerraformWorkspaceOptions, 'terraformVersion'>): void {
    if (options.terraformVersion) this.version = parseTerraformVersion(options.terraformVersion) ?? this.version;
    this.analyses.clear();
  }

  get terraformVersion(): string {
    return `${this.version.major}.${this.version.minor}`;
  }

  /** Is this a file we handle? .tf and .tfvars (the JSON variants are not supported). */
  handles(uri: string): boolean {
    return /\.(tf|tfvars)$/.test(uri);
  }

  has(uri: string): boolean {
    return this.documents.has(uri);
  }

  uris(): string[] {
    return [...this.documents.keys()];
  }

  setFile(uri: string, text: string): void {
    let document = this.documents.get(uri);
    if (document && document.text === text) return;
    if (!document) {
      document = new TerraformDocument(uri.endsWith('.tfvars') ? 'tfvars' : 'tf');
      this.documents.set(uri, document);
      const folder = folderOf(uri);
      let uris = this.folders.get(folder);
      if (!uris) this.folders.set(folder, (uris = new Set()));
      uris.add(uri);
    }
    document.update(text);
    this.touch(folderOf(uri));
  }

  removeFile(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    document.dispose();
    this.documents.delete(uri);
    this.folders.get(folderOf(uri))?.delete(uri);
    this.touch(folderOf(uri));
  }

  /** The folders holding .tf files: the modules of the workspace. */
  moduleFolders(): string[] {
    return [...this.folders].filter(([, uris]) => [...uris].some((uri) => this.documents.get(uri)?.kind === 'tf')).map(([folder]) => folder);
  }

  /** Sets (or, with undefined, removes) the provider schemas a folder's files are checked against. */
  setProviderSchemas(folderUri: string, schemas: ProviderSchemaIndex | undefined): void {
    const folder = stripSlash(folderUri);
    if (this.providerSchemas.get(folder) === schemas) return;
    if (schemas) this.providerSchemas.set(folder, schemas);
    else this.providerSchemas.delete(folder);
    this.analyses.delete(folder);
  }

  hasProviderSchemas(folderUri: string): boolean {
    return this.providerSchemas.has(stripSlash(folderUri));
  }

  /** The files of a called module changed on disk: read them again when next needed. */
  refreshModuleFolder(folderUri: string): void {
    this.external.delete(stripSlash(folderUri));
    this.touch(stripSlash(folderUri));
  }

  /** Frees every tree and parser (they live in WebAssembly memory). */
  dispose(): void {
    for (const document of this.documents.values()) document.dispose();
    this.documents.clear();
    this.folders.clear();
  }

  private touch(folder: string): void {
    this.generations.set(folder, (this.generations.get(folder) ?? 0) + 1);
  }

  private generation(folder: string): number {
    return this.generations.get(folder) ?? 0;
  }

  /** The model of a file, for other checks (security rules, provider schemas). */
  file(uri: string): TerraformFile | undefined {
    return this.documents.get(uri)?.model;
  }

  text(uri: string): string | undefined {
    return this.documents.get(uri)?.text ?? this.external.get(folderOf(uri))?.texts.get(uri);
  }

  /** The module of a folder, from the files fed in. */
  module(folderUri: string): ModuleIndex {
    const folder = stripSlash(folderUri);
    const generation = this.generation(folder);
    const cached = this.indexes.get(folder);
    if (cached && cached.generation === generation) return cached.index;
    const index = buildModuleIndex(folder, this.filesOf(folder, 'tf'));
    this.indexes.set(folder, { generation, index });
    return index;
  }

  private filesOf(folder: string, kind: FileKind): ModuleFile[] {
    const files: ModuleFile[] = [];
    for (const uri of this.folders.get(folder) ?? []) {
      const document = this.documents.get(uri)!;
      if (document.kind === kind) files.push({ uri, file: document.model });
    }
    return files;
  }

  /** A module called with a local source: the workspace's files of that folder, or the injected reader's. */
  calledModule(call: Block, fromFolder: string, dependencies?: Map<string, number>): CalledModule | undefined {
    const source = call.attributes.get('source')?.expression;
    if (!source?.isStatic || typeof source.value !== 'string' || !/^\.\.?([/\\]|$)/.test(source.value)) return undefined;
    const folder = resolveFolder(fromFolder, source.value);
    dependencies?.set(folder, this.generation(folder));
    // A module calling its own folder is a loop Terraform reports itself; nothing to compare here.
    if (folder === fromFolder) return undefined;
    if (this.filesOf(folder, 'tf').length > 0) return { source: source.value, folder, index: this.module(folder) };
    return { source: source.value, folder, index: this.externalModule(folder).index };
  }

  private externalModule(folder: string): ExternalModule {
    let module = this.external.get(folder);
    if (module) return module;
    const files = this.readModuleFolder(folder)?.filter((f) => f.uri.endsWith('.tf'));
    const texts = new Map((files ?? []).map((f) => [f.uri, f.text]));
    const index = files && files.length > 0 ? parseModuleFiles(folder, files) : undefined;
    module = { index, texts };
    this.external.set(folder, module);
    return module;
  }

  private analysis(folder: string): FolderAnalysis {
    const cached = this.analyses.get(folder);
    if (cached && cached.generation === this.generation(folder) && [...cached.dependencies].every(([dep, gen]) => this.generation(dep) === gen)) return cached;
    const dependencies = new Map<string, number>();
    const findings = new Map<string, Finding[]>();
    const module = this.module(folder);
    const report = (uri: string, finding: Finding): void => {
      let list = findings.get(uri);
      if (!list) findings.set(uri, (list = []));
      list.push(finding);
    };
    const ctx: CheckContext = {
      module,
      tfvars: this.filesOf(folder, 'tfvars'),
      options: { terraformVersion: this.version },
      calledModule: (call) => this.calledModule(call, folder, dependencies),
      report,
    };
    const schemas = this.providerSchemas.get(folder);
    const providers = schemas && requiredProviders(module.files.map(({ file }) => file));
    // An edit inside one block leaves the module's declarations as they were: the other
    // blocks' findings are reused, and only the edited block is checked again.
    const signature = this.declarationSignature(ctx, schemas, providers);
    for (const { uri, file } of module.files) {
      for (const block of file.blocks) {
        let memo = this.blockFindings.get(block) ?? this.movedFindings(block, signature);
        if (!memo || memo.signature !== signature) {
          const found: Finding[] = [];
          const blockCtx: CheckContext = { ...ctx, report: (_uri, finding) => found.push(finding) };
          for (const check of BLOCK_CHECKS) check(blockCtx, uri, block);
          if (schemas) found.push(...checkBlockAgainstProviderSchemas(block, schemas, { requiredProviders: providers, override: isOverrideFile(uri) }));
          memo = { signature, findings: found };
          this.blockFindings.set(block, memo);
        }
        for (const finding of memo.findings) report(uri, finding);
      }
    }
    for (const check of MODULE_CHECKS) check(ctx);
    for (const { uri, finding } of checkTerraformSecurity(module.files)) report(uri, finding);
    const analysis = { generation: this.generation(folder), dependencies, findings };
    this.analyses.set(folder, analysis);
    return analysis;
  }

  /**
   * What the block checks read besides the block: the target version, the module's
   * declarations (with variables' types and whether resources repeat), the modules it calls,
   * and the provider schemas with the providers' sources. Calling each module here also
   * records the analysis's dependencies on their folders.
   */
  private declarationSignature(ctx: CheckContext, schemas?: ProviderSchemaIndex, providers?: ReadonlyMap<string, string>): string {
    const module = ctx.module;
    const repetition = (block: Block): string => `${block.attributes.has('count') ? 'c' : ''}${block.attributes.has('for_each') ? 'f' : ''}`;
    const parts: string[] = [`${this.version.major}.${this.version.minor}`];
    if (schemas) parts.push(`s ${this.objectId(schemas)}`);
    for (const [name, source] of providers ?? []) parts.push(`source ${name} ${source}`);
    for (const [name, d] of module.variables) {
      const type = variableType(d.block);
      parts.push(`v ${name} ${type ? typeText(type) : ''}`);
    }
    for (const name of module.locals.keys()) parts.push(`l ${name}`);
    for (const [key, d] of module.resources) parts.push(`r ${key} ${repetition(d.block)}`);
    for (const [key, d] of module.dataSources) parts.push(`d ${key} ${repetition(d.block)}`);
    for (const [key, d] of module.ephemeralResources) parts.push(`e ${key} ${repetition(d.block)}`);
    for (const key of module.providers.keys()) parts.push(`p ${key}`);
    for (const [key, required] of module.requiredProviders) parts.push(`q ${key} ${required.aliases.join(',')}`);
    for (const [name, check] of module.checks) for (const data of check.block.blocks) parts.push(`c ${name} ${data.type} ${data.labels.map((l) => l.value).join('.')}`);
    for (const { file } of module.files) {
      for (const block of file.blocks) {
        if (block.type !== 'module') continue;
        const called = ctx.calledModule(block);
        parts.push(`m ${block.labels[0]?.value} ${called ? `${called.folder} ${called.index ? this.objectId(called.index) : 'none'}` : ''}`);
      }
    }
    return parts.join('\n');
  }

  /** The findings of the block this one was moved from (lines inserted above it), moved along. */
  private movedFindings(block: Block, signature: string): BlockFindings | undefined {
    const origin = originOf(block);
    const memo = origin && this.blockFindings.get(origin.block);
    if (!origin || !memo || memo.signature !== signature) return undefined;
    const moved = { signature, findings: memo.findings.map((finding) => moveFinding(finding, origin.lines)) };
    this.blockFindings.set(block, moved);
    return moved;
  }

  private objectId(object: object): number {
    let id = this.objectIds.get(object);
    if (id === undefined) this.objectIds.set(object, (id = this.nextObjectId++));
    return id;
  }

  /** Every finding for a file: syntax, then the module's checks (language and security). */
  diagnose(uri: string): Finding[] {
    const document = this.documents.get(uri);
    if (!document) return [];
    // Suppression comments and rule levels are applied by the engine, the same for every language.
    const findings = [...document.model.problems, ...(this.analysis(folderOf(uri)).findings.get(uri) ?? [])];
    return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  private editorContext(uri: string): EditorContext | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const folder = folderOf(uri);
    const module = this.module(folder);
    const schemas = this.providerSchemas.get(folder);
    return {
      uri,
      text: document.text,
      file: document.model,
      module,
      version: this.version,
      providerSchemas: schemas && { index: schemas, requiredProviders: requiredProviders(module.files.map(({ file }) => file)) },
      calledModule: (call) => this.calledModule(call, folder),
      textOf: (other) => this.text(other),
    };
  }

  hover(uri: string, position: Position): TerraformHover | undefined {
    const ctx = this.editorContext(uri);
    return ctx && hoverAt(ctx, position);
  }

  definition(uri: string, position: Position): TerraformLocation[] {
    const ctx = this.editorContext(uri);
    return ctx ? definitionAt(ctx, position) : [];
  }

  completion(uri: string, position: Position): TerraformCompletionItem[] {
    const ctx = this.editorContext(uri);
    return ctx ? completeAt(ctx, position) : [];
  }

  symbols(uri: string): TerraformSymbol[] {
    const document = this.documents.get(uri);
    return document ? documentSymbols(document.model) : [];
  }
}

function stripSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}

/** `./modules/net` from `file:///w/env` is `file:///w/env/modules/net`. */
export function resolveFolder(fromFolder: string, source: string): string {
  const resolved = new URL(source.replace(/\\/g, '/').replace(/\/?$/, '/'), `${fromFolder}/`).href;
  return stripSlash(resolved);
}
