/**
 * `moved`, `import` and `removed` blocks (`tf/moved-block`): their addresses must be plain
 * resource or module addresses of the right kind, and agree with the configuration the way
 * terraform plan requires (a moved or removed object no longer declared, an import target
 * declared). The missing-argument cases are reported by the structure check under this rule id.
 */
import type { Range } from '../../core/types';
import type { Attribute, Block, Expression } from '../model';
import type { ModuleIndex } from '../module';
import { finding, type CheckContext } from './context';

interface Address {
  modules: string[];
  resource?: { data: boolean; type: string; name: string };
  /** An instance key on the last part (`aws_instance.a[0]`, `module.m["x"]`). */
  keyed: boolean;
  text: string;
  range: Range;
}

/** Reads `module.a.aws_instance.b[0]`-style addresses; `dynamicKeys` allows `[each.key]` (import with for_each). */
export function parseAddress(expression: Expression, dynamicKeys: boolean): Address | string {
  const traversal = expression.traversal;
  if (expression.kind !== 'reference' || !traversal) {
    return expression.kind === 'literal' || expression.kind === 'template'
      ? 'An address is written without quotes, as in aws_instance.web or module.network.'
      : 'This must be a resource or module address, such as aws_instance.web or module.network, with no calculation.';
  }
  const parts: Array<{ name: string; keyed: boolean }> = [{ name: traversal.root, keyed: false }];
  for (const step of traversal.steps) {
    if (step.kind === 'attribute') {
      parts.push({ name: step.name, keyed: false });
    } else if (step.kind === 'index' && (step.key !== undefined || dynamicKeys) && !parts[parts.length - 1].keyed) {
      parts[parts.length - 1].keyed = true;
    } else {
      return step.kind === 'splat' ? 'An address cannot use a splat ([*]).' : 'An instance key in an address must be a literal number or string.';
    }
  }
  const modules: string[] = [];
  let i = 0;
  let keyed = false;
  while (parts[i]?.name === 'module' && parts[i + 1]) {
    if (parts[i].keyed) return 'Write module.NAME[KEY], not module[KEY].';
    modules.push(parts[i + 1].name);
    keyed = parts[i + 1].keyed;
    i += 2;
  }
  const rest = parts.slice(i);
  let resource: Address['resource'];
  if (rest.length > 0) {
    const data = rest[0].name === 'data';
    const names = data ? rest.slice(1) : rest;
    if (names.length !== 2 || names[0].keyed || (data && rest[0].keyed)) return 'A resource address is TYPE.NAME (or data.TYPE.NAME), optionally inside module.NAME.';
    resource = { data, type: names[0].name, name: names[1].name };
    keyed = names[1].keyed;
  } else if (modules.length === 0) {
    return 'This is not an address: a resource address is TYPE.NAME, a module address module.NAME.';
  }
  return { modules, resource, keyed, text: addressText(modules, resource), range: traversal.range };
}

function addressText(modules: string[], resource: Address['resource']): string {
  const prefix = modules.map((m) => `module.${m}`).join('.');
  if (!resource) return prefix;
  const own = `${resource.data ? 'data.' : ''}${resource.type}.${resource.name}`;
  return prefix ? `${prefix}.${own}` : own;
}

/** Is the object at this address declared in this module (not inside a child module)? */
function declaredHere(address: Address, module: ModuleIndex): boolean | undefined {
  if (address.resource) {
    if (address.modules.length > 0) return undefined;
    const key = `${address.resource.type}.${address.resource.name}`;
    return (address.resource.data ? module.dataSources : module.resources).has(key);
  }
  return address.modules.length === 1 ? module.moduleCalls.has(address.modules[0]) : undefined;
}

function readAddress(ctx: CheckContext, uri: string, attribute: Attribute | undefined, dynamicKeys = false): Address | undefined {
  if (!attribute) return undefined;
  const parsed = parseAddress(attribute.expression, dynamicKeys);
  if (typeof parsed === 'string') {
    ctx.report(uri, finding(attribute.expression.range, 'tf/moved-block', parsed));
    return undefined;
  }
  return parsed;
}

