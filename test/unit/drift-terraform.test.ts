/**
 * Terraform drift, the pure part: `terraform show -json` of refresh-only plans and a v4
 * state file, all captured from real Terraform 1.11 runs of test/fixtures/drift/tf/ssm
 * against the fake SSM API (test/support/fakeAwsSsm.ts). Between the two plans, outside
 * Terraform: db_host's value and tags changed, api_key's (sensitive) value was rotated,
 * flags[1] was deleted, and module.app's region_name changed.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { blockAddress, declaredResources, type DeclaredResources } from '../../server/src/drift/terraform/declarations';
import { refreshOnlyPlanDrift } from '../../server/src/drift/terraform/planDrift';
import { stateFileDrift } from '../../server/src/drift/terraform/stateDrift';
import type { DriftResource } from '../../server/src/drift/types';
import { ROOT, loadParser, workspaceOf } from './terraform-helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'drift', 'tf');
const readJson = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, 'captured', name), 'utf8'));
/** Every value api_key ever had; none may appear in any output. */
const SECRETS = ['tf-secret-Q7x9-original', 'tf-secret-Q7x9-rotated', 'Q7x9'];

function declarationsOfFixture(): DeclaredResources {
  const workspace = workspaceOf({
    'main.tf': readFileSync(path.join(FIXTURES, 'ssm', 'main.tf'), 'utf8'),
    'modules/app/main.tf': readFileSync(path.join(FIXTURES, 'ssm', 'modules', 'app', 'main.tf'), 'utf8'),
  });
  return declaredResources(ROOT, (folder) => workspace.module(folder));
}

const byId = (resources: DriftResource[]): Map<string, DriftResource> => new Map(resources.map((r) => [r.id, r]));

function assertNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `a sensitive value leaked: ${secret}`);
}

describe('Terraform declarations', () => {
  before(loadParser);

  it('maps root and local-module resources to their blocks', () => {
    const declared = declarationsOfFixture();
    assert.deepEqual([...declared.keys()].sort(), ['aws_ssm_parameter.api_key', 'aws_ssm_parameter.db_host', 'aws_ssm_parameter.flags', 'module.app.aws_ssm_parameter.region_name']);
    const region = declared.get('module.app.aws_ssm_parameter.region_name')!;
    assert.equal(region.declaredAt.uri, `${ROOT}/modules/app/main.tf`);
    assert.deepEqual(region.declaredAt.range.start, { line: 0, character: 0 });
    assert.equal(declared.get('aws_ssm_parameter.db_host')!.declaredAt.range.start.line, 24);
  });

  it('strips instance keys, also quoted ones holding brackets, from addresses', () => {
    assert.equal(blockAddress('aws_ssm_parameter.flags[1]'), 'aws_ssm_parameter.flags');
    assert.equal(blockAddress('module.a["x[0]"].aws_s3_bucket.b["k.\\"q\\""]'), 'module.a.aws_s3_bucket.b');
  });
});

