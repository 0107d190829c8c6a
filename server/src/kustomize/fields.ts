/**
 * The fields of a kustomization file (kustomize v5's `Kustomization` type) as a compact
 * table, and the check of a file against it: unknown fields with "did you mean", wrong
 * types, the apiVersion for each kind, and the fields kustomize has deprecated.
 */
import { closestMatch } from '../core/spelling';
import type { Finding } from '../core/types';
import { locationOf, type TreeNode } from './tree';

type FieldType =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'stringMap'
  | 'stringList'
  | 'any'
  | { object: Record<string, FieldType> }
  | { list: FieldType };

const stringList: FieldType = 'stringList';
const selector: FieldType = {
  object: { group: 'string', version: 'string', kind: 'string', name: 'string', namespace: 'string', labelSelector: 'string', annotationSelector: 'string' },
};
const generatorOptions: FieldType = {
  object: { labels: 'stringMap', annotations: 'stringMap', disableNameSuffixHash: 'boolean', immutable: 'boolean' },
};
const generatorFields = {
  name: 'string', namespace: 'string', behavior: 'string', files: stringList, literals: stringList, envs: stringList, env: 'string',
  options: generatorOptions,
} as const satisfies Record<string, FieldType>;
const fieldSpecs: FieldType = { list: { object: { path: 'string', group: 'string', version: 'string', kind: 'string', create: 'boolean' } } };

export const KUSTOMIZATION_FIELDS: Record<string, FieldType> = {
  apiVersion: 'string',
  kind: 'string',
  metadata: { object: { name: 'string', namespace: 'string', labels: 'stringMap', annotations: 'stringMap' } },
  openapi: { object: { path: 'string', version: 'string' } },
  namePrefix: 'string',
  nameSuffix: 'string',
  namespace: 'string',
  commonLabels: 'stringMap',
  labels: { list: { object: { pairs: 'stringMap', includeSelectors: 'boolean', includeTemplates: 'boolean', fields: fieldSpecs } } },
  commonAnnotations: 'stringMap',
  patchesStrategicMerge: stringList,
  patchesJson6902: { list: { object: { target: selector, path: 'string', patch: 'string' } } },
  patches: { list: { object: { path: 'string', patch: 'string', target: selector, options: { object: { allowNameChange: 'boolean', allowKindChange: 'boolean' } } } } },
  images: { list: { object: { name: 'string', newName: 'string', newTag: 'string', digest: 'string', tagSuffix: 'string' } } },
  replacements: { list: { object: { path: 'string', source: 'any', targets: 'any' } } },
  replicas: { list: { object: { name: 'string', count: 'integer' } } },
  vars: { list: 'any' },
  sortOptions: { object: { order: 'string', legacySortOptions: 'any' } },
  resources: stringList,
  components: stringList,
  crds: stringList,
  bases: stringList,
  configMapGenerator: { list: { object: generatorFields } },
  secretGenerator: { list: { object: { ...generatorFields, type: 'string' } } },
  helmGlobals: { object: { chartHome: 'string', configHome: 'string' } },
  helmCharts: {
    list: {
      object: {
        name: 'string', version: 'string', repo: 'string', releaseName: 'string', namespace: 'string', additionalValuesFiles: stringList,
        valuesFile: 'string', valuesInline: 'any', valuesMerge: 'string', includeCRDs: 'boolean', skipHooks: 'boolean', apiVersions: stringList,
        kubeVersion: 'string', nameTemplate: 'string', skipTests: 'boolean', debug: 'boolean',
      },
    },
  },
  helmChartInflationGenerator: { list: 'any' },
  generatorOptions,
  configurations: stringList,
  generators: stringList,
  transformers: stringList,
  validators: stringList,
  buildMetadata: stringList,
};

/** What replaces each field kustomize v5 deprecated (`kustomize edit fix` rewrites them). */
const DEPRECATED_FIELDS: Record<string, string> = {
  bases: 'list the bases under "resources"',
  patchesStrategicMerge: 'use "patches" (each entry with a "path" or "patch")',
  patchesJson6902: 'use "patches" (each entry with a "target" and a "path" or "patch")',
  commonLabels: 'use "labels" (with "includeSelectors: true" to keep the selector behaviour)',
  vars: 'use "replacements"',
  helmChartInflationGenerator: 'use "helmCharts"',
};

const API_VERSIONS: Record<string, string> = {
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
  Component: 'kustomize.config.k8s.io/v1alpha1',
};

function describeType(type: FieldType): string {
  if (typeof type === 'string') {
    return { string: 'a string', boolean: 'true or false', integer: 'an integer', stringMap: 'a mapping of strings', stringList: 'a list of strings', any: 'anything' }[type];
  }
  return 'list' in type ? 'a list' : 'a mapping';
}

