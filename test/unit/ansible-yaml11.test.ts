/**
 * Values as Ansible reads them (PyYAML's YAML 1.1 resolver) over our YAML 1.2 position tree,
 * and where roles are looked for according to ansible.cfg. The expected values are what
 * PyYAML's `yaml.safe_load` gives for the same text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRolesPath, rolesPathEntries } from '../../server/src/ansible/config';
import { resolveYaml11Plain, Yaml11Reader } from '../../server/src/ansible/yaml11';
import { parseSection } from '../../server/src/yaml/parse';

function read(text: string): unknown {
  const parsed = parseSection(text);
  const root = parsed.documents[0]?.root;
  assert.ok(root, 'parsed');
  return new Yaml11Reader(text).value(root);
}

describe('resolveYaml11Plain', () => {
  it('resolves plain words and numbers as PyYAML does', () => {
    const cases: Array<[string, unknown]> = [
      ['yes', true], ['Yes', true], ['YES', true], ['on', true], ['On', true], ['ON', true], ['true', true], ['True', true],
      ['no', false], ['No', false], ['NO', false], ['off', false], ['Off', false], ['OFF', false], ['false', false], ['FALSE', false],
      // Not booleans in YAML 1.1 either (PyYAML leaves out y/n), nor mixed case.
      ['y', 'y'], ['n', 'n'], ['yEs', 'yEs'], ['oN', 'oN'],
      ['~', null], ['null', null], ['', null],
      ['0755', 493], ['0o755', '0o755'], ['0x1F', 31], ['0b101', 5], ['1_000', 1000], ['-42', -42], ['+7', 7], ['0', 0], ['09', '09'],
      ['1:30', 90], ['1:30:00', 5400],
      ['1.5', 1.5], ['1.', 1], ['.5', 0.5], ['1e3', '1e3'], ['1.0e+3', 1000], ['1_000.5', 1000.5], ['.inf', Infinity], ['-.inf', -Infinity],
      ['2024-01-01', '2024-01-01'], ['hello', 'hello'],
    ];
    for (const [text, expected] of cases) assert.deepEqual(resolveYaml11Plain(text), expected, text);
    assert.ok(Number.isNaN(resolveYaml11Plain('.nan')));
  });
});

describe('Yaml11Reader', () => {
  it('reads plain scalars as YAML 1.1, and leaves quoted, block and tagged ones as they are', () => {
    assert.deepEqual(read('a: yes\nb: "yes"\nc: off\nd: |\n  no\ne: !!str on\nf: 0o17\ng: 0755\nh: [on, "on"]\n'), {
      a: true, b: 'yes', c: false, d: 'no\n', e: 'on', f: '0o17', g: 493, h: [true, 'on'],
    });
  });

  it('returns the tree\'s own objects where nothing reads differently', () => {
    const text = 'a: 1\nb: [x, true]\nc: {d: e}\n';
    const parsed = parseSection(text);
    const root = parsed.documents[0]!.root!;
    assert.equal(new Yaml11Reader(text).value(root), root.kind === 'map' ? root.value : undefined);
  });

  it('follows aliases and merge keys, own keys first', () => {
    assert.deepEqual(read('base: &b {become: yes, tags: x}\nplay:\n  <<: *b\n  tags: y\nlist: [*b]\n'), {
      base: { become: true, tags: 'x' },
      play: { become: true, tags: 'y' },
      list: [{ become: true, tags: 'x' }],
    });
  });

  it('keeps a __proto__ key as data', () => {
    const value = read('__proto__: {polluted: yes}\n') as Record<string, unknown>;
    assert.deepEqual(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { polluted: true });
  });
});

describe('ansible.cfg roles_path', () => {
  it('reads [defaults] roles_path as configparser does', () => {
    assert.deepEqual(rolesPathEntries('[defaults]\nroles_path = a:b\n'), ['a', 'b']);
    assert.deepEqual(rolesPathEntries('[DEFAULTS]\nroles_path: a\n'), undefined, 'section names are case-sensitive');
    assert.deepEqual(rolesPathEntries('[defaults]\nROLES_PATH=a ; why\n  b\n# c\nforks = 5\n'), ['a', 'b']);
    assert.deepEqual(rolesPathEntries('[galaxy]\nroles_path = a\n[defaults]\nforks = 5\n'), undefined);
  });

  it('resolves entries against the cfg folder and the home folder, and says when it cannot', () => {
    assert.deepEqual(resolveRolesPath(['./roles', '../x', '/abs/r', '~/r', 'my roles'], 'file:///repo/sub', 'file:///home/me'), {
      folders: ['file:///repo/sub/roles', 'file:///repo/x', 'file:///abs/r', 'file:///home/me/r', 'file:///repo/sub/my%20roles'],
      uncertain: false,
    });
    assert.deepEqual(resolveRolesPath(['$HOME/roles', '~/r', '~other/r', './ok'], 'file:///repo', undefined), { folders: ['file:///repo/ok'], uncertain: true });
  });
});
