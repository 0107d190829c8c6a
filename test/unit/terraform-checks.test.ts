/**
 * Each Terraform language check with a failing and a passing case, through the workspace
 * (the same entry point the language server and the CLI use).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findings, loadParser, memoryReader, rules, workspaceOf, ROOT } from './terraform-helpers';

before(loadParser);

const only = (files: Record<string, string>, rule: string, options = {}): string[] => findings(files, rule, options);
/** A finding's location and the first `length` characters of its message. */
const short = (finding: string, length = 24): string => finding.replace(/^(\S+ )(.*)$/, (_, where: string, message: string) => where + message.slice(0, length));

describe('tf/syntax', () => {
  it('reports an unclosed string on its line and still validates the rest of the file', () => {
    const text = 'variable "a" {\n  default = "abc\n}\n\noutput "o" {\n  value = var.nope\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/syntax').map((f) => f.split(' ')[0]), ['main.tf:2:13']);
    assert.deepEqual(only({ 'main.tf': text }, 'tf/undeclared-reference'), ['main.tf:6:11 No variable "nope" is declared in this module. Declare it with variable "nope" {}.']);
  });
  it('reports invalid escapes, missing values, missing newlines and separators where they are', () => {
    const text = 'locals {\n  a = "x\\qy"\n  b =\n}\nlocals {\n  c = 1 d = 2\n  e = { x = 1 y = 2 }\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/syntax').map((f) => f.split(' ')[0]), ['main.tf:2:9', 'main.tf:6:9', 'main.tf:7:15']);
  });
  it('reports an unclosed block at its opening brace', () => {
    assert.deepEqual(only({ 'main.tf': 'output "a" {\n  value = 1\n}\n\nresource "x" "y" {\n  a = [1, 2\n}\n' }, 'tf/syntax'), [
      'main.tf:6:7 "[" is not closed before the "}" that follows.',
    ]);
    assert.deepEqual(only({ 'main.tf': 'resource "x" "y" {\n  a = 1\n' }, 'tf/syntax'), ['main.tf:1:18 This block or object is not closed: add "}".']);
  });
  it('reports a single-line block with two arguments and hexadecimal numbers', () => {
    assert.deepEqual(only({ 'main.tf': 'x "y" { a = 1\n  b = 2 }\nlocals {\n  n = 0x1F\n}\n' }, 'tf/syntax').map((f) => f.split(' ')[0]), ['main.tf:1:14', 'main.tf:4:7']);
  });
  it('passes a valid file with heredocs, templates, comments and escapes', () => {
    const text = [
      '# comment', '// comment', '/* block', 'comment */',
      'locals {',
      '  a = <<-EOT',
      '    ${var.x} and "quotes" }',
      '    %{ for i in [1] }${i}%{ endfor }',
      '  EOT',
      '  b = "$${literal} %%{ x } \\n \\u00e9 \\"q\\""',
      '  c = { "k" = 1, k2 = "v" }',
      '}',
      'variable "x" {}',
    ].join('\n');
    assert.deepEqual(only({ 'main.tf': text }, 'tf/syntax'), []);
  });
});

describe('tf/template-syntax', () => {
  it('reports unclosed interpolations, empty ones and unbalanced directives at their position', () => {
    const text = 'locals {\n  a = "${}"\n  b = "%{ endif }"\n  c = "%{ if true }yes"\n  d = "${var.x"\n}\nvariable "x" {}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/template-syntax'), [
      'main.tf:2:8 This interpolation is empty: put an expression between "${" and "}".',
      'main.tf:3:8 Unexpected %{ endif }: there is no %{ if } open here.',
      'main.tf:4:8 This %{ if } has no matching %{ endif } before the end of the template.',
      'main.tf:5:8 This interpolation is not closed: add "}" before the closing quote.',
    ]);
  });
  it('passes balanced directives and nested strings in interpolations', () => {
    assert.deepEqual(only({ 'main.tf': 'locals {\n  a = "%{ if true }${join(",", ["a", "b"])}%{ else }x%{ endif }"\n}\n' }, 'tf/template-syntax'), []);
  });
});

