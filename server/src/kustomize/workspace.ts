/**
 * Kustomize in the engine: owns the kustomization files, renders every kustomization that
 * no other one includes (the overlays), validates what they produce, and places each
 * finding in the file that caused it (a base resource, a patch, a kustomization). A
 * dependency index (file → kustomizations that read it) makes an edit re-render only the
 * kustomizations that read the edited file.
 */
import type { Finding } from '../core/types';
import type { ContributedFinding, LanguageWorkspace } from '../engine/engine';
import type { ValidationContext } from '../kubernetes/validate';
import type { KustomizeRenderer, Settings } from '../settings';
import { buildKustomization } from './build';
import { folderOf, isKustomizationUri, shortFolderName } from './paths';
import { withSourceMapping } from './mapping';
import type { KustomizeReader, LocatedFinding, RenderedObject, RenderResult } from './render';
import { ParsedFiles } from './sources';
import { validateRendered } from './validateRendered';

interface Rendered {
  result: RenderResult;
  /**
   * A file it read has changed since. The result still answers which files it includes,
   * patches and reads (an edit rarely changes that) until someone asks for its findings.
   */
  stale: boolean;
  /** Findings by file, made on first use (validation waits until someone asks). */
  findings?: Map<string, OverlayFinding[]>;
}

/** An outside renderer (`kubectl kustomize`), asked when the embedded build cannot render or is not wanted. */
export interface ExternalRenderer {
  render(folderUri: string): Promise<{ ok: true; objects: Record<string, unknown>[] } | { ok: false; message: string }>;
  /** Its output arrived: these files' findings changed. */
  changed(uris: string[]): void;
}

/** The outside renderer's answer for one embedded render (`basis`): newer edits make it moot. */
interface ExternalRender {
  basis: RenderResult;
  objects?: RenderedObject[];
}

interface OverlayFinding extends ContributedFinding, LocatedFinding {
  /** The overlay that rendered the object, for findings from validating its output. */
  overlay?: string;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

export class KustomizeWorkspace implements LanguageWorkspace {
  /** Texts of every file the engine holds (the editor's unsaved ones included). */
  private readonly texts = new Map<string, string>();
  private readonly kustomizationFiles = new Set<string>();
  /** Folders above the files the engine holds: no need to ask the disk about them. */
  private readonly knownFolders = new Set<string>();
  /** Renders by kustomization folder. */
  private readonly renders = new Map<string, Rendered>();
  /** Folders whose kustomization file changed: what they include must be learnt again before roots are known. */
  private readonly changedKustomizations = new Set<string>();
  /** File → folders of the kustomizations whose last render read it. */
  private readonly readers = new Map<string, Set<string>>();
  private readonly parsed = new ParsedFiles();
  private context: ValidationContext | undefined;
  private renderer: KustomizeRenderer = 'auto';
  private roots: Set<string> | undefined;
  private readonly reader: KustomizeReader;
  private external: ExternalRenderer | undefined;
  private readonly externalRenders = new Map<string, ExternalRender>();

  /** `disk` reads what the engine does not hold: env files, JSON patches, folders. */
  constructor(disk: KustomizeReader) {
    this.reader = {
      readFile: (uri) => this.texts.get(uri) ?? (this.knownFolders.has(uri) ? undefined : disk.readFile(uri)),
      isFolder: (uri) => this.knownFolders.has(uri) || disk.isFolder(uri),
    };
  }

  /** Only for trusted workspaces: the outside renderer runs a program. */
  useExternalRenderer(external: ExternalRenderer): void {
    this.external = external;
  }

  handles(uri: string): boolean {
    return isKustomizationUri(uri);
  }

  setFile(uri: string): void {
    this.kustomizationFiles.add(uri);
    this.changedKustomizations.add(folderOf(uri));
  }

  removeFile(uri: string): void {
    this.kustomizationFiles.delete(uri);
    this.changedKustomizations.add(folderOf(uri));
  }

