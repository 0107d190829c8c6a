/**
 * Settings are defined once, in server/src/settings.ts. VS Code learns about them from
 * `contributes.configuration` in package.json, which is written by hand, so this test keeps
 * the two in step: every Settings field has a property with the same default, every
 * property is a Settings field, and the server accepts every default it may be sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/settings';

const PREFIX = 'gitopsIac';

/** Read by vscode-languageclient itself; the server never sees it as a setting. */
const CLIENT_ONLY_PROPERTIES = new Set([`${PREFIX}.trace.server`]);

interface ConfigurationProperty {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  additionalProperties?: { enum?: unknown[] };
}

type Properties = Record<string, ConfigurationProperty>;

function readProperties(): Properties {
  const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes?: { configuration?: { properties?: Properties } | { properties?: Properties }[] };
  };
  const configuration = packageJson.contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  return Object.assign({}, ...sections.map((section) => section.properties ?? {})) as Properties;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The leaves of DEFAULT_SETTINGS as `gitopsIac.a.b` keys. An object is a leaf when it is
 * empty or when package.json declares it as one property (a map such as `rules`); other
 * objects are groups of settings and are walked into.
 */
function flattenDefaults(properties: Properties, value: unknown = DEFAULT_SETTINGS, key = PREFIX): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  if (!isRecord(value) || Object.keys(value).length === 0 || (key !== PREFIX && key in properties)) {
    leaves.set(key, value);
    return leaves;
  }
  for (const [name, child] of Object.entries(value)) {
    for (const [leafKey, leaf] of flattenDefaults(properties, child, `${key}.${name}`)) leaves.set(leafKey, leaf);
  }
  return leaves;
}

/** What `workspace.getConfiguration('gitopsIac')` hands the server for these keys and values. */
function nest(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const path = key.slice(PREFIX.length + 1).split('.');
    let node = root;
    for (const name of path.slice(0, -1)) {
      if (!isRecord(node[name])) node[name] = {};
      node = node[name] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = value;
  }
  return root;
}

function serverProperties(properties: Properties): [string, ConfigurationProperty][] {
  return Object.entries(properties).filter(([key]) => !CLIENT_ONLY_PROPERTIES.has(key));
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

function assertEveryDefaultIsDeclared(properties: Properties): void {
  for (const [key, expected] of flattenDefaults(properties)) {
    const property = properties[key];
    assert.ok(property, `package.json declares no setting ${key} (DEFAULT_SETTINGS has it)`);
    assert.deepEqual(property.default, expected, `default of ${key} differs from DEFAULT_SETTINGS`);
    const types = [property.type ?? []].flat();
    assert.ok(types.includes(jsonType(expected)), `${key} has type ${String(property.type)} but its default is a ${jsonType(expected)}`);
  }
}

function assertEveryPropertyIsASetting(properties: Properties): void {
  const leaves = flattenDefaults(properties);
  for (const [key] of serverProperties(properties)) {
    assert.ok(key.startsWith(`${PREFIX}.`), `setting ${key} is outside the ${PREFIX} section`);
    assert.ok(leaves.has(key), `package.json declares ${key}, but Settings has no such field`);
  }
}

function assertServerAcceptsDefaults(properties: Properties): void {
  for (const [key, property] of serverProperties(properties)) {
    const { problems } = parseSettings(nest([[key, property.default]]));
    assert.deepEqual(problems, [], `parseSettings rejects the default of ${key}`);
  }
  const { settings, problems } = parseSettings(nest(serverProperties(properties).map(([key, p]) => [key, p.default])));
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, DEFAULT_SETTINGS, 'all package.json defaults together do not give DEFAULT_SETTINGS');
}

const properties = readProperties();

test('every Settings field is declared in package.json with the same default', () => {
  assertEveryDefaultIsDeclared(properties);
});

test('every gitopsIac.* property in package.json is a Settings field', () => {
  assertEveryPropertyIsASetting(properties);
});

test('parseSettings accepts every property default', () => {
  assertServerAcceptsDefaults(properties);
});

