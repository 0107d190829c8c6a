/**
 * The validation engine: the one entry point the language server and the CLI share, so
 * both report identical diagnostics for the same file and settings. It keeps each file's
 * analysis per `---` section, keyed by the section's text: an edit re-analyses only the
 * section it touched, and the other sections' findings are reused with their line shifted.
 */
import { shiftFinding, shiftRange, type Finding } from '../core/types';
import type { CustomResourceSchema } from '../schemas/bundle';
import { textLooksLikeKubernetes } from '../kubernetes/documents';
import type { KubernetesSchemas, SchemaStore } from '../kubernetes/schemaStore';
import { analyzeSection, type SectionAnalysis } from '../kubernetes/section';
import type { ValidationContext } from '../kubernetes/validate';
import type { Settings } from '../settings';
import { splitSections, type Section } from '../yaml/sections';
import { isSuppressed, parseSuppressions, type Suppression } from './suppressions';
import { buildWorkspaceIndex, workspaceFindings, type LocatedResource, type WorkspaceIndex } from './workspaceChecks';

interface AnalyzedSection {
  section: Section;
  analysis: SectionAnalysis;
  /** Engine generation the analysis was made in; older ones are redone before use. */
  generation: number;
}

interface FileState {
  sections: AnalyzedSection[];
  /** The CRDs this file defines (the same objects while its CRD sections are unchanged). */
  crds: CustomResourceSchema[];
  /** Set when the file is not validated at all (too large, binary). */
  skipped?: Finding;
}

/**
 * Another language the engine validates beside Kubernetes YAML (Terraform; later Ansible).
 * It owns its files' parsing and analysis; the engine routes files to it and applies the
 * shared settings (rule levels) and suppression comments to what it finds.
 */
export interface LanguageWorkspace {
  /** Whether this language owns the file, by its path and (for YAML dialects such as Ansible) its text. */
  handles(uri: string, text: string): boolean;
  setFile(uri: string, text: string): void;
  removeFile(uri: string): void;
  diagnose(uri: string): Finding[];
  /** Sees every file the engine holds, whichever language owns it (a kustomization reads plain manifests). */
  observeFile?(uri: string, text: string | undefined): void;
  /** Findings this language places in another file (an error in an overlay's output, shown in the patch that caused it). */
  findingsFor?(uri: string): ContributedFinding[];
  /** The file is a fragment of objects (a patch): on its own, only its YAML is checked. */
  isFragment?(uri: string): boolean;
  /** The file's objects reach the cluster through this language (a kustomization's resources), not on their own. */
  includesObjectsOf?(uri: string): boolean;
  /** Objects the language generates that no file defines (ConfigMaps from a generator), for reference checks. */
  generatedObjects?(): { kind: string; name: string; namespace?: string }[];
  /** Files whose findings may change when this one changes, to be re-published. */
  dependentsOf?(uri: string): string[];
  /** The validation context and settings in force; called again whenever either changes. */
  useValidation?(context: ValidationContext, settings: Settings): void;
}

/** A finding one file's analysis places in another file. */
export interface ContributedFinding extends Finding {
  /** The message without its context ("In overlay …: "): a finding the file already reports itself is not repeated. */
  original: string;
}

/** Contributed findings the file does not already report itself (same rule, place and message). */
function withoutRepeats(contributed: readonly ContributedFinding[], own: readonly Finding[]): Finding[] {
  if (contributed.length === 0) return [];
  const key = (f: Finding, message: string): string => `${f.rule}|${f.range.start.line}:${f.range.start.character}|${message}`;
  const reported = new Set(own.map((f) => key(f, f.message)));
  return contributed.filter((f) => !reported.has(key(f, f.original))).map(({ original: _original, ...finding }) => finding);
}

/** How long an asynchronous analysis may hold the event loop before it yields. */
const SLICE_MS = 15;

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function skipNote(message: string): Finding {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'info', rule: 'file/skipped', message };
}