describe('tf/duplicate-argument', () => {
  it('fails when an argument is set twice in a block', () => {
    assert.deepEqual(only({ 'main.tf': 'resource "x" "y" {\n  a = 1\n  a = 2\n}\n' }, 'tf/duplicate-argument'), [
      'main.tf:3:3 The argument "a" is already set above: each argument may be set only once.',
    ]);
  });
  it('passes the same name in different blocks', () => {
    assert.deepEqual(only({ 'main.tf': 'resource "x" "y" {\n  a = 1\n  b {\n    a = 2\n  }\n}\n' }, 'tf/duplicate-argument'), []);
  });
});

describe('tf/undeclared-reference', () => {
  const declarations = 'variable "region" {}\nlocals {\n  name = "n"\n}\nmodule "net" {\n  source = "git::https://example.com/net.git"\n}\ndata "aws_ami" "ubuntu" {}\nresource "aws_instance" "web" {}\n';
  it('fails on undeclared variables, locals, modules, data sources and resources, across files', () => {
    const text = 'output "a" {\n  value = [var.regoin, local.nmae, module.nett.id, data.aws_ami.ubuntoo.id, aws_instance.webb.id]\n}\n';
    assert.deepEqual(only({ 'a.tf': declarations, 'b.tf': text }, 'tf/undeclared-reference'), [
      'b.tf:2:12 No variable "regoin" is declared in this module. Did you mean var.region?',
      'b.tf:2:24 No local value "nmae" is declared in this module. Did you mean local.name?',
      'b.tf:2:36 No module call "nett" is declared in this module. Did you mean module.net?',
      'b.tf:2:52 No data source "aws_ami" "ubuntoo" is declared in this module. Did you mean data.aws_ami.ubuntu?',
      'b.tf:2:77 No resource "aws_instance" "webb" is declared in this module. Did you mean aws_instance.web?',
    ]);
  });
  it('offers the spelling fix', () => {
    const workspace = workspaceOf({ 'a.tf': declarations, 'b.tf': 'output "a" {\n  value = var.regoin\n}\n' });
    const finding = workspace.diagnose(`${ROOT}/b.tf`).find((f) => f.rule === 'tf/undeclared-reference');
    assert.deepEqual(finding?.fixes?.[0].edits, [{ range: { start: { line: 1, character: 10 }, end: { line: 1, character: 20 } }, newText: 'var.region' }]);
    workspace.dispose();
  });
  it('passes declared names, for-expression names, dynamic iterators and scoped names', () => {
    const text = [
      'output "a" {',
      '  value = [var.region, local.name, module.net.id, data.aws_ami.ubuntu.id, aws_instance.web.id, [for x in [1] : x], { for k, v in {} : k => v }]',
      '}',
      'resource "aws_security_group" "sg" {',
      '  dynamic "ingress" {',
      '    for_each = [22]',
      '    content {',
      '      from_port = ingress.value',
      '    }',
      '  }',
      '  dynamic "egress" {',
      '    for_each = [1]',
      '    iterator = rule',
      '    content {',
      '      to_port = rule.key',
      '    }',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(only({ 'a.tf': declarations, 'b.tf': text }, 'tf/undeclared-reference'), []);
  });
  it('fails on a provider configuration that does not exist, passes aliases and configuration_aliases', () => {
    const config = 'provider "aws" {\n  alias = "east"\n}\nterraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n      configuration_aliases = [aws.west]\n    }\n  }\n}\n';
    assert.deepEqual(only({ 'main.tf': `${config}resource "aws_s3_bucket" "a" {\n  provider = aws.north\n}\nresource "aws_s3_bucket" "b" {\n  provider = aws.east\n}\nresource "aws_s3_bucket" "c" {\n  provider = aws.west\n}\n` }, 'tf/undeclared-reference').map((f) => f.split(':').slice(0, 2).join(':')), ['main.tf:13']);
  });
});

describe('tf/invalid-reference', () => {
  it('fails on count, each and self out of place, bad path and terraform attributes, bare names', () => {
    const text = [
      'resource "x" "a" {',
      '  v = count.index',
      '}',
      'output "b" {',
      '  value = [each.key, self.id, path.modul, terraform.foo, region]',
      '}',
      'variable "region" {}',
    ].join('\n');
    assert.deepEqual(only({ 'main.tf': text }, 'tf/invalid-reference').map((f) => short(f)), [
      'main.tf:2:7 "count" is available onl',
      'main.tf:5:12 "each" is available only',
      'main.tf:5:22 "self" is available only',
      'main.tf:5:31 "path" has the attribute',
      'main.tf:5:43 "terraform" has the attr',
      'main.tf:5:58 "region" alone is not a ',
    ]);
  });
  it('fails on a missing or unexpected instance key, and on a resource referring to itself', () => {
    const text = 'resource "x" "many" {\n  count = 2\n}\nresource "x" "one" {\n  v = x.one.id\n}\noutput "o" {\n  value = [x.many.id, x.one[0].id, x.many[*].id, x.many[0].id]\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/invalid-reference').map((f) => f.split(' ')[0]), ['main.tf:5:7', 'main.tf:8:12', 'main.tf:8:23']);
  });
  it('fails on attributes a variable\'s type does not have, with a spelling fix', () => {
    const text = 'variable "s" {\n  type = object({ name = string, ports = list(number) })\n}\nvariable "m" {\n  type = map(string)\n}\noutput "o" {\n  value = [var.s.nmae, var.s.ports[0], var.m.any_key, var.s.name.x]\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/invalid-reference'), [
      'main.tf:8:17 var.s has no attribute "nmae": its type is object({ name = string, ports = list(number) }). Did you mean "name"?',
      'main.tf:8:65 var.s.name is a string, which has no attribute "x".',
    ]);
  });
  it('passes count, each and self where they exist', () => {
    const text = [
      'resource "x" "a" {',
      '  count = 2',
      '  v     = count.index',
      '  provisioner "local-exec" {',
      '    command = self.id',
      '  }',
      '  lifecycle {',
      '    postcondition {',
      '      condition     = self.id != ""',
      '      error_message = "x"',
      '    }',
      '  }',
      '}',
      'module "m" {',
      '  source   = "git::https://example.com/m.git"',
      '  for_each = toset(["a"])',
      '  name     = "${each.key}-${path.module}-${terraform.workspace}"',
      '}',
    ].join('\n');
    assert.deepEqual(only({ 'main.tf': text }, 'tf/invalid-reference'), []);
  });
});