describe('Terraform drift from a refresh-only plan', () => {
  let declared: DeclaredResources;
  before(async () => {
    await loadParser();
    declared = declarationsOfFixture();
  });

  it('reports everything in sync right after apply, although Terraform flags null tags read back as {}', () => {
    const plan = readJson('in-sync-show.json') as { resource_drift: unknown[] };
    // Terraform itself reports these four as "drift" (tags: null → {}); none changes a value.
    assert.equal(plan.resource_drift.length, 4);
    const resources = refreshOnlyPlanDrift(plan, declared);
    assert.ok(Array.isArray(resources));
    assert.deepEqual(resources.map((r) => `${r.id} ${r.status}`), [
      'aws_ssm_parameter.api_key in-sync',
      'aws_ssm_parameter.db_host in-sync',
      'aws_ssm_parameter.flags[0] in-sync',
      'aws_ssm_parameter.flags[1] in-sync',
      'module.app.aws_ssm_parameter.region_name in-sync',
    ]);
    assertNoSecret(resources);
  });

  it('reports each drifted attribute with both values, masks sensitive ones, and finds deleted resources', () => {
    const resources = refreshOnlyPlanDrift(readJson('drift-show.json'), declared);
    assert.ok(Array.isArray(resources));
    assertNoSecret(resources);
    const found = byId(resources);
    assert.deepEqual([...found.values()].map((r) => `${r.id} ${r.status}`), [
      'aws_ssm_parameter.api_key drifted',
      'aws_ssm_parameter.db_host drifted',
      'aws_ssm_parameter.flags[0] in-sync',
      'aws_ssm_parameter.flags[1] missing',
      'module.app.aws_ssm_parameter.region_name drifted',
    ]);

    const db = found.get('aws_ssm_parameter.db_host')!;
    assert.equal(db.source, 'terraform');
    assert.equal(db.name, 'aws_ssm_parameter.db_host');
    assert.deepEqual(db.fields.map((f) => f.path).sort(), ['tags.env', 'tags.owner', 'tags_all.env', 'tags_all.owner', 'value', 'version']);
    const env = db.fields.find((f) => f.path === 'tags.env')!;
    assert.equal(env.desired, 'prod');
    assert.equal(env.live, 'staging');
    assert.equal(env.explanation, 'tags.env is staging live; Terraform last recorded prod');
    // The range of the value in the block, for a code lens or Adopt live value.
    assert.deepEqual(env.declaredRange, { start: { line: 29, character: 11 }, end: { line: 29, character: 17 } });
    const owner = db.fields.find((f) => f.path === 'tags.owner')!;
    assert.equal(owner.desired, undefined);
    assert.equal(owner.live, 'alice');
    assert.equal(owner.explanation, 'tags.owner was set outside Terraform to alice');
    // aws_ssm_parameter.value is sensitive even for a String parameter.
    const value = db.fields.find((f) => f.path === 'value')!;
    assert.equal(value.desired, '(hidden)');
    assert.equal(value.live, '(hidden, differs)');
    assert.match(value.explanation, /sensitive.*values hidden/);
    assert.ok(!JSON.stringify(db).includes('db-2.internal'));
    assert.match(db.liveText!, /env: staging/);
    assert.match(db.liveText!, /value: \(hidden, differs\)/);
    assert.match(db.desiredText!, /env: prod/);

    const apiKey = found.get('aws_ssm_parameter.api_key')!;
    assert.deepEqual(apiKey.fields.map((f) => `${f.path}: ${String(f.desired)} → ${String(f.live)}`), ['value: (hidden) → (hidden, differs)', 'version: 1 → 2']);

    const deleted = found.get('aws_ssm_parameter.flags[1]')!;
    assert.equal(deleted.fields.length, 0);
    assert.equal(deleted.explanation, 'deleted outside Terraform: the refresh found no object for it');
    assert.equal(deleted.declaredAt?.range.start.line, 40);

    const region = found.get('module.app.aws_ssm_parameter.region_name')!;
    assert.equal(region.declaredAt?.uri, `${ROOT}/modules/app/main.tf`);
    assert.deepEqual(region.fields.map((f) => f.path), ['value', 'version']);
  });

  it('calls a resource in the plan but not in the configuration unmanaged, and a declared one absent from it missing', () => {
    const trimmed = new Map(declared);
    trimmed.delete('aws_ssm_parameter.db_host');
    trimmed.set('aws_ssm_parameter.extra', declared.get('aws_ssm_parameter.api_key')!);
    const found = byId(refreshOnlyPlanDrift(readJson('drift-show.json'), trimmed) as DriftResource[]);
    assert.equal(found.get('aws_ssm_parameter.db_host')!.status, 'unmanaged');
    assert.equal(found.get('aws_ssm_parameter.db_host')!.declaredAt, undefined);
    assert.equal(found.get('aws_ssm_parameter.db_host')!.explanation, 'in the state but no longer declared: terraform apply would destroy it');
    assert.equal(found.get('aws_ssm_parameter.extra')!.status, 'missing');
    assert.equal(found.get('aws_ssm_parameter.extra')!.explanation, 'declared, but not in the state: not created yet (terraform apply would create it)');
  });

  it('says why a text is not a plan', () => {
    assert.match(String(refreshOnlyPlanDrift({ resources: [] }, declared)), /not a plan/);
    assert.match(String(refreshOnlyPlanDrift({ format_version: '1.2', resource_drift: {} }, declared)), /not a list/);
  });
});

