/**
 * The Terraform model and its incremental maintenance: blocks, labels, arguments and
 * references with exact UTF-16 ranges; static values; recovery from syntax errors; and the
 * same model after a series of edits as after parsing the final text from scratch.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { computeEdit, TerraformDocument } from '../../server/src/terraform/document';
import { allBlocks, referenceText, type TerraformFile } from '../../server/src/terraform/model';
import { loadParser } from './terraform-helpers';

before(loadParser);

function parse(text: string, kind: 'tf' | 'tfvars' = 'tf'): TerraformFile {
  const document = new TerraformDocument(kind);
  document.update(text);
  const model = document.model;
  document.dispose();
  return model;
}

const at = (range: { start: { line: number; character: number }; end: { line: number; character: number } }): string =>
  `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;

/** A model as plain JSON (Maps as objects), to compare two models. */
function plain(model: TerraformFile): unknown {
  return JSON.parse(JSON.stringify(model, (_key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value)));
}

describe('the model', () => {
  it('has blocks with typed labels, arguments and nested blocks, with ranges', () => {
    const model = parse('resource "aws_s3_bucket" logs {\n  bucket = "b"\n  versioning {\n    enabled = true\n  }\n}\n');
    const [block] = model.blocks;
    assert.equal(block.type, 'resource');
    assert.deepEqual(block.labels.map((l) => [l.value, l.quoted, at(l.range)]), [['aws_s3_bucket', true, '0:9-0:24'], ['logs', false, '0:25-0:29']]);
    assert.equal(at(block.typeRange), '0:0-0:8');
    assert.equal(at(block.range), '0:0-5:1');
    const bucket = block.attributes.get('bucket')!;
    assert.deepEqual([at(bucket.nameRange), bucket.expression.kind, bucket.expression.value], ['1:2-1:8', 'literal', 'b']);
    assert.equal(block.blocks[0].attributes.get('enabled')!.expression.value, true);
  });

  it('collects references with their steps, outside for-expression names', () => {
    const model = parse('locals {\n  a = [for k, v in var.map : "${k}=${v}" if v != data.x.y[0].z]\n  b = aws_instance.web[*].id\n  c = module.m["k"].out\n}\n');
    const refs = (name: string): string[] => model.blocks[0].attributes.get(name)!.expression.references.map((r) => referenceText(r));
    assert.deepEqual(refs('a'), ['var.map', 'data.x.y[0].z']);
    assert.deepEqual(refs('b'), ['aws_instance.web[*].id']);
    assert.deepEqual(refs('c'), ['module.m["k"].out']);
    const [web] = model.blocks[0].attributes.get('b')!.expression.references;
    assert.equal(at(web.range), '2:6-2:28');
  });

  it('knows static values: literals, collections, heredocs, escapes and negative numbers', () => {
    const model = parse('locals {\n  a = { x = [1, -2.5, true, null], "y" = "q\\"\\u00e9$${z}" }\n  b = <<-EOT\n    one\n      two\n  EOT\n  c = "${var.x}"\n}\n');
    const value = (name: string): unknown => model.blocks[0].attributes.get(name)!.expression.value;
    assert.deepEqual(value('a'), { x: [1, -2.5, true, null], y: 'q"é${z}' });
    assert.equal(value('b'), 'one\n  two\n');
    assert.equal(model.blocks[0].attributes.get('c')!.expression.isStatic, false);
    assert.equal(model.blocks[0].attributes.get('c')!.expression.interpolationOnly, true);
  });

  it('keeps the spaces at either end of a quoted string, in values and labels', () => {
    const model = parse('resource " a " "b " {\n  port = " 80"\n  tags = { k = "v  ", e = "  " }\n  list = [" x ", "\\t y"]\n}\n');
    const [block] = model.blocks;
    assert.deepEqual(block.labels.map((l) => l.value), [' a ', 'b ']);
    const value = (name: string): unknown => block.attributes.get(name)!.expression.value;
    assert.equal(value('port'), ' 80');
    assert.deepEqual(value('tags'), { k: 'v  ', e: '  ' });
    assert.deepEqual(value('list'), [' x ', '\t y']);
  });

  it('records function calls, nested ones included', () => {
    const model = parse('locals {\n  a = merge(var.a, { b = lookup(local.c, "d", upper("e")) }...)\n}\n');
    const expression = model.blocks[0].attributes.get('a')!.expression;
    assert.deepEqual(expression.calls.map((c) => `${c.name}/${c.args.length}`), ['merge/2', 'lookup/3', 'upper/1']);
    assert.equal(expression.calls[0].expandFinal, true);
  });

  it('counts columns in UTF-16 code units, as LSP does', () => {
    const model = parse('locals {\n  a = "😀é${var.x}"\n}\n');
    const [reference] = model.blocks[0].attributes.get('a')!.expression.references;
    assert.equal(at(reference.range), '1:12-1:17');
  });

  it('reads .tfvars arguments at the top level', () => {
    const model = parse('region = "eu"\ncount_ = 3\n', 'tfvars');
    assert.deepEqual([...model.attributes.keys()], ['region', 'count_']);
    assert.deepEqual(model.problems, []);
  });
});