export class ValidationEngine {
  private readonly files = new Map<string, FileState>();
  private settings!: Settings;
  private context!: ValidationContext;
  private generation = 0;
  private crds: CustomResourceSchema[] = [];
  private index: WorkspaceIndex | undefined;
  /** Workspace-wide checks wait until the workspace has been read, so they never flicker. */
  workspaceChecks = true;
  /** Words for the user about the configuration (e.g. a version fallback). */
  notes: string[] = [];

  /** Files routed to another language, with their suppression comments. */
  private readonly languageFiles = new Map<string, { language: LanguageWorkspace; suppressions: Suppression[] }>();

  constructor(
    private readonly store: SchemaStore,
    settings: Settings,
    private readonly languages: readonly LanguageWorkspace[] = [],
  ) {
    this.configure(settings);
  }

  /** The language that owns a file (as of its last text), when it is not Kubernetes YAML. */
  languageOf(uri: string): LanguageWorkspace | undefined {
    return this.languageFiles.get(uri)?.language;
  }

  get schemas(): KubernetesSchemas {
    return this.context.schemas;
  }

  get kubernetesVersion(): string {
    return this.context.schemas.version;
  }

  /** Applies new settings; analyses made under different schemas are redone on next use. */
  configure(settings: Settings): void {
    const previous = this.settings;
    this.settings = settings;
    if (previous && previous.kubernetes.version === settings.kubernetes.version) return;
    const { schemas, note } = this.store.forVersion(settings.kubernetes.version);
    schemas.setWorkspaceCrds(this.crds);
    this.context = { schemas, deprecations: this.store.deprecations(), targetVersion: settings.kubernetes.version };
    this.notes = note ? [note] : [];
    this.generation++;
    this.configureLanguages();
  }

  private configureLanguages(): void {
    for (const language of this.languages) language.useValidation?.(this.context, this.settings);
  }

  /** Tells every language about a file's new text (undefined: removed); fragments and inclusions may change. */
  private observe(uri: string, text: string | undefined): void {
    for (const language of this.languages) language.observeFile?.(uri, text);
    this.index = undefined;
  }

  /** Files whose findings may have changed with this one (overlays over an edited base, their patches). */
  dependentsOf(uri: string): string[] {
    return [...new Set(this.languages.flatMap((language) => language.dependentsOf?.(uri) ?? []))];
  }

  private isFragment(uri: string): boolean {
    return this.languages.some((language) => language.isFragment?.(uri));
  }

  private contributedFindings(uri: string): ContributedFinding[] {
    return this.languages.flatMap((language) => language.findingsFor?.(uri) ?? []);
  }

  /**
   * Analyses a text and throws the result away: compiles the validators its kinds need and
   * warms the parser, so the user's first file does not pay for it.
   */
  warmUp(text: string): void {
    analyzeSection(text, this.context);
  }

  /**
   * The Kubernetes findings for a text that is no file of the workspace (rendered output),
   * in its own coordinates: no workspace checks, and rule levels are applied later, by
   * whoever places the findings in a file.
   */
  analyzeDetached(text: string): Finding[] {
    return splitSections(text).flatMap((section) => analyzeSection(section.text, this.context).findings.map((finding) => shiftFinding(finding, section.line)));
  }

  has(uri: string): boolean {
    return this.files.has(uri) || this.languageFiles.has(uri);
  }

  uris(): string[] {
    return [...this.files.keys(), ...this.languageFiles.keys()];
  }

  /** Analyses a file's text now. */
  setFile(uri: string, text: string): void {
    this.observe(uri, text);
    if (this.setLanguageFile(uri, text)) return;
    const steps = this.analyzeFile(uri, text);
    while (!steps.next().done);
  }