  observeFile(uri: string, text: string | undefined): void {
    if (text === undefined) {
      this.texts.delete(uri);
      this.parsed.forget(uri);
    }
    else if (this.texts.get(uri) === text) return;
    else {
      if (!this.texts.has(uri)) for (let folder = folderOf(uri); folder.length > 'file://'.length && !this.knownFolders.has(folder); folder = folderOf(folder)) this.knownFolders.add(folder);
      this.texts.set(uri, text);
    }
    if (isKustomizationUri(uri)) this.changedKustomizations.add(folderOf(uri));
    for (const folder of this.readers.get(uri) ?? []) this.stale(folder);
  }

  useValidation(context: ValidationContext, settings: Settings): void {
    this.context = context;
    this.renderer = settings.kustomize.renderer;
    for (const rendered of this.renders.values()) rendered.findings = undefined;
  }

  private stale(folder: string): void {
    const rendered = this.renders.get(folder);
    if (!rendered) return;
    rendered.stale = true;
    rendered.findings = undefined;
  }

  /** A folder that no longer has a kustomization file. */
  private forget(folder: string): void {
    for (const dependency of this.renders.get(folder)?.result.dependencies ?? []) this.readers.get(dependency)?.delete(folder);
    this.renders.delete(folder);
  }

  /** The folder's render, redone when stale; only a change in what it includes resets the roots. */
  private render(folder: string): Rendered {
    const previous = this.renders.get(folder);
    if (previous && !previous.stale) return previous;
    const rendered: Rendered = { result: buildKustomization(folder, this.reader, this.parsed), stale: false };
    this.renders.set(folder, rendered);
    for (const dependency of previous?.result.dependencies ?? []) this.readers.get(dependency)?.delete(folder);
    for (const dependency of rendered.result.dependencies) addTo(this.readers, dependency, folder);
    const includes = (result: RenderResult | undefined): string => (result?.dependencies.filter(isKustomizationUri) ?? []).join('\n');
    if (includes(previous?.result) !== includes(rendered.result)) this.roots = undefined;
    return rendered;
  }

  /** The last render, stale or not: enough to know what a kustomization includes and patches. */
  private lastRender(folder: string): RenderResult {
    return (this.renders.get(folder) ?? this.render(folder)).result;
  }

  /**
   * The kustomizations no other one includes: what gets applied. Rendering every
   * kustomization (the cached ones cost nothing) tells which include which.
   */
  private rootFolders(): Set<string> {
    if (this.roots && this.changedKustomizations.size === 0) return this.roots;
    const folders = [...new Set([...this.kustomizationFiles].map(folderOf))];
    for (const folder of this.changedKustomizations) {
      this.roots = undefined;
      this.stale(folder);
      if (folders.includes(folder)) this.render(folder);
      else this.forget(folder);
    }
    this.changedKustomizations.clear();
    for (const folder of folders) if (!this.renders.has(folder)) this.render(folder);
    if (this.roots) return this.roots;
    const included = new Set<string>();
    for (const folder of folders) {
      for (const dependency of this.lastRender(folder).dependencies) {
        if (isKustomizationUri(dependency) && folderOf(dependency) !== folder) included.add(folderOf(dependency));
      }
    }
    const roots = new Set(folders.filter((folder) => !included.has(folder)));
    // Kustomizations that include each other (a cycle) have no root above them: each counts as one.
    const reached = new Set([...roots].flatMap((root) => this.lastRender(root).dependencies.filter(isKustomizationUri).map(folderOf)));
    for (const folder of folders) if (!reached.has(folder)) roots.add(folder);
    this.roots = roots;
    return roots;
  }

  private findingsOf(folder: string): Map<string, OverlayFinding[]> {
    const rendered = this.render(folder);
    if (rendered.findings) return rendered.findings;
    const { result } = rendered;
    const overlay = shortFolderName(folder);
    const external = this.externalObjects(folder, result);
    // Once the outside renderer has rendered it, "not rendered" is no longer true.
    const problems = external ? result.problems.filter((problem) => problem.rule !== 'kustomize/not-rendered') : result.problems;
    const all: OverlayFinding[] = problems.map((problem: LocatedFinding) => ({ ...problem, original: problem.message }));
    const objects = external ?? (result.notRendered ? undefined : result.objects);
    if (this.context && this.renderer !== 'off' && objects) {
      for (const finding of validateRendered(objects, this.context, overlay)) all.push({ ...finding, overlay });
    }
    const byFile = new Map<string, OverlayFinding[]>();
    for (const finding of all) {
      const list = byFile.get(finding.uri);
      if (list) list.push(finding);
      else byFile.set(finding.uri, [finding]);
    }
    rendered.findings = byFile;
    return byFile;
  }

