/**
 * References: every `var.`, `local.`, `module.`, `data.`, `ephemeral.` and resource address
 * must name something the module declares (`tf/undeclared-reference`); `count`, `each`,
 * `self`, `path` and `terraform` must be used where they exist (`tf/invalid-reference`);
 * a module's outputs must exist in the called module (`tf/module-outputs`).
 */
import type { Fix, Range } from '../../core/types';
import { closestMatch } from '../../core/spelling';
import { referenceText, type Block, type Expression, type Reference, type TraversalStep } from '../model';
import type { Declaration, ModuleIndex } from '../module';
import { atLeast, finding, orList, withArticle, type CheckContext } from './context';
import { typeText } from './typeConstraints';
import { variableType } from './variables';
import { scopedAttributes, type Scope } from './scopes';

/** What a reference names, resolved against the module: used by this check and by hover and definition. */
export type Target =
  | { kind: 'variable' | 'local' | 'module' | 'resource' | 'data' | 'ephemeral'; name: string; range: Range }
  | { kind: 'module-output'; module: string; output: string; range: Range };

const PATH_ATTRIBUTES = ['module', 'root', 'cwd'];

function span(reference: Reference, steps: number): Range {
  const last = reference.steps[Math.min(steps, reference.steps.length) - 1];
  return { start: reference.rootRange.start, end: last ? last.range.end : reference.rootRange.end };
}

function attributeAt(reference: Reference, index: number): string | undefined {
  const step = reference.steps[index];
  return step?.kind === 'attribute' ? step.name : undefined;
}

/** The first attribute step after `from`, skipping instance keys and splats (`module.m[0].out`). */
function nextAttribute(steps: readonly TraversalStep[], from: number): { name: string; step: TraversalStep } | undefined {
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    if (step.kind === 'attribute') return { name: step.name, step };
  }
  return undefined;
}

function renameFix(range: Range, text: string): Fix[] {
  return [{ title: `Change to ${text}`, edits: [{ range, newText: text }] }];
}

export function checkReferences(ctx: CheckContext, uri: string, top: Block): void {
  for (const { attribute, scope, role } of scopedAttributes(uri, top)) {
    if (role === 'skip' || role === 'static') continue;
    if (role === 'provider') {
      checkProviderReference(ctx, uri, attribute.expression.traversal, attribute.expression.range);
      continue;
    }
    if (role === 'depends_on') {
      checkDependsOn(ctx, scope, attribute.expression.elements, attribute.expression.range);
      continue;
    }
    // Before 1.9 a validation may refer only to its own variable: tf/validation-reference says so.
    if (top.type === 'variable' && !atLeast(ctx.options.terraformVersion, 1, 9)) continue;
    for (const reference of attribute.expression.references) checkReference(ctx, scope, reference);
  }
}

