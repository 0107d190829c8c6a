/**
 * A Kubernetes object as the checks see it: its identity, its plain value and the YAML
 * node it came from. Rules and semantic checks work on values and answer with paths;
 * only the engine turns paths into ranges, so checks stay pure and easy to test.
 */
import type { YamlNode } from '../yaml/compose';
import type { PathSegment } from '../yaml/path';
import type { Severity } from '../core/types';

export interface KubernetesResource {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  value: Record<string, unknown>;
  /** The object's node (a document root, or an item of a `kind: List`). */
  node: YamlNode;
  /** Where the object sits in its document: [] for a document, ['items', 3] inside a List. */
  basePath: PathSegment[];
}

/** What a rule or check reports; the engine places it on the text. */
export interface ResourceReport {
  /** Path inside the resource (relative to `basePath`). */
  path: PathSegment[];
  /** Underline the key (`privileged`) or its value (`true`). Defaults to the value. */
  at?: 'key' | 'value';
  message: string;
  /** Certain fixes: each replaces the reported key or value (per `at`) with `newText`. */
  replacements?: Replacement[];
}

export interface Replacement {
  title: string;
  newText: string;
}

export interface RuleMeta {
  /** Stable id, `k8s/...`. */
  id: string;
  defaultSeverity: Severity;
  /** One sentence for docs and the README's rule table. */
  description: string;
}

export interface KubernetesRule extends RuleMeta {
  check(resource: KubernetesResource): ResourceReport[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getIn(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isRecord(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

export function stringAt(value: unknown, path: readonly PathSegment[]): string | undefined {
  const found = getIn(value, path);
  return typeof found === 'string' ? found : undefined;
}
