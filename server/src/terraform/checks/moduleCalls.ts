/**
 * Calls to modules with a local source (`source = "./network"`): the folder must exist
 * (`tf/module-source`), and the call's arguments must match the module's variables
 * (`tf/module-inputs`): no unknown input, every required one given, literal values of the
 * declared type. Outputs are checked where they are referenced (see references.ts).
 */
import { closestMatch } from '../../core/spelling';
import type { Attribute, Block } from '../model';
import { finding, orList, type CalledModule, type CheckContext } from './context';
import { MODULE_META_ARGUMENTS } from './schema';
import { headerRange } from './structure';
import { conversionProblem, typeText } from './typeConstraints';
import { variableType } from './variables';

export function checkModuleCalls(ctx: CheckContext, uri: string, block: Block): void {
  if (block.type !== 'module' || block.labels.length !== 1) return;
  const called = ctx.calledModule(block);
  if (!called) return;
  const source = block.attributes.get('source')!;
  if (!called.index) {
    ctx.report(uri, finding(source.expression.range, 'tf/module-source', `The module folder ${called.source} does not exist or holds no .tf file.`));
    return;
  }
  checkInputs(ctx, uri, block.labels[0].value, block, called);
}

function checkInputs(ctx: CheckContext, uri: string, name: string, block: Block, called: CalledModule): void {
  const variables = called.index!.variables;
  const inputs: Attribute[] = [...block.attributes.values()].filter((a) => !MODULE_META_ARGUMENTS.has(a.name));
  for (const input of inputs) {
    const variable = variables.get(input.name);
    if (!variable) {
      const suggestion = closestMatch(input.name, [...variables.keys()]);
      const known = variables.size ? ` Its variables are ${orList([...variables.keys()].slice(0, 12))}${variables.size > 12 ? '…' : ''}.` : ' It declares no variables.';
      ctx.report(uri, {
        ...finding(input.nameRange, 'tf/module-inputs', `The module ${called.source} has no variable "${input.name}".${suggestion ? ` Did you mean "${suggestion}"?` : known}`),
        ...(suggestion ? { fixes: [{ title: `Change to ${suggestion}`, edits: [{ range: input.nameRange, newText: suggestion }] }] } : {}),
      });
      continue;
    }
    const type = variableType(variable.block);
    if (type && input.expression.isStatic) {
      const problem = conversionProblem(input.expression.value ?? null, type);
      if (problem) ctx.report(uri, finding(input.expression.range, 'tf/module-inputs', `"${input.name}" of module ${called.source} is ${typeText(type)}: ${problem}.`));
    }
  }
  if (block.incomplete) return;
  const missing = [...variables].filter(([variable, declaration]) => !declaration.block.attributes.has('default') && !block.attributes.has(variable)).map(([variable]) => variable);
  if (missing.length > 0) {
    ctx.report(uri, finding(headerRange(block), 'tf/module-inputs', `Module "${name}" does not set the required variable${missing.length === 1 ? '' : 's'} ${orList(missing)} of ${called.source}.`));
  }
}
