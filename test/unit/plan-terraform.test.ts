/**
 * `terraform show -json` → plan resources. The shapes are those Terraform 1.11 prints (the CLI
 * test runs the real terraform); here each rule is pinned on its own: actions, nested and
 * whole-value sensitivity, values only known after apply, data sources, block lookup.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findBlockLine, terraformPlanResources } from '../../server/src/plan/terraform';

const noBlocks = (): undefined => undefined;

function change(address: string, actions: string[], fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [type, name] = address.split('.');
  return { address, mode: 'managed', type, name, change: { actions, before: null, after: null, after_unknown: {}, before_sensitive: false, after_sensitive: false, ...fields }, ...extra };
}

describe('terraformPlanResources', () => {
  it('maps actions, a delete+create pair to replace, and skips data sources', () => {
    const resources = terraformPlanResources({
      resource_changes: [
        change('aws_s3_bucket.a', ['create'], { after: { bucket: 'a' } }),
        change('aws_s3_bucket.b', ['delete', 'create'], { before: { bucket: 'b' }, after: { bucket: 'b2' } }, { action_reason: 'replace_because_cannot_update' }),
        change('aws_s3_bucket.c', ['create', 'delete'], { before: { bucket: 'c' }, after: { bucket: 'c2' } }),
        change('aws_s3_bucket.d', ['delete'], { before: { bucket: 'd' } }),
        change('aws_s3_bucket.e', ['no-op'], { before: { bucket: 'e' }, after: { bucket: 'e' } }),
        { ...change('aws_caller.f', ['read'], {}), mode: 'data' },
      ],
    }, noBlocks);
    assert.deepEqual(resources.map((resource) => [resource.id, resource.action]), [
      ['aws_s3_bucket.a', 'create'], ['aws_s3_bucket.b', 'replace'], ['aws_s3_bucket.c', 'replace'], ['aws_s3_bucket.d', 'delete'], ['aws_s3_bucket.e', 'no-op'],
    ]);
    assert.match(resources[1].note ?? '', /forces a new resource/);
    assert.deepEqual(resources[1].changes, [{ path: 'bucket', before: 'b', after: 'b2' }]);
    assert.deepEqual(resources[4].changes, []);
  });

  it('masks sensitive values at any depth, and wherever a sensitive value reappears', () => {
    const [resource] = terraformPlanResources({
      variables: { password: { value: 'pa55word-after' } },
      configuration: { root_module: { variables: { password: { sensitive: true } } } },
      resource_changes: [
        change('terraform_data.db', ['update'], {
          before: { input: { user: 'app', password: 'pa55word-before' }, output: { password: 'pa55word-before' }, tags: ['x'] },
          after: { input: { user: 'app2', password: 'pa55word-after' }, tags: ['x', 'y'] },
          after_unknown: { output: true },
          before_sensitive: { input: { password: true } },
          after_sensitive: { input: { password: true } },
        }),
      ],
    }, noBlocks);
    assert.deepEqual(resource.changes, [
      { path: 'input.password', before: '(sensitive value)', after: '(sensitive value)', sensitive: true },
      { path: 'input.user', before: 'app', after: 'app2' },
      // Terraform does not mark `output`, which copies the input: masked all the same.
      { path: 'output', before: '(sensitive value)', unknownAfter: true, sensitive: true },
      { path: 'tags[1]', after: 'y' },
    ]);
    assert.ok(!JSON.stringify(resource).includes('pa55word'));
  });

  it('hides a whole value marked sensitive, shape included', () => {
    const [resource] = terraformPlanResources({
      resource_changes: [change('terraform_data.k', ['update'], { before: { input: { a: 'one-secret' } }, after: { input: { a: 'two-secret', b: 'three' } }, before_sensitive: { input: true }, after_sensitive: { input: true } })],
    }, noBlocks);
    assert.deepEqual(resource.changes, [{ path: 'input', before: '(sensitive value)', after: '(sensitive value)', sensitive: true }]);
  });

  it('links resources to their blocks, and module resources to the module call', () => {
    const seen: unknown[] = [];
    terraformPlanResources({
      resource_changes: [change('aws_s3_bucket.a', ['create'], { after: {} }), { ...change('aws_s3_bucket.z', ['create'], { after: {} }), address: 'module.store.aws_s3_bucket.z', module_address: 'module.store' }],
    }, (address) => {
      seen.push(address);
      return undefined;
    });
    assert.deepEqual(seen, [{ type: 'aws_s3_bucket', name: 'a' }, { type: 'aws_s3_bucket', name: 'z', moduleAddress: 'module.store' }]);
  });

  it('reads nothing from output that is not a plan', () => {
    assert.deepEqual(terraformPlanResources(null, noBlocks), []);
    assert.deepEqual(terraformPlanResources({ resource_changes: 'x' }, noBlocks), []);
  });
});

describe('findBlockLine', () => {
  const text = '# comment\n\nresource "aws_s3_bucket" "logs" {\n  bucket = "x"\n}\n\n  module "store" {\n}\nresource "aws_s3_bucket" "logs2" {}\n';
  it('finds a resource or module block by its labels, zero-based', () => {
    assert.equal(findBlockLine(text, 'resource', ['aws_s3_bucket', 'logs']), 2);
    assert.equal(findBlockLine(text, 'resource', ['aws_s3_bucket', 'logs2']), 8);
    assert.equal(findBlockLine(text, 'module', ['store']), 6);
    assert.equal(findBlockLine(text, 'resource', ['aws_s3_bucket', 'log']), undefined);
    assert.equal(findBlockLine(text, 'resource', ['aws_s3_bucket', '.*']), undefined);
  });
});
