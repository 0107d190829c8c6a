/**
 * The Ansible plan, the pure part: real check-mode output captured from ansible-playbook
 * (test/fixtures/drift/ansible) read as plan resources. A copy or template to a file that does
 * not exist is a create, named after its destination; a loop is a create only when every
 * changed item is.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkModeDrift, type CheckModeDrift } from '../../server/src/drift/ansible/checkModeDrift';
import type { DriftResource } from '../../server/src/drift/types';
import { ansiblePlanResources } from '../../server/src/plan/ansible';
import { countActions } from '../../server/src/plan/model';
import { MASKED_VALUE } from '../../server/src/plan/types';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'drift', 'ansible');

function planOf(name: string) {
  const drift = checkModeDrift(JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')), () => undefined) as CheckModeDrift;
  return ansiblePlanResources(drift.resources, (id) => id.replace(/^.*\//, ''));
}

describe('Ansible plan from check mode', () => {
  it('calls a copy or template to a new file a create, an existing file (even an empty one) an update', () => {
    const plan = planOf('new-files-output.json');
    assert.deepEqual(plan.map((resource) => [resource.title, resource.action, resource.precision]), [
      ['New config file on localhost', 'create', 'exact'],
      ['Existing config changes on localhost', 'update', 'exact'],
      ['Empty file gets content on localhost', 'update', 'exact'],
      ['Flags from a loop, one new on localhost', 'update', 'exact'],
      ['New template file on localhost', 'create', 'exact'],
    ]);
    assert.deepEqual(countActions(plan), { create: 2, update: 3, replace: 0, delete: 0, 'no-op': 0 });
  });

  it('shows a new file\'s content as absent before, at its destination', () => {
    const created = planOf('new-files-output.json').find((resource) => resource.title.startsWith('New config file'))!;
    assert.equal(created.id, 'new-files.yml:10@localhost');
    assert.deepEqual(created.changes, [
      { path: '/tmp/ansx/target/new.conf', after: 'listen=8080\n' },
      { path: 'state', before: 'absent', after: 'file' },
    ]);
    assert.equal(created.note, undefined);
  });

  it('reads the earlier fixture: a missing folder is a create, a no_log task a masked update', () => {
    const plan = planOf('check-output.json');
    const byTitle = new Map(plan.map((resource) => [resource.title, resource]));
    assert.equal(byTitle.get('Cache folder is missing on localhost')?.action, 'create');
    assert.equal(byTitle.get('App config differs on localhost')?.action, 'update');
    assert.equal(byTitle.get('Motd already matches on localhost')?.action, 'no-op');
    const secret = byTitle.get('Database password file on localhost')!;
    assert.equal(secret.action, 'update');
    assert.deepEqual(secret.changes, [{ path: 'result', before: MASKED_VALUE, after: MASKED_VALUE, sensitive: true }]);
    assert.ok(!JSON.stringify(plan).includes('Zp3'));
  });

  it('calls a loop a create or a delete only when every changed item is one', () => {
    const resource = (fields: DriftResource['fields']): DriftResource => ({ source: 'ansible', id: 'site.yml:3@h', apiVersion: '', kind: '', namespace: '', name: 'Folders', host: 'h', status: 'drifted', fields });
    const state = (item: number, live: string, desired: string) => ({ path: `loop item ${item}: state`, live, desired, explanation: '' });
    const mode = (item: number) => ({ path: `loop item ${item}: mode`, live: '0700', desired: '0755', explanation: '' });
    const actions = [
      [state(1, 'absent', 'directory'), state(2, 'absent', 'directory')],
      [state(1, 'absent', 'directory'), mode(2)],
      [state(1, 'file', 'absent'), state(2, 'link', 'absent')],
      [state(1, 'file', 'absent'), state(2, 'absent', 'file')],
    ].map((fields) => ansiblePlanResources([resource(fields)])[0].action);
    assert.deepEqual(actions, ['create', 'update', 'delete', 'update']);
  });
});