describe('tf/function-call', () => {
  it('fails on unknown functions, wrong argument counts and undeclared provider functions', () => {
    const text = 'locals {\n  a = lenght([1])\n  b = upper("a", "b")\n  c = join()\n  d = list(1)\n  e = provider::aws::arn_parse("x")\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/function-call'), [
      'main.tf:2:7 There is no function "lenght". Did you mean length?',
      'main.tf:3:18 upper() takes only 1 argument, but gets 2.',
      'main.tf:4:7 join() needs at least 1 argument, but gets 0.',
      'main.tf:5:7 There is no function "list". It was removed from the language: write a list as [a, b], or use tolist().',
      'main.tf:6:7 provider::aws::arn_parse is a function of the provider "aws", which this module does not list in terraform { required_providers { } }: add it there to use its functions.',
    ]);
  });
  it('fails on a function newer than the target version', () => {
    assert.equal(only({ 'main.tf': 'locals {\n  a = templatestring("x", {})\n}\n' }, 'tf/function-call', { terraformVersion: '1.8' }).length, 1);
  });
  it('passes known functions, core:: names, expansion and declared provider functions', () => {
    const text = 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\nlocals {\n  a = core::length([1])\n  b = max([1, 2]...)\n  c = provider::aws::arn_parse("arn:aws:s3:::x")\n  d = lookup({}, "k", "default")\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/function-call'), []);
  });
});

describe('tf/duplicate-declaration', () => {
  it('fails on duplicates across the files of a module, naming the first one', () => {
    const a = 'variable "v" {}\nlocals {\n  l = 1\n}\noutput "o" {\n  value = 1\n}\nresource "x" "r" {}\ndata "x" "d" {}\nmodule "m" {\n  source = "git::x"\n}\nprovider "p" {}\nprovider "p" {\n  alias = "a"\n}\n';
    assert.deepEqual(only({ 'a.tf': a, 'b.tf': a }, 'tf/duplicate-declaration').map((f) => f.split(' is already')[0]), [
      'b.tf:1:10 A variable named "v"',
      'b.tf:3:3 A local value named "l"',
      'b.tf:5:8 An output named "o"',
      'b.tf:8:14 The resource x.r',
      'b.tf:9:10 The data source data.x.d',
      'b.tf:10:8 A module call named "m"',
      'b.tf:13:10 A default configuration of the provider "p"',
      'b.tf:14:10 A provider configuration with alias "a"',
    ]);
  });
  it('passes the same name for different kinds, and the same name in different folders', () => {
    assert.deepEqual(only({ 'a.tf': 'variable "x" {}\noutput "x" {\n  value = var.x\n}\nresource "t" "x" {}\ndata "t" "x" {}\n', 'sub/a.tf': 'variable "x" {}\n' }, 'tf/duplicate-declaration'), []);
  });
});