function checkReference(ctx: CheckContext, scope: Scope, reference: Reference): void {
  const module = ctx.module;
  const uri = scope.uri;
  const report = (range: Range, rule: string, message: string, fixes?: Fix[]): void => ctx.report(uri, { ...finding(range, rule, message), ...(fixes ? { fixes } : {}) });
  const root = reference.root;
  const first = attributeAt(reference, 0);
  switch (root) {
    case 'var':
    case 'local': {
      const what = root === 'var' ? 'variable' : 'local value';
      if (first === undefined) {
        report(reference.range, 'tf/invalid-reference', `"${root}" must be followed by the name of a ${what}: ${root}.NAME.`);
        return;
      }
      const declared = root === 'var' ? module.variables : module.locals;
      const declaration = declared.get(first);
      if (declaration) {
        if (root === 'var') checkVariableAttributes(ctx, scope, reference, declaration.block);
        return;
      }
      const suggestion = closestMatch(first, [...declared.keys()]);
      const range = span(reference, 1);
      const hint = suggestion ? ` Did you mean ${root}.${suggestion}?` : root === 'var' ? ` Declare it with variable "${first}" {}.` : ` Declare it in a locals block.`;
      report(range, 'tf/undeclared-reference', `No ${what} "${first}" is declared in this module.${hint}`, suggestion ? renameFix(range, `${root}.${suggestion}`) : undefined);
      return;
    }
    case 'module':
      checkModuleReference(ctx, scope, reference, first);
      return;
    case 'data':
    case 'ephemeral': {
      const type = first;
      const name = attributeAt(reference, 1);
      if (type === undefined || name === undefined) {
        report(reference.range, 'tf/invalid-reference', `"${root}" must be followed by a type and a name: ${root}.TYPE.NAME.`);
        return;
      }
      const key = `${type}.${name}`;
      const declared = root === 'data' ? module.dataSources : module.ephemeralResources;
      const what = root === 'data' ? 'data source' : 'ephemeral resource';
      const found = declared.get(key);
      if (found) {
        checkInstanceKey(ctx, scope, reference, found, 2, `${root}.${key}`);
        return;
      }
      const scoped = root === 'data' ? scopedData(module, key) : undefined;
      if (scoped && scoped.check !== scope.check?.labels[0]?.value) {
        report(span(reference, 2), 'tf/invalid-reference', `The data source ${root}.${key} is declared inside check "${scoped.check}" and can be used only there.`);
        return;
      }
      if (scoped) return;
      const suggestion = closestMatch(key, [...declared.keys()]);
      const range = span(reference, 2);
      report(range, 'tf/undeclared-reference', `No ${what} "${type}" "${name}" is declared in this module.${suggestion ? ` Did you mean ${root}.${suggestion}?` : ''}`, suggestion ? renameFix(range, `${root}.${suggestion}`) : undefined);
      return;
    }
    case 'count':
      if (!scope.count) {
        report(reference.range, 'tf/invalid-reference', `"count" is available only in a resource, data source or module that sets the "count" argument${scope.top.type === 'resource' || scope.top.type === 'data' || scope.top.type === 'module' ? ', and this one does not' : ''}.`);
      } else if (first !== 'index') {
        report(reference.range, 'tf/invalid-reference', `"count" has one attribute, "index": write count.index.`);
      }
      return;
    case 'each':
      if (!scope.forEach) {
        report(reference.range, 'tf/invalid-reference', `"each" is available only in a resource, data source, module or import block that sets "for_each"${['resource', 'data', 'module', 'import'].includes(scope.top.type) ? ', and this one does not' : ''}.`);
      } else if (first !== 'key' && first !== 'value') {
        report(reference.range, 'tf/invalid-reference', `"each" has two attributes, "key" and "value".`);
      }
      return;
    case 'self':
      if (!scope.self) report(reference.range, 'tf/invalid-reference', `"self" is available only in provisioner and connection blocks, and in postconditions, where it names the object being created.`);
      return;
    case 'path':
      if (first === undefined || !PATH_ATTRIBUTES.includes(first)) {
        const suggestion = first ? closestMatch(first, PATH_ATTRIBUTES) : undefined;
        report(reference.range, 'tf/invalid-reference', `"path" has the attributes ${orList(PATH_ATTRIBUTES)}${suggestion ? `: did you mean path.${suggestion}?` : '.'}`);
      }
      return;
    case 'terraform': {
      const allowed = atLeast(ctx.options.terraformVersion, 1, 10) ? ['workspace', 'applying'] : ['workspace'];
      if (first === undefined || !allowed.includes(first)) report(reference.range, 'tf/invalid-reference', `"terraform" has the attributes ${orList(allowed)}.`);
      return;
    }
    default:
      break;
  }
  if (scope.iterators.has(root)) {
    if (first !== 'key' && first !== 'value') report(reference.range, 'tf/invalid-reference', `The dynamic block iterator "${root}" has two attributes, "key" and "value".`);
    return;
  }
  checkResourceReference(ctx, scope, reference, first);
}

/**
 * `var.settings.nmae` when settings is `object({ name = string })`: the steps after the
 * variable must exist in its type (Terraform's "Unsupported attribute").
 */
function checkVariableAttributes(ctx: CheckContext, scope: Scope, reference: Reference, block: Block): void {
  let type = variableType(block);
  let path = `var.${attributeAt(reference, 0)}`;
  for (const step of reference.steps.slice(1)) {
    if (!type || type.kind === 'any' || step.kind === 'splat') return;
    if (step.kind === 'index') {
      if (type.kind === 'list' || type.kind === 'map') type = type.element;
      else if (type.kind === 'tuple' && typeof step.key === 'number') type = type.elements[step.key];
      else if (type.kind === 'object' && typeof step.key === 'string') type = type.attributes.get(step.key)?.type;
      else return;
      path += typeof step.key === 'number' ? `[${step.key}]` : '[…]';
      continue;
    }
    if (type.kind === 'map') {
      type = type.element;
    } else if (type.kind === 'object') {
      const attribute = type.attributes.get(step.name);
      if (!attribute) {
        const names = [...type.attributes.keys()];
        const suggestion = closestMatch(step.name, names);
        ctx.report(scope.uri, {
          ...finding(step.range, 'tf/invalid-reference', `${path} has no attribute "${step.name}": its type is ${typeText(type)}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`),
          ...(suggestion ? { fixes: [{ title: `Change to ${suggestion}`, edits: [{ range: step.range, newText: `.${suggestion}` }] }] } : {}),
        });
        return;
      }
      type = attribute.type;
    } else {
      ctx.report(scope.uri, finding(step.range, 'tf/invalid-reference', `${path} is ${withArticle(typeText(type))}, which has no attribute "${step.name}".`));
      return;
    }
    path += `.${step.name}`;
  }
}

