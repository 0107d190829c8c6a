/**
 * The Ansible lint rules and cross-reference checks, each through the real parser and the
 * bundled ansible.builtin catalogue: where it fires (the expected ranges are marked in the
 * YAML with «»), where it stays quiet, and what its quick fix writes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createModuleCatalog, parseModuleBundle } from '../../server/src/ansible/catalog';
import { parseAnsibleFile } from '../../server/src/ansible/parse';
import { ANSIBLE_RULE_TABLE, ANSIBLE_RULES } from '../../server/src/ansible/rules/index';
import type { AnsibleRule } from '../../server/src/ansible/rules/ruleSupport';
import { commandInsteadOfModule } from '../../server/src/ansible/rules/commandInsteadOfModule';
import { commandInsteadOfShell } from '../../server/src/ansible/rules/commandInsteadOfShell';
import { fqcn } from '../../server/src/ansible/rules/fqcn';
import { jinjaSyntax } from '../../server/src/ansible/rules/jinjaSyntax';
import { literalCompare } from '../../server/src/ansible/rules/literalCompare';
import { missingRole } from '../../server/src/ansible/rules/missingRole';
import { name, nameCasing } from '../../server/src/ansible/rules/name';
import { noChangedWhen } from '../../server/src/ansible/rules/noChangedWhen';
import { noJinjaWhen } from '../../server/src/ansible/rules/noJinjaWhen';
import { packageLatest } from '../../server/src/ansible/rules/packageLatest';
import { riskyOctal } from '../../server/src/ansible/rules/riskyOctal';
import { undefinedHandler } from '../../server/src/ansible/rules/undefinedHandler';
import { allTasks } from '../../server/src/ansible/rules/ruleSupport';
import type { AnsibleCheckContext, AnsibleFileKind } from '../../server/src/ansible/types';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { LineIndex } from '../../server/src/yaml/lines';

const bundle = parseModuleBundle(readFileSync('schemas/ansible/modules/ansible.builtin.json', 'utf8'));
if (typeof bundle === 'string') throw new Error(bundle);
const modules = createModuleCatalog(bundle.modules);

interface Options {
  kind?: AnsibleFileKind;
  uri?: string;
  roles?: string[];
  handlers?: string[] | undefined;
}

function contextFor(options: Options): AnsibleCheckContext {
  return {
    modules,
    roleExists: (role) => (options.roles ?? []).includes(role),
    handlerNamesFor: () => (options.handlers ? new Set(options.handlers) : undefined),
  };
}

/** Removes the «» markers; returns the text and the ranges they enclosed, as `line:col-line:col`. */
function unmark(marked: string): { text: string; expected: string[] } {
  let text = '';
  const expected: string[] = [];
  let open = -1;
  for (const char of marked) {
    if (char === '«') open = text.length;
    else if (char === '»') {
      const lines = new LineIndex(text);
      const start = lines.positionAt(open);
      const end = lines.positionAt(text.length);
      expected.push(`${start.line}:${start.character}-${end.line}:${end.character}`);
    } else text += char;
  }
  return { text, expected };
}

function rangeText(finding: Finding): string {
  const { start, end } = finding.range;
  return `${start.line}:${start.character}-${end.line}:${end.character}`;
}

function lint(rule: AnsibleRule, marked: string, options: Options = {}): { findings: Finding[]; text: string } {
  const { text, expected } = unmark(marked);
  const kind = options.kind ?? 'playbook';
  const file = parseAnsibleFile(options.uri ?? 'file:///repo/site.yml', text, kind, modules);
  assert.deepEqual(file.syntax, [], 'the test YAML itself must parse');
  const findings = rule.check(file, contextFor(options));
  for (const finding of findings) {
    assert.equal(finding.rule, rule.id);
    assert.equal(finding.severity, rule.defaultSeverity);
  }
  assert.deepEqual(findings.map(rangeText), expected, findings.map((f) => f.message).join('\n'));
  return { findings, text };
}