describe('tf/block-labels', () => {
  it('fails on missing and extra labels, invalid names and reserved variable names', () => {
    const text = 'variable "a" "b" {}\nresource "x" {}\nlocals "l" {}\nresource "x" "1bad" {}\nvariable "count" {}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/block-labels').map((f) => short(f)), [
      'main.tf:1:14 Extra label "b": a varia',
      'main.tf:2:1 A resource block needs 2',
      'main.tf:3:8 Extra label "l": a local',
      'main.tf:4:14 "1bad" is not a valid na',
      'main.tf:5:10 "count" cannot name a va',
    ]);
  });
  it('passes the right labels, quoted or bare', () => {
    assert.deepEqual(only({ 'main.tf': 'resource aws_s3_bucket b {}\nvariable "v" {}\nterraform {\n  backend "s3" {}\n}\n' }, 'tf/block-labels'), []);
  });
});

describe('tf/unknown-block and tf/unknown-argument', () => {
  it('fails on unknown top-level and nested blocks and arguments of Terraform\'s own blocks', () => {
    const text = 'resouce "x" "y" {}\nvariable "v" {\n  validaton {}\n  descripton = "d"\n}\nresource "x" "z" {\n  lifecycle {\n    ignore_change = []\n  }\n}\nmodule "m" {\n  source = "git::x"\n  lifecycle {}\n}\ntop = 1\n';
    assert.deepEqual(findings({ 'main.tf': text }).filter((f) => /unknown|Unknown|Unexpected|top level/.test(f)).map((f) => short(f)), [
      'main.tf:1:1 Unknown block type "reso',
      'main.tf:3:3 Unexpected block "valida',
      'main.tf:4:3 Unknown argument "descri',
      'main.tf:8:5 Unknown argument "ignore',
      'main.tf:13:3 Unexpected block "lifecy',
      'main.tf:15:1 An argument cannot be se',
    ]);
  });
  it('fails on blocks newer than the target version', () => {
    assert.deepEqual(only({ 'main.tf': 'removed {\n  from = x.y\n}\n' }, 'tf/unknown-block', { terraformVersion: '1.6' }).map((f) => short(f)), ['main.tf:1:1 Unknown block type "remo']);
  });
  it('passes provider-defined content, which is for the provider schema to check', () => {
    assert.deepEqual(rules({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  anything = 1\n  nested {\n    deep = 2\n  }\n}\nterraform {\n  backend "s3" {\n    bucket = "b"\n  }\n}\n' }).filter((r) => r.startsWith('tf/unknown')), []);
  });
});

describe('tf/required-argument', () => {
  it('fails on a validation without error_message', () => {
    assert.deepEqual(only({ 'main.tf': 'variable "v" {\n  validation {\n    condition = var.v != ""\n  }\n}\n' }, 'tf/required-argument'), ['main.tf:2:3 A validation block needs the argument "error_message".']);
  });
  it('passes a complete validation', () => {
    assert.deepEqual(only({ 'main.tf': 'variable "v" {\n  validation {\n    condition     = var.v != ""\n    error_message = "x"\n  }\n}\n' }, 'tf/required-argument'), []);
  });
});

describe('tf/count-and-for-each', () => {
  it('fails when both are set', () => {
    assert.deepEqual(only({ 'main.tf': 'resource "x" "y" {\n  count    = 1\n  for_each = {}\n}\n' }, 'tf/count-and-for-each'), [
      'main.tf:3:3 A resource cannot set both "count" and "for_each": use one of them to say how many instances to create.',
    ]);
  });
  it('passes one of them', () => {
    assert.deepEqual(only({ 'main.tf': 'resource "x" "y" {\n  count = 1\n}\n' }, 'tf/count-and-for-each'), []);
  });
});

describe('tf/output-without-value', () => {
  it('fails on an output without value', () => {
    assert.deepEqual(only({ 'main.tf': 'output "o" {\n  description = "d"\n}\n' }, 'tf/output-without-value'), ['main.tf:1:1 Output "o" has no value: add value = <expression>.']);
  });
  it('passes an output with value, and says nothing about an output that does not parse', () => {
    assert.deepEqual(only({ 'main.tf': 'output "o" {\n  value = 1\n}\n' }, 'tf/output-without-value'), []);
    assert.deepEqual(only({ 'main.tf': 'output "o" {\n  value = "x\n}\n' }, 'tf/output-without-value'), []);
  });
});

describe('tf/variable-type and tf/variable-default-type', () => {
  it('fails on invalid type constraints', () => {
    assert.deepEqual(only({ 'main.tf': 'variable "a" {\n  type = strin\n}\nvariable "b" {\n  type = list\n}\nvariable "c" {\n  type = "string"\n}\nvariable "d" {\n  type = optional(string)\n}\n' }, 'tf/variable-type').map((f) => short(f)), [
      'main.tf:2:10 "strin" is not a type: t',
      'main.tf:5:10 "list" needs an element ',
      'main.tf:8:10 Type constraints are not',
      'main.tf:11:10 optional(...) is allowed',
    ]);
  });
  it('fails on defaults that do not convert to the type', () => {
    const text = [
      'variable "a" {\n  type    = number\n  default = "abc"\n}',
      'variable "b" {\n  type    = object({ name = string, size = optional(number) })\n  default = { size = 1 }\n}',
      'variable "c" {\n  type    = map(number)\n  default = { a = 1, b = "x" }\n}',
      'variable "d" {\n  type     = string\n  nullable = false\n  default  = null\n}',
    ].join('\n');
    assert.deepEqual(only({ 'main.tf': text }, 'tf/variable-default-type'), [
      'main.tf:3:13 The default of "a" does not match its type number: a number is required, not the string "abc".',
      'main.tf:7:13 The default of "b" does not match its type object({ name = string, size = optional(number) }): the attribute "name" is required.',
      'main.tf:11:13 The default of "c" does not match its type map(number): ["b"]: a number is required, not the string "x".',
      'main.tf:16:14 The default of "d" is null, but the variable sets nullable = false.',
    ]);
  });
  it('passes defaults Terraform converts: numbers to strings, numeric strings to numbers, lists to sets, extra attributes', () => {
    const text = [
      'variable "a" {\n  type    = string\n  default = 12\n}',
      'variable "b" {\n  type    = number\n  default = "1.5"\n}',
      'variable "c" {\n  type    = set(string)\n  default = [1, 2]\n}',
      'variable "d" {\n  type    = object({ a = string })\n  default = { a = "x", extra = 1 }\n}',
      'variable "e" {\n  type    = bool\n  default = "true"\n}',
      'variable "f" {\n  type    = list(any)\n  default = [1, "a"]\n}',
      'variable "g" {\n  type    = number\n  default = null\n}',
    ].join('\n');
    assert.deepEqual(only({ 'main.tf': text }, 'tf/variable-default-type'), []);
    assert.deepEqual(only({ 'main.tf': text }, 'tf/variable-type'), []);
  });
});

describe('tf/validation-reference', () => {
  const text = 'variable "a" {\n  type = number\n  validation {\n    condition     = var.a > var.min\n    error_message = "Too small."\n  }\n}\nvariable "min" {\n  type = number\n}\nvariable "b" {\n  validation {\n    condition     = length(var.min) > 0\n    error_message = "x"\n  }\n}\n';
  it('fails on a condition that does not test its own variable, in every version', () => {
    assert.deepEqual(only({ 'main.tf': text }, 'tf/validation-reference'), ['main.tf:13:21 This condition does not refer to var.b: a validation of "b" must test var.b.']);
  });
  it('fails on references to other variables before Terraform 1.9 only', () => {
    assert.deepEqual(only({ 'main.tf': text }, 'tf/validation-reference', { terraformVersion: '1.8' }).map((f) => f.split(' ')[0]), ['main.tf:4:29', 'main.tf:13:21', 'main.tf:13:28']);
  });
  it('checks the references of validations since 1.9 like any other expression', () => {
    assert.deepEqual(only({ 'main.tf': 'variable "a" {\n  validation {\n    condition     = var.a != var.nope\n    error_message = "x"\n  }\n}\n' }, 'tf/undeclared-reference').map((f) => f.split(' ')[0]), ['main.tf:3:30']);
  });
});

describe('tf/argument-value', () => {
  it('fails on non-literal values where Terraform needs literals, and on wrong literal types', () => {
    const text = 'variable "a" {\n  default   = upper("x")\n  sensitive = "yes"\n}\nmodule "m" {\n  source = "./${var.a}"\n}\nresource "x" "y" {\n  count = "two"\n  lifecycle {\n    prevent_destroy = var.a\n  }\n}\nresource "x" "z" {\n  for_each = ["a", "b"]\n}\nterraform {\n  required_version = var.a\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/argument-value').map((f) => f.split(' ')[0]), ['main.tf:2:15', 'main.tf:3:15', 'main.tf:6:17', 'main.tf:9:11', 'main.tf:11:23', 'main.tf:15:14', 'main.tf:18:22']);
  });
  it('warns on quoted references in depends_on, with a fix', () => {
    const workspace = workspaceOf({ 'main.tf': 'resource "x" "a" {}\nresource "x" "b" {\n  depends_on = ["x.a"]\n}\n' });
    const finding = workspace.diagnose(`${ROOT}/main.tf`).find((f) => f.rule === 'tf/argument-value');
    assert.equal(finding?.severity, 'warning');
    assert.equal(finding?.fixes?.[0].edits[0].newText, 'x.a');
    workspace.dispose();
  });
  it('passes literal values and toset()', () => {
    const text = 'variable "a" {\n  default   = { x = [1, true, null] }\n  sensitive = true\n}\nresource "x" "y" {\n  count = 2\n  lifecycle {\n    prevent_destroy = true\n  }\n}\nresource "x" "z" {\n  for_each = toset(["a"])\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/argument-value'), []);
  });
});

