/**
 * Checks the API server would make that a JSON Schema cannot express: a workload's
 * selector must select its own pods, and names must be valid DNS names.
 */
import type { PathSegment } from '../yaml/path';
import { getIn, isRecord, type KubernetesResource, type ResourceReport } from './resource';
import { SELECTOR_WORKLOAD_KINDS, containersOf, podSpecOf, podTemplateLabels } from './workloads';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kinds whose names become DNS labels (a Service's name is a hostname, a Namespace's a label). */
const LABEL_NAMED_KINDS = new Set(['Service', 'Namespace']);

/** Does a LabelSelector (matchLabels + matchExpressions) select these labels? */
export function selectorMatches(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  if (isRecord(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false;
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const expression of selector.matchExpressions) {
      if (!isRecord(expression) || typeof expression.key !== 'string') continue;
      const present = Object.hasOwn(labels, expression.key);
      const values = Array.isArray(expression.values) ? expression.values : [];
      const value = labels[expression.key];
      switch (expression.operator) {
        case 'In': if (!present || !values.includes(value)) return false; break;
        case 'NotIn': if (present && values.includes(value)) return false; break;
        case 'Exists': if (!present) return false; break;
        case 'DoesNotExist': if (present) return false; break;
      }
    }
  }
  return true;
}

function checkSelector(resource: KubernetesResource): ResourceReport[] {
  if (!SELECTOR_WORKLOAD_KINDS.has(resource.kind) || !podSpecOf(resource)) return [];
  const selector = getIn(resource.value, ['spec', 'selector']);
  if (!isRecord(selector)) return [];
  // A Job's selector is generated unless manualSelector is set.
  if (resource.kind === 'Job' && getIn(resource.value, ['spec', 'manualSelector']) !== true) return [];
  const labels = podTemplateLabels(resource) ?? {};
  if (selectorMatches(selector, labels)) return [];
  const wanted = isRecord(selector.matchLabels) ? Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(', ') : '';
  return [{
    path: ['spec', 'selector'],
    at: 'key',
    message: `spec.selector does not match the pod template's labels${wanted ? ` (it wants ${wanted})` : ''}: the API server rejects this ${resource.kind}.`,
  }];
}

function checkName(value: unknown, path: PathSegment[], label: boolean, what: string): ResourceReport[] {
  if (typeof value !== 'string' || value.includes('{{') || value.includes('${')) return [];
  const limit = label ? 63 : 253;
  const pattern = label ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  if (value.length <= limit && pattern.test(value)) return [];
  const shape = label ? 'a DNS-1123 label' : 'a DNS-1123 subdomain';
  return [{
    path,
    message: `${what} "${value}" is not ${shape}: use at most ${limit} lowercase letters, digits and "-"${label ? '' : ' or "."'}, starting and ending with a letter or digit.`,
  }];
}

function checkNames(resource: KubernetesResource): ResourceReport[] {
  const reports = checkName(resource.name, ['metadata', 'name'], LABEL_NAMED_KINDS.has(resource.kind), `${resource.kind} name`);
  reports.push(...checkName(resource.namespace, ['metadata', 'namespace'], true, 'Namespace'));
  for (const { path, container } of containersOf(resource)) reports.push(...checkName(container.name, [...path, 'name'], true, 'Container name'));
  return reports;
}

/** Rule ids of these checks; both are errors because the API server rejects the object. */
export const SEMANTIC_CHECKS = [
  { id: 'k8s/selector-mismatch', check: checkSelector },
  { id: 'k8s/invalid-name', check: checkNames },
] as const;