test('each default satisfies its own pattern, minimum and enum', () => {
  for (const [key, property] of Object.entries(properties)) {
    if (property.pattern !== undefined) {
      assert.match(String(property.default), new RegExp(property.pattern), `default of ${key} fails its pattern`);
    }
    if (property.minimum !== undefined) {
      assert.ok(Number(property.default) >= property.minimum, `default of ${key} is below its minimum`);
    }
    if (property.enum !== undefined) {
      assert.ok(property.enum.includes(property.default), `default of ${key} is not in its enum`);
    }
  }
});

test('parseSettings accepts every value package.json offers in an enum', () => {
  for (const [key, property] of serverProperties(properties)) {
    for (const value of property.enum ?? []) {
      assert.deepEqual(parseSettings(nest([[key, value]])).problems, [], `${key}: ${String(value)}`);
    }
    for (const value of property.additionalProperties?.enum ?? []) {
      const { settings, problems } = parseSettings(nest([[key, { 'k8s/example': value }]]));
      assert.deepEqual(problems, [], `${key}: { "k8s/example": ${String(value)} }`);
      assert.ok(JSON.stringify(settings).includes('k8s/example'), `${key}: ${String(value)} was dropped`);
    }
  }
});

test('the versions the kubernetes.version pattern allows are the ones the server understands', () => {
  const pattern = new RegExp(properties[`${PREFIX}.kubernetes.version`]?.pattern ?? '(?!)');
  for (const version of ['1.36', 'v1.36', '1.36.2', '1.9']) {
    assert.match(version, pattern);
    assert.deepEqual(parseSettings({ kubernetes: { version } }).problems, [], version);
  }
  for (const version of ['latest', '1', '1.36-rc1', 'v1.36.2.1']) {
    assert.doesNotMatch(version, pattern);
    assert.notDeepEqual(parseSettings({ kubernetes: { version } }).problems, [], version);
  }
});

// The checks above are only worth having if they can fail: each tampered copy must be caught.
test('the checks catch a package.json that drifted from DEFAULT_SETTINGS', () => {
  const tampered = (change: (copy: Properties) => void): Properties => {
    const copy = structuredClone(properties);
    change(copy);
    return copy;
  };
  assert.throws(() => assertEveryDefaultIsDeclared(tampered((p) => (p[`${PREFIX}.validate.maxFileSize`]!.default = 1024))));
  assert.throws(() => assertEveryDefaultIsDeclared(tampered((p) => delete p[`${PREFIX}.validate.enable`])));
  assert.throws(() => assertEveryDefaultIsDeclared(tampered((p) => delete p[`${PREFIX}.rules`])));
  assert.throws(() => assertEveryPropertyIsASetting(tampered((p) => (p[`${PREFIX}.validate.unknown`] = { type: 'boolean', default: false }))));
  assert.throws(() => assertServerAcceptsDefaults(tampered((p) => (p[`${PREFIX}.kubernetes.version`]!.default = 'latest'))));
});

test('string settings: text is trimmed, executables are taken as written, and a wrong type keeps the default with a problem', () => {
  const { settings, problems } = parseSettings({
    drift: { context: '  staging ', namespace: 42, ansible: { inventory: ' inventory/prod.yml ' } },
    pr: { baseBranch: ' main ' },
    helm: { path: '/opt/helm tools/helm ' },
    ansible: { lint: { path: '' } },
  });
  assert.equal(settings.drift.context, 'staging');
  assert.equal(settings.drift.namespace, DEFAULT_SETTINGS.drift.namespace);
  assert.equal(settings.drift.ansible.inventory, 'inventory/prod.yml');
  assert.equal(settings.pr.baseBranch, 'main');
  assert.equal(settings.helm.path, '/opt/helm tools/helm ');
  assert.equal(settings.ansible.lint.path, DEFAULT_SETTINGS.ansible.lint.path);
  assert.deepEqual(problems, [`gitopsIac.drift.namespace must be a string; using "${DEFAULT_SETTINGS.drift.namespace}".`]);

  const wrongExecutable = parseSettings({ helm: { path: true } });
  assert.equal(wrongExecutable.settings.helm.path, 'helm');
  assert.deepEqual(wrongExecutable.problems, ['gitopsIac.helm.path must be a string; using "helm".']);
});
