/**
 * The Terraform formatter against the real `terraform fmt`: every input under
 * test/fixtures/terraform-format is formatted by both and the results must be byte-identical,
 * formatting must be idempotent, and the LSP edits must produce the same text.
 *
 * Without terraform on PATH the committed `*.expected.tf` files (written by `terraform fmt`) are
 * the reference instead. With it, they are checked to still be what terraform writes; run with
 * UPDATE_TERRAFORM_FORMAT_FIXTURES=1 to rewrite them from terraform's output.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Position, TextEdit } from '../../server/src/core/types';
import { locateWasmFiles } from '../../server/src/node/wasmFiles';
import { formatTerraform, formattingEdits } from '../../server/src/terraform/format';
import { createTerraformParser, loadTerraformParser, parseTerraform } from '../../server/src/terraform/parser';

const FIXTURES = resolve('test/fixtures/terraform-format');
const UPDATE = process.env.UPDATE_TERRAFORM_FORMAT_FIXTURES === '1';

const inputs = readdirSync(FIXTURES).filter((name) => /\.(tf|tfvars)$/.test(name) && !name.includes('.expected.')).sort();
const expectedName = (name: string) => name.replace(/\.(tf|tfvars)$/, '.expected.$1');

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

const terraform = which('terraform');

/** `terraform fmt -` on `text`: its output, or undefined when it refuses the text. */
function terraformFmt(text: string): Promise<string | undefined> {
  return new Promise((done, fail) => {
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const child = execFile(terraform!, ['fmt', '-no-color', '-'], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error && typeof error.code !== 'number') fail(error);
      else done(error ? undefined : stdout);
    });
    child.stdin?.end(text);
  });
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + position.character;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), text: edit.newText }))
    .sort((a, b) => b.start - a.start);
  sorted.forEach((edit, index) => assert.ok(index === 0 || edit.end <= sorted[index - 1].start, 'edits overlap'));
  return sorted.reduce((result, edit) => result.slice(0, edit.start) + edit.text + result.slice(edit.end), text);
}

/** What each input must format to: terraform's output when terraform is here, else the committed file. */
const reference = new Map<string, string>();
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

before(async () => {
  await loadTerraformParser(locateWasmFiles('/nonexistent'));
  if (!terraform) {
    for (const name of inputs) reference.set(name, read(expectedName(name)));
    return;
  }
  const outputs = await pool(inputs, 6, (name) => terraformFmt(read(name)));
  inputs.forEach((name, index) => {
    const output = outputs[index];
    assert.ok(output !== undefined, `terraform fmt refused the fixture ${name}`);
    if (UPDATE) writeFileSync(join(FIXTURES, expectedName(name)), output);
    reference.set(name, output);
  });
});

/**
 * Where `terraform fmt` itself changes its own output, and why. Spaces after the last line
 * break-less line are kept and a line break added after them, so a second pass strips them.
 */
const NOT_IDEMPOTENT: Record<string, string> = {
  '29-no-trailing-newline.tf': 'trailing spaces on the last, unterminated line survive the first pass only',
};

describe('formatTerraform produces what terraform fmt produces', { concurrency: 1 }, () => {
  it('has at least 30 varied fixtures, each with the expected output committed', () => {
    assert.ok(inputs.length >= 30, `only ${inputs.length} fixtures`);
    for (const name of inputs) assert.ok(existsSync(join(FIXTURES, expectedName(name))), `${expectedName(name)} is missing`);
  });

  for (const name of inputs) {
    it(name, () => {
      const input = read(name);
      const expected = reference.get(name);
      assert.ok(expected !== undefined);
      if (terraform) assert.equal(read(expectedName(name)), expected, `${expectedName(name)} is stale: rerun with UPDATE_TERRAFORM_FORMAT_FIXTURES=1`);
      assert.equal(formatTerraform(input), expected);
      const again = formatTerraform(expected);
      if (name in NOT_IDEMPOTENT) assert.equal(formatTerraform(again ?? ''), again, 'a third pass changes the text');
      else assert.equal(again, expected, 'formatting is not idempotent');
      assert.equal(applyEdits(input, formattingEdits(input)), expected, 'the edits do not produce the formatted text');
      if (!(name in NOT_IDEMPOTENT)) assert.deepEqual(formattingEdits(expected), []);
    });
  }
});