function describeNode(node: TreeNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'nothing (null)';
  return typeof node.value === 'string' ? `the string "${node.value}"` : `${typeof node.value === 'number' ? 'the number' : 'the value'} ${String(node.value)}`;
}

function matches(node: TreeNode, type: FieldType): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return node.kind === 'scalar' && typeof node.value === 'string';
    case 'boolean':
      return node.kind === 'scalar' && typeof node.value === 'boolean';
    case 'integer':
      return node.kind === 'scalar' && Number.isInteger(node.value);
    // kustomize reads label and annotation values as strings; YAML numbers and booleans there fail its build.
    case 'stringMap':
      return node.kind === 'map' && [...node.entries.values()].every((child) => child.kind === 'scalar' && typeof child.value === 'string');
    case 'stringList':
      return node.kind === 'seq';
    default:
      return 'list' in type ? node.kind === 'seq' : node.kind === 'map';
  }
}

const schemaError = (node: TreeNode, at: 'key' | 'value', message: string): Finding => ({ range: locationOf(node.origin, at).range, severity: 'error', rule: 'kustomize/schema', message });

function checkValue(node: TreeNode, type: FieldType, where: string, findings: Finding[]): void {
  if (node.kind === 'scalar' && node.value === null) return;
  if (!matches(node, type)) {
    if (type === 'stringMap' && node.kind === 'map') {
      for (const [name, child] of node.entries) {
        if (child.kind !== 'scalar' || typeof child.value !== 'string') findings.push(schemaError(child, 'value', `Wrong type for "${where}.${name}": expected a string, found ${describeNode(child)}. Quote it.`));
      }
      return;
    }
    findings.push(schemaError(node, 'value', `Wrong type for "${where}": expected ${describeType(type)}, found ${describeNode(node)}.`));
    return;
  }
  if (type === 'stringList' && node.kind === 'seq') {
    node.items.forEach((item, index) => {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') findings.push(schemaError(item, 'value', `Wrong type for "${where}[${index}]": expected a string, found ${describeNode(item)}.`));
    });
  } else if (typeof type === 'object' && 'list' in type && node.kind === 'seq') {
    node.items.forEach((item, index) => checkValue(item, type.list, `${where}[${index}]`, findings));
  } else if (typeof type === 'object' && 'object' in type && node.kind === 'map') {
    checkFields(node.entries, type.object, `${where}.`, findings);
  }
}

function checkFields(entries: Map<string, TreeNode>, fields: Record<string, FieldType>, prefix: string, findings: Finding[]): void {
  for (const [name, child] of entries) {
    const type = fields[name];
    if (!type) {
      const suggestion = closestMatch(name, Object.keys(fields));
      const where = prefix ? ` in ${prefix.slice(0, -1)}` : '';
      const finding = schemaError(child, 'key', `Unknown field "${name}"${where}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`);
      if (suggestion) finding.fixes = [{ title: `Rename to ${suggestion}`, edits: [{ range: finding.range, newText: suggestion }] }];
      findings.push(finding);
      continue;
    }
    checkValue(child, type, `${prefix}${name}`, findings);
  }
}

/** Findings on a kustomization file's own fields (paths are checked by the build, which reads them). */
export function checkKustomizationFields(root: TreeNode): Finding[] {
  if (root.kind !== 'map') return [schemaError(root, 'value', `A kustomization file must be a mapping, found ${describeNode(root)}.`)];
  const findings: Finding[] = [];
  checkFields(root.entries, KUSTOMIZATION_FIELDS, '', findings);
  const kindNode = root.entries.get('kind');
  const kind = kindNode?.kind === 'scalar' && typeof kindNode.value === 'string' ? kindNode.value : 'Kustomization';
  if (kindNode && !API_VERSIONS[kind]) {
    findings.push(schemaError(kindNode, 'value', `The kind of a kustomization file is "Kustomization" or "Component", not "${kind}".`));
  }
  const apiVersionNode = root.entries.get('apiVersion');
  const expected = API_VERSIONS[kind];
  if (expected && apiVersionNode?.kind === 'scalar' && typeof apiVersionNode.value === 'string' && apiVersionNode.value !== expected) {
    const finding = schemaError(apiVersionNode, 'value', `A ${kind} has apiVersion ${expected}, not ${apiVersionNode.value}.`);
    finding.fixes = [{ title: `Change apiVersion to ${expected}`, edits: [{ range: finding.range, newText: expected }] }];
    findings.push(finding);
  }
  if (kind === 'Component' && !apiVersionNode) findings.push(schemaError(root, 'value', `A Component needs "apiVersion: ${API_VERSIONS.Component}".`));
  for (const [name, child] of root.entries) {
    const replacement = DEPRECATED_FIELDS[name];
    if (replacement) findings.push({ range: locationOf(child.origin, 'key').range, severity: 'warning', rule: 'kustomize/deprecated-field', message: `"${name}" is deprecated since kustomize v5: ${replacement}.` });
  }
  return findings;
}