function checkResourceReference(ctx: CheckContext, scope: Scope, reference: Reference, name: string | undefined): void {
  const module = ctx.module;
  const type = reference.root;
  const report = (range: Range, rule: string, message: string, fixes?: Fix[]): void => ctx.report(scope.uri, { ...finding(range, rule, message), ...(fixes ? { fixes } : {}) });
  if (name === undefined) {
    const asVariable = module.variables.has(type) ? `var.${type}` : module.locals.has(type) ? `local.${type}` : undefined;
    const message = asVariable
      ? `"${type}" alone is not a value: to use the ${asVariable.startsWith('var') ? 'variable' : 'local value'}, write ${asVariable}.`
      : `"${type}" is not a known value: a resource is referenced as TYPE.NAME, a variable as var.NAME, a local value as local.NAME.`;
    report(reference.rootRange, 'tf/invalid-reference', message, asVariable ? renameFix(reference.rootRange, asVariable) : undefined);
    return;
  }
  const key = `${type}.${name}`;
  const found = module.resources.get(key);
  const range = span(reference, 1);
  if (!found) {
    const suggestion = closestMatch(key, [...module.resources.keys()]);
    report(range, 'tf/undeclared-reference', `No resource "${type}" "${name}" is declared in this module.${suggestion ? ` Did you mean ${suggestion}?` : ''}`, suggestion ? renameFix(range, suggestion) : undefined);
    return;
  }
  if (found.block === scope.top && !scope.self) {
    report(range, 'tf/invalid-reference', `A resource cannot refer to itself (${key}): inside provisioners and postconditions, use self instead.`);
    return;
  }
  checkInstanceKey(ctx, scope, reference, found, 1, key);
}

/** `aws_instance.x.id` when x has count (an instance key is needed), or `aws_instance.x[0]` when it has neither. */
function checkInstanceKey(ctx: CheckContext, scope: Scope, reference: Reference, declaration: Declaration, nameSteps: number, address: string): void {
  const next = reference.steps[nameSteps];
  if (!next) return;
  const repetition = declaration.block.attributes.has('count') ? 'count' : declaration.block.attributes.has('for_each') ? 'for_each' : undefined;
  if (repetition && next.kind === 'attribute') {
    const example = repetition === 'count' ? `${address}[count.index].${next.name} or ${address}[0].${next.name}` : `${address}[each.key].${next.name}`;
    ctx.report(scope.uri, finding(span(reference, nameSteps + 1), 'tf/invalid-reference', `${address} sets "${repetition}", so it is a collection of instances: pick one with an instance key, as in ${example} (or all of them with ${address}[*].${next.name}).`));
  } else if (!repetition && next.kind === 'index') {
    ctx.report(scope.uri, finding(span(reference, nameSteps + 1), 'tf/invalid-reference', `${address} sets neither "count" nor "for_each", so it is a single object: remove the instance key ${referenceText({ ...reference, root: '', steps: [next] }, 1)}.`));
  }
}

function checkModuleReference(ctx: CheckContext, scope: Scope, reference: Reference, name: string | undefined): void {
  const report = (range: Range, rule: string, message: string, fixes?: Fix[]): void => ctx.report(scope.uri, { ...finding(range, rule, message), ...(fixes ? { fixes } : {}) });
  if (name === undefined) {
    report(reference.range, 'tf/invalid-reference', `"module" must be followed by the name of a module call: module.NAME.OUTPUT.`);
    return;
  }
  const call = ctx.module.moduleCalls.get(name);
  if (!call) {
    const suggestion = closestMatch(name, [...ctx.module.moduleCalls.keys()]);
    const range = span(reference, 1);
    report(range, 'tf/undeclared-reference', `No module call "${name}" is declared in this module.${suggestion ? ` Did you mean module.${suggestion}?` : ''}`, suggestion ? renameFix(range, `module.${suggestion}`) : undefined);
    return;
  }
  const output = nextAttribute(reference.steps, 1);
  if (!output) return;
  const called = ctx.calledModule(call.block);
  if (!called?.index) return;
  if (called.index.outputs.has(output.name)) return;
  const outputs = [...called.index.outputs.keys()];
  const suggestion = closestMatch(output.name, outputs);
  const list = outputs.length ? ` Its outputs are ${orList(outputs.slice(0, 10))}${outputs.length > 10 ? '…' : ''}.` : ' It declares no outputs.';
  report(output.step.range, 'tf/module-outputs', `The module "${name}" (${called.source}) has no output "${output.name}".${suggestion ? ` Did you mean "${suggestion}"?` : list}`,
    suggestion ? [{ title: `Change to ${suggestion}`, edits: [{ range: output.step.range, newText: `.${suggestion}` }] }] : undefined);
}

