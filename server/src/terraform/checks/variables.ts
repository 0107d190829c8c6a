/**
 * Input variables: the type constraint (`tf/variable-type`), the default against it
 * (`tf/variable-default-type`), and what validation conditions may refer to
 * (`tf/validation-reference`).
 *
 * Validation references, by Terraform version (from the Terraform changelog):
 * - 0.13 introduced validation blocks; through 1.8 a condition may refer only to the variable
 *   it validates (`var.NAME`), and must refer to it.
 * - 1.9 lets conditions (and error messages) refer to other variables, locals, data sources and
 *   other objects of the module. The condition must still refer to the variable itself:
 *   Terraform 1.11 reports "The condition for variable "x" must refer to var.x in order to test
 *   incoming values." (checked against terraform validate in the oracle test).
 */
import { referenceText, type Block, type Expression } from '../model';
import { atLeast, finding, type CheckContext } from './context';
import { conversionProblem, parseTypeConstraint, typeText, type TypeConstraint } from './typeConstraints';

/** The type of a variable, when its `type` is given and valid. */
export function variableType(block: Block): TypeConstraint | undefined {
  const type = block.attributes.get('type');
  if (!type) return undefined;
  const parsed = parseTypeConstraint(type.expression);
  return 'type' in parsed ? parsed.type : undefined;
}

export function checkVariables(ctx: CheckContext, uri: string, block: Block): void {
  if (block.type !== 'variable' || block.labels.length !== 1) return;
  const name = block.labels[0].value;
  const typeAttribute = block.attributes.get('type');
  let type: TypeConstraint | undefined;
  if (typeAttribute) {
    const parsed = parseTypeConstraint(typeAttribute.expression);
    if ('problem' in parsed) ctx.report(uri, finding(parsed.problem.range, 'tf/variable-type', parsed.problem.message));
    else type = parsed.type;
  }
  const value = block.attributes.get('default')?.expression;
  if (value?.isStatic) {
    const nullable = block.attributes.get('nullable')?.expression;
    if (value.value === null && nullable?.isStatic && nullable.value === false) {
      ctx.report(uri, finding(value.range, 'tf/variable-default-type', `The default of "${name}" is null, but the variable sets nullable = false.`));
    } else if (type) {
      const problem = conversionProblem(value.value ?? null, type);
      if (problem) ctx.report(uri, finding(value.range, 'tf/variable-default-type', `The default of "${name}" does not match its type ${typeText(type)}: ${problem}.`));
    }
  }
  for (const validation of block.blocks.filter((b) => b.type === 'validation')) checkValidation(ctx, uri, name, validation);
}

function checkValidation(ctx: CheckContext, uri: string, name: string, validation: Block): void {
  const condition = validation.attributes.get('condition')?.expression;
  if (!condition) return;
  const self = (expression: Expression): boolean => expression.references.some((r) => r.root === 'var' && r.steps[0]?.kind === 'attribute' && r.steps[0].name === name);
  if (!self(condition)) {
    const what = condition.references.length === 0 ? 'refers to nothing, so it cannot test the value' : `does not refer to var.${name}`;
    ctx.report(uri, finding(condition.range, 'tf/validation-reference', `This condition ${what}: a validation of "${name}" must test var.${name}.`));
  }
  if (atLeast(ctx.options.terraformVersion, 1, 9)) return;
  const version = `${ctx.options.terraformVersion.major}.${ctx.options.terraformVersion.minor}`;
  for (const attribute of validation.attributes.values()) {
    for (const reference of attribute.expression.references) {
      if (reference.root === 'var' && reference.steps[0]?.kind === 'attribute' && reference.steps[0].name === name) continue;
      const range = reference.steps[0] ? { start: reference.rootRange.start, end: reference.steps[0].range.end } : reference.range;
      ctx.report(uri, finding(range, 'tf/validation-reference', `Before Terraform 1.9, a validation may refer only to the variable it validates (var.${name}), not to ${referenceText(reference, 1)} (the target is ${version}).`));
    }
  }
}