  /** Hands a file to its language, if another language owns it. Their analyses are incremental and quick. */
  private setLanguageFile(uri: string, text: string): boolean {
    const language = this.languages.find((candidate) => candidate.handles(uri, text));
    const previous = this.languageFiles.get(uri)?.language;
    // An edit can move a file between languages (a YAML file that becomes a playbook).
    if (previous && previous !== language) {
      previous.removeFile(uri);
      this.languageFiles.delete(uri);
    }
    if (!language) return false;
    const skipped = this.skipReason(text);
    if (skipped) {
      language.removeFile(uri);
      this.files.set(uri, { sections: [], crds: [], skipped });
      this.languageFiles.delete(uri);
      return true;
    }
    this.files.delete(uri);
    language.setFile(uri, text);
    this.languageFiles.set(uri, { language, suppressions: parseSuppressions(text) });
    return true;
  }

  /**
   * Analyses a file's text in slices, yielding the event loop between them. Returns false
   * (and changes nothing) when `isCurrent` says a newer text arrived meanwhile.
   */
  async setFileAsync(uri: string, text: string, isCurrent: () => boolean): Promise<boolean> {
    this.observe(uri, text);
    if (this.setLanguageFile(uri, text)) return true;
    const steps = this.analyzeFile(uri, text);
    let sliceStart = performance.now();
    for (;;) {
      if (!isCurrent()) return false;
      const step = steps.next(!isCurrent());
      if (step.done) return step.value;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  removeFile(uri: string): void {
    this.observe(uri, undefined);
    const languageFile = this.languageFiles.get(uri);
    if (languageFile) {
      languageFile.language.removeFile(uri);
      this.languageFiles.delete(uri);
    }
    const previous = this.files.get(uri);
    if (!previous) return;
    this.files.delete(uri);
    this.index = undefined;
    if (previous.crds.length > 0) this.reloadCrds();
  }

  private setState(uri: string, state: FileState): void {
    const previous = this.files.get(uri)?.crds ?? [];
    this.files.set(uri, state);
    // The workspace index is rebuilt lazily; the CRD set only when this file's CRDs changed.
    this.index = undefined;
    if (previous.length !== state.crds.length || previous.some((crd, i) => crd !== state.crds[i])) this.reloadCrds();
  }

  /**
   * The analysis as a series of steps, one per section, so the asynchronous caller can
   * yield between them. Sending `true` into the generator abandons it.
   */
  private *analyzeFile(uri: string, text: string): Generator<void, boolean, boolean | undefined> {
    const skipped = this.skipReason(text);
    if (skipped) {
      this.setState(uri, { sections: [], crds: [], skipped });
      return true;
    }
    const reusable = new Map<string, AnalyzedSection>();
    for (const previous of this.files.get(uri)?.sections ?? []) {
      if (previous.generation === this.generation) reusable.set(previous.section.text, previous);
    }
    const sections: AnalyzedSection[] = [];
    for (const section of splitSections(text)) {
      const cached = reusable.get(section.text);
      if (cached) {
        sections.push({ section, analysis: cached.analysis, generation: cached.generation });
        continue;
      }
      sections.push({ section, analysis: analyzeSection(section.text, this.context), generation: this.generation });
      if (yield) return false;
    }
    this.setState(uri, { sections, crds: sections.flatMap((s) => s.analysis.crds) });
    return true;
  }

  private skipReason(text: string): Finding | undefined {
    if (text.includes('\u0000')) return skipNote('This file holds binary data (NUL bytes), so it is not validated.');
    const limit = this.settings.validate.maxFileSize;
    if (text.length > limit && textLooksLikeKubernetes(text.slice(0, 65536))) {
      return skipNote(`This file is ${megabytes(text.length)}, over the ${megabytes(limit)} limit (gitopsIac.validate.maxFileSize), so it is not validated.`);
    }
    return undefined;
  }

  /** The workspace's CRDs changed: every analysis made with the old set is stale. */
  private reloadCrds(): void {
    this.crds = [...this.files.values()].flatMap((file) => file.crds);
    this.context.schemas.setWorkspaceCrds(this.crds);
    this.generation++;
    this.configureLanguages();
  }

  private refreshStale(uri: string, file: FileState): void {
    if (file.sections.every((s) => s.generation === this.generation)) return;
    for (const entry of file.sections) {
      if (entry.generation === this.generation) continue;
      entry.analysis = analyzeSection(entry.section.text, this.context);
      entry.generation = this.generation;
    }
    // Re-analysis may have found different CRDs (only when a CRD's own file was stale).
    this.setState(uri, { ...file, crds: file.sections.flatMap((s) => s.analysis.crds) });
  }

  private workspaceIndex(): WorkspaceIndex {
    if (!this.index) {
      const located: LocatedResource[] = [];
      for (const [uri, file] of this.files) {
        // A patch is not an object of its own: its target is indexed where it is defined.
        if (this.isFragment(uri)) continue;
        for (const { section, analysis } of file.sections) {
          for (const resource of analysis.resources) located.push({ uri, resource, range: shiftRange(resource.range, section.line), sectionLine: section.line });
        }
      }
      const judges = this.languages.filter((language) => language.includesObjectsOf);
      const included = judges.length > 0 ? (uri: string) => judges.some((language) => language.includesObjectsOf!(uri)) : undefined;
      const generated = this.languages.flatMap((language) => language.generatedObjects?.() ?? []);
      this.index = buildWorkspaceIndex(located, this.files.keys(), { includedByKustomization: included, generated });
    }
    return this.index;
  }

  /** Is this file one we validate (a document with apiVersion and kind)? */
  isKubernetesFile(uri: string): boolean {
    return this.files.get(uri)?.sections.some((s) => s.analysis.kubernetes) ?? false;
  }

  /** Every finding for a file, in file coordinates, after suppressions and rule settings. */
  diagnose(uri: string): Finding[] {
    if (!this.settings.validate.enable) return [];
    const contributed = this.contributedFindings(uri);
    const languageFile = this.languageFiles.get(uri);
    if (languageFile) {
      const { language, suppressions } = languageFile;
      const own = language.diagnose(uri);
      return this.applySettings([...own, ...withoutRepeats(contributed, own)].filter((f) => !isSuppressed(f, suppressions)));
    }
    const file = this.files.get(uri);
    if (!file) return [];
    if (file.skipped) return [file.skipped];
    this.refreshStale(uri, file);
    if (!file.sections.some((s) => s.analysis.kubernetes) && contributed.length === 0) return [];

    // A patch is checked as part of what it patches (the contributed findings); on its own, only as YAML.
    const fragment = this.isFragment(uri);
    const findings: Finding[] = [];
    const suppressions: Suppression[] = [];
    const located: LocatedResource[] = [];
    for (const { section, analysis } of file.sections) {
      for (const finding of analysis.findings) if (!fragment || finding.rule.startsWith('yaml/')) findings.push(shiftFinding(finding, section.line));
      for (const s of analysis.suppressions) suppressions.push({ ...s, fromLine: s.fromLine + section.line, toLine: s.toLine + section.line });
      for (const resource of analysis.resources) located.push({ uri, resource, range: shiftRange(resource.range, section.line), sectionLine: section.line });
    }
    if (this.workspaceChecks && !fragment) findings.push(...workspaceFindings(uri, located, this.workspaceIndex()));
    findings.push(...withoutRepeats(contributed, findings));
    return this.applySettings(findings.filter((f) => !isSuppressed(f, suppressions)));
  }

  private applySettings(findings: Finding[]): Finding[] {
    const levels = this.settings.rules;
    const result: Finding[] = [];
    for (const finding of findings) {
      const level = levels[finding.rule];
      if (level === 'off') continue;
      result.push(level ? { ...finding, severity: level } : finding);
    }
    return result.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
}
