/**
 * Values of Terraform's own arguments (`tf/argument-value`): those Terraform reads before
 * anything is evaluated must be literal (a variable's default and description, a module's
 * source, the whole terraform block, lifecycle flags), flags must be bools, and a literal
 * count or for_each must be a value Terraform can repeat over.
 */
import type { Range } from '../../core/types';
import { allBlocks, type Attribute, type Block, type Expression } from '../model';
import { finding, type CheckContext } from './context';

type Kind = 'string' | 'bool' | 'any';

/** Arguments that must be literal, by the block holding them, with the kind of value they take. */
const LITERAL_ARGUMENTS: Record<string, Record<string, Kind>> = {
  variable: { default: 'any', description: 'string', sensitive: 'bool', nullable: 'bool', ephemeral: 'bool' },
  output: { description: 'string', sensitive: 'bool', ephemeral: 'bool' },
  module: { source: 'string', version: 'string' },
  provider: { alias: 'string' },
  lifecycle: { create_before_destroy: 'bool', prevent_destroy: 'bool', destroy: 'bool' },
};

function notLiteral(expression: Expression): { range: Range; why: string } | undefined {
  const reference = expression.references[0];
  if (reference) return { range: reference.range, why: `cannot refer to ${reference.root === 'var' || reference.root === 'local' ? `${reference.root}.` : 'other objects'}` };
  const call = expression.calls[0];
  if (call) return { range: call.nameRange, why: 'cannot call functions' };
  if (!expression.isStatic && expression.kind !== 'invalid') return { range: expression.range, why: 'must be a literal value' };
  return undefined;
}

function checkLiteral(ctx: CheckContext, uri: string, holder: string, attribute: Attribute, kind: Kind): void {
  const expression = attribute.expression;
  const problem = notLiteral(expression);
  if (problem) {
    ctx.report(uri, finding(problem.range, 'tf/argument-value', `The ${holder} argument "${attribute.name}" ${problem.why}: Terraform reads it before evaluating anything, so write the value literally.`));
    return;
  }
  if (!expression.isStatic) return;
  const value = expression.value;
  if (kind === 'bool' && typeof value !== 'boolean' && value !== 'true' && value !== 'false' && value !== null) {
    ctx.report(uri, finding(expression.range, 'tf/argument-value', `"${attribute.name}" must be true or false.`));
  } else if (kind === 'string' && (typeof value === 'object' && value !== null)) {
    ctx.report(uri, finding(expression.range, 'tf/argument-value', `"${attribute.name}" must be a string.`));
  }
}

export function checkArgumentValues(ctx: CheckContext, uri: string, top: Block): void {
  if (top.type === 'terraform') {
    checkTerraformBlock(ctx, uri, top);
    return;
  }
  for (const { block, parents } of allBlocks([top])) {
    const literal = parents.length === 0 || block.type === 'lifecycle' ? LITERAL_ARGUMENTS[block.type] : undefined;
    for (const [name, kind] of Object.entries(literal ?? {})) {
      const attribute = block.attributes.get(name);
      if (attribute) checkLiteral(ctx, uri, block.type, attribute, kind);
    }
  }
  if (['resource', 'data', 'module', 'ephemeral'].includes(top.type)) checkRepetition(ctx, uri, top);
  if (top.type === 'module') checkModuleSource(ctx, uri, top);
}

/** Everything in the terraform block is read before any evaluation. */
function checkTerraformBlock(ctx: CheckContext, uri: string, block: Block): void {
  for (const { block: inner } of allBlocks([block])) {
    for (const attribute of inner.attributes.values()) {
      const expression = attribute.expression;
      if (inner.type === 'required_providers') {
        // configuration_aliases holds provider references, which are allowed here.
        const entries = expression.entries ?? [];
        for (const entry of entries) if (entry.name !== 'configuration_aliases') reportNotLiteral(ctx, uri, entry.value, `required_providers.${attribute.name}`);
        continue;
      }
      if (attribute.name === 'experiments') continue;
      reportNotLiteral(ctx, uri, expression, attribute.name);
    }
  }
  const version = block.attributes.get('required_version')?.expression;
  if (version?.isStatic && typeof version.value !== 'string') ctx.report(uri, finding(version.range, 'tf/argument-value', 'required_version must be a string of version constraints, such as ">= 1.5".'));
  if (block.blocks.some((b) => b.type === 'backend') && block.blocks.some((b) => b.type === 'cloud')) {
    const cloud = block.blocks.find((b) => b.type === 'cloud')!;
    ctx.report(uri, finding(cloud.typeRange, 'tf/argument-value', 'A terraform block cannot have both a backend and a cloud block: state goes to one place.'));
  }
  const backends = block.blocks.filter((b) => b.type === 'backend');
  for (const extra of backends.slice(1)) ctx.report(uri, finding(extra.typeRange, 'tf/argument-value', 'Only one backend can be configured.'));
}

function reportNotLiteral(ctx: CheckContext, uri: string, expression: Expression, name: string): void {
  const problem = notLiteral(expression);
  if (problem) ctx.report(uri, finding(problem.range, 'tf/argument-value', `"${name}" in the terraform block ${problem.why}: this block is read before anything is evaluated.`));
}

/** A literal count must be a whole number; a literal for_each a map or a set of strings. */
function checkRepetition(ctx: CheckContext, uri: string, block: Block): void {
  const count = block.attributes.get('count')?.expression;
  if (count?.isStatic) {
    const value = typeof count.value === 'string' && /^\d+$/.test(count.value) ? Number(count.value) : count.value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      ctx.report(uri, finding(count.range, 'tf/argument-value', 'count must be a whole number, 0 or more.'));
    }
  }
  const forEach = block.attributes.get('for_each')?.expression;
  if (forEach?.kind === 'tuple') {
    const fix = forEach.range;
    ctx.report(uri, {
      ...finding(forEach.range, 'tf/argument-value', 'for_each takes a map or a set of strings, not a list: wrap the list in toset(...).'),
      fixes: [{ title: 'Wrap in toset()', edits: [{ range: { start: fix.start, end: fix.start }, newText: 'toset(' }, { range: { start: fix.end, end: fix.end }, newText: ')' }] }],
    });
  } else if (forEach?.isStatic && (typeof forEach.value !== 'object' || forEach.value === null)) {
    ctx.report(uri, finding(forEach.range, 'tf/argument-value', 'for_each takes a map or a set of strings.'));
  }
}

/** A local source is a path; `version` applies only to registry modules. */
function checkModuleSource(ctx: CheckContext, uri: string, block: Block): void {
  const source = block.attributes.get('source')?.expression;
  const version = block.attributes.get('version');
  if (source?.isStatic && typeof source.value === 'string' && /^\.\.?[/\\]/.test(source.value) && version) {
    ctx.report(uri, finding(version.nameRange, 'tf/module-source', `A local module (${source.value}) has no versions: remove "version", which applies only to registry modules.`));
  }
}
