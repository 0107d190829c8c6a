/**
 * Ansible drift, the pure part: the json callback's output of real `ansible-playbook --check
 * --diff` runs (ansible-core 2.14) of test/fixtures/drift/ansible/site.yml against a folder
 * where some files already matched and others differed, and against an unreachable host, and of
 * new-files.yml, which copies to files that do not exist yet.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { NO_LOG_EXPLANATION, checkModeDrift, splitTaskPath, taskLineRange, type CheckModeDrift, type LocateTask } from '../../server/src/drift/ansible/checkModeDrift';
import { unifiedDiff } from '../../server/src/drift/ansible/unifiedDiff';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'drift', 'ansible');
const PLAYBOOKS = ['site.yml', 'new-files.yml'];
const PLAYBOOK_TEXT = readFileSync(path.join(FIXTURES, 'site.yml'), 'utf8');
const readJson = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

/** The captured paths are those of the machine it ran on: place tasks by the file's name in the fixture folder. */
const locate: LocateTask = (file, line) => {
  const name = path.basename(file);
  return PLAYBOOKS.includes(name) ? { uri: `file:///fixtures/${name}`, range: taskLineRange(readFileSync(path.join(FIXTURES, name), 'utf8'), line - 1) } : undefined;
};

function drift(name: string): CheckModeDrift {
  const result = checkModeDrift(readJson(name), locate);
  assert.ok(typeof result !== 'string', String(result));
  return result;
}