describe('tf/moved-block', () => {
  it('fails on malformed moved, import and removed blocks', () => {
    const text = [
      'resource "x" "new" {}',
      'moved {\n  from = x.old\n}',
      'moved {\n  from = x.a\n  to   = module.b\n}',
      'moved {\n  from = "x.c"\n  to   = x.new\n}',
      'import {\n  to = x.new\n}',
      'import {\n  id = "i"\n  to = x.missing\n}',
      'removed {\n  from = x.new\n}',
      'removed {\n  from = x.gone[0]\n}',
      'moved {\n  from = x.new\n  to   = x.newer\n}',
    ].join('\n');
    assert.deepEqual(only({ 'main.tf': text }, 'tf/moved-block').map((f) => short(f)), [
      'main.tf:2:1 A moved block needs the ',
      'main.tf:5:1 "from" and "to" must bot',
      'main.tf:10:10 An address is written wi',
      'main.tf:13:1 An import block needs th',
      'main.tf:18:8 x.missing is not declare',
      'main.tf:21:10 x.new is still declared ',
      'main.tf:24:10 A removed block names a ',
      'main.tf:27:10 x.new is still declared ',
      'main.tf:28:10 x.newer is not declared ',
    ]);
  });
  it('passes well-formed blocks, including import with for_each', () => {
    const text = 'resource "x" "new" {\n  for_each = {}\n}\nmoved {\n  from = x.old\n  to   = x.new\n}\nimport {\n  for_each = { a = "1" }\n  to       = x.new[each.key]\n  id       = each.value\n}\nremoved {\n  from = x.gone\n  lifecycle {\n    destroy = false\n  }\n}\n';
    assert.deepEqual(only({ 'main.tf': text }, 'tf/moved-block'), []);
  });
});

