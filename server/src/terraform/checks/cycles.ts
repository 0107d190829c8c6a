/**
 * Dependency cycles (`tf/reference-cycle`): local values, resources, data sources and module
 * calls that refer to each other in a circle can never be evaluated; terraform validate reports
 * them as "Cycle: ..." without a position, this check puts the error on each declaration.
 */
import type { Range } from '../../core/types';
import { originOf, type Block, type Reference } from '../model';
import { finding, type CheckContext } from './context';
import { scopedAttributes } from './scopes';

interface Node {
  id: string;
  uri: string;
  range: Range;
  edges: Set<string>;
}

function targetId(reference: Reference): string | undefined {
  const names = reference.steps.map((step) => (step.kind === 'attribute' ? step.name : undefined));
  switch (reference.root) {
    case 'local': return names[0] ? `local.${names[0]}` : undefined;
    case 'module': return names[0] ? `module.${names[0]}` : undefined;
    case 'data': return names[0] && names[1] ? `data.${names[0]}.${names[1]}` : undefined;
    case 'var': case 'count': case 'each': case 'self': case 'path': case 'terraform': case 'ephemeral':
      return undefined;
    default: return names[0] ? `${reference.root}.${names[0]}` : undefined;
  }
}

/** What a block refers to, kept per block: blocks are immutable and reused while unchanged. */
const targetsOfBlock = new WeakMap<Block, Set<string>>();

function blockTargets(uri: string, block: Block): Set<string> {
  const origin = originOf(block);
  let targets = targetsOfBlock.get(block) ?? (origin && targetsOfBlock.get(origin.block));
  if (targets) return targets;
  targets = new Set();
  for (const { attribute, scope, role } of scopedAttributes(uri, block)) {
    // self, provisioners and ignore_changes do not order anything.
    if (role === 'skip' || role === 'static' || role === 'provider' || scope.self) continue;
    for (const reference of attribute.expression.references) {
      const target = targetId(reference);
      if (target) targets.add(target);
    }
  }
  targetsOfBlock.set(block, targets);
  return targets;
}

export function checkCycles(ctx: CheckContext): void {
  const nodes = new Map<string, Node>();
  for (const [name, local] of ctx.module.locals) {
    nodes.set(`local.${name}`, { id: `local.${name}`, uri: local.uri, range: local.nameRange, edges: new Set(local.attribute.expression.references.map(targetId).filter((id): id is string => id !== undefined)) });
  }
  const blocks = [
    ...[...ctx.module.resources].map(([key, d]) => [key, d] as const),
    ...[...ctx.module.dataSources].map(([key, d]) => [`data.${key}`, d] as const),
    ...[...ctx.module.moduleCalls].map(([key, d]) => [`module.${key}`, d] as const),
  ];
  for (const [id, declaration] of blocks) {
    const edges = new Set([...blockTargets(declaration.uri, declaration.block)].filter((target) => target !== id));
    nodes.set(id, { id, uri: declaration.uri, range: declaration.nameRange, edges });
  }
  for (const component of stronglyConnected(nodes)) {
    if (component.length < 2) continue;
    const members = component.map((node) => node.id).sort();
    for (const node of component) {
      ctx.report(node.uri, finding(node.range, 'tf/reference-cycle', `${node.id} is part of a dependency cycle (${members.join(', ')}): each refers to the next, so none can be evaluated first.`));
    }
  }
}

/** Tarjan's algorithm, iterative so a long chain of locals cannot overflow the stack. */
function stronglyConnected(nodes: Map<string, Node>): Node[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: Node[][] = [];
  for (const start of nodes.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ id: string; edges: string[]; next: number }> = [];
    const visit = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, edges: [...nodes.get(id)!.edges].filter((e) => nodes.has(e)), next: 0 });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.edges.length) {
        const target = frame.edges[frame.next++];
        if (!index.has(target)) visit(target);
        else if (onStack.has(target)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1];
        low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: Node[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.push(nodes.get(id)!);
        } while (id !== frame.id);
        result.push(component);
      }
    }
  }
  return result;
}
