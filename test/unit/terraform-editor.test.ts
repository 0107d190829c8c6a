/**
 * The editor features as pure functions of the workspace: hover, go to definition,
 * completion and the outline. Positions are marked with a caret `|` in the text.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Position } from '../../server/src/core/types';
import type { TerraformWorkspace } from '../../server/src/terraform/workspace';
import { caret, loadParser, memoryReader, ROOT, workspaceOf } from './terraform-helpers';

before(loadParser);

const variables = 'variable "region" {\n  type        = string\n  description = "Where to deploy."\n  default     = "eu-west-1"\n}\n\nvariable "replicas" {\n  type = number\n}\n';
const module = {
  'modules/net/main.tf': 'variable "cidr" {\n  type        = string\n  description = "The network range."\n}\nvariable "name" {\n  default = "net"\n}\noutput "vpc_id" {\n  value       = "vpc-${var.cidr}"\n  description = "The VPC id."\n}\n',
};

/** A workspace with variables.tf, and main.tf holding the text (with a caret, whose position it returns). */
function setUp(mainWithCaret: string): { workspace: TerraformWorkspace; position: Position; uri: string } {
  const { text, position } = mainWithCaret.includes('|') ? caret(mainWithCaret) : { text: mainWithCaret, position: { line: 0, character: 0 } };
  const workspace = workspaceOf({ 'variables.tf': variables, 'main.tf': text }, { readModuleFolder: memoryReader(module) });
  return { workspace, position, uri: `${ROOT}/main.tf` };
}

describe('hover', () => {
  it('shows a variable\'s declaration: description, type and default', () => {
    const { workspace, position, uri } = setUp('locals {\n  r = var.reg|ion\n}\n');
    const hover = workspace.hover(uri, position);
    assert.equal(hover?.contents, '```hcl\nvariable "region"\n```\n\nWhere to deploy.\n\nType: `string` · Default: `"eu-west-1"`\n\nDeclared in variables.tf, line 1');
    assert.deepEqual(hover?.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 16 } });
    workspace.dispose();
  });

  it('shows a required variable as required, a local\'s expression, and a module output', () => {
    const { workspace, uri } = setUp('locals {\n  n = var.replicas * 2\n  m = local.n\n}\nmodule "net" {\n  source = "./modules/net"\n  cidr   = "10.0.0.0/16"\n}\noutput "id" {\n  value = module.net.vpc_id\n}\n');
    assert.match(workspace.hover(uri, { line: 1, character: 10 })!.contents, /Type: `number` · Required/);
    assert.match(workspace.hover(uri, { line: 2, character: 12 })!.contents, /local\.n = var\.replicas \* 2/);
    const output = workspace.hover(uri, { line: 9, character: 22 })!;
    assert.match(output.contents, /output "vpc_id"/);
    assert.match(output.contents, /The VPC id\./);
    assert.match(output.contents, /Value: `"vpc-\$\{var\.cidr\}"`/);
    workspace.dispose();
  });

  it('describes module inputs, meta-arguments, block types, functions and built-in values', () => {
    const { workspace, uri } = setUp('module "net" {\n  source = "./modules/net"\n  cidr   = "10.0.0.0/16"\n}\nresource "x" "y" {\n  count = 2\n  name  = upper("${count.index}")\n}\n');
    assert.match(workspace.hover(uri, { line: 2, character: 3 })!.contents, /The network range\./);
    assert.match(workspace.hover(uri, { line: 5, character: 3 })!.contents, /How many instances/);
    assert.match(workspace.hover(uri, { line: 4, character: 2 })!.contents, /A managed resource/);
    assert.match(workspace.hover(uri, { line: 6, character: 11 })!.contents, /Built-in function: 1 argument/);
    assert.match(workspace.hover(uri, { line: 6, character: 22 })!.contents, /The number of this instance/);
    workspace.dispose();
  });

  it('shows the variable of a .tfvars key', () => {
    const workspace = workspaceOf({ 'variables.tf': variables, 'prod.tfvars': 'region = "us-east-1"\n' });
    assert.match(workspace.hover(`${ROOT}/prod.tfvars`, { line: 0, character: 2 })!.contents, /Where to deploy\./);
    workspace.dispose();
  });

  it('has nothing to say on a literal or an undeclared name', () => {
    const { workspace, position, uri } = setUp('locals {\n  a = "te|xt"\n  b = var.nope\n}\n');
    assert.equal(workspace.hover(uri, position), undefined);
    assert.equal(workspace.hover(uri, { line: 2, character: 10 }), undefined);
    workspace.dispose();
  });
});