describe('recovery from syntax errors', () => {
  it('keeps every other block when one has an unclosed string', () => {
    const model = parse('resource "a" "one" {\n  x = "open\n  y = 1\n}\n\nresource "a" "two" {\n  z = var.q\n}\n\nvariable "q" {}\n');
    assert.deepEqual(model.blocks.map((b) => `${b.type}.${b.labels.map((l) => l.value).join('.')}${b.incomplete ? '!' : ''}`), ['resource.a.one!', 'resource.a.two', 'variable.q']);
    assert.deepEqual(model.problems.map((p) => `${p.rule} ${at(p.range)}`), ['tf/syntax 1:6-1:11']);
    // The broken string is blanked out, so the block keeps its other arguments.
    assert.deepEqual([...model.blocks[0].attributes.keys()], ['x', 'y']);
  });

  it('reports one error for a stray brace and keeps the blocks around it', () => {
    const model = parse('output "a" {\n  value = 1\n}\n}\noutput "b" {\n  value = 2\n}\n');
    assert.deepEqual(model.blocks.map((b) => b.labels[0]?.value), ['a', 'b']);
    assert.deepEqual(model.problems.map((p) => `${at(p.range)} ${p.message}`), ['3:0-3:1 Unexpected "}": there is no block or object open here to close.']);
  });

  it('reports a missing value and a stray word where they are', () => {
    assert.deepEqual(parse('locals {\n  a =\n}\n').problems.map((p) => at(p.range)), ['1:5-1:5']);
    assert.deepEqual(parse('locals {\n  a = 1\n  oops\n}\n').problems.map((p) => p.range.start.line), [2]);
  });

  it('reports an unterminated heredoc and comment at their start', () => {
    assert.deepEqual(parse('locals {\n  a = <<EOT\n  text\n}\n').problems.map((p) => `${at(p.range)} ${p.message}`), ['1:6-1:11 This heredoc is never closed: add a line holding only EOT.']);
    assert.deepEqual(parse('locals {\n  a = 1\n}\n/* open\n').problems.map((p) => at(p.range)), ['3:0-3:2']);
  });
});

describe('incremental parsing', () => {
  it('computes the changed range from the common prefix and suffix', () => {
    assert.deepEqual(computeEdit('abc\ndef', 'abc\ndXef'), {
      startIndex: 5, oldEndIndex: 5, newEndIndex: 6,
      startPosition: { row: 1, column: 1 }, oldEndPosition: { row: 1, column: 1 }, newEndPosition: { row: 1, column: 2 },
    });
    assert.equal(computeEdit('same', 'same'), undefined);
  });

  it('gives the same model after a series of edits as a fresh parse of the final text', () => {
    const base = [
      'variable "region" {\n  type    = string\n  default = "eu-west-1"\n}\n',
      'locals {\n  names = [for n in ["a", "b"] : upper(n)]\n}\n',
      'resource "aws_s3_bucket" "b" {\n  count  = 2\n  bucket = "${local.names[count.index]}-${var.region}"\n  tags   = { Name = "x" }\n}\n',
      'output "ids" {\n  value = aws_s3_bucket.b[*].id\n}\n',
    ].join('\n');
    // Deterministic pseudo-random edits: insertions, deletions and replacements, some breaking the syntax.
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const snippets = ['"', '{', '}', '\n', 'x', ' = ', '${', 'var.', '# c\n', 'resource "a" "b" {}\n', ']', '1'];
    const document = new TerraformDocument('tf');
    let text = base;
    document.update(text);
    for (let step = 0; step < 200; step++) {
      const at_ = random(text.length + 1);
      const kind = random(3);
      if (kind === 0) text = text.slice(0, at_) + snippets[random(snippets.length)] + text.slice(at_);
      else if (kind === 1) text = text.slice(0, at_) + text.slice(Math.min(text.length, at_ + 1 + random(5)));
      else text = text.slice(0, at_) + snippets[random(snippets.length)] + text.slice(Math.min(text.length, at_ + 1 + random(3)));
      if (step % 50 === 49) text = base; // back to a valid text now and then
      document.update(text);
      assert.deepEqual(plain(document.model), plain(parse(text)), `after edit ${step}`);
    }
    document.dispose();
  });

  it('reuses unchanged blocks, moved to their new lines, when lines are inserted above them', () => {
    const document = new TerraformDocument('tf');
    const tail = 'resource "x" "b" {\n  v = var.q\n}\n';
    document.update(`variable "q" {}\n${tail}`);
    document.update(`variable "q" {}\n\n\n${tail}`);
    const [, block] = document.model.blocks;
    assert.equal(block.range.start.line, 3);
    assert.equal(block.attributes.get('v')!.expression.references[0].range.start.line, 4);
    document.dispose();
  });

  it('keeps every nested block reachable', () => {
    const model = parse('resource "x" "y" {\n  a {\n    b {\n      c = 1\n    }\n  }\n}\n');
    assert.deepEqual([...allBlocks(model.blocks)].map(({ block, parents }) => `${parents.length}:${block.type}`), ['0:resource', '1:a', '2:b']);
  });
});