export function checkMovedBlocks(ctx: CheckContext, uri: string, block: Block): void {
  if (block.type === 'moved') checkMoved(ctx, uri, block);
  else if (block.type === 'import') checkImport(ctx, uri, block);
  else if (block.type === 'removed') checkRemoved(ctx, uri, block);
}

function checkMoved(ctx: CheckContext, uri: string, block: Block): void {
  const from = readAddress(ctx, uri, block.attributes.get('from'));
  const to = readAddress(ctx, uri, block.attributes.get('to'));
  if (!from || !to) return;
  for (const address of [from, to]) {
    if (address.resource?.data) {
      ctx.report(uri, finding(address.range, 'tf/moved-block', 'Data sources cannot be moved: Terraform reads them again on every run anyway.'));
      return;
    }
  }
  if (Boolean(from.resource) !== Boolean(to.resource)) {
    ctx.report(uri, finding(block.typeRange, 'tf/moved-block', `"from" and "to" must both be resources or both be modules: ${from.text} is a ${from.resource ? 'resource' : 'module'}, ${to.text} a ${to.resource ? 'resource' : 'module'}.`));
    return;
  }
  if (from.resource && to.resource && from.resource.type !== to.resource.type) {
    ctx.report(uri, finding(to.range, 'tf/moved-block', `A resource can move only to an address of the same type (${from.resource.type}); moving across types needs the provider's support and is not a moved block.`, 'warning'));
  }
  if (from.text === to.text && from.keyed === to.keyed) {
    ctx.report(uri, finding(block.typeRange, 'tf/moved-block', `This moved block moves ${from.text} to itself: remove it.`, 'warning'));
    return;
  }
  if (!from.keyed && declaredHere(from, ctx.module)) {
    ctx.report(uri, finding(from.range, 'tf/moved-block', `${from.text} is still declared in this module, so nothing can move away from it: rename or remove that declaration, or this moved block.`));
  }
  if (declaredHere(to, ctx.module) === false) {
    ctx.report(uri, finding(to.range, 'tf/moved-block', `${to.text} is not declared in this module: the moved object would be destroyed by the next apply.`, 'warning'));
  }
}

function checkImport(ctx: CheckContext, uri: string, block: Block): void {
  const to = readAddress(ctx, uri, block.attributes.get('to'), block.attributes.has('for_each'));
  if (!to) return;
  if (!to.resource || to.resource.data) {
    ctx.report(uri, finding(to.range, 'tf/moved-block', `An import target must be a managed resource (TYPE.NAME), not ${to.resource ? 'a data source' : 'a module'}.`));
    return;
  }
  if (declaredHere(to, ctx.module) === false) {
    ctx.report(uri, finding(to.range, 'tf/moved-block', `${to.text} is not declared in this module: add its resource block, which the import fills.`));
  }
  const id = block.attributes.get('id')?.expression;
  if (id?.isStatic && typeof id.value !== 'string') ctx.report(uri, finding(id.range, 'tf/moved-block', 'The import id must be a string.'));
}

function checkRemoved(ctx: CheckContext, uri: string, block: Block): void {
  const from = readAddress(ctx, uri, block.attributes.get('from'));
  if (!from) return;
  if (from.keyed) {
    ctx.report(uri, finding(from.range, 'tf/moved-block', 'A removed block names a whole resource or module: remove the instance key.'));
    return;
  }
  if (from.resource?.data) {
    ctx.report(uri, finding(from.range, 'tf/moved-block', 'Data sources are not stored in a way that needs a removed block: just delete the data block.'));
    return;
  }
  if (declaredHere(from, ctx.module)) {
    ctx.report(uri, finding(from.range, 'tf/moved-block', `${from.text} is still declared in this module: delete its block, since a removed block is for objects no longer in the configuration.`));
  }
}
