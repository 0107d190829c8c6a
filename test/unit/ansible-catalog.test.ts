/**
 * The Ansible module catalogue (server/src/ansible/catalog.ts), the ansible-doc converter
 * (server/src/schemas/ansibleDoc.ts), the bundled ansible.builtin specs, and the loader of
 * installed collections (server/src/node/ansibleModules.ts) against the real ansible-doc.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createModuleCatalog, extendModuleCatalog, parseModuleBundle } from '../../server/src/ansible/catalog';
import { collectionOfModule, collectionsUsedBy } from '../../server/src/ansible/collections';
import { parseAnsibleFile } from '../../server/src/ansible/parse';
import type { ModuleSpec } from '../../server/src/ansible/types';
import { convertAnsibleDoc, firstSentence } from '../../server/src/schemas/ansibleDoc';
import { loadCollectionModules, readBuiltinModules, type CollectionModulesMemoryCache } from '../../server/src/node/ansibleModules';
import { findOnPath } from '../../server/src/node/findOnPath';

const repoRoot = path.resolve(__dirname, '..', '..');
const builtin = readBuiltinModules(path.join(repoRoot, 'schemas'));
const ansibleDoc = findOnPath('ansible-doc');
const noAnsible = ansibleDoc ? false : 'ansible-doc is not installed (bash scripts/install-ansible.sh)';

function spec(fqcn: string, options: ModuleSpec['options'] = {}): ModuleSpec {
  return { fqcn, shortDescription: fqcn, options };
}

describe('createModuleCatalog', () => {
  const catalog = createModuleCatalog([
    spec('ansible.builtin.apt'),
    spec('ansible.builtin.copy'),
    spec('community.general.ufw'),
    spec('community.general.docker_image'),
    spec('community.docker.docker_image'),
  ]);

  it('resolves short names, ansible.legacy and FQCNs of ansible.builtin', () => {
    assert.equal(catalog.resolve('apt')?.fqcn, 'ansible.builtin.apt');
    assert.equal(catalog.resolve('ansible.builtin.apt')?.fqcn, 'ansible.builtin.apt');
    assert.equal(catalog.resolve('ansible.legacy.copy')?.fqcn, 'ansible.builtin.copy');
    assert.equal(catalog.resolve('ansible.legacy.ufw'), undefined);
  });

  it('resolves collection modules by FQCN, and by short name only when one collection has it', () => {
    assert.equal(catalog.resolve('community.general.ufw')?.fqcn, 'community.general.ufw');
    assert.equal(catalog.resolve('ufw')?.fqcn, 'community.general.ufw');
    assert.equal(catalog.resolve('community.docker.docker_image')?.fqcn, 'community.docker.docker_image');
    assert.equal(catalog.resolve('docker_image'), undefined, 'two collections have docker_image');
  });

  it('knows nothing it was not given', () => {
    for (const name of ['', 'apt2', 'ansible.builtin.ufw', 'other.general.ufw', 'builtin.apt']) assert.equal(catalog.resolve(name), undefined, name);
  });

  it('lists every FQCN once, sorted; the first spec of an FQCN wins', () => {
    const duplicate = createModuleCatalog([spec('ansible.builtin.apt', { name: {} }), spec('ansible.builtin.apt')]);
    assert.deepEqual(duplicate.names(), ['ansible.builtin.apt']);
    assert.deepEqual(Object.keys(duplicate.resolve('apt')?.options ?? {}), ['name']);
    assert.deepEqual(catalog.names(), [
      'ansible.builtin.apt',
      'ansible.builtin.copy',
      'community.docker.docker_image',
      'community.general.docker_image',
      'community.general.ufw',
    ]);
  });
});

describe('parseModuleBundle', () => {
  it('says what is wrong with a file that is not a module bundle', () => {
    assert.match(parseModuleBundle('{') as string, /^not JSON/);
    assert.match(parseModuleBundle('[]') as string, /expected/);
    assert.match(parseModuleBundle('{"ansibleVersion":"2.14","modules":[{"fqcn":"a.b.c"}]}') as string, /modules\[0\]/);
    assert.deepEqual(parseModuleBundle('{"ansibleVersion":"2.14","modules":[]}'), { ansibleVersion: '2.14', modules: [] });
  });
});

describe('convertAnsibleDoc', () => {
  it('takes the first sentence of a description, without markup', () => {
    assert.equal(firstSentence(['Use C(yes) to enable I(this). Then more.', 'Second paragraph.']), 'Use yes to enable this.');
    assert.equal(firstSentence('See L(the docs,https://x.example) e.g. here. Next'), 'See the docs e.g. here.');
    assert.equal(firstSentence('Version 2.0 adds v1.2. More'), 'Version 2.0 adds v1.2.');
    assert.equal(firstSentence(undefined), undefined);
  });

  it('marks free-form modules and leaves the pseudo-option and internal options out', () => {
    const converted = convertAnsibleDoc(
      'ansible.builtin.command',
      { doc: { short_description: 'Run C(commands)', options: { free_form: { description: 'The command.' }, chdir: { type: 'path' } } } },
      { argument_spec: { _raw_params: {}, chdir: { type: 'path' }, argv: { type: 'list', elements: 'str' } } },
    );
    assert.deepEqual(converted, {
      fqcn: 'ansible.builtin.command',
      shortDescription: 'Run commands',
      freeForm: true,
      options: { argv: { type: 'list', elements: 'str' }, chdir: { type: 'path' } },
    });
  });

  it('prefers the argument spec to the documentation and keeps its constraints', () => {
    const converted = convertAnsibleDoc(
      'x.y.z',
      { doc: { short_description: 's', options: { mode: { type: 'str', description: 'Mode. More.', choices: ['a'] }, nested: { type: 'dict', suboptions: { a: { type: 'int' } } } } } },
      {
        argument_spec: { mode: { type: 'raw', aliases: ['m'] }, nested: { type: 'dict', options: { a: { type: 'int', required: true } } } },
        mutually_exclusive: [['mode', 'nested']],
        required_if: [['mode', 'x', ['nested']], ['mode', 'y', ['nested'], true]],
      },
    ) as ModuleSpec;
    assert.deepEqual(converted.options.mode, { type: 'raw', aliases: ['m'], description: 'Mode.' });
    assert.deepEqual(converted.options.nested, { type: 'dict', suboptions: { a: { type: 'int', required: true } } });
    assert.deepEqual(converted.mutuallyExclusive, [['mode', 'nested']]);
    assert.deepEqual(converted.requiredIf, [['mode', 'x', ['nested']], ['mode', 'y', ['nested'], true]]);
  });

  it('lists once an option documented under a name the argument spec has as an alias, with its documentation', () => {
    const converted = convertAnsibleDoc(
      'x.y.z',
      { doc: { short_description: 's', options: { name: { type: 'list', aliases: ['package'], description: 'Packages.' } } } },
      { argument_spec: { package: { type: 'list', elements: 'str', aliases: ['name'] } } },
    ) as ModuleSpec;
    assert.deepEqual(converted.options, { package: { type: 'list', elements: 'str', aliases: ['name'], description: 'Packages.' } });
  });

  it('marks set_fact and add_host as taking any argument name', () => {
    const doc = { doc: { short_description: 's', options: { cacheable: { type: 'bool' } } } };
    assert.equal((convertAnsibleDoc('ansible.builtin.set_fact', doc) as ModuleSpec).anyOptions, true);
    assert.equal((convertAnsibleDoc('ansible.builtin.debug', doc) as ModuleSpec).anyOptions, undefined);
  });

  it('reports an entry without documentation', () => {
    assert.equal(convertAnsibleDoc('a.b.c', { doc: null }), 'a.b.c: ansible-doc gave no documentation');
  });
});

describe('bundled ansible.builtin specs', () => {
  it('cover the ansible.builtin modules with their real argument constraints', () => {
    assert.ok(typeof builtin !== 'string', String(builtin));
    assert.match(builtin.ansibleVersion, /^2\.\d+\.\d+$/);
    const catalog = createModuleCatalog(builtin.modules);
    assert.ok(builtin.modules.length >= 65, `${builtin.modules.length} modules`);
    const apt = catalog.resolve('apt');
    assert.deepEqual(apt?.mutuallyExclusive, [['deb', 'package', 'upgrade']]);
    assert.deepEqual(apt?.options.state?.choices, ['absent', 'build-dep', 'fixed', 'latest', 'present']);
    // apt documents `name` (aliases package, pkg); its argument spec has `package` (aliases pkg, name): listed once.
    assert.deepEqual(apt?.options.package?.aliases, ['pkg', 'name']);
    assert.equal(apt?.options.name, undefined);
    assert.equal(catalog.resolve('set_fact')?.anyOptions, true);
    assert.equal(catalog.resolve('add_host')?.anyOptions, true);
    assert.equal(catalog.resolve('debug')?.anyOptions, undefined);
    // File options come from add_file_common_args, which only the argument spec shows.
    assert.equal(catalog.resolve('ansible.builtin.copy')?.options.mode?.type, 'raw');
    assert.equal(catalog.resolve('ansible.builtin.file')?.options.path?.required, true);
    assert.deepEqual(catalog.resolve('systemd_service')?.requiredOneOf, [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']]);
    for (const name of ['command', 'shell', 'raw', 'script', 'meta', 'include_tasks', 'set_fact']) assert.equal(catalog.resolve(name)?.freeForm, true, name);
    assert.equal(catalog.resolve('copy')?.freeForm, undefined);
    assert.equal(catalog.resolve('command')?.options._raw_params, undefined);
    assert.equal(catalog.resolve('debug')?.shortDescription, 'Print statements during execution');
  });

  it('are what the generator writes for the installed ansible-core (--check)', { skip: noAnsible }, (t) => {
    const installed = spawnSync('ansible-doc', ['--version'], { encoding: 'utf8' }).stdout;
    if (typeof builtin === 'string' || !installed.includes(`[core ${builtin.ansibleVersion}]`)) {
      t.skip(`the installed ansible-core is not ${typeof builtin === 'string' ? '?' : builtin.ansibleVersion}`);
      return;
    }
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate-ansible-modules.ts', '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});

/** A collection on disk with one documented module, visible to ansible-doc through ANSIBLE_COLLECTIONS_PATH only. */
function fakeCollection(root: string): NodeJS.ProcessEnv {
  const modules = path.join(root, 'ansible_collections', 'acme', 'demo', 'plugins', 'modules');
  mkdirSync(modules, { recursive: true });
  writeFileSync(path.join(root, 'ansible_collections', 'acme', 'demo', 'galaxy.yml'), 'namespace: acme\nname: demo\nversion: 1.2.3\nreadme: README.md\nauthors: [test]\n');
  writeFileSync(
    path.join(modules, 'widget.py'),
    `DOCUMENTATION = r'''
module: widget
short_description: Manage widgets
description: Creates widgets.
options:
  name:
    description: The widget's name. More text.
    type: str
    required: true
  size:
    description: C(small) or C(large).
    type: str
    choices: [small, large]
    default: small
  free_form:
    description: Ignored.
'''
`,
  );
  return { ...process.env, ANSIBLE_COLLECTIONS_PATH: root, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'False', ANSIBLE_LOCAL_TEMP: path.join(root, 'tmp'), HOME: root };
}

