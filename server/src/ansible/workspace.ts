/**
 * The Ansible side of the engine: the YAML files that detection says are Ansible. Pure: the
 * schema files, the module catalogue and the listing of `roles/` folders on disk are
 * injected, so the CLI and the language server give it disk access and tests give it maps.
 *
 * - `setFile` detects and parses a file once per text; `diagnose` runs syntax, structure
 *   (schema), argument and lint checks, caching the file's own findings per text and
 *   re-running only the checks that look at other files (handlers, roles) when those change.
 * - Roles and handlers are indexed from the files fed in, so a `notify` is checked against the
 *   handlers of its play and of the roles it uses, and a role task file against its role's.
 */
import type { Finding, Position } from '../core/types';
import type { LanguageWorkspace } from '../engine/engine';
import type { SchemaFiles } from '../kubernetes/schemaStore';
import { resolveAlias, valueOf } from '../yaml/compose';
import { findPair } from '../yaml/path';
import { checkTaskArguments } from './arguments';
import { extendModuleCatalog } from './catalog';
import { collectionsUsedBy } from './collections';
import { DEFAULT_ROLES_PATH, resolveRolesPath, rolesPathEntries, type RolesPath } from './config';
import { completionAt, type AnsibleCompletionItem } from './completion';
import { checkDataFile } from './dataFiles';
import { detectAnsibleFile } from './detect';
import { hoverAt, type AnsibleHover } from './hover';
import { parseAnsibleFile } from './parse';
import { ANSIBLE_RULES } from './rules/index';
import { AnsibleSchemaStore } from './schemaStore';
import { checkListShape, checkPlaysAndTasks } from './structure';
import { checkUnits, moveFindings } from './units';
import type { AnsibleCheckContext, AnsibleFile, AnsibleFileKind, AnsibleTask, ModuleCatalog, ModuleSpec } from './types';

/** The names of the subfolders of a folder on disk; undefined when it does not exist. */
export type FolderLister = (folderUri: string) => string[] | undefined;
/** The text of a file on disk; undefined when it does not exist or cannot be read. */
export type TextFileReader = (fileUri: string) => string | undefined;

export interface AnsibleWorkspaceOptions {
  schemaFiles: SchemaFiles;
  modules: ModuleCatalog;
  /** Lists `roles/` folders on disk, for roles the workspace has no open file of. */
  listFolders?: FolderLister;
  /** Reads `ansible.cfg` files, for their roles_path. */
  readFile?: TextFileReader;
  /** The user's home folder, where `~` in roles_path points. */
  homeUri?: string;
}

interface FileEntry {
  text: string;
  file: AnsibleFile;
  /** What other files' checks read from this one (handlers, roles): when it changes, they are redone. */
  signature: string;
  /** The collections the file uses whose modules the catalogue may not have (see collections.ts). */
  collections: string[];
  /** Findings of the file as a whole (syntax, top-level shape, data files). */
  fileFindings: Finding[] | undefined;
  /** Findings per play or task, by the unit's text (see units.ts). */
  units: Map<string, UnitFindings>;
}

interface UnitFindings {
  /** The line the unit started on when these were made. */
  line: number;
  /** Structure and argument findings: they depend on the unit's text alone. */
  own: Finding[];
  /** Rule findings, which may read other files, and the generation they were made in. */
  rules: Finding[];
  generation: number;
}

/** An alias can bring another play's text into this one: such files are not cached per unit. */
const HAS_ALIAS = /[\s[{,:-]\*[^\s,\]}]/;

/** `file:///repo/roles/web/tasks/main.yml` → the role folder `file:///repo/roles/web` and its name. */
export function roleOf(uri: string): { folder: string; name: string } | undefined {
  const match = /^(.*\/roles\/([^/]+))\/(tasks|handlers|vars|defaults|meta)\//.exec(uri);
  return match ? { folder: match[1], name: match[2] } : undefined;
}

const parentOf = (uri: string): string => uri.slice(0, uri.lastIndexOf('/'));

export class AnsibleWorkspace implements LanguageWorkspace {
  private readonly files = new Map<string, FileEntry>();
  private readonly schemas: AnsibleSchemaStore;
  private modules: ModuleCatalog;
  /** The catalogue given at the start (ansible.builtin), which loaded collections extend. */
  private readonly baseModules: ModuleCatalog;
  private readonly collectionModules: ModuleSpec[] = [];
  private readonly listFolders: FolderLister;
  private readonly listings = new Map<string, string[] | undefined>();
  private readonly readFile: TextFileReader;
  private readonly homeUri: string | undefined;
  /** roles_path per folder a playbook or role is in, from the nearest ansible.cfg above it. */
  private readonly rolesPaths = new Map<string, RolesPath>();
  /** Bumped when what files tell about each other (handlers, roles) changes: cross-file findings made earlier are redone. */
  private generation = 0;
  /** The last detection, so that setFile after handles (as the engine calls them) does not detect twice. */
  private lastDetection: { uri: string; text: string; kind: AnsibleFileKind | undefined } | undefined;

