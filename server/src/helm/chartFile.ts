/**
 * Checks a chart's Chart.yaml the way Helm reads it (apiVersion v2; v1 is Helm 2's format):
 * required fields, types, SemVer versions and constraints, dependency entries and unknown
 * fields (Helm ignores those silently, so a misspelled `dependecies` would vanish).
 */
import { closestMatch } from '../core/spelling';
import type { Finding, Severity } from '../core/types';
import type { PathSegment } from '../yaml/path';
import { classifyVersion, invalidConstraintPart } from './semver';
import { parseYamlFile, pathRange, type YamlFile } from './yamlDocument';

export const CHART_RULE = 'helm/chart';
export const CHART_API_VERSION_RULE = 'helm/chart-api-version';
export const CHART_UNKNOWN_FIELD_RULE = 'helm/chart-unknown-field';

type FieldKind = 'string' | 'boolean' | 'string-list' | 'string-map' | 'list' | 'any';

const CHART_FIELDS: Record<string, FieldKind> = {
  apiVersion: 'string',
  name: 'string',
  version: 'string',
  kubeVersion: 'string',
  description: 'string',
  type: 'string',
  keywords: 'string-list',
  home: 'string',
  sources: 'string-list',
  dependencies: 'list',
  maintainers: 'list',
  icon: 'string',
  appVersion: 'string',
  deprecated: 'boolean',
  annotations: 'string-map',
};

const DEPENDENCY_FIELDS: Record<string, FieldKind> = {
  name: 'string',
  version: 'string',
  repository: 'string',
  condition: 'string',
  tags: 'string-list',
  enabled: 'boolean',
  'import-values': 'list',
  alias: 'string',
};

const MAINTAINER_FIELDS: Record<string, FieldKind> = { name: 'string', email: 'string', url: 'string' };

/** Helm's rule for an alias (chart.Dependency.Validate). */
const ALIAS = /^[a-zA-Z0-9_-]+$/;
const REPOSITORY_URL = /^(?:https?|oci):\/\/\S+$/;

export interface ChartDependency {
  name?: string;
  /** The folder a `file://` repository points at, relative to the chart. */
  localPath?: string;
  localPathRange?: Finding['range'];
}

export interface ChartFacts {
  name?: string;
  dependencies: ChartDependency[];
}

export interface ChartFileResult {
  findings: Finding[];
  facts: ChartFacts;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

const KIND_WORDS: Record<FieldKind, string> = {
  string: 'a string',
  boolean: 'true or false',
  'string-list': 'a list of strings',
  'string-map': 'a mapping of strings to strings',
  list: 'a list',
  any: 'a value',
};

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string-list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'string-map':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
    case 'list':
      return Array.isArray(value);
    case 'any':
      return true;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

class ChartFileChecker {
  readonly findings: Finding[] = [];

  constructor(readonly file: YamlFile) {}

  report(path: readonly PathSegment[], message: string, options: { at?: 'key' | 'value'; rule?: string; severity?: Severity } = {}): void {
    this.findings.push({ range: pathRange(this.file, path, options.at), severity: options.severity ?? 'error', rule: options.rule ?? CHART_RULE, message });
  }