describe('go to definition', () => {
  it('goes from a reference to its declaration, in another file', () => {
    const { workspace, position, uri } = setUp('locals {\n  r = var.re|gion\n}\n');
    assert.deepEqual(workspace.definition(uri, position), [{ uri: `${ROOT}/variables.tf`, range: { start: { line: 0, character: 0 }, end: { line: 4, character: 1 } } }]);
    workspace.dispose();
  });

  it('goes to locals, resources, data sources, module calls, module outputs and module inputs', () => {
    const text = 'locals {\n  a = 1\n}\nresource "x" "r" {}\ndata "x" "d" {}\nmodule "net" {\n  source = "./modules/net"\n  cidr   = "c"\n}\noutput "o" {\n  value = [local.a, x.r.id, data.x.d.id, module.net, module.net.vpc_id]\n}\n';
    const { workspace, uri } = setUp(text);
    const target = (character: number): string => workspace.definition(uri, { line: 10, character }).map((l) => `${l.uri.slice(ROOT.length + 1)}:${l.range.start.line}`).join();
    assert.equal(target(14), 'main.tf:1');
    assert.equal(target(21), 'main.tf:3');
    assert.equal(target(30), 'main.tf:4');
    assert.equal(target(42), 'main.tf:5');
    assert.equal(target(58), 'modules/net/main.tf:7');
    const input = workspace.definition(uri, { line: 7, character: 3 });
    assert.deepEqual(input.map((l) => `${l.uri.slice(ROOT.length + 1)}:${l.range.start.line}`), ['modules/net/main.tf:0']);
    workspace.dispose();
  });

  it('goes from a local module source to the module\'s main.tf, and from a provider reference to its configuration', () => {
    const { workspace, uri } = setUp('module "net" {\n  source = "./modules/net"\n}\nprovider "aws" {\n  alias = "west"\n}\nresource "aws_s3_bucket" "b" {\n  provider = aws.west\n}\n');
    assert.deepEqual(workspace.definition(uri, { line: 1, character: 15 }).map((l) => l.uri), [`${ROOT}/modules/net/main.tf`]);
    assert.deepEqual(workspace.definition(uri, { line: 7, character: 16 }).map((l) => l.range.start.line), [3]);
    workspace.dispose();
  });
});

