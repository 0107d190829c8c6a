/**
 * The words of the Drift view (server/src/drift/labels.ts): labels, order, `desired → live`,
 * who and when, the code lens summary and the counts behind the status bar item.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DriftResource, DriftStatus, FieldDrift } from '../../server/src/drift/types';
import {
  countResources,
  diffTitle,
  fieldChange,
  lensTitle,
  relativeTime,
  resourceLabel,
  shortPath,
  sortResources,
  statusDescription,
} from '../../server/src/drift/labels';

const NOW = new Date('2026-05-04T12:00:00Z');

function resource(name: string, status: DriftStatus, fields: FieldDrift[] = [], overrides: Partial<DriftResource> = {}): DriftResource {
  return { source: 'kubernetes', id: `apps/v1/Deployment/shop/${name}`, apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name, status, fields, ...overrides };
}

const replicas: FieldDrift = {
  path: 'spec.replicas',
  desired: 3,
  live: 5,
  explanation: 'replicas is 5 live, git declares 3',
  changedBy: { manager: 'kubectl-edit', operation: 'Update', time: '2026-05-04T11:55:00Z' },
};

describe('drift labels', () => {
  it('names Kubernetes resources kind/namespace/name, cluster-scoped ones kind/name, others by id', () => {
    assert.equal(resourceLabel(resource('web', 'in-sync')), 'Deployment/shop/web');
    assert.equal(resourceLabel(resource('shop', 'in-sync', [], { kind: 'Namespace', namespace: '' })), 'Namespace/shop');
    assert.equal(resourceLabel(resource('', 'drifted', [], { source: 'terraform', id: 'aws_s3_bucket.logs', kind: '', namespace: '', apiVersion: '' })), 'aws_s3_bucket.logs');
    assert.equal(diffTitle(resource('web', 'drifted')), 'web (git ↔ live)');
  });

  it('sorts drifted first, then missing, unmanaged, in sync, each by label', () => {
    const sorted = sortResources([resource('b', 'in-sync'), resource('z', 'drifted'), resource('c', 'missing'), resource('a', 'drifted'), resource('u', 'unmanaged')]);
    assert.deepEqual(sorted.map((r) => `${r.status}:${r.name}`), ['drifted:a', 'drifted:z', 'missing:c', 'unmanaged:u', 'in-sync:b']);
  });

  it('describes the status and the fields that differ', () => {
    assert.equal(statusDescription(resource('web', 'drifted', [replicas])), '1 field drifted');
    assert.equal(statusDescription(resource('web', 'drifted', [replicas, replicas])), '2 fields drifted');
    assert.equal(statusDescription(resource('web', 'missing', [], { approximate: true })), 'missing live (approximate)');
    assert.equal(fieldChange(replicas), '3 → 5');
    assert.equal(fieldChange({ ...replicas, desired: undefined, live: { a: 'b' } }), '(absent) → {"a":"b"}');
  });

  it('summarises a resource in one code lens, with who changed it and when', () => {
    assert.equal(lensTitle(resource('web', 'drifted', [replicas]), NOW), 'Drift: replicas 3 → 5 live (kubectl-edit, 5 min ago)');
    const image: FieldDrift = { path: 'spec.template.spec.containers[name=web].image', desired: 'nginx:1.27', live: 'nginx:1.28', explanation: 'image differs' };
    assert.equal(lensTitle(resource('web', 'drifted', [image, replicas]), NOW), 'Drift: image nginx:1.27 → nginx:1.28 live, +1 more');
    assert.match(lensTitle(resource('web', 'missing'), NOW), /^Drift: missing live/);
  });

  it('shortens paths to their last key, keeping a quoted key or item with its list', () => {
    assert.equal(shortPath('metadata.labels["app.kubernetes.io/name"]'), 'labels["app.kubernetes.io/name"]');
    assert.equal(shortPath('spec.template.spec.containers[name=web].env[name=DEBUG]'), 'env[name=DEBUG]');
  });

  it('says how long ago in words', () => {
    assert.equal(relativeTime('2026-05-04T11:59:30Z', NOW), 'just now');
    assert.equal(relativeTime('2026-05-04T09:00:00Z', NOW), '3 h ago');
    assert.equal(relativeTime('2026-05-01T12:00:00Z', NOW), '3 days ago');
    assert.equal(relativeTime('not a time', NOW), 'not a time');
  });

  it('counts resources by status over every environment', () => {
    const report = {
      environments: [
        { name: 'kind-dev', source: 'kubernetes' as const, asOf: NOW.toISOString(), resources: [resource('a', 'drifted'), resource('b', 'in-sync')] },
        { name: 'infra', source: 'terraform' as const, asOf: NOW.toISOString(), resources: [resource('c', 'missing'), resource('d', 'drifted')] },
      ],
    };
    assert.deepEqual(countResources(report), { drifted: 2, missing: 1, unmanaged: 0, inSync: 1 });
    assert.deepEqual(countResources(undefined), { drifted: 0, missing: 0, unmanaged: 0, inSync: 0 });
  });
});