function applyFix(text: string, finding: Finding): string {
  assert.ok(finding.fixes && finding.fixes.length > 0, `no fix for: ${finding.message}`);
  const lines = new LineIndex(text);
  const edits = [...finding.fixes[0].edits].sort((a: TextEdit, b: TextEdit) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let result = text;
  for (const edit of edits) result = result.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + result.slice(lines.offsetAt(edit.range.end));
  return result;
}

const play = (tasks: string): string => `- name: Play\n  hosts: all\n  tasks:\n${tasks}`;

describe('ansible/jinja-syntax', () => {
  it('underlines the exact place of the error inside plain, quoted and block scalars', () => {
    lint(jinjaSyntax, play([
      '    - name: Plain {{ x | «}}»',
      '      ansible.builtin.debug:',
      '        msg: "a \\"q\\" {{ (a «]» }}"',
      '      vars:',
      "        single: 'it''s {{ «&» }}'",
      '        block: |',
      '          line one',
      '          {{ x | «}}»',
      '',
    ].join('\n')));
  });

  it('reports an unclosed tag at its opening and a bare condition at its fault', () => {
    const { findings } = lint(jinjaSyntax, play([
      '    - name: Unclosed',
      '      ansible.builtin.debug:',
      '        msg: "{% «if» x %}yes"',
      '      when: result.rc =«=»',
      '',
    ].join('\n')));
    assert.match(findings[0].message, /never closed/);
    assert.match(findings[1].message, /condition: Expected an expression/);
  });

  it('checks vars files and inventories, but not requirements, !unsafe values or valid templates', () => {
    lint(jinjaSyntax, 'a: "{{ «}}»"\nb: !unsafe "{{ docker .State }}"\nc: "{% raw %}{{ .State }}{% endraw %}"\nd: "{{ x | default({}) }}"\n', { kind: 'vars', uri: 'file:///r/group_vars/all.yml' });
    lint(jinjaSyntax, '- name: "{{ x"\n  src: a\n', { kind: 'requirements', uri: 'file:///r/requirements.yml' });
    lint(jinjaSyntax, play('    - name: Fine\n      ansible.builtin.debug: msg="{{ a ~ b }}"\n      when: a is defined and (b | bool)\n'));
  });
});

describe('ansible/no-jinja-when', () => {
  it('warns on braces in when-like keys and removes them', () => {
    const { findings, text } = lint(noJinjaWhen, play([
      '    - name: Check',
      '      ansible.builtin.command: /bin/true',
      '      changed_when: false',
      "      when: \"«{{ ansible_facts['os_family'] == 'Debian' }}»\"",
      '      failed_when:',
      '        - "«{{ a }}» and b"',
      '',
    ].join('\n')));
    assert.equal(applyFix(text, findings[0]).split('\n')[6], "      when: \"ansible_facts['os_family'] == 'Debian'\"");
    assert.equal(findings[1].fixes, undefined, 'a condition with more than the braces keeps its text');
  });

  it('stays quiet on bare conditions and on when: in a vars file', () => {
    lint(noJinjaWhen, play('    - name: Fine\n      ansible.builtin.debug: msg=hi\n      when: x is defined\n'));
    lint(noJinjaWhen, 'when: "{{ x }}"\n', { kind: 'vars', uri: 'file:///r/vars/main.yml' });
  });
});

describe('ansible/command-instead-of-module', () => {
  it('names the module for the program a command runs, at the program', () => {
    const { findings } = lint(commandInsteadOfModule, play([
      '    - name: Install',
      '      ansible.builtin.command: «apt-get» install -y curl',
      '    - name: Restart',
      '      shell: «/usr/bin/systemctl» restart nginx',
      '    - name: Clone',
      '      ansible.builtin.command:',
      '        cmd: «git» clone https://example.com/r.git /srv/r',
      '    - name: Dir',
      '      ansible.builtin.command:',
      '        argv: [«mkdir», -p, /srv/x]',
      '',
    ].join('\n')));
    assert.match(findings[0].message, /ansible\.builtin\.apt/);
    assert.match(findings[1].message, /ansible\.builtin\.systemd/);
    assert.match(findings[3].message, /ansible\.builtin\.file with state=directory/);
  });

  it('allows read-only subcommands and programs without a module', () => {
    lint(commandInsteadOfModule, play([
      '    - name: Status',
      '      ansible.builtin.command: systemctl status nginx',
      '    - name: Log',
      '      ansible.builtin.command: git log -1',
      '    - name: Other',
      '      ansible.builtin.command: /opt/app/bin/migrate',
      '    - name: Templated',
      '      ansible.builtin.command: "{{ tool }} install"',
      '',
    ].join('\n')));
  });
});

describe('ansible/command-instead-of-shell', () => {
  it('flags shell without shell features and changes it to command', () => {
    const { findings, text } = lint(commandInsteadOfShell, play([
      '    - name: Plain',
      '      «ansible.builtin.shell»: echo {{ greeting | default("hi") }}',
      '      changed_when: false',
      '    - name: Short',
      '      «shell»:',
      '        cmd: ls -l /tmp',
      '',
    ].join('\n')));
    assert.match(applyFix(text, findings[0]), /ansible\.builtin\.command: echo/);
    assert.match(applyFix(text, findings[1]), / {6}command:\n/);
  });

  it('keeps shell for pipes, redirections, variables, globs, builtins and a chosen executable', () => {
    lint(commandInsteadOfShell, play([
      '    - name: Pipe',
      '      ansible.builtin.shell: ps aux | grep nginx',
      '    - name: Variable',
      '      ansible.builtin.shell: echo $HOME',
      '    - name: Glob',
      '      ansible.builtin.shell: rm /tmp/*.log',
      '    - name: Builtin',
      '      ansible.builtin.shell: cd /srv',
      '    - name: Env',
      '      ansible.builtin.shell: LANG=C date',
      '    - name: Executable',
      '      ansible.builtin.shell: echo hi',
      '      args:',
      '        executable: /bin/bash',
      '',
    ].join('\n')));
  });
});

describe('ansible/no-changed-when', () => {
  it('flags commands without changed_when, creates or removes', () => {
    lint(noChangedWhen, play([
      '    - name: Migrate',
      '      «ansible.builtin.command»: /opt/app/migrate',
      '    - name: Raw',
      '      «raw»: uptime',
      '',
    ].join('\n')));
  });

  it('accepts changed_when, creates/removes (as arguments or key=value) and handlers', () => {
    lint(noChangedWhen, [
      '- name: Play',
      '  hosts: all',
      '  tasks:',
      '    - name: A',
      '      ansible.builtin.command: /bin/true',
      '      changed_when: false',
      '    - name: B',
      '      ansible.builtin.command: tar xf a.tar creates=/srv/a',
      '    - name: C',
      '      ansible.builtin.shell: rm -f /tmp/x',
      '      args:',
      '        removes: /tmp/x',
      '  handlers:',
      '    - name: Restart',
      '      ansible.builtin.command: systemctl restart app',
      '',
    ].join('\n'));
  });
});

describe('ansible/fqcn', () => {
  it('flags short and legacy names and replaces them with the FQCN', () => {
    const { findings, text } = lint(fqcn, play([
      '    - name: Copy',
      '      «copy»: src=a dest=/b',
      '    - name: Legacy',
      '      «ansible.legacy.debug»: msg=hi',
      '    - name: Action',
      '      action: «file» path=/x state=touch',
      '',
    ].join('\n')));
    assert.match(applyFix(text, findings[0]), /ansible\.builtin\.copy: src=a/);
    assert.match(applyFix(text, findings[1]), /ansible\.builtin\.debug: msg=hi/);
    assert.match(applyFix(text, findings[2]), /action: ansible\.builtin\.file path=\/x/);
  });

  it('stays quiet on FQCNs and on modules the catalogue does not know', () => {
    lint(fqcn, play('    - name: A\n      ansible.builtin.copy: src=a dest=b\n    - name: B\n      my_local_module: x=1\n'));
  });
});

describe('ansible/name and ansible/name-casing', () => {
  it('flags unnamed plays and tasks, not blocks or import_playbook', () => {
    lint(name, [
      '- «hosts»: all',
      '  tasks:',
      '    - «ansible.builtin.debug»: msg=hi',
      '    - block:',
      '        - name: Inside',
      '          ansible.builtin.debug: msg=hi',
      '  handlers:',
      '    - «ansible.builtin.debug»: msg=handled',
      '      listen: topic',
      '- import_playbook: other.yml',
      '',
    ].join('\n'));
  });

  it('capitalises a name that starts with a lowercase letter', () => {
    const { findings, text } = lint(nameCasing, [
      '- name: «deploy»',
      '  hosts: all',
      '  tasks:',
      '    - name: «"install packages"»',
      '      ansible.builtin.debug: msg=hi',
      '    - name: 2nd step',
      '      ansible.builtin.debug: msg=hi',
      '',
    ].join('\n'));
    assert.match(applyFix(text, findings[1]), /name: "Install packages"/);
  });
});

describe('ansible/risky-octal', () => {
  it('flags a decimal mode and quotes it with a leading zero', () => {
    const { findings, text } = lint(riskyOctal, play([
      '    - name: File',
      '      ansible.builtin.file:',
      '        path: /etc/app.conf',
      '        mode: «644»',
      '    - name: Copy',
      '      copy:',
      '        src: a',
      '        dest: b',
      '      args:',
      '        mode: «755»',
      '',
    ].join('\n')));
    assert.match(findings[0].message, /decimal number 644 \(octal 1204\)/);
    assert.match(applyFix(text, findings[0]), /mode: '0644'/);
  });

  it('accepts quoted, leading-zero, symbolic and sensible decimal modes, and other modules', () => {
    lint(riskyOctal, play([
      '    - name: A',
      '      ansible.builtin.file: {path: /a, mode: "0644"}',
      '    - name: B',
      '      ansible.builtin.file: {path: /b, mode: 0644}',
      '    - name: C',
      '      ansible.builtin.file: {path: /c, mode: u=rw,g=r}',
      '    - name: D',
      '      ansible.builtin.file: {path: /d, mode: 420}',
      '    - name: E',
      '      ansible.builtin.file: path=/e mode=644',
      '    - name: F',
      '      ansible.builtin.debug: {msg: 644}',
      '',
    ].join('\n')));
  });
});

describe('ansible/package-latest', () => {
  it('flags state: latest at its value, in mappings and key=value strings', () => {
    lint(packageLatest, play([
      '    - name: A',
      '      ansible.builtin.apt:',
      '        name: curl',
      '        state: «latest»',
      '    - name: B',
      '      yum: name=httpd state=«latest»',
      '',
    ].join('\n')));
  });

  it('accepts present, update_only and only_upgrade', () => {
    lint(packageLatest, play([
      '    - name: A',
      '      ansible.builtin.apt: {name: curl, state: present}',
      '    - name: B',
      '      ansible.builtin.dnf: {name: "*", state: latest, update_only: true}',
      '    - name: C',
      '      ansible.builtin.apt: {name: "*", state: latest, only_upgrade: yes}',
      '',
    ].join('\n')));
  });
});

describe('ansible/literal-compare', () => {
  it('flags comparisons with true and false in conditions', () => {
    const { findings } = lint(literalCompare, play([
      '    - name: A',
      '      ansible.builtin.debug: msg=hi',
      '      when: enabled «== true»',
      '    - name: B',
      '      ansible.builtin.debug: msg=hi',
      '      when:',
      '        - x is defined',
      '        - "disabled «!= False»"',
      '      changed_when: result «is false»',
      '    - name: C',
      '      ansible.builtin.debug: msg=hi',
      '      when: "{{ flag }} «== true»"',
      '',
    ].join('\n')));
    assert.match(findings[0].message, /test the value itself/);
    assert.match(findings[1].message, /test the value itself/);
    assert.match(findings[2].message, /use "not"/);
  });

  it('leaves string comparisons alone', () => {
    lint(literalCompare, play('    - name: A\n      ansible.builtin.debug: msg=hi\n      when: x == "true" and y is truthy\n'));
  });
});

describe('ansible/undefined-handler', () => {
  it("checks a play's notify against its handlers and listen topics", () => {
    lint(undefinedHandler, [
      '- name: Web',
      '  hosts: web',
      '  tasks:',
      '    - name: Configure',
      '      ansible.builtin.template: {src: a.j2, dest: /etc/a}',
      '      notify:',
      '        - Restart nginx',
      '        - «Reload nginks»',
      '        - web changed',
      '    - name: Again',
      '      ansible.builtin.copy: {src: b, dest: /etc/b}',
      '      notify: «restart nginx»',
      '  handlers:',
      '    - name: Restart nginx',
      '      ansible.builtin.service: {name: nginx, state: restarted}',
      '    - name: Log',
      '      ansible.builtin.debug: msg=changed',
      '      listen: web changed',
      '',
    ].join('\n'));
  });

  it('uses the role handlers the workspace knows, and says nothing when it knows none', () => {
    const tasks = '- name: Configure\n  ansible.builtin.copy: {src: a, dest: /b}\n  notify: «Restart app»\n';
    lint(undefinedHandler, tasks, { kind: 'tasks', uri: 'file:///r/roles/app/tasks/main.yml', handlers: ['Reload app'] });
    lint(undefinedHandler, tasks.replace(/[«»]/g, ''), { kind: 'tasks', uri: 'file:///r/roles/app/tasks/main.yml', handlers: ['Restart app'] });
    lint(undefinedHandler, tasks.replace(/[«»]/g, ''), { kind: 'tasks', uri: 'file:///r/tasks/misc.yml', handlers: undefined });
    const withRole = '- name: P\n  hosts: all\n  roles: [app]\n  tasks:\n    - name: T\n      ansible.builtin.copy: {src: a, dest: /b}\n      notify: Restart app\n';
    lint(undefinedHandler, withRole, { handlers: ['Restart app'] });
    lint(undefinedHandler, withRole, { handlers: undefined });
  });
});

describe('ansible/missing-role', () => {
  it('flags roles of a play and of include_role/import_role that do not exist', () => {
    lint(missingRole, [
      '- name: Site',
      '  hosts: all',
      '  roles:',
      '    - common',
      '    - «nginks»',
      '    - role: «databse»',
      '    - community.general.some_role',
      '  tasks:',
      '    - name: Include',
      '      ansible.builtin.include_role:',
      '        name: «monitorin»',
      '    - name: Templated',
      '      ansible.builtin.import_role:',
      '        name: "{{ role_name }}"',
      '',
    ].join('\n'), { roles: ['common'] });
  });
});

describe('the Ansible rule table', () => {
  it('lists every rule once, with an ansible/ id, a severity and a description', () => {
    assert.equal(ANSIBLE_RULE_TABLE.length, ANSIBLE_RULES.length);
    const ids = ANSIBLE_RULE_TABLE.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of ANSIBLE_RULE_TABLE) {
      assert.match(rule.id, /^ansible\/[a-z-]+$/);
      assert.ok(rule.description.length > 20);
    }
    assert.deepEqual(ids.filter((id) => ANSIBLE_RULE_TABLE.find((rule) => rule.id === id)?.defaultSeverity === 'error'), ['ansible/jinja-syntax']);
  });

  it('runs every rule on a broken file without throwing', () => {
    const text = '- hosts: all\n  tasks:\n    - shell:\n    - notify: [1, {a: b}]\n      when: [true, "{{", 3]\n    - action:\n    - copy: {mode: 644}\n  roles: [{role: 1}]\n';
    const file = parseAnsibleFile('file:///r/site.yml', text, 'playbook', modules);
    for (const check of ANSIBLE_RULES) check(file, contextFor({}));
  });
});