  constructor(options: AnsibleWorkspaceOptions) {
    this.schemas = new AnsibleSchemaStore(options.schemaFiles);
    this.modules = options.modules;
    this.baseModules = options.modules;
    this.listFolders = options.listFolders ?? (() => undefined);
    this.readFile = options.readFile ?? (() => undefined);
    this.homeUri = options.homeUri;
  }

  handles(uri: string, text: string): boolean {
    return this.detect(uri, text) !== undefined;
  }

  private detect(uri: string, text: string): AnsibleFileKind | undefined {
    const last = this.lastDetection;
    if (last && last.uri === uri && last.text === text) return last.kind;
    const kind = detectAnsibleFile(uri, text);
    this.lastDetection = { uri, text, kind };
    return kind;
  }

  setFile(uri: string, text: string): void {
    const previous = this.files.get(uri);
    if (previous && previous.text === text) return;
    const kind = this.detect(uri, text);
    if (!kind) {
      this.removeFile(uri);
      return;
    }
    // A new file may be a role folder that a listing made earlier did not have.
    if (!previous) this.forgetDisk();
    const file = parseAnsibleFile(uri, text, kind, this.modules);
    const signature = crossFileSignature(file);
    this.files.set(uri, { text, file, signature, collections: collectionsUsedBy(file), fileFindings: undefined, units: previous?.file.kind === kind ? previous.units : new Map() });
    if (!previous || previous.signature !== signature) this.generation++;
  }