  /** Types of known fields, unknown fields with a suggestion. Returns false when `value` is not a mapping. */
  checkFields(value: unknown, path: readonly PathSegment[], fields: Record<string, FieldKind>, what: string): value is Record<string, unknown> {
    if (!isRecord(value)) {
      this.report(path, `${what} must be a mapping, found ${describe(value)}.`);
      return false;
    }
    for (const [key, fieldValue] of Object.entries(value)) {
      const kind = fields[key];
      if (!kind) {
        const suggestion = closestMatch(key, Object.keys(fields));
        this.report([...path, key], `Unknown field "${key}" in ${what}; Helm ignores it.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, { at: 'key', rule: CHART_UNKNOWN_FIELD_RULE, severity: 'warning' });
        continue;
      }
      if (!hasKind(fieldValue, kind)) {
        const hint = kind === 'string' && typeof fieldValue === 'number' ? ` Quote it: YAML reads ${String(fieldValue)} as a number.` : '';
        this.report([...path, key], `"${key}" must be ${KIND_WORDS[kind]}, found ${describe(fieldValue)}.${hint}`);
      }
    }
    return true;
  }

  requireString(record: Record<string, unknown>, path: readonly PathSegment[], key: string, what: string, why = ''): string | undefined {
    const value = record[key];
    if (value === undefined || value === null || value === '') {
      this.report(value === undefined ? path : [...path, key], `${what} needs "${key}".${why}`, { at: 'key' });
      return undefined;
    }
    return typeof value === 'string' ? value : undefined;
  }
}

function checkDependency(checker: ChartFileChecker, entry: unknown, index: number): ChartDependency {
  const path = ['dependencies', index];
  const dependency: ChartDependency = {};
  if (!checker.checkFields(entry, path, DEPENDENCY_FIELDS, `dependencies[${index}]`)) return dependency;
  dependency.name = checker.requireString(entry, path, 'name', `dependencies[${index}]`);
  const version = checker.requireString(entry, path, 'version', `dependencies[${index}]`, ' `helm dependency update` cannot resolve it without one.');
  if (version !== undefined) {
    if (invalidConstraintPart(version) !== undefined) checker.report([...path, 'version'], `"${version}" is not a version constraint: use a version or a range such as ^1.2.0 or >=1.2.0 <2.0.0.`);
  }
  const repository = entry.repository;
  if (typeof repository === 'string' && repository !== '') {
    if (repository.startsWith('file://')) {
      dependency.localPath = repository.slice('file://'.length);
      dependency.localPathRange = pathRange(checker.file, [...path, 'repository']);
    } else if (!REPOSITORY_URL.test(repository) && !/^(?:@|alias:)\S+$/.test(repository)) {
      checker.report([...path, 'repository'], `"${repository}" is not a chart repository: use an https://, http:// or oci:// URL, file://PATH for a chart in this repository, or @NAME for a repository added with \`helm repo add\`.`);
    }
  }
  if (typeof entry.alias === 'string' && !ALIAS.test(entry.alias)) {
    checker.report([...path, 'alias'], `Alias "${entry.alias}" may hold only letters, digits, "_" and "-".`);
  }
  return dependency;
}

function checkMaintainers(checker: ChartFileChecker, maintainers: unknown[]): void {
  maintainers.forEach((entry, index) => {
    const path = ['maintainers', index];
    if (!checker.checkFields(entry, path, MAINTAINER_FIELDS, `maintainers[${index}]`)) return;
    checker.requireString(entry, path, 'name', `maintainers[${index}]`);
  });
}

function checkVersion(checker: ChartFileChecker, version: string): void {
  const verdict = classifyVersion(version);
  if (verdict === 'invalid') {
    checker.report(['version'], `Version "${version}" is not a SemVer 2 version such as 1.2.3 or 1.2.3-rc.1.`);
  } else if (verdict === 'loose') {
    checker.report(['version'], `Version "${version}" is not SemVer 2: Helm accepts it, but chart repositories and OCI registries need MAJOR.MINOR.PATCH (such as 1.2.3).`, { severity: 'warning' });
  }
}

/** Checks a Chart.yaml's text. `chartExists` answers for `file://` dependencies, relative to the chart's folder. */
export function checkChartFile(text: string, chartExists: (relativePath: string) => boolean): ChartFileResult {
  const file = parseYamlFile(text);
  const facts: ChartFacts = { dependencies: [] };
  if (file.problems.length > 0) return { findings: file.problems, facts };
  const checker = new ChartFileChecker(file);
  const chart = file.value;
  if (!checker.checkFields(chart, [], CHART_FIELDS, 'Chart.yaml')) return { findings: checker.findings, facts };

  const apiVersion = checker.requireString(chart, [], 'apiVersion', 'Chart.yaml', ' Use apiVersion: v2 (Helm 3 and later).');
  if (apiVersion === 'v1') {
    checker.report(['apiVersion'], 'apiVersion v1 is the Helm 2 chart format, deprecated since Helm 3: use v2 (dependencies then go in Chart.yaml, not requirements.yaml).', { rule: CHART_API_VERSION_RULE, severity: 'warning' });
  } else if (apiVersion !== undefined && apiVersion !== 'v2') {
    checker.report(['apiVersion'], `apiVersion "${apiVersion}" is not a chart format Helm knows: use v2.`);
  }
  facts.name = checker.requireString(chart, [], 'name', 'Chart.yaml');
  const version = checker.requireString(chart, [], 'version', 'Chart.yaml');
  if (version !== undefined) checkVersion(checker, version);
  if (typeof chart.kubeVersion === 'string') {
    if (invalidConstraintPart(chart.kubeVersion) !== undefined) checker.report(['kubeVersion'], `kubeVersion "${chart.kubeVersion}" is not a version constraint such as ">=1.25.0-0".`);
  }
  if (typeof chart.type === 'string' && chart.type !== 'application' && chart.type !== 'library') {
    const suggestion = closestMatch(chart.type, ['application', 'library']);
    checker.report(['type'], `type "${chart.type}" is not a chart type: use application or library.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`);
  }
  if (Array.isArray(chart.dependencies)) {
    if (apiVersion === 'v1') checker.report(['dependencies'], 'apiVersion v1 charts list dependencies in requirements.yaml; Helm ignores them here.', { at: 'key' });
    facts.dependencies = chart.dependencies.map((entry, index) => checkDependency(checker, entry, index));
    for (const dependency of facts.dependencies) {
      if (dependency.localPath !== undefined && !chartExists(dependency.localPath)) {
        checker.findings.push({ range: dependency.localPathRange!, severity: 'error', rule: CHART_RULE, message: `No chart (Chart.yaml) at "${dependency.localPath}", relative to this chart.` });
      }
    }
  }
  if (Array.isArray(chart.maintainers)) checkMaintainers(checker, chart.maintainers);
  return { findings: checker.findings, facts };
}
