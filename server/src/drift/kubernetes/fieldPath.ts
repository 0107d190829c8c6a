/**
 * Paths to fields of a Kubernetes object, with list items named by their merge key
 * (`spec.template.spec.containers[name=web].image`) so a path survives reordering and
 * reads the way `managedFields` and people name the item.
 */
import type { PathSegment } from '../../yaml/path';

export type ScalarKey = string | number | boolean;

/** A list item: by its merge key when the list has one, by position otherwise. */
export interface ItemSegment {
  /** The merge key's fields and values (`{ name: 'web' }`); absent for lists matched by position. */
  keys?: Record<string, ScalarKey>;
  /** A scalar item's value, for lists of scalars (a set such as `finalizers`). */
  value?: unknown;
  /** Index in the git list; for an item only live has, its index in the live list. */
  index: number;
  /** The item exists only live, so git has no node for it. */
  liveOnly?: boolean;
}

export type FieldSegment = string | ItemSegment;

export type FieldPath = readonly FieldSegment[];

const PLAIN_KEY = /^[A-Za-z_][\w-]*$/;

function formatItem(item: ItemSegment): string {
  if (!item.keys) return `[${item.index}]`;
  return `[${Object.entries(item.keys).map(([key, value]) => `${key}=${value}`).join(',')}]`;
}

/** `spec.template.spec.containers[name=web].image`; keys that are not plain words are quoted (`metadata.labels["app.kubernetes.io/name"]`). */
export function formatFieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment !== 'string') text += formatItem(segment);
    else if (PLAIN_KEY.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** The path into git's YAML (indices of git's lists), up to the first segment git does not have. */
export function declaredPathOf(path: FieldPath): PathSegment[] {
  const declared: PathSegment[] = [];
  for (const segment of path) {
    if (typeof segment === 'string') declared.push(segment);
    else if (segment.liveOnly) break;
    else declared.push(segment.index);
  }
  return declared;
}

export const lastKeyOf = (path: FieldPath): string | undefined => {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
};
