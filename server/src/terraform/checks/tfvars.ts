/**
 * .tfvars files: each key must be a variable of the module in the same folder
 * (`tf/tfvars-unknown-variable`, a warning, as Terraform's own "Value for undeclared
 * variable"), and each value must be literal and match the variable's type (`tf/tfvars-value`).
 * A .tfvars file in a folder without .tf files (an environment folder used with -var-file)
 * belongs to no module we can know, so it is not checked.
 */
import { closestMatch } from '../../core/spelling';
import { finding, type CheckContext } from './context';
import { conversionProblem, typeText } from './typeConstraints';
import { variableType } from './variables';

export function checkTfvars(ctx: CheckContext): void {
  if (ctx.module.files.length === 0) return;
  const variables = ctx.module.variables;
  for (const { uri, file } of ctx.tfvars) {
    for (const block of file.blocks) {
      ctx.report(uri, finding(block.typeRange, 'tf/tfvars-value', `A .tfvars file holds variable values (name = value), not blocks: "${block.type}" belongs in a .tf file.`));
    }
    for (const attribute of file.attributes.values()) {
      const variable = variables.get(attribute.name);
      if (!variable) {
        const suggestion = closestMatch(attribute.name, [...variables.keys()]);
        ctx.report(uri, {
          ...finding(attribute.nameRange, 'tf/tfvars-unknown-variable', `The module in this folder declares no variable "${attribute.name}", so Terraform ignores this value.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, 'warning'),
          ...(suggestion ? { fixes: [{ title: `Change to ${suggestion}`, edits: [{ range: attribute.nameRange, newText: suggestion }] }] } : {}),
        });
        continue;
      }
      const expression = attribute.expression;
      const reference = expression.references[0];
      const call = expression.calls[0];
      if (reference || call) {
        const range = reference ? reference.range : call!.nameRange;
        ctx.report(uri, finding(range, 'tf/tfvars-value', `A .tfvars value must be literal: it cannot ${reference ? 'refer to other values' : 'call functions'}.`));
        continue;
      }
      const type = variableType(variable.block);
      if (!type || !expression.isStatic) continue;
      const problem = conversionProblem(expression.value ?? null, type);
      if (problem) ctx.report(uri, finding(expression.range, 'tf/tfvars-value', `"${attribute.name}" is ${typeText(type)}: ${problem}.`));
    }
  }
}
