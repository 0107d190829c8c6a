/**
 * Who last wrote a field, from the live object's `managedFields`: each entry's FieldsV1 set
 * names the fields a manager owns (`f:spec` → `f:replicas`; list items by merge key,
 * `k:{"name":"web"}`, or by value, `v:"x"`; `{}` owns the field whole).
 */
import { isRecord } from '../../kubernetes/resource';
import type { FieldManager } from '../types';
import type { FieldPath, ItemSegment } from './fieldPath';

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  time?: string;
  fields: Record<string, unknown>;
}

function entriesOf(live: Record<string, unknown>): ManagedFieldsEntry[] {
  const metadata = live.metadata;
  if (!isRecord(metadata) || !Array.isArray(metadata.managedFields)) return [];
  const entries: ManagedFieldsEntry[] = [];
  for (const entry of metadata.managedFields) {
    // Status writers (`subresource: status`) never own what git declares.
    if (!isRecord(entry) || !isRecord(entry.fieldsV1) || entry.subresource === 'status') continue;
    if (typeof entry.manager !== 'string') continue;
    entries.push({
      manager: entry.manager,
      operation: typeof entry.operation === 'string' ? entry.operation : '',
      time: typeof entry.time === 'string' ? entry.time : undefined,
      fields: entry.fieldsV1,
    });
  }
  return entries;
}

function itemChild(set: Record<string, unknown>, item: ItemSegment): unknown {
  if (item.keys) {
    for (const [name, child] of Object.entries(set)) {
      if (!name.startsWith('k:')) continue;
      let key: unknown;
      try {
        key = JSON.parse(name.slice(2));
      } catch {
        continue;
      }
      if (isRecord(key) && Object.entries(item.keys).every(([field, value]) => String(key[field]) === String(value))) return child;
    }
    return undefined;
  }
  if (item.value !== undefined) return set[`v:${JSON.stringify(item.value)}`];
  return set[`i:${item.index}`];
}

/** True when a FieldsV1 set owns the field at `path` (or an ancestor of it whole). */
function owns(fields: Record<string, unknown>, path: FieldPath): boolean {
  let set: unknown = fields;
  for (let depth = 0; depth < path.length; depth++) {
    if (!isRecord(set)) return false;
    const segment = path[depth];
    const child = typeof segment === 'string' ? set[`f:${segment}`] : itemChild(set, segment);
    if (child === undefined) return depth > 0 && Object.keys(set).length === 0;
    set = child;
  }
  return true;
}

/** The manager that owns the field, the most recent writer when several share it. */
export function fieldManagerOf(live: Record<string, unknown>, path: FieldPath): FieldManager | undefined {
  let found: ManagedFieldsEntry | undefined;
  for (const entry of entriesOf(live)) {
    if (!owns(entry.fields, path)) continue;
    if (!found || (entry.time ?? '') >= (found.time ?? '')) found = entry;
  }
  return found && { manager: found.manager, operation: found.operation, ...(found.time ? { time: found.time } : {}) };
}
