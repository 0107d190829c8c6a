/**
 * Declarations: names must be unique in a module across its files
 * (`tf/duplicate-declaration`), and a declaration nothing refers to is probably left over
 * (`tf/unused-declaration`, a warning, for variables, local values and data sources).
 */
import { allBlocks, originOf, type Block } from '../model';
import type { DeclarationKind } from '../module';
import { finding, locationText, type CheckContext } from './context';

const WORDS: Record<DeclarationKind, (name: string) => string> = {
  variable: (name) => `A variable named "${name}"`,
  local: (name) => `A local value named "${name}"`,
  output: (name) => `An output named "${name}"`,
  resource: (name) => `The resource ${name}`,
  data: (name) => `The data source data.${name}`,
  ephemeral: (name) => `The ephemeral resource ephemeral.${name}`,
  module: (name) => `A module call named "${name}"`,
  provider: (name) => (name.includes('.') ? `A provider configuration with alias "${name.slice(name.indexOf('.') + 1)}"` : `A default configuration of the provider "${name}"`),
  check: (name) => `A check named "${name}"`,
};

export function checkDuplicates(ctx: CheckContext): void {
  for (const duplicate of ctx.module.duplicates) {
    const where = locationText(duplicate.first.uri, duplicate.first.range, duplicate.uri);
    const extra = duplicate.kind === 'provider' && !duplicate.name.includes('.') ? ' Give the other configurations an alias.' : '';
    ctx.report(duplicate.uri, finding(duplicate.range, 'tf/duplicate-declaration', `${WORDS[duplicate.kind](duplicate.name)} is already declared at ${where}: names must be unique in a module.${extra}`));
  }
}

/** The variables, locals and data sources a top-level block uses, kept per (immutable) block. */
const usesOfBlock = new WeakMap<Block, string[]>();

function blockUses(top: Block): string[] {
  const origin = originOf(top);
  let uses = usesOfBlock.get(top) ?? (origin && usesOfBlock.get(origin.block));
  if (uses) return uses;
  const found = new Set<string>();
  for (const { block } of allBlocks([top])) {
    for (const attribute of block.attributes.values()) {
      for (const reference of attribute.expression.references) {
        const first = reference.steps[0]?.kind === 'attribute' ? reference.steps[0].name : undefined;
        const second = reference.steps[1]?.kind === 'attribute' ? reference.steps[1].name : undefined;
        if (reference.root === 'var' || reference.root === 'local') found.add(`${reference.root}.${first}`);
        else if (reference.root === 'data') found.add(`data.${first}.${second}`);
      }
    }
  }
  usesOfBlock.set(top, (uses = [...found]));
  return uses;
}

export function checkUnused(ctx: CheckContext): void {
  const module = ctx.module;
  const used = new Set<string>();
  for (const { file } of module.files) {
    for (const block of file.blocks) for (const use of blockUses(block)) used.add(use);
  }
  // A module whose files have syntax errors may hide the references: better say nothing.
  if (module.files.some(({ file }) => file.problems.some((p) => p.rule === 'tf/syntax' || p.rule === 'tf/template-syntax'))) return;
  for (const [name, declaration] of module.locals) {
    if (!used.has(`local.${name}`)) ctx.report(declaration.uri, finding(declaration.nameRange, 'tf/unused-declaration', `The local value "${name}" is never used.`, 'warning'));
  }
  for (const [name, declaration] of module.dataSources) {
    if (!used.has(`data.${name}`)) ctx.report(declaration.uri, finding(declaration.nameRange, 'tf/unused-declaration', `The data source data.${name} is never used: Terraform still reads it on every plan.`, 'warning'));
  }
  for (const [name, declaration] of module.variables) {
    if (!used.has(`var.${name}`)) ctx.report(declaration.uri, finding(declaration.nameRange, 'tf/unused-declaration', `The variable "${name}" is never used in this module.`, 'warning'));
  }
}
