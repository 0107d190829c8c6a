/**
 * Which objects a patch applies to: its `target` (kind, name and namespace as regular
 * expressions, label and annotation selectors), or for a strategic merge patch without one,
 * the object it names. Names match the current name or the name the object was defined with.
 */
import { apiVersionOf, groupOf, kindOf, nameOf, namespaceOf, type Resource } from './resources';
import { treeAt, treeToValue } from './tree';

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
  /** Names are literal (a patch naming its object), not regular expressions (a `target`). */
  exact?: boolean;
}

function matchesText(pattern: string | undefined, values: readonly (string | undefined)[], exact: boolean): boolean {
  if (pattern === undefined) return true;
  if (exact) return values.includes(pattern);
  let expression: RegExp;
  try {
    expression = new RegExp(`^(?:${pattern})$`);
  } catch {
    return values.includes(pattern);
  }
  return values.some((value) => value !== undefined && expression.test(value));
}

/** Equality-based and set-based label selectors: `a=b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`. */
export function matchesLabelSelector(selector: string, labels: Record<string, unknown>): boolean {
  const requirements = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return requirements.every((raw) => {
    const requirement = raw.trim();
    if (requirement === '') return true;
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(requirement);
    if (set) {
      const values = set[3].split(',').map((value) => value.trim());
      const present = Object.hasOwn(labels, set[1]) && values.includes(String(labels[set[1]]));
      return set[2] === 'in' ? present : !present;
    }
    const inequality = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(requirement);
    if (inequality) return String(labels[inequality[1]] ?? '') !== inequality[2] || !Object.hasOwn(labels, inequality[1]);
    const equality = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(requirement);
    if (equality) return Object.hasOwn(labels, equality[1]) && String(labels[equality[1]]) === equality[2];
    if (requirement.startsWith('!')) return !Object.hasOwn(labels, requirement.slice(1).trim());
    return Object.hasOwn(labels, requirement);
  });
}

function metadataMap(resource: Resource, field: 'labels' | 'annotations'): Record<string, unknown> {
  const node = treeAt(resource.tree, ['metadata', field]);
  return node?.kind === 'map' ? (treeToValue(node) as Record<string, unknown>) : {};
}

export function matchesSelector(resource: Resource, target: PatchTarget): boolean {
  const exact = target.exact === true;
  const apiVersion = apiVersionOf(resource);
  if (target.group !== undefined && !matchesText(target.group, [groupOf(apiVersion)], exact)) return false;
  if (target.version !== undefined && !matchesText(target.version, [apiVersion.slice(apiVersion.indexOf('/') + 1)], exact)) return false;
  if (!matchesText(target.kind, [kindOf(resource)], exact)) return false;
  if (!matchesText(target.name, [nameOf(resource), resource.originalName], exact)) return false;
  if (!matchesText(target.namespace, [namespaceOf(resource), resource.originalNamespace], exact)) return false;
  if (target.labelSelector !== undefined && !matchesLabelSelector(target.labelSelector, metadataMap(resource, 'labels'))) return false;
  if (target.annotationSelector !== undefined && !matchesLabelSelector(target.annotationSelector, metadataMap(resource, 'annotations'))) return false;
  return true;
}
