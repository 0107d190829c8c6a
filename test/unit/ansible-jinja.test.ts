/**
 * The Jinja2 syntax checker: its own cases (positions and words), and agreement with the real
 * Jinja2 on a corpus of valid and broken templates and `when:` conditions. The oracle runs all
 * cases in one python3 process (`jinja2.Environment().parse`, the way Ansible compiles
 * templates; conditions wrapped in `{% if … %}` as Ansible's conditional evaluation does).
 * Skipped only when python3 with jinja2 is not installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { checkJinjaCondition, checkJinjaTemplate, containsJinja } from '../../server/src/ansible/jinja';

const VALID_TEMPLATES = [
  'plain text', '', '{{ x }}', '{{x}}', '{{- x -}}', '{{+ x }}', '{{ x.y.z }}', '{{ x["a"][0] }}', '{{ x.0 }}',
  '{{ x | default("a") }}', '{{ x | default(omit) | upper }}', '{{ x | ansible.builtin.to_json }}', '{{ x|int + 1 }}',
  '{{ a ~ b ~ "c" }}', '{{ 1 + 2 * 3 ** 4 // 5 % 6 - -7 }}', '{{ (a + b) * c }}', '{{ not a and b or c }}',
  '{{ a if b else c }}', '{{ a if b }}', '{{ a if b else c if d else e }}', '{{ a in b }}', '{{ a not in b }}',
  '{{ a == b != c < d <= e > f >= g }}', '{{ x is defined }}', '{{ x is not defined }}', '{{ x is divisibleby 3 }}',
  '{{ x is divisibleby(3) }}', '{{ x is defined and y is string }}', '{{ x is sameas none }}', '{{ x is ansible.builtin.match("a") }}',
  '{{ [1, 2, 3] }}', '{{ [] }}', '{{ [1, 2,] }}', '{{ {"a": 1, "b": [2]} }}', '{{ {} }}', '{{ {"a": 1,} }}', '{{ (1, 2) }}', '{{ () }}',
  '{{ (1,) }}', '{{ 1, 2 }}', '{{ x[1:2] }}', '{{ x[:2] }}', '{{ x[::2] }}', '{{ x[1:] }}', '{{ x[1:2:3] }}', '{{ x[] }}', '{{ x[1, 2] }}',
  '{{ f() }}', '{{ f(1, a=2) }}', '{{ f(*args, **kwargs) }}', '{{ f(1,) }}', '{{ lookup("env", "HOME") }}', '{{ query("x", wantlist=true) }}',
  '{{ "a" "b" }}', "{{ 'it\\'s' }}", '{{ "\\x41\\u0041\\U00000041\\n" }}', '{{ 1_000 }}', '{{ 0x1F }}', '{{ 0o17 }}', '{{ 0b101 }}', '{{ 1.5e3 }}',
  '{{ 1e10 }}', '{{ 1.e5 }}', '{{ f(a=1, *b) }}', '{{ true }}', '{{ True and None }}', '{{ x.y(1).z[0]|first }}', '{{ -x }}', '{{ +x }}', '{{ - - x }}',
  '{{ x|map(attribute="name")|list }}', '{{ x|selectattr("a", "equalto", 1)|list }}', '{{ {"a": {"b": 1}}}}', '{{ [[1]]}}',
  '{# comment #}', '{#- comment -#}', 'a {# {{ broken #} b', '{#', '{% raw %}{{ not parsed {% endraw %}', '{%- raw -%} {{ {%- endraw -%}',
  '{% raw %}', '{% if x %}a{% endif %}', '{% if x %}a{% elif y %}b{% else %}c{% endif %}', '{% if x: %}a{% endif %}',
  '{% for i in items %}{{ i }}{% endfor %}', '{% for k, v in d.items() %}{% endfor %}', '{% for (k, v) in d %}{% endfor %}',
  '{% for i in items if i %}{% else %}none{% endfor %}', '{% for i in items recursive %}{{ loop(i.children) }}{% endfor %}',
  '{% set x = 1 %}', '{% set x, y = 1, 2 %}', '{% set x %}block{% endset %}', '{% set x | upper %}a{% endset %}',
  '{% set ns = namespace(a=1) %}{% set ns.a = 2 %}', '{% macro m(a, b=1) %}{{ a }}{% endmacro %}', '{% macro m() %}{% endmacro %}',
  '{% call m() %}x{% endcall %}', '{% call(item) m() %}{{ item }}{% endcall %}', '{% filter upper %}x{% endfilter %}',
  '{% with a = 1, b = 2 %}{{ a }}{% endwith %}', '{% with %}{% endwith %}', '{% autoescape true %}x{% endautoescape %}',
  '{% include "a.j2" %}', '{% include "a.j2" ignore missing with context %}', '{% import "m.j2" as m %}',
  '{% from "m.j2" import a, b as c %}', '{% from "m.j2" import a with context %}', '{% extends "base.j2" %}',
  '{% block body %}x{% endblock %}', '{% block body scoped %}x{% endblock body %}', '{% block r required %} {% endblock %}',
  '{% print x, y %}', '{%+ if x +%}{%- endif -%}', 'a}} b %} c #}', '{{ "}}" }}', '{{ "{{" }}', "{{ '%}' }}",
  '{{ x }}{{ y }}', 'line1\n{% if a %}\n  {{ b }}\n{% endif %}\n', '{{ x\n | default(1) }}',
  '{{ x if y is defined else z }}', '{{ x is defined or y }}', '{{ a.b is not none }}', '{{ x | default("") ~ "/" ~ y }}',
  '{{ d["k"] | d("v", true) }}', '{% for x in (a | b) %}{% endfor %}', '{% if a is b(1) and c %}{% endif %}', '{{ loop.index0 }}',
  '{% set ns.a %}x{% endset %}',
];

const INVALID_TEMPLATES = [
  '{{ x', '{{', '{{ x }', '{{ }}', '{{ x | }}', '{{ x |}}', '{{ x is }}', '{{ x is not }}', '{{ (x }}', '{{ x) }}', '{{ [1, 2 }}',
  '{{ {"a" 1} }}', '{{ {"a": } }}', '{{ "abc }}', "{{ 'abc }}", '{{ x !! y }}', '{{ x && y }}', '{{ x === y }}', '{{ x = 1 }}',
  '{{ x; y }}', '{{ a b }}', '{{ 1 2 }}', '{{ x. }}', '{{ x.() }}', '{{ x[ }}', '{{ f(1, a=2, 3) }}', '{{ f(**k, 1) }}', '{{ .5 }}', '{{ x is defined if y else z }}',
  '{{ x is a is b }}', '{{ x if }}', '{{ x if y else }}', '{{ not }}', '{{ a and }}', '{{ a or }}', '{{ a + }}', '{{ a ~ }}',
  '{{ a not b }}', '{{ @x }}', '{{ $x }}', '{{ x ? y : z }}', '{{ "\\x4" }}', '{{ "\\u12" }}', '{{ x - }}',
  '{% if x %}', '{% if x %}{% endfor %}', '{% endif %}', '{% for i in x %}', '{% for i x %}{% endfor %}', '{% for in x %}{% endfor %}',
  '{% for 1 in x %}{% endfor %}', '{% for i in %}{% endfor %}', '{% if %}{% endif %}', '{% if x %}{% else %}{% else %}{% endif %}',
  '{% else %}', '{% elif x %}', '{% foo %}', '{% %}', '{%', '{% if x', '{% set %}', '{% set x = %}', '{% set 1 = 2 %}', '{% set x %}',
  '{% macro m(a=1, b) %}{% endmacro %}', '{% macro %}{% endmacro %}', '{% macro m %}{% endmacro %}', '{% call m %}{% endcall %}',
  '{% with a %}{% endwith %}', '{% import "a" %}', '{% from "a" import _x %}', '{% from "a" %}', '{% block %}{% endblock %}',
  '{% block a-b %}{% endblock %}', '{% block r required %}x{% endblock %}', '{% raw %}abc', '{# unclosed', '{% do x %}',
  '{% break %}', '{{ x }}{% endraw %}', '{% if x %}{{ y }{% endif %}', '{{ x ]}}', '{{ {"a": 1}} }}', '{% if (x %}{% endif %}',
  '{% print x y %}', '{% include %}', '{% extends %}', '{% with a = %}{% endwith %}', '{% filter %}x{% endfilter %}',
  '{% set x = 1 %}{% endset %}', '{% for i in x %}{% endif %}', '{{ x is defined else y }}', '{{ true = 1 }}', '{{ x[1:2:3:4] }}',
  '{{ f(**k, *a) }}', '{{ f(a=1, a) }}', '{% for none in x %}{% endfor %}', '{{ x | a. }}',
  '{{ x[1 2] }}', '{{ {1: 2, 3} }}', '{{ [1 2] }}', '{% if a %}{% elif %}{% endif %}', '{% macro m(1) %}{% endmacro %}',
];

const VALID_CONDITIONS = [
  'x', 'x == 1', 'x is defined', 'x is not defined and y', 'x | bool', 'not x', 'x in ["a", "b"]', 'x not in y',
  "ansible_facts['os_family'] == 'Debian'", 'result.rc != 0', 'result is failed', 'a, b', '(a or b) and c',
  'item.name is match("^web")', 'x | length > 0', 'x.stdout_lines | select("search", "ok") | list | length == 0',
];

const INVALID_CONDITIONS = [
  'x ==', 'a if b else c', 'x is', '(x', 'x)', '', 'x | ', 'x = 1', 'x && y', 'x == "a', 'x }}', '{{ x', 'and x',
];

interface OracleCase {
  mode: 'template' | 'condition';
  text: string;
}

// Reads the cases as JSON on stdin and answers, for each, whether Jinja2 parses it.
const ORACLE_SCRIPT = `
import json, sys
import jinja2
env = jinja2.Environment()
out = []
for case in json.load(sys.stdin):
    text = case['text']
    if case['mode'] == 'condition':
        text = '{%% if %s %%} True {%% else %%} False {%% endif %%}' % text
    try:
        env.parse(text)
        out.append(None)
    except jinja2.TemplateSyntaxError as error:
        out.append(str(error))
json.dump(out, sys.stdout)
`;

function runOracle(cases: OracleCase[]): Promise<Array<string | null> | undefined> {
  return new Promise((resolve) => {
    const child = execFile('python3', ['-c', ORACLE_SCRIPT], { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout) => {
      if (error) resolve(undefined);
      else resolve(JSON.parse(stdout) as Array<string | null>);
    });
    child.stdin?.end(JSON.stringify(cases));
  });
}

function ours(testCase: OracleCase): string | undefined {
  return (testCase.mode === 'template' ? checkJinjaTemplate(testCase.text) : checkJinjaCondition(testCase.text))?.message;
}

describe('Jinja2 agreement with the real Jinja2', () => {
  it('accepts and rejects exactly what jinja2.Environment().parse accepts and rejects', async (t) => {
    const cases: Array<OracleCase & { expectValid: boolean }> = [
      ...VALID_TEMPLATES.map((text) => ({ mode: 'template' as const, text, expectValid: true })),
      ...INVALID_TEMPLATES.map((text) => ({ mode: 'template' as const, text, expectValid: false })),
      ...VALID_CONDITIONS.map((text) => ({ mode: 'condition' as const, text, expectValid: true })),
      ...INVALID_CONDITIONS.map((text) => ({ mode: 'condition' as const, text, expectValid: false })),
    ];
    const verdicts = await runOracle(cases);
    if (!verdicts) {
      t.skip('python3 with jinja2 is not installed');
      return;
    }
    assert.ok(cases.length >= 200, `only ${cases.length} cases`);
    const disagreements: string[] = [];
    cases.forEach((testCase, i) => {
      const jinja = verdicts[i];
      const mine = ours(testCase);
      if ((jinja === null) !== (mine === undefined)) {
        disagreements.push(`${testCase.mode} ${JSON.stringify(testCase.text)}: jinja2 says ${jinja ?? 'valid'}, we say ${mine ?? 'valid'}`);
      }
      // The corpus itself is labelled: a case in the wrong list is a mistake in the test.
      if ((jinja === null) !== testCase.expectValid) disagreements.push(`corpus label wrong for ${JSON.stringify(testCase.text)}: jinja2 says ${jinja ?? 'valid'}`);
    });
    assert.deepEqual(disagreements, []);
  });
});

describe('Jinja2 syntax errors: positions and words', () => {
  const at = (text: string, marked: string): void => {
    const problem = checkJinjaTemplate(text);
    assert.ok(problem, `expected an error in ${text}`);
    assert.equal(text.slice(problem.start, problem.end), marked, problem.message);
  };

  it('points at the unclosed opening delimiter', () => {
    at('abc {{ x | default(1)', '{{');
    assert.match(checkJinjaTemplate('abc {{ x')!.message, /"\{\{" is never closed/);
  });

  it('points at the unclosed block statement', () => {
    at('{% if a %}x{% for i in b %}{% endif %}', 'endif');
    at('{% if a %}x', 'if');
    assert.match(checkJinjaTemplate('{% if a %}x')!.message, /"\{% if %\}" is never closed with "\{% endif %\}"/);
    assert.match(checkJinjaTemplate('{% for i in x %}')!.message, /"\{% endfor %\}"/);
  });

  it('names the block an end tag closes when none is open', () => {
    const problem = checkJinjaTemplate('a {% endfor %}');
    assert.match(problem!.message, /no "\{% for %\}" is open/);
  });

  it('points at a filter or test without a name', () => {
    at('{{ x | }}', '}}');
    assert.match(checkJinjaTemplate('{{ x | }}')!.message, /Expected a filter name, found "\}\}"/);
    assert.match(checkJinjaTemplate('{{ x is }}')!.message, /Expected a test name/);
  });

  it('points at an unbalanced bracket and an unterminated string', () => {
    at('{{ (a ] }}', ']');
    at('{{ x ) }}', ')');
    at('{{ "abc }}', '"abc }}');
  });

  it('points at a bad token and an empty expression', () => {
    at('{{ a && b }}', '&');
    at('{{ }}', '}}');
    assert.match(checkJinjaTemplate('{{ }}')!.message, /Expected an expression/);
  });

  it('leaves raw sections and comments alone', () => {
    assert.equal(checkJinjaTemplate('{% raw %}{{ .State }}{% endraw %} {# {{ #}'), undefined);
  });

  it('maps condition errors back into the bare expression', () => {
    const text = 'result.rc == ';
    const problem = checkJinjaCondition(text);
    assert.ok(problem);
    assert.ok(problem.start <= text.length && problem.end <= text.length);
    assert.match(problem.message, /Expected an expression/);
    const ternary = checkJinjaCondition('a if b else c');
    assert.equal('a if b else c'.slice(ternary!.start, ternary!.end), 'if');
  });

  it('tells templates from plain strings as Ansible does', () => {
    assert.equal(containsJinja('echo {{ x }}'), true);
    assert.equal(containsJinja('{% if %}'), true);
    assert.equal(containsJinja('{# c #}'), true);
    assert.equal(containsJinja('a { b } %'), false);
  });

  it('never throws or hangs on hostile input', () => {
    const inputs = ['{{'.repeat(5000), '{{ ' + '('.repeat(5000), '{% if x %}'.repeat(2000), '{{ "' + '\\'.repeat(999) + ' }}', '{{ x'.padEnd(100_000, ' |a')];
    const started = Date.now();
    for (const input of inputs) checkJinjaTemplate(input);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});
