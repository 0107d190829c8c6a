/**
 * What is under the cursor in an Ansible file: the play, task or module-arguments mapping
 * that holds it, and the key it is on. Hover and completion both start here.
 */
import { resolveAlias, type YamlMap, type YamlPair } from '../yaml/compose';
import type { AnsibleFile, AnsiblePlay, AnsibleTask } from './types';

export type MappingKind = 'play' | 'task' | 'block' | 'arguments';

export interface CursorContext {
  kind: MappingKind;
  map: YamlMap;
  /** The task whose mapping or arguments hold the cursor. */
  task?: AnsibleTask;
  play?: AnsiblePlay;
  /** The pair whose key or value holds the cursor, if any. */
  pair?: YamlPair;
  /** True when the cursor is on the pair's key. */
  onKey: boolean;
}

const contains = (node: { start: number; end: number }, offset: number): boolean => node.start <= offset && offset <= node.end;

/** The innermost play, task or argument mapping at `offset`. */
export function contextAt(file: AnsibleFile, offset: number): CursorContext | undefined {
  for (const play of file.plays) {
    if (!contains(play.node, offset)) continue;
    const inTask = taskContext([...play.tasks, ...play.handlers], offset);
    if (inTask) return { ...inTask, play };
    return mapContext('play', play.node, offset, { play });
  }
  return taskContext(file.tasks, offset);
}

function taskContext(tasks: readonly AnsibleTask[], offset: number): CursorContext | undefined {
  for (const task of tasks) {
    if (!contains(task.node, offset)) continue;
    const inner = taskContext(task.children, offset);
    if (inner) return inner;
    const args = task.action?.args && resolveAlias(task.action.args);
    if (args?.kind === 'map' && contains(args, offset) && !(task.action?.pair.key && contains(task.action.pair.key, offset))) {
      return mapContext('arguments', args, offset, { task });
    }
    const extra = task.action?.extraArgs;
    if (extra && contains(extra, offset)) return mapContext('arguments', extra, offset, { task });
    return mapContext(task.action || task.children.length === 0 ? 'task' : 'block', task.node, offset, { task });
  }
  return undefined;
}

function mapContext(kind: MappingKind, map: YamlMap, offset: number, owner: { task?: AnsibleTask; play?: AnsiblePlay }): CursorContext {
  const pair = map.pairs.find((p) => contains(p.key, offset) || (p.value.start <= offset && offset <= p.value.end && !(p.value.kind === 'scalar' && p.value.empty)));
  return { kind, map, ...owner, pair, onKey: pair ? contains(pair.key, offset) : false };
}
