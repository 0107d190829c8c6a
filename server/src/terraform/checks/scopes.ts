/**
 * Where an expression is, as far as references care: which names are in scope (`count`,
 * `each`, `self`, dynamic-block iterators, a check block's scoped data sources) and whether the
 * argument holds references at all (`type`, `ignore_changes` and `moved` addresses do not).
 * The reference check, the cycle check and the editor features share this walk.
 */
import type { Attribute, Block } from '../model';

export interface Scope {
  uri: string;
  /** The top-level block the expression is in. */
  top: Block;
  /** The chain of blocks from the top-level block to the one holding the argument. */
  path: Block[];
  count: boolean;
  forEach: boolean;
  self: boolean;
  /** Names of dynamic-block iterators in scope. */
  iterators: Set<string>;
  /** The enclosing check block, whose data blocks are visible only inside it. */
  check?: Block;
}

/** How an argument's expression is read. */
export type ArgumentRole =
  /** An ordinary expression: every reference must resolve. */
  | 'expression'
  /** Names or addresses that are not references (`type`, `ignore_changes`, `moved.from`...). */
  | 'skip'
  /** `depends_on`: a list of resource, data source or module references. */
  | 'depends_on'
  /** `provider = aws.west`: a provider configuration. */
  | 'provider'
  /** Static settings (the terraform block, variable defaults): checked by tf/argument-value. */
  | 'static';

const SKIPPED: Record<string, Set<string>> = {
  moved: new Set(['from', 'to']),
  removed: new Set(['from']),
  import: new Set(['to']),
  module: new Set(['source', 'version', 'providers']),
  provider: new Set(['alias']),
  dynamic: new Set(['iterator']),
  lifecycle: new Set(['ignore_changes']),
};

export function argumentRole(scope: Scope, attribute: Attribute): ArgumentRole {
  const holder = scope.path[scope.path.length - 1];
  const top = scope.top.type;
  if (top === 'terraform') return 'static';
  if (top === 'variable') {
    if (holder.type === 'validation') return 'expression';
    return 'static';
  }
  if (SKIPPED[holder.type]?.has(attribute.name)) return 'skip';
  if (attribute.name === 'depends_on' && scope.path.length === 1) return 'depends_on';
  if (attribute.name === 'provider' && scope.path.length === 1 && top !== 'provider') return 'provider';
  return 'expression';
}

export interface ScopedAttribute {
  attribute: Attribute;
  scope: Scope;
  role: ArgumentRole;
}

function topScope(uri: string, top: Block): Scope {
  const counted = ['resource', 'data', 'module', 'ephemeral'].includes(top.type);
  return {
    uri,
    top,
    path: [top],
    count: counted && top.attributes.has('count'),
    forEach: (counted || top.type === 'import') && top.attributes.has('for_each'),
    self: false,
    iterators: new Set(),
    check: top.type === 'check' ? top : undefined,
  };
}

/** The scope inside `nested`, a block of the block `scope` is for. */
function nestedScope(scope: Scope, holder: Block, nested: Block): Scope {
  const iteratorName = holder.type === 'dynamic' ? dynamicIterator(holder) : undefined;
  const selfHere = scope.self || (['resource', 'removed'].includes(scope.top.type) && (nested.type === 'provisioner' || nested.type === 'connection')) || nested.type === 'postcondition';
  const iterators = iteratorName ? new Set([...scope.iterators, iteratorName]) : scope.iterators;
  return { ...scope, path: [...scope.path, nested], self: selfHere, iterators };
}

/** The scope of the innermost block of a chain (top-level block first), for completion. */
export function scopeAt(uri: string, chain: readonly Block[]): Scope | undefined {
  if (chain.length === 0) return undefined;
  let scope = topScope(uri, chain[0]);
  for (let i = 1; i < chain.length; i++) scope = nestedScope(scope, chain[i - 1], chain[i]);
  const innermost = chain[chain.length - 1];
  const iterator = innermost.type === 'dynamic' ? dynamicIterator(innermost) : undefined;
  return iterator ? { ...scope, iterators: new Set([...scope.iterators, iterator]) } : scope;
}

/** Every argument of a top-level block, nested ones included, with its scope and role. */
export function* scopedAttributes(uri: string, top: Block): Generator<ScopedAttribute> {
  yield* walk(top, topScope(uri, top));
}

function* walk(block: Block, scope: Scope): Generator<ScopedAttribute> {
  const iteratorName = block.type === 'dynamic' ? dynamicIterator(block) : undefined;
  for (const attribute of block.attributes.values()) {
    // A dynamic block's iterator is in scope in its labels and content, not in its for_each.
    const inScope = iteratorName && attribute.name !== 'for_each' ? { ...scope, iterators: new Set([...scope.iterators, iteratorName]) } : scope;
    yield { attribute, scope: inScope, role: argumentRole(inScope, attribute) };
  }
  for (const nested of block.blocks) yield* walk(nested, nestedScope(scope, block, nested));
}

/** The name a dynamic block's content uses for the current element: `iterator`, or the block's label. */
export function dynamicIterator(block: Block): string | undefined {
  const iterator = block.attributes.get('iterator')?.expression;
  if (iterator?.traversal && iterator.traversal.steps.length === 0) return iterator.traversal.root;
  return block.labels[0]?.value;
}