describe('tf/module-source, tf/module-inputs and tf/module-outputs', () => {
  const module = { 'mod/main.tf': 'variable "name" {\n  type        = string\n  description = "The name."\n}\nvariable "size" {\n  type    = number\n  default = 1\n}\noutput "id" {\n  value = var.name\n}\noutput "size" {\n  value = var.size\n}\n' };
  const options = { readModuleFolder: memoryReader(module) };
  it('fails on unknown inputs, missing required inputs, wrong literal types and unknown outputs', () => {
    const text = 'module "a" {\n  source = "./mod"\n  size   = "big"\n  sise   = 3\n}\noutput "o" {\n  value = module.a.ids\n}\n';
    assert.deepEqual(findings({ 'main.tf': text }, undefined, options).filter((f) => !f.includes('never used')), [
      'main.tf:1:1 Module "a" does not set the required variable "name" of ./mod.',
      'main.tf:3:12 "size" of module ./mod is number: a number is required, not the string "big".',
      'main.tf:4:3 The module ./mod has no variable "sise". Did you mean "size"?',
      'main.tf:7:19 The module "a" (./mod) has no output "ids". Did you mean "id"?',
    ]);
  });
  it('fails on a local source that does not exist, or with a version', () => {
    assert.deepEqual(findings({ 'main.tf': 'module "a" {\n  source  = "./nope"\n  version = "1.0"\n}\n' }, undefined, options), [
      'main.tf:2:13 The module folder ./nope does not exist or holds no .tf file.',
      'main.tf:3:3 A local module (./nope) has no versions: remove "version", which applies only to registry modules.',
    ]);
  });
  it('passes a correct call, reading the module from the workspace when it is there, else through the reader', () => {
    const text = 'module "a" {\n  source = "./mod"\n  name   = "x"\n}\nmodule "b" {\n  source = "./mod/"\n  count  = 2\n  name   = "y"\n}\noutput "o" {\n  value = [module.a.id, module.b[0].id]\n}\n';
    assert.deepEqual(findings({ 'main.tf': text }, undefined, options), []);
    assert.deepEqual(findings({ 'main.tf': text, ...module }), []);
  });
  it('re-checks references when a variable\'s type changes in another file', () => {
    const workspace = workspaceOf({ 'variables.tf': 'variable "s" {\n  type = object({ name = string })\n}\n', 'main.tf': 'output "o" {\n  value = var.s.title\n}\n' });
    assert.equal(workspace.diagnose(`${ROOT}/main.tf`).length, 1);
    workspace.setFile(`${ROOT}/variables.tf`, 'variable "s" {\n  type = object({ name = string, title = string })\n}\n');
    assert.deepEqual(workspace.diagnose(`${ROOT}/main.tf`), []);
    workspace.dispose();
  });
  it('re-checks callers when the called module changes in the workspace', () => {
    const workspace = workspaceOf({ 'main.tf': 'module "a" {\n  source = "./mod"\n  name   = "x"\n}\n', ...module });
    assert.deepEqual(workspace.diagnose(`${ROOT}/main.tf`), []);
    workspace.setFile(`${ROOT}/mod/main.tf`, 'variable "title" {}\n');
    assert.deepEqual(workspace.diagnose(`${ROOT}/main.tf`).map((f) => f.rule), ['tf/module-inputs', 'tf/module-inputs']);
    workspace.dispose();
  });
});

