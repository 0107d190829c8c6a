/**
 * Function calls (`tf/function-call`): the function must exist and get a number of arguments
 * it accepts. The table is Terraform 1.11's built-in functions as `terraform metadata functions
 * -json` lists them (a test compares the two when Terraform is installed). Provider functions
 * (`provider::aws::arn_parse`) need their provider in required_providers; whether the provider
 * has the function is for the provider-schema checks.
 */
import { closestMatch } from '../../core/spelling';
import { allBlocks, type Block, type FunctionCall } from '../model';
import { finding, plural, type CheckContext } from './context';

export interface FunctionSignature {
  /** Fixed parameters. */
  parameters: number;
  /** Any number of further arguments after them. */
  variadic?: boolean;
  /** First Terraform version that has it. */
  since?: [number, number];
}

const fixed = (parameters: number, since?: [number, number]): FunctionSignature => ({ parameters, since });
const variadic = (parameters: number, since?: [number, number]): FunctionSignature => ({ parameters, variadic: true, since });

/** Terraform's built-in functions, by name. */
export const BUILTIN_FUNCTIONS: Record<string, FunctionSignature> = {
  abs: fixed(1), abspath: fixed(1), alltrue: fixed(1), anytrue: fixed(1),
  base64decode: fixed(1), base64encode: fixed(1), base64gzip: fixed(1), base64sha256: fixed(1), base64sha512: fixed(1),
  basename: fixed(1), bcrypt: variadic(1), can: fixed(1), ceil: fixed(1), chomp: fixed(1), chunklist: fixed(2),
  cidrhost: fixed(2), cidrnetmask: fixed(1), cidrsubnet: fixed(3), cidrsubnets: variadic(1),
  coalesce: variadic(0), coalescelist: variadic(0), compact: fixed(1), concat: variadic(0), contains: fixed(2),
  csvdecode: fixed(1), dirname: fixed(1), distinct: fixed(1), element: fixed(2), endswith: fixed(2, [1, 3]),
  ephemeralasnull: fixed(1, [1, 10]), file: fixed(1), filebase64: fixed(1), filebase64sha256: fixed(1), filebase64sha512: fixed(1),
  fileexists: fixed(1), filemd5: fixed(1), fileset: fixed(2), filesha1: fixed(1), filesha256: fixed(1), filesha512: fixed(1),
  flatten: fixed(1), floor: fixed(1), format: variadic(1), formatdate: fixed(2), formatlist: variadic(1),
  indent: fixed(2), index: fixed(2), issensitive: fixed(1, [1, 8]), join: variadic(1), jsondecode: fixed(1), jsonencode: fixed(1),
  keys: fixed(1), length: fixed(1), log: fixed(2), lookup: variadic(2), lower: fixed(1), matchkeys: fixed(3),
  max: variadic(0), md5: fixed(1), merge: variadic(0), min: variadic(0), nonsensitive: fixed(1), one: fixed(1),
  parseint: fixed(2), pathexpand: fixed(1), plantimestamp: fixed(0, [1, 5]), pow: fixed(2), range: variadic(0),
  regex: fixed(2), regexall: fixed(2), replace: fixed(3), reverse: fixed(1), rsadecrypt: fixed(2),
  sensitive: fixed(1), setintersection: variadic(1), setproduct: variadic(0), setsubtract: fixed(2), setunion: variadic(1),
  sha1: fixed(1), sha256: fixed(1), sha512: fixed(1), signum: fixed(1), slice: fixed(3), sort: fixed(1), split: fixed(2),
  startswith: fixed(2, [1, 3]), strcontains: fixed(2, [1, 5]), strrev: fixed(1), substr: fixed(3), sum: fixed(1),
  templatefile: fixed(2), templatestring: fixed(2, [1, 9]), textdecodebase64: fixed(2), textencodebase64: fixed(2),
  timeadd: fixed(2), timecmp: fixed(2), timestamp: fixed(0), title: fixed(1), tobool: fixed(1), tolist: fixed(1),
  tomap: fixed(1), tonumber: fixed(1), toset: fixed(1), tostring: fixed(1), transpose: fixed(1), trim: fixed(2),
  trimprefix: fixed(2), trimspace: fixed(1), trimsuffix: fixed(2), try: variadic(0), upper: fixed(1), urlencode: fixed(1),
  uuid: fixed(0), uuidv5: fixed(2), values: fixed(1), yamldecode: fixed(1), yamlencode: fixed(1), zipmap: fixed(2),
};

