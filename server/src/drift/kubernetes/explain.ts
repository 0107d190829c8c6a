/**
 * Drifted fields in words: "image is nginx:1.26 live, git declares nginx:1.25",
 * "env var DEBUG was added live", "label team is missing live".
 */
import type { RawDrift } from './diff';
import type { FieldPath, ItemSegment } from './fieldPath';

/** What one item of a list is called, by the list's key. */
const ITEM_NOUNS: Record<string, string> = {
  containers: 'container', initContainers: 'init container', ephemeralContainers: 'ephemeral container',
  env: 'env var', volumes: 'volume', volumeMounts: 'volume mount', ports: 'port', imagePullSecrets: 'image pull secret',
  tolerations: 'toleration', args: 'argument', command: 'command item', rules: 'rule', subjects: 'subject',
  hostAliases: 'host alias', envFrom: 'envFrom source', finalizers: 'finalizer',
};

const MAP_NOUNS: Record<string, string> = { labels: 'label', annotations: 'annotation', matchLabels: 'selector label', data: 'key', nodeSelector: 'node selector' };

const MAX_VALUE_LENGTH = 80;

/** A value as people read it: scalars bare, structures as compact JSON, cut when long. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function describeItem(listKey: string | undefined, item: ItemSegment): string {
  const noun = (listKey && ITEM_NOUNS[listKey]) ?? `${listKey ?? 'list'} item`;
  if (item.keys) return `${noun} ${Object.values(item.keys).join('/')}`;
  return `${noun} ${item.index + 1}`;
}

/** The field's name in words: `label team`, `env var DEBUG`, `image of container web`. */
export function describeField(path: FieldPath): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last !== 'string') return describeItem(typeof parent === 'string' ? parent : undefined, last);
  if (typeof parent === 'string' && MAP_NOUNS[parent] && path.length >= 2) return `${MAP_NOUNS[parent]} ${last}`;
  // The item a field belongs to tells which one when the list has several (`image of container web`).
  if (typeof parent !== 'string' && parent !== undefined && parent.keys) {
    const listKey = path[path.length - 3];
    return `${last} of ${describeItem(typeof listKey === 'string' ? listKey : undefined, parent)}`;
  }
  return last ?? 'the object';
}

export function explain(drift: RawDrift): string {
  const field = describeField(drift.path);
  switch (drift.change) {
    case 'added-live':
      return `${field} was added live`;
    case 'missing-live':
      return `${field} is missing live`;
    default:
      return `${field} is ${describeValue(drift.live)} live, git declares ${describeValue(drift.desired)}`;
  }
}
