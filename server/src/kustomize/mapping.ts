/**
 * Source mapping for output the embedded build did not make (`kubectl kustomize`): each
 * object borrows the mapping of the embedded build's object with the same identity (kind,
 * namespace, name), field path by field path; an object it has no twin for maps to the
 * kustomization file.
 */
import type { RenderedObject, RenderResult } from './render';

const identityOf = (kind: unknown, namespace: unknown, name: unknown): string => `${String(kind)}/${typeof namespace === 'string' ? namespace : ''}/${String(name)}`;

export function withSourceMapping(objects: readonly Record<string, unknown>[], embedded: RenderResult): RenderedObject[] {
  const byIdentity = new Map(embedded.objects.map((object) => [identityOf(object.kind, object.namespace, object.name), object]));
  const fallback = { uri: embedded.kustomizationUri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  return objects.map((value) => {
    const metadata = (typeof value.metadata === 'object' && value.metadata !== null ? value.metadata : {}) as Record<string, unknown>;
    const twin = byIdentity.get(identityOf(value.kind, metadata.namespace, metadata.name));
    return {
      apiVersion: String(value.apiVersion ?? ''),
      kind: String(value.kind ?? ''),
      namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
      name: String(metadata.name ?? ''),
      value,
      source: twin?.source ?? fallback,
      sourceOf: twin ? twin.sourceOf : () => ({ ...fallback, producer: 'kustomization' as const }),
    };
  });
}
