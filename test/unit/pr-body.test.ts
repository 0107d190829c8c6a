/** The PR body: its sections, masking of Secret values and tokens, and cutting to the host's limit. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPrBody, PR_BODY_LIMITS, type PrBodyInput } from '../../server/src/gitops/pr/body';
import { maskValues, secretValuesOf } from '../../server/src/gitops/pr/mask';
import type { DriftReport } from '../../server/src/drift/types';

const CLEAN: PrBodyInput = {
  files: [{ path: 'apps/web/deployment.yaml', status: 'modified', added: 1, removed: 1 }],
  validation: { errors: 0, warnings: 0, findings: [] },
  draft: false,
  maxLength: PR_BODY_LIMITS.github,
  masked: [],
};

describe('PR body', () => {
  it('has Summary and Validation, and Plan and Drift when given', () => {
    const drift: DriftReport = {
      environments: [{
        name: 'prod', source: 'kubernetes', asOf: '2026-01-02T03:04:05Z',
        resources: [
          { source: 'kubernetes', id: 'a', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', status: 'drifted', fields: [{ path: 'spec.replicas', desired: 3, live: 5, explanation: 'replicas is 5 live, git declares 3' }] },
          { source: 'kubernetes', id: 'b', apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web', status: 'in-sync', fields: [] },
        ],
      }],
    };
    const body = buildPrBody({ ...CLEAN, plan: '**1 to update**', drift });
    assert.deepEqual(body.match(/^## .+$/gm), ['## Summary', '## Validation', '## Plan', '## Drift']);
    assert.match(body, /1 file changed \(\+1 −1\):\n\n- `apps\/web\/deployment.yaml` modified, \+1 −1/);
    assert.match(body, /No problems found by GitOps IaC in the 1 changed file\./);
    assert.match(body, /\*\*prod\*\* \(kubernetes, as of 2026-01-02T03:04:05Z\): 1 resource in sync, 1 not:\n\n- drifted `Deployment shop\/web`\n  - `spec.replicas`: replicas is 5 live, git declares 3/);
    assert.doesNotMatch(buildPrBody(CLEAN), /## Plan|## Drift/);
  });

  it('lists errors and warnings per file, and says a draft must not be merged', () => {
    const body = buildPrBody({
      ...CLEAN,
      draft: true,
      validation: {
        errors: 1, warnings: 1,
        findings: [
          { path: 'a.yaml', line: 8, column: 13, severity: 'error', rule: 'k8s/schema', message: 'Wrong type for "replicas".' },
          { path: 'a.yaml', line: 19, column: 18, severity: 'warning', rule: 'k8s/no-latest-tag', message: 'Pin a tag.' },
          { path: 'a.yaml', line: 20, column: 1, severity: 'info', rule: 'k8s/missing-probes', message: 'No probes.' },
        ],
      },
    });
    assert.match(body, /\*\*Validation failed: 1 error, 1 warning\.\*\* This draft must not be merged until the errors are fixed\.\n\n- `a.yaml`\n  - line 8: \*\*error\*\* `k8s\/schema` Wrong type for "replicas"\.\n  - line 19: \*\*warning\*\* `k8s\/no-latest-tag` Pin a tag\.$/m);
    assert.doesNotMatch(body, /No probes/);
  });

  it('masks Secret values (as written, decoded and encoded) and the token wherever they appear', () => {
    const manifest = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  key: c3VwZXItc2VjcmV0LXZhbHVl\nstringData:\n  password: hunter2-plain\n---\nkind: ConfigMap\ndata:\n  visible: not-a-secret\n';
    const values = secretValuesOf(manifest);
    assert.deepEqual([...values].sort(), ['aHVudGVyMi1wbGFpbg==', 'c3VwZXItc2VjcmV0LXZhbHVl', 'hunter2-plain', 'super-secret-value']);
    const body = buildPrBody({ ...CLEAN, plan: 'password: hunter2-plain\nkey: super-secret-value (c3VwZXItc2VjcmV0LXZhbHVl) token ghp_abcdef123456\nvisible: not-a-secret', masked: [...values, 'ghp_abcdef123456'] });
    for (const value of [...values, 'ghp_abcdef123456']) assert.ok(!body.includes(value), value);
    assert.match(body, /password: \*\*\*\nkey: \*\*\* \(\*\*\*\) token \*\*\*\nvisible: not-a-secret/);
    assert.equal(maskValues('a-long-secret-and-a-long', ['a-long', 'a-long-secret']), '***-and-***');
    assert.equal(secretValuesOf('kind: Secret\n: [').size, 0);
  });

  it('stays within the host limit, cutting the longest section at a line and closing its code block', () => {
    const plan = '```diff\n' + Array.from({ length: 5000 }, (_, i) => `+ line ${i} of a long plan`).join('\n') + '\n```';
    const body = buildPrBody({ ...CLEAN, plan, maxLength: 20_000 });
    assert.ok(body.length <= 20_000, String(body.length));
    assert.match(body, /^## Validation$/m);
    assert.match(body, /\+ line \d+ of a long plan\n```\n\n_… [\d,]+ more characters of this section are not shown: the host takes at most 20,000 characters in a PR body\._/);
    assert.equal((body.match(/^```/gm) ?? []).length % 2, 0);
    const gitlab = buildPrBody({ ...CLEAN, plan, maxLength: PR_BODY_LIMITS.gitlab });
    assert.ok(gitlab.includes('line 4999 of a long plan'));
  });
});