/** ansible-lint's rule names and ours, for the rules both have. */
const ANSIBLE_LINT_RULES: Record<string, string> = {
  'name[play]': 'ansible/name', 'name[missing]': 'ansible/name', 'name[casing]': 'ansible/name-casing',
  'fqcn[action-core]': 'ansible/fqcn', 'fqcn[action]': 'ansible/fqcn', 'package-latest': 'ansible/package-latest',
  'risky-octal': 'ansible/risky-octal', 'command-instead-of-shell': 'ansible/command-instead-of-shell',
  'command-instead-of-module': 'ansible/command-instead-of-module', 'no-changed-when': 'ansible/no-changed-when',
  'literal-compare': 'ansible/literal-compare', 'no-jinja-when': 'ansible/no-jinja-when', 'jinja[invalid]': 'ansible/jinja-syntax',
};

interface LintIssue {
  check_name: string;
  location: { path: string; lines?: { begin: number }; positions?: { begin: { line: number } } };
}

function runAnsibleLint(cwd: string, files: string[]): Promise<LintIssue[] | undefined> {
  return new Promise((resolve) => {
    execFile('ansible-lint', ['--offline', '--nocolor', '-f', 'json', ...files], { cwd, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      // Exit status 2 means "issues found"; anything else without JSON means it could not run.
      try {
        resolve(JSON.parse(stdout) as LintIssue[]);
      } catch {
        resolve(error ? undefined : []);
      }
    });
  });
}

