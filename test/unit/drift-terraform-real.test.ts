/**
 * Terraform drift with the real Terraform 1.11 and AWS provider (from the machine's local
 * mirror) against a local fake of the AWS SSM API: the test applies the fixture's
 * parameters into a local state (on the fake, nothing live), changes them in the fake as
 * someone would in the console, and sees the drift through `terraform plan -refresh-only`.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { findOnPath } from '../../server/src/node/findOnPath';
import { terraformDrift } from '../../server/src/node/terraformDrift';
import { FakeAwsSsm } from '../support/fakeAwsSsm';

const PLUGIN_MIRROR = '/opt/tf-plugins';
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'drift', 'tf', 'ssm');
const terraformPath = findOnPath('terraform');
const skip = !terraformPath ? 'terraform is not on the PATH' : !fs.existsSync(PLUGIN_MIRROR) ? `the provider mirror ${PLUGIN_MIRROR} is missing` : false;
const SECRETS = ['tf-secret-Q7x9-original', 'tf-secret-Q7x9-rotated', 'Q7x9'];
/** The operations that change a parameter: after the test's own apply, drift must send none. */
const WRITES = new Set(['PutParameter', 'DeleteParameter', 'AddTagsToResource', 'RemoveTagsFromResource']);

function assertNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `a sensitive value leaked: ${secret}`);
}

describe('Terraform drift with the real terraform against a fake SSM API', { skip }, () => {
  const fake = new FakeAwsSsm();
  let root: string;
  let module: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    await fake.start();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-tf-drift-'));
    module = path.join(root, 'ssm');
    fs.cpSync(FIXTURE, module, { recursive: true });
    const cliConfig = path.join(root, 'terraform.rc');
    fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_MIRROR}"\n  }\n}\n`);
    env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_VAR_ssm_endpoint: fake.endpoint };
    const run = (args: string[]): Promise<unknown> => promisify(execFile)(terraformPath!, args, { cwd: module, env, timeout: 300_000 });
    await run(['init', '-input=false', '-no-color']);
    // The test's own setup: create the parameters in the fake, so that the local state records them.
    await run(['apply', '-auto-approve', '-input=false', '-no-color']);
  });

  after(async () => {
    await fake.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports every resource in sync right after apply, and writes nothing', async () => {
    const stateBefore = fs.readFileSync(path.join(module, 'terraform.tfstate'), 'utf8');
    const operationsBefore = fake.operations.length;
    const environment = await terraformDrift(module, { trusted: true, env, name: 'ssm' });
    assert.equal(environment.error, undefined);
    assert.equal(environment.name, 'ssm');
    assert.equal(environment.source, 'terraform');
    assert.deepEqual(environment.resources.map((r) => `${r.id} ${r.status}`), [
      'aws_ssm_parameter.api_key in-sync',
      'aws_ssm_parameter.db_host in-sync',
      'aws_ssm_parameter.flags[0] in-sync',
      'aws_ssm_parameter.flags[1] in-sync',
      'module.app.aws_ssm_parameter.region_name in-sync',
    ]);
    assert.ok(environment.resources.every((r) => r.approximate === undefined));
    assert.equal(fs.readFileSync(path.join(module, 'terraform.tfstate'), 'utf8'), stateBefore, 'a refresh-only plan must not write the state');
    assert.deepEqual(fake.operations.slice(operationsBefore).filter((op) => WRITES.has(op)), []);
    assertNoSecret(environment);
  });

  it('reports values and tags changed, a secret rotated and a parameter deleted outside Terraform', async () => {
    fake.changeOutsideTerraform('/shop/db_host', { value: 'db-2.internal', tags: { env: 'staging', team: 'shop', owner: 'alice' } });
    fake.changeOutsideTerraform('/shop/api_key', { value: 'tf-secret-Q7x9-rotated' });
    fake.parameters.delete('/shop/flag-1');
    const operationsBefore = fake.operations.length;
    const environment = await terraformDrift(module, { trusted: true, env });
    assert.equal(environment.error, undefined);
    assert.equal(environment.name, module);
    assertNoSecret(environment);
    assert.deepEqual(fake.operations.slice(operationsBefore).filter((op) => WRITES.has(op)), []);
    assert.deepEqual(environment.resources.map((r) => `${r.id} ${r.status}`), [
      'aws_ssm_parameter.api_key drifted',
      'aws_ssm_parameter.db_host drifted',
      'aws_ssm_parameter.flags[0] in-sync',
      'aws_ssm_parameter.flags[1] missing',
      'module.app.aws_ssm_parameter.region_name in-sync',
    ]);
    const db = environment.resources.find((r) => r.id === 'aws_ssm_parameter.db_host')!;
    assert.equal(db.declaredAt?.uri, pathToFileURL(path.join(module, 'main.tf')).href);
    assert.equal(db.declaredAt?.range.start.line, 24);
    assert.deepEqual(db.fields.filter((f) => f.path.startsWith('tags.')).map((f) => `${f.path}: ${String(f.desired)} → ${String(f.live)}`), ['tags.env: prod → staging', 'tags.owner: undefined → alice']);
    assert.equal(db.fields.find((f) => f.path === 'value')?.live, '(hidden, differs)');
    const apiKey = environment.resources.find((r) => r.id === 'aws_ssm_parameter.api_key')!;
    assert.match(apiKey.fields.find((f) => f.path === 'value')!.explanation, /sensitive/);
  });

  it('compares with terraform.tfstate in an untrusted workspace, approximately, without running terraform', async () => {
    const operationsBefore = fake.operations.length;
    const environment = await terraformDrift(module, { trusted: false, env });
    assert.equal(fake.operations.length, operationsBefore, 'terraform ran in an untrusted workspace');
    assert.equal(environment.error, undefined);
    assert.match(environment.note ?? '', /^Approximate: compared with terraform\.tfstate .* Why: the workspace is not trusted; trust the workspace to run terraform plan -refresh-only\.$/);
    // The state still holds flags[1]: without a refresh, its deletion cannot be seen.
    assert.deepEqual(environment.resources.map((r) => `${r.id} ${r.status} ${r.approximate}`), [
      'aws_ssm_parameter.api_key in-sync true',
      'aws_ssm_parameter.db_host in-sync true',
      'aws_ssm_parameter.flags[0] in-sync true',
      'aws_ssm_parameter.flags[1] in-sync true',
      'module.app.aws_ssm_parameter.region_name in-sync true',
    ]);
    assertNoSecret(environment);
  });

  it('says to run terraform init in a folder that is not initialised, and compares its state file', async () => {
    const copy = path.join(root, 'not-initialised');
    fs.cpSync(FIXTURE, copy, { recursive: true });
    const environment = await terraformDrift(copy, { trusted: true, env });
    assert.match(environment.error ?? '', /There is no local terraform\.tfstate/);
    assert.match(environment.error ?? '', /run terraform init in .*not-initialised/);
    fs.copyFileSync(path.join(module, 'terraform.tfstate'), path.join(copy, 'terraform.tfstate'));
    const withState = await terraformDrift(copy, { trusted: true, env });
    assert.equal(withState.error, undefined);
    assert.match(withState.note ?? '', /Why: the folder is not initialised; run terraform init in /);
    assert.equal(withState.resources.length, 5);
  });

  it('reports a failing plan in Terraform\'s words and still shows the state comparison', async () => {
    const withoutEndpoint = { ...env };
    delete withoutEndpoint.TF_VAR_ssm_endpoint;
    const environment = await terraformDrift(module, { trusted: true, env: withoutEndpoint });
    assert.match(environment.error ?? '', /^terraform plan -refresh-only failed: No value for required variable/);
    assert.equal(environment.resources.length, 5);
    assert.ok(environment.resources.every((r) => r.approximate));
  });
});

