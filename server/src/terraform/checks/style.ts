/**
 * Style (`tf/interpolation-only`, a warning): `"${var.x}"` is just var.x written the
 * Terraform 0.11 way. Not fixed automatically, because the template also converts the value
 * to a string, which the bare reference does not.
 */
import { allBlocks, type Block, type Expression } from '../model';
import { finding, type CheckContext } from './context';

function* templates(expression: Expression): Generator<Expression> {
  if (expression.kind === 'template') yield expression;
  for (const element of expression.elements ?? []) yield* templates(element);
  for (const entry of expression.entries ?? []) yield* templates(entry.value);
  for (const arg of expression.call?.args ?? []) yield* templates(arg);
  if (expression.inner) yield* templates(expression.inner);
}

export function checkInterpolationOnly(ctx: CheckContext, uri: string, top: Block): void {
  for (const { block } of allBlocks([top])) {
    for (const attribute of block.attributes.values()) {
      for (const template of templates(attribute.expression)) {
        if (!template.interpolationOnly) continue;
        ctx.report(uri, finding(template.range, 'tf/interpolation-only', 'An interpolation alone in a string is the Terraform 0.11 way of writing an expression: write the expression without "${ }" (unless the value must be turned into a string).', 'warning'));
      }
    }
  }
}