/** Functions removed from the language, with what to use instead. */
const REMOVED_FUNCTIONS: Record<string, string> = {
  list: 'write a list as [a, b], or use tolist()',
  map: 'write a map as { key = value }, or use tomap()',
};

/** The built-in function a name calls, `core::` prefix allowed. */
export function builtinFunction(name: string): FunctionSignature | undefined {
  return BUILTIN_FUNCTIONS[name.startsWith('core::') ? name.slice(6) : name];
}

export function checkFunctionCalls(ctx: CheckContext, uri: string, top: Block): void {
  if (top.type === 'terraform') return;
  for (const { block } of allBlocks([top])) {
    for (const attribute of block.attributes.values()) {
      // A variable's type is a type expression: list(string) is no function call.
      if (block.type === 'variable' && attribute.name === 'type') continue;
      for (const call of attribute.expression.calls) checkCall(ctx, uri, call);
    }
  }
}

function supportedAt(signature: FunctionSignature, version: { major: number; minor: number }): boolean {
  if (!signature.since) return true;
  const [major, minor] = signature.since;
  return version.major > major || (version.major === major && version.minor >= minor);
}

function checkCall(ctx: CheckContext, uri: string, call: FunctionCall): void {
  const name = call.name;
  if (name.startsWith('provider::')) {
    const provider = name.split('::')[1];
    if (!ctx.module.requiredProviders.has(provider)) {
      ctx.report(uri, finding(call.nameRange, 'tf/function-call', `${name} is a function of the provider "${provider}", which this module does not list in terraform { required_providers { } }: add it there to use its functions.`));
    }
    return;
  }
  const signature = builtinFunction(name);
  const version = ctx.options.terraformVersion;
  if (!signature || !supportedAt(signature, version)) {
    const removed = REMOVED_FUNCTIONS[name];
    const available = Object.keys(BUILTIN_FUNCTIONS).filter((known) => supportedAt(BUILTIN_FUNCTIONS[known], version));
    const suggestion = removed ? undefined : closestMatch(name, available);
    const why = signature ? ` It needs Terraform ${signature.since!.join('.')} or later (the target is ${version.major}.${version.minor}).` : removed ? ` It was removed from the language: ${removed}.` : suggestion ? ` Did you mean ${suggestion}?` : '';
    ctx.report(uri, {
      ...finding(call.nameRange, 'tf/function-call', `There is no function "${name}".${why}`),
      ...(suggestion ? { fixes: [{ title: `Change to ${suggestion}`, edits: [{ range: call.nameRange, newText: suggestion }] }] } : {}),
    });
    return;
  }
  // With `...` the last argument expands to any number of arguments.
  if (call.expandFinal) return;
  const count = call.args.length;
  if (count < signature.parameters) {
    ctx.report(uri, finding(call.range, 'tf/function-call', `${name}() needs ${signature.variadic ? 'at least ' : ''}${plural(signature.parameters, 'argument')}, but gets ${count}.`));
  } else if (!signature.variadic && count > signature.parameters) {
    const extra = call.args[signature.parameters];
    ctx.report(uri, finding({ start: extra.range.start, end: call.args[count - 1].range.end }, 'tf/function-call', `${name}() takes ${signature.parameters === 0 ? 'no arguments' : `only ${plural(signature.parameters, 'argument')}`}, but gets ${count}.`));
  }
}