describe('completion', () => {
  const labels = (mainWithCaret: string): string[] => {
    const { workspace, position, uri } = setUp(mainWithCaret);
    const items = workspace.completion(uri, position).map((item) => item.label);
    workspace.dispose();
    return items;
  };

  it('completes var., local., module. and a module\'s outputs', () => {
    const base = 'locals {\n  a = 1\n}\nmodule "net" {\n  source = "./modules/net"\n  cidr   = "c"\n}\n';
    assert.deepEqual(labels(`${base}output "o" {\n  value = var.|\n}\n`), ['region', 'replicas']);
    assert.deepEqual(labels(`${base}output "o" {\n  value = local.|\n}\n`), ['a']);
    assert.deepEqual(labels(`${base}output "o" {\n  value = module.|\n}\n`), ['net']);
    assert.deepEqual(labels(`${base}output "o" {\n  value = module.net.v|\n}\n`), ['vpc_id']);
    assert.deepEqual(labels(`${base}output "o" {\n  value = "\${var.|}"\n}\n`), ['region', 'replicas']);
  });

  it('completes resource addresses, data sources and the built-in roots', () => {
    const base = 'resource "aws_s3_bucket" "logs" {}\nresource "aws_s3_bucket" "data" {}\ndata "aws_ami" "ubuntu" {}\n';
    assert.deepEqual(labels(`${base}output "o" {\n  value = aws_s3_bucket.|\n}\n`), ['logs', 'data']);
    assert.deepEqual(labels(`${base}output "o" {\n  value = data.|\n}\n`), ['aws_ami']);
    assert.deepEqual(labels(`${base}output "o" {\n  value = data.aws_ami.|\n}\n`), ['ubuntu']);
    assert.deepEqual(labels(`${base}output "o" {\n  value = path.|\n}\n`), ['module', 'root', 'cwd']);
    const roots = labels(`${base}output "o" {\n  value = |\n}\n`);
    for (const expected of ['var', 'local', 'module', 'data', 'aws_s3_bucket', 'length', 'jsonencode']) assert.ok(roots.includes(expected), expected);
    assert.ok(!roots.includes('count'), 'count is not in scope in an output');
  });

  it('offers count and each where they are in scope', () => {
    assert.ok(labels('resource "x" "y" {\n  count = 2\n  name  = |\n}\n').includes('count'));
    assert.ok(labels('resource "x" "y" {\n  for_each = {}\n  name     = |\n}\n').includes('each'));
    assert.deepEqual(labels('resource "x" "y" {\n  for_each = {}\n  name     = each.|\n}\n'), ['key', 'value']);
  });

  it('completes block types at the top level, arguments in Terraform\'s blocks, and a module\'s inputs', () => {
    assert.ok(labels('|\n').includes('resource'));
    assert.deepEqual(labels('variable "v" {\n  type = string\n  |\n}\n'), ['default', 'description', 'sensitive', 'nullable', 'ephemeral', 'validation']);
    const inputs = labels('module "net" {\n  source = "./modules/net"\n  |\n}\n');
    assert.deepEqual(inputs.slice(0, 2), ['cidr', 'name']);
    assert.ok(inputs.includes('count') && !inputs.includes('source'));
  });

  it('completes the variables of a .tfvars file that are not set yet', () => {
    const workspace = workspaceOf({ 'variables.tf': variables, 'prod.tfvars': 'region = "eu"\n\n' });
    assert.deepEqual(workspace.completion(`${ROOT}/prod.tfvars`, { line: 1, character: 0 }).map((i) => i.label), ['replicas']);
    workspace.dispose();
  });

  it('offers nothing inside a string or a comment', () => {
    assert.deepEqual(labels('locals {\n  a = "var.|"\n}\n'), []);
    assert.deepEqual(labels('# var.|\n'), []);
  });

  it('gives details: a variable\'s type and description', () => {
    const { workspace, position, uri } = setUp('output "o" {\n  value = var.|\n}\n');
    assert.deepEqual(workspace.completion(uri, position)[0], { label: 'region', kind: 'variable', detail: 'string', documentation: 'Where to deploy.' });
    workspace.dispose();
  });
});

describe('document symbols', () => {
  it('outlines blocks by address, with arguments and nested blocks as children', () => {
    const workspace = workspaceOf({ 'main.tf': 'terraform {\n  required_version = ">= 1.5"\n}\nlocals {\n  a = 1\n}\nresource "aws_s3_bucket" "b" {\n  bucket = "x"\n  versioning {\n    enabled = true\n  }\n}\nmodule "m" {\n  source = "./m"\n}\nprovider "aws" {\n  alias = "west"\n}\n' });
    const symbols = workspace.symbols(`${ROOT}/main.tf`);
    const outline = (list: typeof symbols, depth = 0): string[] => list.flatMap((s) => [`${'  '.repeat(depth)}${s.name} (${s.kind})`, ...outline(s.children, depth + 1)]);
    assert.deepEqual(outline(symbols), [
      'terraform (namespace)',
      '  required_version (field)',
      'locals (namespace)',
      '  local.a (constant)',
      'aws_s3_bucket.b (class)',
      '  bucket (field)',
      '  versioning (object)',
      '    enabled (field)',
      'module.m (module)',
      '  source (field)',
      'provider.aws.west (package)',
      '  alias (field)',
    ]);
    assert.deepEqual(symbols[2].selectionRange, { start: { line: 6, character: 25 }, end: { line: 6, character: 28 } });
    workspace.dispose();
  });
});
