/**
 * Validates what a kustomization renders with the same checks as any manifest, and puts
 * each finding where the field came from: the base resource, the patch that set it, or the
 * kustomization field whose transformer wrote it. Messages name the overlay.
 */
import type { ResourceFinding } from '../kubernetes/findings';
import type { KubernetesResource } from '../kubernetes/resource';
import { validateResource, type ValidationContext } from '../kubernetes/validate';
import type { YamlNode } from '../yaml/compose';
import type { LocatedFinding, RenderedObject } from './render';

/** A finding from a rendered object, with the message it would have without the overlay's name. */
export interface RenderedFinding extends LocatedFinding {
  original: string;
}

/** Checks never look at the node of a rendered object (it has no text of its own); this stands in for it. */
const NO_NODE: YamlNode = { kind: 'scalar', value: null, plain: true, empty: true, start: 0, end: 0, weight: 1 };

function asResource(object: RenderedObject): KubernetesResource {
  return { apiVersion: object.apiVersion, kind: object.kind, name: object.name, namespace: object.namespace, value: object.value, node: NO_NODE, basePath: [] };
}

function place(object: RenderedObject, finding: ResourceFinding, overlay: string): RenderedFinding {
  const source = object.sourceOf(finding.path, finding.at);
  return {
    uri: source.uri,
    range: source.range,
    severity: finding.severity,
    rule: finding.rule,
    message: `In overlay ${overlay}: ${finding.message}`,
    original: finding.message,
  };
}

export function validateRendered(objects: readonly RenderedObject[], context: ValidationContext, overlay: string): RenderedFinding[] {
  const findings: RenderedFinding[] = [];
  for (const object of objects) {
    for (const finding of validateResource(asResource(object), context)) findings.push(place(object, finding, overlay));
  }
  return findings;
}