describe('the fake SSM API', () => {
  const fake = new FakeAwsSsm();
  before(() => fake.start());
  after(() => fake.stop());
  const call = async (operation: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const response = await fetch(fake.endpoint, { method: 'POST', headers: { 'x-amz-target': `AmazonSSM.${operation}`, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('answers with the shapes and errors of the AWS API', async () => {
    assert.deepEqual(await call('GetParameter', { Name: '/none' }), { status: 400, json: { __type: 'ParameterNotFound', message: 'Parameter /none not found.' } });
    assert.deepEqual(await call('PutParameter', { Name: '/p', Type: 'String', Value: 'v', Tags: [{ Key: 'k', Value: '1' }] }), { status: 200, json: { Version: 1, Tier: 'Standard' } });
    assert.equal((await call('PutParameter', { Name: '/p', Type: 'String', Value: 'w' })).json.__type, 'ParameterAlreadyExists');
    assert.equal((await call('PutParameter', { Name: '/p', Value: 'w', Overwrite: true, Tags: [{ Key: 'k', Value: '2' }] })).json.__type, 'ValidationException');
    const got = await call('GetParameters', { Names: ['/p', '/none'] });
    assert.deepEqual(got.json.InvalidParameters, ['/none']);
    assert.deepEqual((got.json.Parameters as { Value: string; ARN: string }[]).map((p) => [p.Value, p.ARN]), [['v', 'arn:aws:ssm:us-east-1:123456789012:parameter/p']]);
    assert.deepEqual((await call('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/p' })).json, { TagList: [{ Key: 'k', Value: '1' }] });
    assert.equal((await call('ListTagsForResource', { ResourceType: 'Parameter', ResourceId: '/none' })).json.__type, 'InvalidResourceId');
    assert.equal((await call('SendCommand', {})).json.__type, 'InvalidAction');
    assert.deepEqual(await call('DeleteParameter', { Name: '/p' }), { status: 200, json: {} });
    assert.equal((await call('DescribeParameters', { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/p'] }] })).json.Parameters instanceof Array, true);
  });
});