describe('agreement with ansible-lint', () => {
  it('finds what ansible-lint finds in the fixture, rule for rule and task for task', async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'ansible-rules-'));
    try {
      cpSync('test/fixtures/ansible-rules', work, { recursive: true });
      const files: Array<[string, AnsibleFileKind]> = [['site.yml', 'playbook'], ['roles/web/tasks/main.yml', 'tasks']];
      const issues = await runAnsibleLint(work, files.map(([path]) => path));
      if (!issues) {
        t.skip('ansible-lint is not installed');
        return;
      }
      const theirs = issues
        .filter((issue) => ANSIBLE_LINT_RULES[issue.check_name])
        .map((issue) => ({ path: issue.location.path, line: issue.location.lines?.begin ?? issue.location.positions?.begin.line ?? 0, rule: ANSIBLE_LINT_RULES[issue.check_name] }));
      assert.ok(theirs.length >= 10, `ansible-lint found only ${theirs.length} issues`);

      // ansible-lint gives the line of the task (or play); we underline the key or value inside it.
      const ours: Array<{ path: string; lines: number[]; rule: string }> = [];
      for (const [path, kind] of files) {
        const text = readFileSync(join(work, path), 'utf8');
        const file = parseAnsibleFile(`file://${join(work, path)}`, text, kind, modules);
        const context = { ...contextFor({ handlers: ['Reload web'] }), roleExists: () => true };
        const owners = [...file.plays.map((play) => play.node), ...allTasks(file).map(({ task }) => task.node)];
        for (const check of ANSIBLE_RULES) {
          for (const finding of check(file, context)) {
            const offset = file.lines.offsetAt(finding.range.start);
            const owner = owners.filter((node) => node.start <= offset && offset < node.end).sort((a, b) => b.start - a.start)[0];
            const lines = [finding.range.start.line + 1, ...(owner ? [file.lines.positionAt(owner.start).line + 1] : [])];
            ours.push({ path, lines, rule: finding.rule });
          }
        }
      }
      const missed = theirs.filter((issue) => !ours.some((o) => o.path === issue.path && o.rule === issue.rule && o.lines.includes(issue.line)));
      const extra = ours.filter((o) => Object.values(ANSIBLE_LINT_RULES).includes(o.rule) && !theirs.some((issue) => issue.path === o.path && issue.rule === o.rule && o.lines.includes(issue.line)));
      assert.deepEqual({ missed, extra }, { missed: [], extra: [] });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