describe('loadCollectionModules (the real ansible-doc)', () => {
  it('runs nothing in an untrusted workspace or without ansible-doc', async () => {
    const log: string[] = [];
    assert.equal(await loadCollectionModules({ trusted: false, cacheDir: tmpdir(), log: (m) => log.push(m) }), undefined);
    assert.equal(await loadCollectionModules({ trusted: true, cacheDir: tmpdir(), env: { PATH: '/nonexistent' }, log: (m) => log.push(m) }), undefined);
    assert.deepEqual(log, [
      'Ansible collection modules are not loaded: the workspace is not trusted, so ansible-doc is not run.',
      'Ansible collection modules are not loaded: ansible-doc is not on the PATH.',
    ]);
    assert.deepEqual(await loadCollectionModules({ trusted: true, cacheDir: tmpdir(), ansibleDocPath: 'ansible-doc' }), {
      error: 'The ansible-doc path must be absolute: ansible-doc',
    });
  });

  it('says why when ansible-doc cannot run', async () => {
    const result = await loadCollectionModules({ trusted: true, cacheDir: tmpdir(), ansibleDocPath: '/nonexistent/ansible-doc' });
    assert.ok(result && 'error' in result, JSON.stringify(result));
    assert.match(result.error, /^ansible-doc --version failed: .*ENOENT/);
  });

  it('loads the modules of installed collections, then reads them from the caches', { skip: noAnsible }, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gitops-iac-ansible-'));
    try {
      const env = fakeCollection(root);
      const cacheDir = path.join(root, 'cache');
      const memoryCache: CollectionModulesMemoryCache = new Map();
      const first = await loadCollectionModules({ trusted: true, cacheDir, env, memoryCache });
      assert.ok(first && 'modules' in first, JSON.stringify(first));
      assert.equal(first.source, 'ansible-doc');
      assert.deepEqual(first.modules, [
        {
          fqcn: 'acme.demo.widget',
          shortDescription: 'Manage widgets',
          freeForm: true,
          options: {
            name: { type: 'str', required: true, description: "The widget's name." },
            size: { type: 'str', choices: ['small', 'large'], default: 'small', description: 'small or large.' },
          },
        },
      ]);
      const catalog = createModuleCatalog([...(typeof builtin === 'string' ? [] : builtin.modules), ...first.modules]);
      assert.equal(catalog.resolve('widget')?.fqcn, 'acme.demo.widget');

      const again = await loadCollectionModules({ trusted: true, cacheDir, env, memoryCache });
      assert.equal(again && 'source' in again && again.source, 'memory');
      assert.equal(readdirSync(cacheDir).length, 1);
      const restarted = await loadCollectionModules({ trusted: true, cacheDir, env, memoryCache: new Map() });
      assert.ok(restarted && 'modules' in restarted);
      assert.equal(restarted.source, 'disk');
      assert.deepEqual(restarted.modules, first.modules);

      // A new collection version is a new cache key: ansible-doc runs again.
      writeFileSync(path.join(root, 'ansible_collections', 'acme', 'demo', 'galaxy.yml'), 'namespace: acme\nname: demo\nversion: 1.3.0\nreadme: README.md\nauthors: [test]\n');
      const upgraded = await loadCollectionModules({ trusted: true, cacheDir, env, memoryCache });
      assert.equal(upgraded && 'source' in upgraded && upgraded.source, 'ansible-doc');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('extendModuleCatalog', () => {
  const base = createModuleCatalog([spec('ansible.builtin.apt'), spec('ansible.builtin.copy')]);
  const extended = extendModuleCatalog(base, [spec('community.general.ufw'), spec('community.general.copy')]);

  it('adds collection modules without changing what the base resolves', () => {
    assert.equal(extended.resolve('community.general.ufw')?.fqcn, 'community.general.ufw');
    assert.equal(extended.resolve('ufw')?.fqcn, 'community.general.ufw');
    assert.equal(extended.resolve('copy')?.fqcn, 'ansible.builtin.copy');
    assert.equal(extended.resolve('ansible.legacy.ufw'), undefined);
    assert.deepEqual(extended.names(), ['ansible.builtin.apt', 'ansible.builtin.copy', 'community.general.copy', 'community.general.ufw']);
  });
});

describe('collectionsUsedBy', () => {
  const catalog = createModuleCatalog([spec('ansible.builtin.apt'), spec('community.docker.docker_image')]);
  const used = (uri: string, text: string, kind: Parameters<typeof parseAnsibleFile>[2]): string[] => collectionsUsedBy(parseAnsibleFile(uri, text, kind, catalog));

  it('names the collections of unresolved fully qualified modules and of collections: keywords', () => {
    const playbook = [
      '- name: Site',
      '  hosts: all',
      '  collections: [community.crypto, "{{ templated }}", ansible.builtin]',
      '  tasks:',
      '    - community.general.ufw: { rule: allow }',
      '    - community.docker.docker_image: { name: nginx }',
      '    - ansible.builtin.aptt: { name: curl }',
      '    - block:',
      '        - ansible.posix.sysctl: { name: vm.swappiness }',
      '    - apt: { name: curl }',
      '',
    ].join('\n');
    // community.docker is known already; ansible.builtin is bundled.
    assert.deepEqual(used('file:///w/site.yml', playbook, 'playbook'), ['ansible.posix', 'community.crypto', 'community.general']);
  });

  it('reads requirements.yml entries written as names or as name: mappings', () => {
    const requirements = 'collections:\n  - community.general\n  - name: ansible.posix\n    version: ">=1.5"\n  - name: https://example.com/x.tar.gz\nroles:\n  - name: geerlingguy.java\n';
    assert.deepEqual(used('file:///w/requirements.yml', requirements, 'requirements'), ['ansible.posix', 'community.general']);
  });

  it('takes only well-formed names', () => {
    assert.equal(collectionOfModule('community.general.ufw'), 'community.general');
    assert.equal(collectionOfModule('community.general.'), undefined);
    assert.equal(collectionOfModule('ansible.legacy.ufw'), undefined);
    assert.equal(collectionOfModule('{{ x }}.y.z'), undefined);
    assert.equal(collectionOfModule('ufw'), undefined);
  });
});