  removeFile(uri: string): void {
    if (!this.files.delete(uri)) return;
    this.forgetDisk();
    this.generation++;
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  /** The parsed file, for hover and completion. */
  file(uri: string): AnsibleFile | undefined {
    return this.files.get(uri)?.file;
  }

  get catalog(): ModuleCatalog {
    return this.modules;
  }

  get schemaStore(): AnsibleSchemaStore {
    return this.schemas;
  }

  /** Changes the module catalogue (collections found installed): every file is parsed again. */
  setModules(modules: ModuleCatalog): void {
    this.modules = modules;
    for (const [uri, entry] of this.files) {
      const file = parseAnsibleFile(uri, entry.text, entry.file.kind, modules);
      this.files.set(uri, { text: entry.text, file, signature: crossFileSignature(file), collections: collectionsUsedBy(file), fileFindings: undefined, units: new Map() });
    }
    this.generation++;
  }

  /** Adds the module specs of a collection loaded from the user's installation. */
  addCollectionModules(specs: readonly ModuleSpec[]): void {
    this.collectionModules.push(...specs);
    this.setModules(extendModuleCatalog(this.baseModules, this.collectionModules));
  }

  /** The collections a file uses that may need loading. */
  collectionsUsedBy(uri: string): readonly string[] {
    return this.files.get(uri)?.collections ?? [];
  }

  /** The collections a text would use as this file, without taking it in (the CLI loads them before checking). */
  collectionsUsedIn(uri: string, text: string): string[] {
    const kind = this.detect(uri, text);
    return kind ? collectionsUsedBy(parseAnsibleFile(uri, text, kind, this.modules)) : [];
  }

  /** The collections the workspace's files use that may need loading. */
  collectionsInUse(): Set<string> {
    return new Set([...this.files.values()].flatMap((entry) => entry.collections));
  }

  /** Compiling the schema validators, one step each, so the first Ansible file opened does not wait for them. */
  warmUpSteps(): Array<() => void> {
    return (['play', 'task', 'block'] as const).map((definition) => () => void this.schemas.definitionValidator(definition));
  }

  hover(uri: string, position: Position): AnsibleHover | undefined {
    const entry = this.files.get(uri);
    return entry && hoverAt(entry.file, entry.file.lines.offsetAt(position), this.schemas);
  }

  completion(uri: string, position: Position): AnsibleCompletionItem[] {
    const entry = this.files.get(uri);
    if (!entry) return [];
    return completionAt(uri, entry.text, entry.file.kind, entry.file.lines.offsetAt(position), this.modules, this.schemas);
  }

  diagnose(uri: string): Finding[] {
    const entry = this.files.get(uri);
    if (!entry) return [];
    const file = entry.file;
    entry.fileFindings ??= this.fileFindings(file);
    // A file that does not parse has no structure worth checking: its syntax errors say it all.
    if (file.syntax.some((f) => f.severity === 'error')) return entry.fileFindings;
    const context = this.context();
    // Variables, metadata and inventories are small: their rules simply run again.
    if (file.plays.length === 0 && file.tasks.length === 0) return [...entry.fileFindings, ...ANSIBLE_RULES.flatMap((rule) => rule(file, context))];
    const findings = [...entry.fileFindings];
    const cacheable = !HAS_ALIAS.test(entry.text);
    const units = new Map<string, UnitFindings>();
    for (const unit of checkUnits(file)) {
      let cached = cacheable ? (units.get(unit.key) ?? entry.units.get(unit.key)) : undefined;
      cached ??= { line: unit.line, own: this.unitFindings(unit.file), rules: [], generation: -1 };
      units.set(unit.key, cached);
      if (cached.generation !== this.generation) {
        cached.rules = moveFindings(ANSIBLE_RULES.flatMap((rule) => rule(unit.file, context)), unit.line, cached.line);
        cached.generation = this.generation;
      }
      findings.push(...moveFindings([...cached.own, ...cached.rules], cached.line, unit.line));
    }
    entry.units = units;
    return findings;
  }

  private fileFindings(file: AnsibleFile): Finding[] {
    if (file.syntax.some((f) => f.severity === 'error')) return file.syntax;
    if (file.kind === 'playbook' || file.kind === 'tasks' || file.kind === 'handlers') return [...file.syntax, ...checkListShape(file)];
    return [...file.syntax, ...checkDataFile(file, this.schemas)];
  }

  private unitFindings(file: AnsibleFile): Finding[] {
    const tasks = file.plays.length ? file.plays.flatMap((play) => [...play.tasks, ...play.handlers]) : file.tasks;
    return [...checkPlaysAndTasks(file, this.schemas, this.modules), ...checkTaskArguments(file, tasks, this.modules)];
  }

  context(): AnsibleCheckContext {
    return {
      modules: this.modules,
      roleExists: (name, fromUri) => this.roleExists(name, fromUri),
      handlerNamesFor: (uri) => this.handlerNamesFor(uri),
    };
  }

  /**
   * Whether a role exists where Ansible searches from this file: `roles/` beside the playbook,
   * the roles_path of the nearest ansible.cfg (or Ansible's default), the playbook's folder,
   * and for a role's own files its sibling roles. True when that cannot be known.
   */
  roleExists(name: string, fromUri: string): boolean {
    // `namespace.collection.role` and Galaxy's `author.role` are installed outside the workspace: never claimed missing.
    if (name.includes('.') || name.includes('{{') || name.includes('/')) return true;
    return this.roleFolder(name, fromUri) !== undefined || this.rolesPathOf(parentOf(fromUri)).uncertain;
  }

  /** The folder of a role as Ansible finds it from this file, when the workspace can see it. */
  private roleFolder(name: string, fromUri: string): string | undefined {
    const here = parentOf(fromUri);
    const folders = [`${here}/roles`, ...this.rolesPathOf(here).folders, here];
    const role = roleOf(fromUri);
    if (role) folders.push(parentOf(role.folder));
    for (const folder of folders) {
      const prefix = `${folder}/${name}/`;
      for (const uri of this.files.keys()) if (uri.startsWith(prefix)) return `${folder}/${name}`;
      if (this.listing(folder)?.includes(name)) return `${folder}/${name}`;
    }
    return undefined;
  }

  private listing(folder: string): string[] | undefined {
    if (!this.listings.has(folder)) this.listings.set(folder, this.listFolders(folder));
    return this.listings.get(folder);
  }

  /** The roles_path that applies in a folder: the nearest ansible.cfg's, or Ansible's default. */
  private rolesPathOf(folder: string): RolesPath {
    let rolesPath = this.rolesPaths.get(folder);
    if (!rolesPath) {
      rolesPath = this.readRolesPath(folder);
      this.rolesPaths.set(folder, rolesPath);
    }
    return rolesPath;
  }

  private readRolesPath(folder: string): RolesPath {
    for (let dir = folder; /^[a-z][\w+.-]*:\/\/[^/]*\/./i.test(dir); dir = parentOf(dir)) {
      const text = this.readFile(`${dir}/ansible.cfg`);
      const entries = text === undefined ? undefined : rolesPathEntries(text);
      if (entries) return resolveRolesPath(entries, dir, this.homeUri);
      // The nearest ansible.cfg is the one Ansible reads, even when it leaves roles_path at its default.
      if (text !== undefined) break;
    }
    // Ansible's default: without a home folder to put `~` in, the rest of it still counts.
    const defaults = resolveRolesPath(DEFAULT_ROLES_PATH, 'file:///', this.homeUri);
    return { folders: defaults.folders, uncertain: false };
  }

  /** What was read from disk (folder listings, ansible.cfg files) may be out of date. */
  private forgetDisk(): void {
    this.listings.clear();
    this.rolesPaths.clear();
  }

  /**
   * The handler names and `listen` topics a file's tasks may notify: for a playbook, those
   * of its plays and of the roles they use; for a role's task file, its role's handlers and
   * those of the plays that use the role. Undefined when the workspace cannot know (a task
   * file outside a role, or a role whose handlers it has not seen).
   */
  handlerNamesFor(uri: string): ReadonlySet<string> | undefined {
    const entry = this.files.get(uri);
    if (!entry) return undefined;
    const names = new Set<string>();
    if (entry.file.kind === 'playbook') {
      for (const play of entry.file.plays) {
        addHandlerNames(names, play.handlers, undefined);
        // Roles pulled in by include_role/import_role tasks bring their handlers too.
        for (const name of [...play.roles.map((role) => role.name), ...includedRoles(play.tasks)]) {
          this.addRoleHandlers(names, this.roleFolder(name, uri) ?? `${parentOf(uri)}/roles/${name}`, name);
        }
      }
      return names;
    }
    const role = roleOf(uri);
    if (!role) return undefined;
    const known = this.addRoleHandlers(names, role.folder, role.name);
    for (const other of this.files.values()) {
      if (other.file.kind !== 'playbook') continue;
      for (const play of other.file.plays) {
        if (play.roles.some((r) => r.name === role.name) || includedRoles(play.tasks).includes(role.name)) addHandlerNames(names, play.handlers, undefined);
      }
    }
    // Without the role's handler files the answer would be a guess: say nothing is known.
    return known ? names : undefined;
  }

  /** Adds a role's handlers from the files the workspace has; false when it has none of them. */
  private addRoleHandlers(names: Set<string>, roleFolder: string, roleName: string): boolean {
    let found = false;
    for (const [uri, entry] of this.files) {
      if (!uri.startsWith(`${roleFolder}/handlers/`)) continue;
      found = true;
      addHandlerNames(names, entry.file.tasks, roleName);
    }
    return found;
  }
}

function addHandlerNames(names: Set<string>, handlers: readonly AnsibleTask[], roleName: string | undefined): void {
  for (const handler of handlers) {
    if (handler.name) {
      names.add(handler.name);
      // Ansible also accepts `role : handler` for a role's handler.
      if (roleName) names.add(`${roleName} : ${handler.name}`);
    }
    const listen = findPair(handler.node, 'listen')?.value;
    const value = listen && resolveAlias(listen);
    if (value?.kind === 'scalar' && typeof value.value === 'string') names.add(value.value);
    if (value?.kind === 'seq') for (const item of value.items) names.add(String(valueOf(item)));
    addHandlerNames(names, handler.children, roleName);
  }
}

/** The roles a task list pulls in with include_role/import_role. */
function includedRoles(tasks: readonly AnsibleTask[]): string[] {
  const roles: string[] = [];
  const visit = (task: AnsibleTask): void => {
    const module = task.action?.module?.fqcn;
    if ((module === 'ansible.builtin.include_role' || module === 'ansible.builtin.import_role') && task.action?.args) {
      const args = resolveAlias(task.action.args);
      const name = args.kind === 'map' ? findPair(args, 'name')?.value : undefined;
      const value = name && resolveAlias(name);
      if (value?.kind === 'scalar' && typeof value.value === 'string') roles.push(value.value);
    }
    task.children.forEach(visit);
  };
  tasks.forEach(visit);
  return roles;
}

/** What other files' checks read from a file: its handler names and topics, and the roles its plays use. */
function crossFileSignature(file: AnsibleFile): string {
  const handlers = new Set<string>();
  addHandlerNames(handlers, file.kind === 'handlers' ? file.tasks : file.plays.flatMap((play) => play.handlers), undefined);
  const roles = file.plays.flatMap((play) => [...play.roles.map((role) => role.name), ...includedRoles(play.tasks)]);
  return JSON.stringify([file.kind, [...handlers], roles]);
}
