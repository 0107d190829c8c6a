/**
 * The shape of the blocks Terraform defines: block types (`tf/unknown-block`), labels
 * (`tf/block-labels`), arguments (`tf/unknown-argument`, `tf/required-argument`,
 * `tf/output-without-value`) and `count` with `for_each` (`tf/count-and-for-each`).
 * Provider-defined content is left to the provider-schema checks.
 */
import type { Range } from '../../core/types';
import { closestMatch } from '../../core/spelling';
import type { Block } from '../model';
import { finding, orList, plural, withArticle, type CheckContext } from './context';
import { DYNAMIC_BLOCK, NAME_PATTERN, RESERVED_VARIABLE_NAMES, TOP_LEVEL_BLOCKS, supported, type BlockSchema } from './schema';

/** Blocks whose required arguments other rules report, with the rule id to use. */
const REQUIRED_ARGUMENT_RULES: Record<string, string> = {
  'output.value': 'tf/output-without-value',
  'module.source': 'tf/module-source',
  'moved.from': 'tf/moved-block',
  'moved.to': 'tf/moved-block',
  'import.to': 'tf/moved-block',
  'import.id': 'tf/moved-block',
  'removed.from': 'tf/moved-block',
};

const WITH_COUNT = new Set(['resource', 'data', 'module', 'ephemeral']);

/** Arguments at the top level of a .tf file (a module check: they belong to no block). */
export function checkTopLevelArguments(ctx: CheckContext): void {
  for (const { uri, file } of ctx.module.files) {
    for (const attribute of file.attributes.values()) {
      ctx.report(uri, finding(attribute.nameRange, 'tf/unknown-argument', `An argument cannot be set at the top level of a .tf file: "${attribute.name}" must be inside a block (variable values belong in a .tfvars file).`));
    }
  }
}

export function checkStructure(ctx: CheckContext, uri: string, block: Block): void {
  const version = ctx.options.terraformVersion;
  const schema = TOP_LEVEL_BLOCKS[block.type];
  if (!schema || !supported(schema, version)) {
    const known = Object.keys(TOP_LEVEL_BLOCKS).filter((type) => supported(TOP_LEVEL_BLOCKS[type], version));
    const suggestion = closestMatch(block.type, known);
    const since = schema?.since ? ` It needs Terraform ${schema.since.join('.')} or later (the target is ${version.major}.${version.minor}).` : '';
    ctx.report(uri, finding(block.typeRange, 'tf/unknown-block', `Unknown block type "${block.type}"${suggestion ? `: did you mean "${suggestion}"?` : '.'}${since}${suggestion ? '' : ` Top-level blocks are ${orList(known)}.`}`));
    return;
  }
  checkLabels(ctx, uri, block, schema);
  checkBody(ctx, uri, block, schema, block.type);
  if (WITH_COUNT.has(block.type)) {
    const forEach = block.attributes.get('for_each');
    if (forEach && block.attributes.has('count')) {
      ctx.report(uri, finding(forEach.nameRange, 'tf/count-and-for-each', `${withArticle(block.type, true)} cannot set both "count" and "for_each": use one of them to say how many instances to create.`));
    }
  }
}

/** From the block type to its last label: where a problem with the block as a whole is shown. */
export function headerRange(block: Block): Range {
  const last = block.labels[block.labels.length - 1];
  return { start: block.typeRange.start, end: last ? last.range.end : block.typeRange.end };
}