  /**
   * The outside renderer's objects for this render, when it is used (`kubectl`, or `auto` for
   * what the embedded build cannot render) and has answered; otherwise it is asked, and its
   * answer re-publishes the files involved.
   */
  private externalObjects(folder: string, result: RenderResult): RenderedObject[] | undefined {
    const external = this.external;
    const wanted = this.renderer === 'kubectl' || (this.renderer === 'auto' && result.notRendered !== undefined);
    if (!external || !wanted) return undefined;
    const known = this.externalRenders.get(folder);
    if (known?.basis === result) return known.objects;
    const pending: ExternalRender = { basis: result };
    this.externalRenders.set(folder, pending);
    void external.render(folder).then((outcome) => {
      if (this.externalRenders.get(folder) !== pending) return;
      // A failure leaves the embedded build's "not rendered" note standing, which says what to do.
      if (!outcome.ok) return;
      pending.objects = withSourceMapping(outcome.objects, result);
      const rendered = this.renders.get(folder);
      if (rendered?.result === result) rendered.findings = undefined;
      external.changed(result.dependencies.filter((uri) => this.texts.has(uri)));
    });
    return undefined;
  }

  /** Findings every root places in a file, one per problem however many overlays share it. */
  private collect(uri: string): ContributedFinding[] {
    const roots = this.rootFolders();
    const merged = new Map<string, { finding: OverlayFinding; overlays: string[] }>();
    for (const folder of roots) {
      if (!this.readers.get(uri)?.has(folder)) continue;
      for (const finding of this.findingsOf(folder).get(uri) ?? []) {
        const key = `${finding.rule}|${finding.range.start.line}:${finding.range.start.character}|${finding.original}`;
        const existing = merged.get(key);
        if (!existing) merged.set(key, { finding, overlays: finding.overlay ? [finding.overlay] : [] });
        else if (finding.overlay) existing.overlays.push(finding.overlay);
      }
    }
    return [...merged.values()].map(({ finding, overlays }) => ({
      range: finding.range,
      severity: finding.severity,
      rule: finding.rule,
      message: overlays.length > 1 ? `In overlays ${overlays.sort().join(', ')}: ${finding.original}` : finding.message,
      original: finding.original,
    }));
  }

  diagnose(uri: string): Finding[] {
    return this.collect(uri).map((finding): Finding => ({ range: finding.range, severity: finding.severity, rule: finding.rule, message: finding.message }));
  }

  findingsFor(uri: string): ContributedFinding[] {
    return isKustomizationUri(uri) ? [] : this.collect(uri);
  }

  isFragment(uri: string): boolean {
    this.rootFolders();
    for (const folder of this.readers.get(uri) ?? []) if (this.lastRender(folder).patchFiles.includes(uri)) return true;
    return false;
  }

  includesObjectsOf(uri: string): boolean {
    this.rootFolders();
    for (const folder of this.readers.get(uri) ?? []) if (this.lastRender(folder).resourceFiles.includes(uri)) return true;
    return false;
  }

  generatedObjects(): RenderResult['generated'] {
    return [...this.rootFolders()].flatMap((folder) => this.lastRender(folder).generated);
  }

  dependentsOf(uri: string): string[] {
    const roots = this.rootFolders();
    const dependents = new Set<string>();
    for (const folder of this.readers.get(uri) ?? []) {
      if (!roots.has(folder)) continue;
      for (const dependency of this.lastRender(folder).dependencies) if (this.texts.has(dependency)) dependents.add(dependency);
    }
    dependents.delete(uri);
    return [...dependents];
  }

  /** The last render of a kustomization folder (for drift, plan and app ownership). */
  renderFolder(folderUri: string): RenderResult {
    return this.render(folderUri.replace(/\/+$/, '')).result;
  }
}
