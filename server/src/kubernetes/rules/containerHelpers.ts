/**
 * Small pieces the best-practice rules share: how to name a container in a message,
 * where to underline a container as a whole, and how to read optional settings without
 * tripping over wrongly typed input (the schema check reports those; rules skip them).
 */
import type { PathSegment } from '../../yaml/path';
import { isRecord } from '../resource';
import type { ContainerAt } from '../workloads';

/** `Container "web"`, or where it sits when it has no usable name. */
export function containerLabel(at: ContainerAt): string {
  const name = at.container.name;
  if (typeof name === 'string' && name !== '') return `Container "${name}"`;
  return `The container at ${at.list}[${at.path[at.path.length - 1]}]`;
}

/** The container's `name` value, or the container itself when it has no name. */
export function containerNamePath(at: ContainerAt): PathSegment[] {
  return 'name' in at.container ? [...at.path, 'name'] : at.path;
}

/** `null`/absent reads as an empty mapping; any other non-mapping is wrong input: `undefined`. */
export function optionalRecord(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return {};
  return isRecord(value) ? value : undefined;
}

/** A field counts as set unless it is absent or `null` (`livenessProbe:` with nothing after it). */
export function isSet(record: Record<string, unknown>, key: string): boolean {
  return record[key] !== undefined && record[key] !== null;
}

/** Joins names for a message: `a`, `a and b`, `a, b and c` (or `a or b`). */
export function listWords(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}