describe('Ansible drift from check mode', () => {
  it('reports one resource per task and host: changed tasks drifted, unchanged ones in sync, skipped ones left out', () => {
    const { resources } = drift('check-output.json');
    assert.deepEqual(resources.map((r) => `${r.name} @${r.host}: ${r.status}`), [
      'Motd already matches @localhost: in-sync',
      'App config differs @localhost: drifted',
      'Port line differs @localhost: drifted',
      'Data folder exists @localhost: in-sync',
      'Cache folder is missing @localhost: drifted',
      'Database password file @localhost: drifted',
      'License text without a diff @localhost: drifted',
      'Feature flags @localhost: drifted',
    ]);
    for (const resource of resources) {
      assert.equal(resource.source, 'ansible');
      assert.match(resource.id, /site\.yml:\d+@localhost$/);
    }
  });

  it('places each task at its line in the playbook', () => {
    const app = drift('check-output.json').resources.find((r) => r.name === 'App config differs')!;
    assert.equal(app.declaredAt?.uri, 'file:///fixtures/site.yml');
    assert.deepEqual(app.declaredAt?.range, { start: { line: 13, character: 4 }, end: { line: 13, character: 30 } });
    assert.equal(PLAYBOOK_TEXT.split('\n')[13].trim(), '- name: App config differs');
  });

  it('turns a content diff into a field with both texts and a unified diff in words', () => {
    const app = drift('check-output.json').resources.find((r) => r.name === 'App config differs')!;
    assert.equal(app.fields.length, 1);
    const [field] = app.fields;
    assert.match(field.path, /\/app\.conf$/);
    assert.equal(field.desired, 'listen=8080\nworkers=4\n');
    assert.equal(field.live, 'listen=80\nworkers=4\n');
    assert.match(field.explanation, /app\.conf would change:\n--- .*app\.conf \(live\)\n\+\+\+ .*app\.conf \(declared\)\n@@ -1,2 \+1,2 @@\n-listen=80\n\+listen=8080\n workers=4$/);
    assert.equal(app.desiredText, 'listen=8080\nworkers=4\n');
    assert.equal(app.liveText, 'listen=80\nworkers=4\n');
  });

  it('skips the empty attribute entry of lineinfile and reads the state map of file key by key', () => {
    const resources = drift('check-output.json').resources;
    const port = resources.find((r) => r.name === 'Port line differs')!;
    assert.deepEqual(port.fields.map((f) => f.path.replace(/^.*\//, '')), ['server.ini (content)']);
    assert.match(port.fields[0].explanation, /-port=80\n\+port=443/);
    const cache = resources.find((r) => r.name === 'Cache folder is missing')!;
    assert.deepEqual(cache.fields.map((f) => [f.path, f.desired, f.live, f.explanation]), [['state', 'directory', 'absent', 'state is absent live, the playbook declares directory']]);
  });

  it('keeps a no_log result censored: only that it would change', () => {
    const { resources, problems } = drift('check-output.json');
    const secret = resources.find((r) => r.name === 'Database password file')!;
    assert.deepEqual(secret.fields, [{ path: 'result', explanation: NO_LOG_EXPLANATION }]);
    assert.equal(secret.desiredText, undefined);
    assert.ok(!JSON.stringify({ resources, problems }).includes('Zp3'));
  });

  it('says that no diff is shown for a task with diff: false', () => {
    const license = drift('check-output.json').resources.find((r) => r.name === 'License text without a diff')!;
    assert.equal(license.fields.length, 1);
    assert.match(license.fields[0].explanation, /no diff shown.*diff: false/);
    assert.ok(!JSON.stringify(license).includes('licensed to shop'));
  });

  it('reports the changed items of a loop', () => {
    const flags = drift('check-output.json').resources.find((r) => r.name === 'Feature flags')!;
    assert.deepEqual(flags.fields.map((f) => [f.path.replace(/\/tmp\/\S+\//, ''), f.desired, f.live]), [['loop item 2: checkout.flag', 'off\n', 'on\n']]);
  });

  it('reports a failed task in words', () => {
    const { problems } = drift('check-output.json');
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^Task "Copy from a source that does not exist" failed on localhost \(.*site\.yml:65\): Could not find or access '.*no-such-source' on the Ansible Controller\.$/);
  });

  it('reports an unreachable host in words, with no resource for it', () => {
    const { resources, problems } = drift('unreachable-output.json');
    assert.deepEqual(resources, []);
    assert.deepEqual(problems, ['Host web-1 is unreachable: Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 9: Connection refused']);
  });

  it('says when no host matched, and when the output is not the json callback', () => {
    assert.deepEqual((checkModeDrift({ plays: [{ play: { name: 'p' }, tasks: [] }], stats: {} }, locate) as CheckModeDrift).problems, ['No host of the inventory matched the hosts of the plays, so nothing was checked.']);
    assert.match(String(checkModeDrift('PLAY [x] ****', locate)), /not that of the json callback/);
    assert.deepEqual(splitTaskPath('/a/b.yml:12'), { file: '/a/b.yml', line: 12 });
  });
});

describe('Ansible drift of files that do not exist yet', () => {
  // Captured with /tmp/ansx/target holding existing.conf ("old"), an empty empty.conf and checkout.flag ("off").
  const fieldsOf = (name: string) => drift('new-files-output.json').resources.find((r) => r.name === name)!.fields;

  it('names a new file by its destination, not by Ansible\'s temporary copy, and says it would be created', () => {
    const fields = fieldsOf('New config file');
    assert.deepEqual(fields.map((f) => [f.path, f.desired, f.live]), [
      ['/tmp/ansx/target/new.conf', 'listen=8080\n', undefined],
      ['state', 'file', 'absent'],
    ]);
    assert.equal(fields[0].explanation, '/tmp/ansx/target/new.conf would be created:\n--- /dev/null\n+++ /tmp/ansx/target/new.conf (declared)\n@@ -0,0 +1,1 @@\n+listen=8080');
    assert.equal(fields[1].explanation, '/tmp/ansx/target/new.conf does not exist live; the playbook would create it');
    assert.ok(!JSON.stringify(drift('new-files-output.json')).includes('.ansible/tmp'), 'no field is named after a temporary file');
  });

  it('names a new template by its destination too', () => {
    assert.deepEqual(fieldsOf('New template file').map((f) => [f.path, f.desired, f.live]), [
      ['/tmp/ansx/target/motd', 'welcome to localhost\n', undefined],
      ['state', 'file', 'absent'],
    ]);
  });

  it('treats an existing file, even an empty one, as changed, not created', () => {
    assert.deepEqual(fieldsOf('Existing config changes').map((f) => [f.path, f.desired, f.live]), [['/tmp/ansx/target/existing.conf', 'listen=8080\n', 'old\n']]);
    const empty = fieldsOf('Empty file gets content');
    assert.deepEqual(empty.map((f) => [f.path, f.desired, f.live]), [['/tmp/ansx/target/empty.conf', 'listen=8080\n', '']]);
    assert.match(empty[0].explanation, /^\/tmp\/ansx\/target\/empty\.conf would change:\n--- \/tmp\/ansx\/target\/empty\.conf \(live\)\n/);
  });

  it('names each loop item by its own destination', () => {
    assert.deepEqual(fieldsOf('Flags from a loop, one new').map((f) => [f.path, f.live]), [
      ['loop item 1: /tmp/ansx/target/search.flag', undefined],
      ['loop item 1: state', 'absent'],
      ['loop item 2: /tmp/ansx/target/checkout.flag', 'off\n'],
    ]);
  });

  it('gives the diff editor an empty live side for a new file', () => {
    const created = drift('new-files-output.json').resources.find((r) => r.name === 'New config file')!;
    assert.equal(created.liveText, '');
    assert.equal(created.desiredText, 'listen=8080\n');
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with three lines of context, separate when far apart', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].join('\n') + '\n';
    const after = before.replace('b\n', 'B\n').replace('l\n', 'l\nm\n');
    assert.equal(unifiedDiff(before, after, 'x', 'y'), ['--- x', '+++ y', '@@ -1,5 +1,5 @@', ' a', '-b', '+B', ' c', ' d', ' e', '@@ -10,3 +10,4 @@', ' j', ' k', ' l', '+m', ''].join('\n'));
  });

  it('handles an empty side and equal texts', () => {
    assert.equal(unifiedDiff('', 'one\n', 'x', 'y'), '--- x\n+++ y\n@@ -0,0 +1,1 @@\n+one\n');
    assert.equal(unifiedDiff('same\n', 'same\n', 'x', 'y'), '');
  });
});

describe('Ansible no_log', () => {
  it('hides a result marked no_log even when Ansible left it uncensored, in loops too', () => {
    const output = {
      plays: [{ play: { name: 'p' }, tasks: [{
        task: { name: 'Token', path: '/p/site.yml:3' },
        hosts: {
          h1: { changed: true, _ansible_no_log: true, diff: [{ before: 'tok-OLD-77', after: 'tok-NEW-77', before_header: '/etc/token' }] },
          h2: { changed: true, results: [{ changed: true, censored: 'hidden' }, { changed: true, _ansible_no_log: true, diff: { before: 'tok-OLD-78', after: 'tok-NEW-78' } }] },
          h3: { failed: true, censored: 'hidden', msg: 'tok-MSG-79' },
        },
      }] }],
      stats: { h1: {}, h2: {}, h3: {} },
    };
    const result = checkModeDrift(output, () => undefined) as CheckModeDrift;
    assert.deepEqual(result.resources.map((r) => r.fields.map((f) => `${f.path}: ${f.explanation}`)), [
      ['result: would change; output hidden by no_log'],
      ['loop item 1: result: would change; output hidden by no_log', 'loop item 2: result: would change; output hidden by no_log'],
    ]);
    assert.deepEqual(result.problems, ['Task "Token" failed on h3 (/p/site.yml:3): details hidden by no_log']);
    assert.ok(!JSON.stringify(result).includes('tok-'));
  });
});

describe('Ansible drift ids', () => {
  it('keeps ids unique when the same task runs twice on a host', () => {
    const task = { task: { name: 'Shared', path: '/p/common.yml:2' }, hosts: { h: { changed: false } } };
    const result = checkModeDrift({ plays: [{ tasks: [task] }, { tasks: [task] }], stats: { h: {} } }, () => undefined) as CheckModeDrift;
    assert.deepEqual(result.resources.map((r) => r.id), ['/p/common.yml:2@h', '/p/common.yml:2@h#2']);
  });
});
