/**
 * Every rule id the kustomization checks and the embedded build report (fields.ts, build.ts,
 * patchApplication.ts), with its default severity. Ids are a contract: users configure and
 * suppress rules by id.
 */
import type { RuleMeta } from '../kubernetes/resource';

export const KUSTOMIZE_RULE_TABLE: readonly RuleMeta[] = [
  { id: 'kustomize/schema', defaultSeverity: 'error', description: 'A kustomization file must have only known fields, of the right types, and the apiVersion of its kind.' },
  { id: 'kustomize/deprecated-field', defaultSeverity: 'warning', description: 'A kustomization field deprecated since kustomize v5 (bases, commonLabels, patchesStrategicMerge, patchesJson6902, vars).' },
  { id: 'kustomize/missing-path', defaultSeverity: 'error', description: 'Every local path a kustomization names must exist.' },
  { id: 'kustomize/patch-target', defaultSeverity: 'error', description: 'A patch, replicas entry or merging generator must target an object the kustomization produces.' },
  { id: 'kustomize/patch', defaultSeverity: 'error', description: 'A JSON 6902 patch operation must apply to the object it targets.' },
  { id: 'kustomize/duplicate-resource', defaultSeverity: 'error', description: 'A kustomization must not add the same object twice.' },
  { id: 'kustomize/build', defaultSeverity: 'error', description: 'A kustomization must build: no cycles, components listed as components, documents with a kind and name.' },
  { id: 'kustomize/not-rendered', defaultSeverity: 'info', description: 'A feature the embedded build does not run, so the kustomization is not rendered and its output not validated.' },
];
