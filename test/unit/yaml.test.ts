import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSection } from '../../server/src/yaml/parse';
import { isBlankSection, splitSections } from '../../server/src/yaml/sections';
import { nodeAtPath, parseJsonPointer, formatPath } from '../../server/src/yaml/path';
import { resolvePlainScalar } from '../../server/src/yaml/compose';

describe('splitSections', () => {
  it('splits on --- and after ... markers, keeping each section\'s first line', () => {
    const sections = splitSections('a: 1\n---\nb: 2\n...\nc: 3\n--- # comment\nd: 4\n');
    assert.deepEqual(sections.map((s) => [s.line, s.text]), [
      [0, 'a: 1\n'],
      [1, '---\nb: 2\n...\n'],
      [4, 'c: 3\n'],
      [5, '--- # comment\nd: 4\n'],
    ]);
  });

  it('keeps a directive with the document it introduces', () => {
    assert.deepEqual(splitSections('%YAML 1.2\n---\na: 1\n').map((s) => s.text), ['%YAML 1.2\n---\na: 1\n']);
  });

  it('does not split on --- inside a line or indented', () => {
    assert.equal(splitSections('a: "---"\nb: |\n  ---\n').length, 1);
  });

  it('knows comment-only sections are blank', () => {
    assert.equal(isBlankSection('# just a comment\n\n---\n'), true);
    assert.equal(isBlankSection('# comment\na: 1\n'), false);
  });
});

describe('parseSection', () => {
  it('resolves scalars by the YAML 1.2 core schema and honours tags', () => {
    const { documents } = parseSection('a: 0x1F\nb: 1.5e3\nc: "1"\nd: !!str 5\ne: ~\nf: true\ng: 010\nh:\n');
    assert.deepEqual(documents[0].value, { a: 31, b: 1500, c: '1', d: '5', e: null, f: true, g: 10, h: null });
    assert.equal(resolvePlainScalar('yes'), 'yes');
  });

  it('applies merge keys without overriding explicit keys, and follows aliases', () => {
    const { documents } = parseSection('base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nref: *b\n');
    assert.deepEqual(documents[0].value, { base: { x: 1, y: 2 }, m: { y: 3, x: 1 }, ref: { x: 1, y: 2 } });
    assert.deepEqual(documents[0].problems, []);
  });

  it('reports duplicate keys at the second key, naming the first line', () => {
    const { documents, lines } = parseSection('a: 1\nb: 2\na: 3\n');
    const [problem] = documents[0].problems;
    assert.equal(problem.rule, 'yaml/duplicate-key');
    assert.deepEqual(lines.rangeOf(problem.start, problem.end), { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } });
    assert.match(problem.message, /already set on line 1/);
  });

  it('words syntax errors and places them where the user can fix them', () => {
    const { problems, lines } = parseSection('a: [1, 2\nb: 3\n');
    assert.equal(problems[0].rule, 'yaml/syntax');
    assert.match(problems[0].message, /Flow sequence/);
    assert.equal(lines.positionAt(problems[0].start).line, 1);
  });

  it('keeps a `__proto__` key as data', () => {
    const { documents } = parseSection('__proto__: {polluted: true}\n');
    const value = documents[0].value as Record<string, unknown>;
    assert.equal(Object.hasOwn(value, '__proto__'), true);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('paths', () => {
  it('finds the node behind a JSON pointer, through aliases and merges', () => {
    const text = 'defaults: &d {image: nginx}\nspec:\n  containers:\n    - <<: *d\n      name: web\n';
    const { documents, lines } = parseSection(text);
    const root = documents[0].root!;
    const name = nodeAtPath(root, parseJsonPointer('/spec/containers/0/name'));
    assert.equal(lines.positionAt(name.node.start).line, 4);
    const merged = nodeAtPath(root, ['spec', 'containers', 0, 'image']);
    assert.equal(text.slice(merged.node.start, merged.node.end), '*d');
    assert.equal(nodeAtPath(root, ['spec', 'missing']).exact, false);
  });

  it('formats paths the way Kubernetes users write them', () => {
    assert.equal(formatPath(['spec', 'containers', 0, 'env', 2, 'name']), 'spec.containers[0].env[2].name');
    assert.equal(formatPath(['metadata', 'annotations', 'a/b']), 'metadata.annotations["a/b"]');
  });
});
