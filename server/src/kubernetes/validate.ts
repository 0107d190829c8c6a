/**
 * Everything checked on one Kubernetes object: identity (apiVersion/kind), API lifecycle,
 * schema, semantics the API server enforces, and the best-practice rules.
 */
import type { ApiDeprecation } from '../schemas/bundle';
import { closestMatch } from '../core/spelling';
import type { Severity } from '../core/types';
import { checkApiLifecycle } from './apiLifecycle';
import type { ResourceFinding } from './findings';
import type { KubernetesResource, ResourceReport } from './resource';
import { KUBERNETES_RULES } from './rules';
import { reportsFromSchemaErrors } from './schemaErrors';
import type { KindSchema, KubernetesSchemas } from './schemaStore';
import { SEMANTIC_CHECKS } from './semantics';

export interface ValidationContext {
  schemas: KubernetesSchemas;
  deprecations: readonly ApiDeprecation[];
  /** Target Kubernetes version, `MAJOR.MINOR`. */
  targetVersion: string;
}

function place(resource: KubernetesResource, rule: string, severity: Severity, reports: readonly ResourceReport[]): ResourceFinding[] {
  return reports.map((report) => ({ ...report, rule, severity, path: [...resource.basePath, ...report.path] }));
}

/** Why an object without a schema (`entry` undefined) cannot be validated; undefined when it can. */
function checkIdentity(resource: KubernetesResource, context: ValidationContext, entry: KindSchema | undefined): ResourceFinding[] | undefined {
  const { apiVersion, kind, value } = resource;
  const missing = (field: string): ResourceFinding[] =>
    place(resource, 'k8s/schema', 'error', [{ path: Object.hasOwn(value, field) ? [field] : [], at: 'key', message: `Every Kubernetes object needs a string "${field}".` }]);
  if (typeof value.apiVersion !== 'string' || apiVersion === '') return missing('apiVersion');
  if (typeof value.kind !== 'string' || kind === '') return missing('kind');
  if (entry) return undefined;

  const servedBy = context.schemas.apiVersionsOf(kind);
  if (servedBy.length > 0) {
    return place(resource, 'k8s/schema', 'error', [{
      path: ['apiVersion'],
      message: `${kind} is not served by ${apiVersion} in Kubernetes ${context.schemas.version}; ${servedBy.length === 1 ? `use ${servedBy[0]}` : `it is served by ${servedBy.join(', ')}`}.`,
      replacements: servedBy.length === 1 ? [{ title: `Change apiVersion to ${servedBy[0]}`, newText: servedBy[0] }] : undefined,
    }]);
  }
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const sameGroupKinds = context.schemas.allKinds().filter((entry) => (entry.apiVersion.includes('/') ? entry.apiVersion.split('/')[0] : '') === group).map((entry) => entry.kind);
  const suggestion = closestMatch(kind, [...new Set(sameGroupKinds)]);
  if (suggestion) {
    return place(resource, 'k8s/schema', 'error', [{
      path: ['kind'],
      message: `Unknown kind "${kind}" in ${apiVersion}. Did you mean "${suggestion}"?`,
      replacements: [{ title: `Change kind to ${suggestion}`, newText: suggestion }],
    }]);
  }
  return place(resource, 'k8s/unknown-kind', 'info', [{
    path: ['kind'],
    message: `No schema for ${kind} (${apiVersion}), so it is not validated. Add its CustomResourceDefinition to the workspace to validate it.`,
  }]);
}

/** All findings for one object; paths are relative to its document's root. */
export function validateResource(resource: KubernetesResource, context: ValidationContext): ResourceFinding[] {
  const lifecycle = checkApiLifecycle(resource, context.deprecations, context.targetVersion);
  if (lifecycle.removed) return lifecycle.findings;
  const entry = context.schemas.lookup(resource.apiVersion, resource.kind);
  if (lifecycle.servedAtTarget && !entry) {
    // Still served at an older target version, but gone from the schemas we bundle.
    return [...lifecycle.findings, ...place(resource, 'k8s/unknown-kind', 'info', [{
      path: ['apiVersion'],
      message: `No bundled schema for ${resource.apiVersion} ${resource.kind} (schemas are for Kubernetes ${context.schemas.version}), so its fields are not validated.`,
    }])];
  }
  const identity = checkIdentity(resource, context, entry);
  if (identity || !entry) return [...lifecycle.findings, ...(identity ?? [])];

  const findings = [...lifecycle.findings];
  if (entry.deprecationWarning) {
    findings.push(...place(resource, 'k8s/deprecated-api', 'warning', [{ path: ['apiVersion'], message: entry.deprecationWarning }]));
  }
  const validate = context.schemas.validatorFor(entry);
  if (!validate(resource.value)) findings.push(...place(resource, 'k8s/schema', 'error', reportsFromSchemaErrors(validate.errors ?? [])));
  for (const semantic of SEMANTIC_CHECKS) findings.push(...place(resource, semantic.id, 'error', semantic.check(resource)));
  for (const rule of KUBERNETES_RULES) findings.push(...place(resource, rule.id, rule.defaultSeverity, rule.check(resource)));
  return findings;
}