function scopedData(module: ModuleIndex, key: string): { check: string } | undefined {
  for (const [name, check] of module.checks) {
    if (check.block.blocks.some((b) => b.type === 'data' && `${b.labels[0]?.value}.${b.labels[1]?.value}` === key)) return { check: name };
  }
  return undefined;
}

/** `depends_on = [aws_s3_bucket.b, module.m]`: references to whole resources, data sources or modules. */
function checkDependsOn(ctx: CheckContext, scope: Scope, elements: Expression[] | undefined, range: Range): void {
  if (!elements) {
    ctx.report(scope.uri, finding(range, 'tf/argument-value', 'depends_on must be a list of references, such as [aws_s3_bucket.b, module.network].'));
    return;
  }
  for (const element of elements) {
    if (element.kind === 'literal' && typeof element.value === 'string') {
      ctx.report(scope.uri, {
        ...finding(element.range, 'tf/argument-value', `Quoted references are deprecated: write ${element.value} without quotes.`, 'warning'),
        fixes: /^[\w.-]+$/.test(element.value) ? [{ title: `Remove the quotes`, edits: [{ range: element.range, newText: element.value }] }] : undefined,
      });
      continue;
    }
    const reference = element.traversal;
    if (!reference) {
      ctx.report(scope.uri, finding(element.range, 'tf/argument-value', 'Each element of depends_on must be a reference to a resource, data source or module, without any calculation.'));
      continue;
    }
    if (['var', 'local', 'count', 'each', 'path', 'terraform', 'self'].includes(reference.root)) {
      ctx.report(scope.uri, finding(reference.range, 'tf/argument-value', `depends_on lists resources, data sources and modules; ${reference.root}. is none of them.`));
      continue;
    }
    checkReference(ctx, scope, reference);
  }
}

/** `provider = aws.west`: the configuration must exist (a default one always does). */
function checkProviderReference(ctx: CheckContext, uri: string, traversal: Reference | undefined, range: Range): void {
  if (!traversal || traversal.steps.some((step) => step.kind !== 'attribute') || traversal.steps.length > 1) {
    ctx.report(uri, finding(range, 'tf/argument-value', 'provider must name a provider configuration, as NAME or NAME.ALIAS (without quotes).'));
    return;
  }
  const alias = attributeAt(traversal, 0);
  if (alias === undefined) return;
  const key = `${traversal.root}.${alias}`;
  if (ctx.module.providers.has(key)) return;
  if (ctx.module.requiredProviders.get(traversal.root)?.aliases.includes(key)) return;
  const configured = [...ctx.module.providers.keys()].filter((k) => k.startsWith(`${traversal.root}.`));
  const suggestion = closestMatch(key, configured);
  ctx.report(uri, finding(traversal.range, 'tf/undeclared-reference', `No provider configuration ${key}: add provider "${traversal.root}" { alias = "${alias}" }${suggestion ? `, or did you mean ${suggestion}?` : ' (or list it in configuration_aliases when the calling module passes it in).'}`));
}

/** What a reference at this position names, for hover and go to definition. */
export function resolveTarget(reference: Reference, module: ModuleIndex): Target | undefined {
  const first = attributeAt(reference, 0);
  const second = attributeAt(reference, 1);
  switch (reference.root) {
    case 'var':
      return first ? { kind: 'variable', name: first, range: span(reference, 1) } : undefined;
    case 'local':
      return first ? { kind: 'local', name: first, range: span(reference, 1) } : undefined;
    case 'module': {
      if (!first) return undefined;
      const output = nextAttribute(reference.steps, 1);
      return output ? { kind: 'module-output', module: first, output: output.name, range: span(reference, reference.steps.indexOf(output.step) + 1) } : { kind: 'module', name: first, range: span(reference, 1) };
    }
    case 'data':
    case 'ephemeral':
      return first && second ? { kind: reference.root, name: `${first}.${second}`, range: span(reference, 2) } : undefined;
    case 'count': case 'each': case 'self': case 'path': case 'terraform':
      return undefined;
    default:
      return first && module.resources.has(`${reference.root}.${first}`) ? { kind: 'resource', name: `${reference.root}.${first}`, range: span(reference, 1) } : undefined;
  }
}

export function declarationOf(target: Target, module: ModuleIndex): Declaration | { uri: string; block: Block; nameRange: Range } | undefined {
  switch (target.kind) {
    case 'variable': return module.variables.get(target.name);
    case 'local': return module.locals.get(target.name);
    case 'module': return module.moduleCalls.get(target.name);
    case 'resource': return module.resources.get(target.name);
    case 'data': return module.dataSources.get(target.name);
    case 'ephemeral': return module.ephemeralResources.get(target.name);
    case 'module-output': return module.moduleCalls.get(target.module);
  }
}