describe('tf/reference-cycle', () => {
  it('fails on locals and resources that refer to each other in a circle', () => {
    assert.deepEqual(only({ 'main.tf': 'locals {\n  a = local.b\n  b = local.c\n  c = local.a\n  d = local.a\n}\n' }, 'tf/reference-cycle').map((f) => f.split(' ')[0]), ['main.tf:2:3', 'main.tf:3:3', 'main.tf:4:3']);
    assert.equal(only({ 'main.tf': 'resource "x" "a" {\n  v = x.b.id\n}\nresource "x" "b" {\n  v = x.a.id\n}\n' }, 'tf/reference-cycle').length, 2);
  });
  it('passes chains, and self in provisioners', () => {
    assert.deepEqual(only({ 'main.tf': 'locals {\n  a = local.b\n  b = 1\n}\nresource "x" "a" {\n  provisioner "local-exec" {\n    command = self.id\n  }\n}\n' }, 'tf/reference-cycle'), []);
  });
});

describe('tf/tfvars-unknown-variable and tf/tfvars-value', () => {
  const variables = 'variable "region" {\n  type = string\n}\nvariable "replicas" {\n  type = number\n}\n';
  it('warns on values for undeclared variables, and fails on non-literal or mistyped values', () => {
    const tfvars = 'regoin   = "eu"\nreplicas = "three"\nregion   = var.x\n';
    assert.deepEqual(findings({ 'variables.tf': variables, 'prod.tfvars': tfvars }).filter((f) => f.startsWith('prod')), [
      'prod.tfvars:1:1 The module in this folder declares no variable "regoin", so Terraform ignores this value. Did you mean "region"?',
      'prod.tfvars:2:12 "replicas" is number: a number is required, not the string "three".',
      'prod.tfvars:3:12 A .tfvars value must be literal: it cannot refer to other values.',
    ]);
    assert.deepEqual(rules({ 'variables.tf': variables, 'prod.tfvars': tfvars }).filter((r) => r.startsWith('tf/tfvars')), ['tf/tfvars-unknown-variable:warning', 'tf/tfvars-value:error', 'tf/tfvars-value:error']);
  });
  it('passes matching values, and says nothing in a folder without .tf files', () => {
    assert.deepEqual(findings({ 'variables.tf': variables, 'terraform.tfvars': 'region   = "eu"\nreplicas = 3\n' }).filter((f) => f.startsWith('terraform')), []);
    assert.deepEqual(findings({ 'envs/prod.tfvars': 'anything = 1\n' }), []);
  });
});

