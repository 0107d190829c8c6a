/**
 * Reads an offline live state: what `kubectl get -o json` prints, a `List` with `items`
 * (or a typed list such as `DeploymentList`, whose items carry no apiVersion and kind), or
 * a single object. Bad input is an answer in words, never an exception.
 */
import { isRecord } from '../../kubernetes/resource';
import type { LiveObject } from './compare';

export type SnapshotResult = { ok: true; objects: LiveObject[] } | { ok: false; message: string };

const HINT = 'Expected the JSON that `kubectl get -o json` prints.';

/** The items of a LIST answer; a typed list's items get the apiVersion and kind the list implies. */
export function itemsOfList(list: Record<string, unknown>): SnapshotResult {
  if (!Array.isArray(list.items)) return { ok: false, message: `The ${String(list.kind)} has no "items" array. ${HINT}` };
  const apiVersion = typeof list.apiVersion === 'string' ? list.apiVersion : undefined;
  const kind = typeof list.kind === 'string' && list.kind !== 'List' ? list.kind.slice(0, -'List'.length) : undefined;
  const objects: LiveObject[] = [];
  for (const [index, item] of list.items.entries()) {
    if (!isRecord(item)) return { ok: false, message: `Item ${index + 1} of the list is not an object. ${HINT}` };
    const object = kind && (item.apiVersion === undefined || item.kind === undefined) ? { apiVersion, kind, ...item } : item;
    const problem = problemOf(object);
    if (problem) return { ok: false, message: `Item ${index + 1} of the list ${problem}. ${HINT}` };
    objects.push(object);
  }
  return { ok: true, objects };
}

function problemOf(object: Record<string, unknown>): string | undefined {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return 'has no apiVersion or kind';
  if (!isRecord(object.metadata) || typeof object.metadata.name !== 'string') return `(${object.kind}) has no metadata.name`;
  return undefined;
}

export function readSnapshot(text: string): SnapshotResult {
  if (text.trim() === '') return { ok: false, message: `The snapshot is empty. ${HINT}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The snapshot is not valid JSON (${(error as Error).message}). ${HINT}` };
  }
  if (!isRecord(parsed)) return { ok: false, message: `The snapshot is not a JSON object. ${HINT}` };
  if (typeof parsed.kind === 'string' && parsed.kind.endsWith('List')) return itemsOfList(parsed);
  const problem = problemOf(parsed);
  return problem ? { ok: false, message: `The snapshot ${problem}. ${HINT}` } : { ok: true, objects: [parsed] };
}
