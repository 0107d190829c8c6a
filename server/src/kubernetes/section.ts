/**
 * Analysis of one YAML section (one `---` document): parse, validate every Kubernetes
 * object in it, and collect what the workspace index needs. The result holds no syntax
 * tree, only findings and small facts, so caching it per section stays cheap in memory.
 * All ranges are relative to the section's first line.
 */
import { convertCustomResourceDefinition } from '../schemas/crd';
import type { CustomResourceSchema } from '../schemas/bundle';
import type { Finding, Range, Severity } from '../core/types';
import type { YamlNode, YamlProblem } from '../yaml/compose';
import { firstLineRange, type LineIndex } from '../yaml/lines';
import { parseSection } from '../yaml/parse';
import { nodeAtPath, type PathSegment } from '../yaml/path';
import { isBlankSection } from '../yaml/sections';
import { parseSuppressions, type Suppression } from '../engine/suppressions';
import { isListKind, resourcesOf, textLooksLikeKubernetes } from './documents';
import type { ResourceFinding } from './findings';
import { factsOf, type ReferencedKind } from './references';
import type { KubernetesResource } from './resource';
import { validateResource, type ValidationContext } from './validate';

export interface IndexedReference {
  kind: ReferencedKind;
  name: string;
  range: Range;
}

/** One object as the workspace index sees it. */
export interface IndexedResource {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** Where to report on this object: its name, or its kind when it has no name. */
  range: Range;
  podLabels?: Record<string, unknown>;
  serviceSelector?: Record<string, unknown>;
  serviceSelectorRange?: Range;
  references: IndexedReference[];
}

export interface SectionAnalysis {
  /** A document here has both apiVersion and kind (or, unparseable, looks as if it had). */
  kubernetes: boolean;
  findings: Finding[];
  suppressions: Suppression[];
  resources: IndexedResource[];
  crds: CustomResourceSchema[];
}

/** How severe each YAML problem is, wherever a YAML file is parsed (Kubernetes sections, chart files). */
export const PROBLEM_SEVERITY: Record<YamlProblem['rule'], Severity> = {
  'yaml/syntax': 'error',
  'yaml/duplicate-key': 'error',
  'yaml/alias': 'error',
  'yaml/limits': 'warning',
};

/** The node to underline for a path: the key or the value, falling back to the object's `kind`. */
function locate(root: YamlNode, path: readonly PathSegment[], at: 'key' | 'value' | undefined): { node: YamlNode; exact: boolean } {
  const found = nodeAtPath(root, path);
  if (at === 'key' && found.key) return { node: found.key, exact: found.exact };
  if (at === 'key' && found.exact) {
    // The object itself has no key (it is a document root or a list item): point at its kind.
    const kind = nodeAtPath(found.node, ['kind']);
    if (kind.exact && kind.key) return { node: kind.key, exact: false };
  }
  return { node: found.node, exact: found.exact };
}

function placeFinding(root: YamlNode, lines: LineIndex, finding: ResourceFinding): Finding {
  const { node, exact } = locate(root, finding.path, finding.at);
  const placed: Finding = { range: firstLineRange(lines, node.start, node.end), severity: finding.severity, rule: finding.rule, message: finding.message };
  if (finding.replacements && exact) {
    const range = lines.rangeOf(node.start, node.end);
    placed.fixes = finding.replacements.map((replacement) => ({ title: replacement.title, edits: [{ range, newText: replacement.newText }] }));
  }
  return placed;
}

function problemFinding(lines: LineIndex, problem: YamlProblem): Finding {
  return { range: firstLineRange(lines, problem.start, Math.max(problem.end, problem.start)), severity: PROBLEM_SEVERITY[problem.rule], rule: problem.rule, message: problem.message };
}

function indexResource(root: YamlNode, lines: LineIndex, resource: KubernetesResource): IndexedResource {
  const rangeAt = (path: PathSegment[]): Range => {
    const { node } = nodeAtPath(root, [...resource.basePath, ...path]);
    return firstLineRange(lines, node.start, node.end);
  };
  const facts = factsOf(resource);
  const selectorKey = facts.serviceSelector ? nodeAtPath(root, [...resource.basePath, 'spec', 'selector']).key : undefined;
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name: resource.name,
    namespace: resource.namespace,
    range: rangeAt(resource.name ? ['metadata', 'name'] : ['kind']),
    podLabels: facts.podLabels,
    serviceSelector: facts.serviceSelector,
    serviceSelectorRange: selectorKey ? firstLineRange(lines, selectorKey.start, selectorKey.end) : undefined,
    references: facts.references.map((reference) => ({ kind: reference.kind, name: reference.name, range: rangeAt(reference.path) })),
  };
}

export function analyzeSection(text: string, context: ValidationContext): SectionAnalysis {
  const analysis: SectionAnalysis = { kubernetes: false, findings: [], suppressions: [], resources: [], crds: [] };
  if (isBlankSection(text)) return analysis;
  const parsed = parseSection(text);
  const { lines } = parsed;
  analysis.suppressions = parseSuppressions(text);
  analysis.findings.push(...parsed.problems.map((problem) => problemFinding(lines, problem)));
  if (parsed.problems.length > 0) analysis.kubernetes = textLooksLikeKubernetes(text);

  for (const document of parsed.documents) {
    analysis.findings.push(...document.problems.map((problem) => problemFinding(lines, problem)));
    const { root, value } = document;
    if (!root || value === undefined) {
      if (document.problems.length > 0) analysis.kubernetes ||= textLooksLikeKubernetes(text);
      continue;
    }
    const resources = resourcesOf(document);
    if (resources.length === 0) continue;
    const top = resources[0];
    if (typeof top.value.apiVersion === 'string' && typeof top.value.kind === 'string') analysis.kubernetes = true;
    for (const resource of resources) {
      // A List is a kubectl convenience, not an API object: its items are what gets validated.
      if (isListKind(resource.kind, resource.apiVersion)) continue;
      for (const finding of validateResource(resource, context)) analysis.findings.push(placeFinding(root, lines, finding));
      analysis.resources.push(indexResource(root, lines, resource));
      analysis.crds.push(...convertCustomResourceDefinition(resource.value, { factorRepeated: true }));
    }
  }
  return analysis;
}