describe('tf/unused-declaration and tf/interpolation-only', () => {
  it('warns on unused variables, locals and data sources, and on interpolation-only strings', () => {
    assert.deepEqual(rules({ 'main.tf': 'variable "v" {}\nlocals {\n  l = 1\n}\ndata "x" "d" {}\nresource "x" "r" {\n  name = "${local.u}"\n}\nlocals {\n  u = 1\n}\n' }), [
      'tf/unused-declaration:warning', 'tf/unused-declaration:warning', 'tf/unused-declaration:warning', 'tf/interpolation-only:warning',
    ]);
  });
  it('passes used declarations and real templates', () => {
    assert.deepEqual(rules({ 'main.tf': 'variable "v" {}\nresource "x" "r" {\n  name = "${var.v}-suffix"\n}\n' }), []);
  });
});

describe('rule ids and severities', () => {
  it('reports errors only where Terraform fails and warnings otherwise', () => {
    const all = rules({ 'main.tf': 'variable "v" {}\nlocals {\n  x = "${var.v}"\n}\noutput "o" {\n  value = local.x\n}\n' });
    assert.deepEqual(all, ['tf/interpolation-only:warning']);
  });
});

describe('incremental analysis', () => {
  it('reports after any series of edits what a fresh workspace reports for the final texts', () => {
    const files: Record<string, string> = {
      'variables.tf': 'variable "region" {\n  type = string\n}\nvariable "size" {\n  type    = number\n  default = 1\n}\n',
      'main.tf': 'locals {\n  name = "app-${var.region}"\n}\nresource "x" "a" {\n  count = var.size\n  name  = local.name\n}\noutput "id" {\n  value = x.a[0].id\n}\nmodule "m" {\n  source = "./mod"\n  title  = local.name\n}\n',
      'mod/main.tf': 'variable "title" {}\noutput "o" {\n  value = var.title\n}\n',
    };
    const snippets = ['"', '{', '}', '\n', 'x', ' = ', 'var.', 'local.', 'count = 2\n', 'variable "extra" {}\n', 'a', '1'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const workspace = workspaceOf(files);
    const texts = { ...files };
    const names = Object.keys(files);
    for (let step = 0; step < 150; step++) {
      const name = names[random(names.length)];
      const text = texts[name];
      const at = random(text.length + 1);
      texts[name] = random(2) === 0 ? text.slice(0, at) + snippets[random(snippets.length)] + text.slice(at) : text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + random(4)));
      if (step % 40 === 39) Object.assign(texts, files);
      for (const [n, t] of Object.entries(texts)) workspace.setFile(`${ROOT}/${n}`, t);
      const fresh = workspaceOf(texts);
      for (const n of names) assert.deepEqual(workspace.diagnose(`${ROOT}/${n}`), fresh.diagnose(`${ROOT}/${n}`), `${n} after edit ${step}`);
      fresh.dispose();
    }
    workspace.dispose();
  });
});