describe('Terraform drift from a state file (approximate)', () => {
  let declared: DeclaredResources;
  before(async () => {
    await loadParser();
    declared = declarationsOfFixture();
  });

  it('compares the configuration with the state written by a real apply, without reading any attribute', () => {
    const resources = stateFileDrift(readJson('terraform.tfstate'), declared);
    assert.ok(Array.isArray(resources));
    assert.deepEqual(resources.map((r) => `${r.id} ${r.status} ${r.approximate}`), [
      'aws_ssm_parameter.api_key in-sync true',
      'aws_ssm_parameter.db_host in-sync true',
      'aws_ssm_parameter.flags[0] in-sync true',
      'aws_ssm_parameter.flags[1] in-sync true',
      'module.app.aws_ssm_parameter.region_name in-sync true',
    ]);
    assertNoSecret(resources);
  });

  it('reports declared resources absent from the state as missing and the reverse as unmanaged', () => {
    const state = readJson('terraform.tfstate') as { resources: { name: string }[] };
    state.resources = state.resources.filter((r) => r.name !== 'region_name');
    const trimmed = new Map(declared);
    trimmed.delete('aws_ssm_parameter.flags');
    const found = byId(stateFileDrift(state, trimmed) as DriftResource[]);
    assert.equal(found.get('module.app.aws_ssm_parameter.region_name')!.status, 'missing');
    const flagsGone = stateFileDrift({ version: 4, resources: [] }, declared) as DriftResource[];
    assert.equal(flagsGone.find((r) => r.id === 'aws_ssm_parameter.flags')!.explanation, 'declared with count or for_each, but no instance is in the state (there may rightly be none)');
    assert.equal(found.get('aws_ssm_parameter.flags[0]')!.status, 'unmanaged');
    assert.equal(found.get('aws_ssm_parameter.flags[1]')!.status, 'unmanaged');
  });

  it('names the problem with a state it cannot read', () => {
    assert.match(String(stateFileDrift({ version: 3, resources: [] }, declared)), /format version 3/);
    assert.match(String(stateFileDrift([], declared)), /not a JSON object/);
  });
});

describe('Terraform sensitive values', () => {
  it('masks a value that either side marks sensitive, in fields and in both texts', async () => {
    await loadParser();
    const plan = {
      format_version: '1.2',
      resource_drift: [{
        address: 'aws_db_instance.main',
        mode: 'managed',
        change: {
          actions: ['update'],
          before: { password: 'pw-BEFORE-1', nested: [{ token: 'tok-BEFORE-2', port: 5432 }], name: 'main' },
          after: { password: 'pw-AFTER-1', nested: [{ token: 'tok-AFTER-2', port: 5433 }, { token: 'tok-AFTER-3', port: 1 }], name: 'main' },
          before_sensitive: { nested: [{ token: true }] },
          after_sensitive: { password: true, nested: [{ token: true }, { token: true }] },
        },
      }],
    };
    const [resource] = refreshOnlyPlanDrift(plan, new Map()) as DriftResource[];
    assert.equal(resource.status, 'unmanaged');
    const declared = new Map([['aws_db_instance.main', { declaredAt: { uri: 'file:///w/main.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }, block: { attributes: new Map() } as never, repeated: false }]]);
    const [drifted] = refreshOnlyPlanDrift(plan, declared) as DriftResource[];
    assert.deepEqual(drifted.fields.map((f) => `${f.path} ${String(f.desired)} ${String(f.live)}`), ['nested (hidden) (hidden, differs)', 'password (hidden) (hidden, differs)']);
    const output = JSON.stringify(drifted);
    for (const value of ['pw-BEFORE-1', 'pw-AFTER-1', 'tok-BEFORE-2', 'tok-AFTER-2', 'tok-AFTER-3']) assert.ok(!output.includes(value), value);
    assert.match(drifted.liveText!, /port: 5433/);
  });
});