function checkLabels(ctx: CheckContext, uri: string, block: Block, schema: BlockSchema): void {
  const expected = schema.labels;
  if (block.labels.length < expected.length) {
    const missing = expected.slice(block.labels.length);
    ctx.report(uri, finding(headerRange(block), 'tf/block-labels', `${withArticle(block.type, true)} block needs ${plural(expected.length, 'label')} (${expected.join(', ')}): the ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing.`));
  }
  for (const extra of block.labels.slice(expected.length)) {
    const wanted = expected.length === 0 ? 'takes no labels' : `takes ${plural(expected.length, 'label')} (${expected.join(', ')})`;
    ctx.report(uri, finding(extra.range, 'tf/block-labels', `Extra label "${extra.value}": ${withArticle(block.type)} block ${wanted}.`));
  }
  const isTopLevelName = block.type !== 'terraform' && block.type !== 'provider';
  for (const label of block.labels.slice(0, expected.length)) {
    if (isTopLevelName && !NAME_PATTERN.test(label.value)) {
      ctx.report(uri, finding(label.range, 'tf/block-labels', `"${label.value}" is not a valid name: a name starts with a letter or underscore and holds only letters, digits, underscores and dashes.`));
    }
  }
  const name = block.labels[0]?.value;
  if (block.type === 'variable' && name !== undefined && RESERVED_VARIABLE_NAMES.has(name)) {
    ctx.report(uri, finding(block.labels[0].range, 'tf/block-labels', `"${name}" cannot name a variable: Terraform reserves it for module-call arguments.`));
  }
}

function checkBody(ctx: CheckContext, uri: string, block: Block, schema: BlockSchema, path: string): void {
  const version = ctx.options.terraformVersion;
  for (const attribute of block.attributes.values()) {
    const argument = schema.arguments[attribute.name];
    if (argument && !supported(argument, version)) {
      ctx.report(uri, finding(attribute.nameRange, 'tf/unknown-argument', `The argument "${attribute.name}" needs Terraform ${argument.since!.join('.')} or later (the target is ${version.major}.${version.minor}).`));
    } else if (!argument && !schema.open) {
      const names = Object.keys(schema.arguments);
      const suggestion = closestMatch(attribute.name, names);
      const where = `${withArticle(path.slice(path.lastIndexOf('.') + 1))} block`;
      ctx.report(uri, finding(attribute.nameRange, 'tf/unknown-argument', `Unknown argument "${attribute.name}" in ${where}${suggestion ? `: did you mean "${suggestion}"?` : names.length ? `: the arguments are ${orList(names)}.` : ': it takes no arguments.'}`));
    }
  }
  if (!block.incomplete) {
    for (const [name, argument] of Object.entries(schema.arguments)) {
      if (!argument.required || block.attributes.has(name) || !supported(argument, version)) continue;
      const rule = REQUIRED_ARGUMENT_RULES[`${path}.${name}`] ?? 'tf/required-argument';
      const what = path === 'output' ? `Output "${block.labels[0]?.value ?? ''}" has no value: add value = <expression>.` : `${withArticle(block.type, true)} block needs the argument "${name}".`;
      ctx.report(uri, finding(headerRange(block), rule, what));
    }
  }
  for (const nested of block.blocks) {
    let nestedSchema = schema.blocks[nested.type];
    if (!nestedSchema && nested.type === 'dynamic' && schema.open === 'all') nestedSchema = DYNAMIC_BLOCK;
    if (!nestedSchema) {
      if (schema.open === 'all') continue;
      const names = Object.keys(schema.blocks);
      const suggestion = closestMatch(nested.type, names);
      const reserved = path === 'module' && ['lifecycle', 'locals', 'provider'].includes(nested.type) ? ' Terraform reserves this block type in module calls.' : '';
      const allowed = names.length ? ` The nested blocks here are ${orList(names)}.` : ` ${withArticle(path.slice(path.lastIndexOf('.') + 1), true)} block has no nested blocks${path === 'module' ? ': module inputs are arguments (name = value)' : ''}.`;
      ctx.report(uri, finding(nested.typeRange, 'tf/unknown-block', `Unexpected block "${nested.type}" here${suggestion ? `: did you mean "${suggestion}"?` : '.'}${reserved || suggestion ? reserved : allowed}`));
      continue;
    }
    if (!supported(nestedSchema, version)) {
      ctx.report(uri, finding(nested.typeRange, 'tf/unknown-block', `The "${nested.type}" block needs Terraform ${nestedSchema.since!.join('.')} or later (the target is ${version.major}.${version.minor}).`));
      continue;
    }
    checkLabels(ctx, uri, nested, nestedSchema);
    checkBody(ctx, uri, nested, nestedSchema, `${path}.${nested.type}`);
  }
}