/** Files tree-sitter reads but Terraform rejects; `terraform fmt` refuses them, and so must we. */
const INVALID: Record<string, string> = {
  'unclosed block': 'resource "a" "b" {\n  x = 1\n',
  'two arguments on a line': 'a = 1 b = 2\n',
  'value on the next line': 'a =\n  1\n',
  'operator before a line break outside brackets': 'a = 1 +\n  2\n',
  'labels on two lines': 'resource "a"\n"b" {}\n',
  'single-line block not closed on its line': 'x { a = 1\n}\n',
  'closing brace after an argument': 'x {\n  a = 1 }\n',
  'two arguments in a single-line block': 'x { a = 1, b = 2 }\n',
  'nested block in a single-line block': 'x { y {} }\n',
  'two blocks on a line': 'x {} y {}\n',
  'object elements without separator': 'a = { b = 1 c = 2 }\n',
  'argument defined twice': 'a = 1\na = 2\n',
  'string across lines': 'a = "x\ny"\n',
  'invalid escape': 'a = "\\q"\n',
  'interpolation in a label': 'x "a${b}" {\n}\n',
  'heredoc closed at the end of the file': 'a = <<EOT\nx\nEOT',
  'nested legacy splat': 'a = x.*.y.*.z\n',
  'legacy index read as a number': 'a = x.0.1\n',
  'JSON object as the whole file': '{ "a": 1 }\n',
  'non-breaking space between tokens': 'a =\u00a01\n',
};

describe('formatTerraform refuses files with syntax errors', { concurrency: 4 }, () => {
  for (const [title, text] of Object.entries(INVALID)) {
    it(title, async () => {
      assert.equal(formatTerraform(text), undefined);
      assert.deepEqual(formattingEdits(text), []);
      if (terraform) assert.equal(await terraformFmt(text), undefined, 'terraform fmt accepts this text');
    });
  }
});

describe('formattingEdits', () => {
  it('edits only the characters that change, in UTF-16 columns', () => {
    const text = 'a = {\n  "日本😀"= 1\n  ok = 2\n}\n';
    const edits = formattingEdits(text);
    // The key is 5 grapheme clusters wide for the alignment, and 6 UTF-16 code units long.
    assert.deepEqual(edits, [
      { range: { start: { line: 1, character: 8 }, end: { line: 1, character: 8 } }, newText: ' ' },
      { range: { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } }, newText: '   ' },
    ]);
    assert.equal(applyEdits(text, edits), 'a = {\n  "日本😀" = 1\n  ok    = 2\n}\n');
  });

  it('keeps CRLF line endings, as terraform fmt does', () => {
    const text = 'a=1\r\nbb = 2\r\n';
    assert.equal(formatTerraform(text), 'a  = 1\r\nbb = 2\r\n');
    assert.deepEqual(formattingEdits(text).map((edit) => edit.range.start.line), [0]);
  });

  it('adds the missing final line break with one edit at the end', () => {
    const text = 'a = 1';
    assert.deepEqual(formattingEdits(text), [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, newText: '\n' }]);
  });

  it('keeps edits to single lines around a rewrite that changes the line count', () => {
    const text = 'a=1\nb = "${\n  x\n}"\ncc=3\n';
    const edits = formattingEdits(text);
    assert.equal(applyEdits(text, edits), 'a  = 1\nb  = x\ncc = 3\n');
    assert.deepEqual(edits.map((edit) => [edit.range.start.line, edit.range.end.line]), [[0, 0], [1, 3], [4, 4]]);
  });

  it('uses the tree it is given instead of parsing again', () => {
    const text = 'a=1\n';
    const tree = parseTerraform(createTerraformParser(), text);
    try {
      assert.equal(formatTerraform(text, tree), 'a = 1\n');
    } finally {
      tree.delete();
    }
  });
});
