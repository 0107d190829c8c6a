/**
 * The S3 bucket rules. Since provider v4 a bucket's settings are separate resources that name
 * the bucket (`bucket = aws_s3_bucket.logs.id`), so these rules read the whole module.
 *
 * - `tf/s3-public-acl`: a canned ACL or a grant that opens a bucket (or an object) to everyone
 *   (AllUsers) or to every AWS account (AuthenticatedUsers).
 * - `tf/s3-missing-public-access-block`: a bucket with no `aws_s3_bucket_public_access_block`
 *   in the module, and a public access block that leaves one of its four settings off.
 *   Since April 2023 S3 blocks public access on new buckets by default, but that default is
 *   not in the code: older buckets lack it, and anyone may turn it off without a plan showing
 *   it. A public access block resource that omits a setting is worse than none: the setting
 *   defaults to false, and applying the resource turns S3's protection off.
 * - `tf/s3-unencrypted` (info): a bucket with no server-side encryption configuration. Since
 *   January 2023 S3 encrypts every new object with S3-managed keys (SSE-S3) whatever the
 *   configuration says, so the data is not stored in the clear: the finding says only that
 *   the encryption is not declared, and suggests KMS where control over the key matters. That
 *   is why its default severity is `info`, not `warning`.
 *
 * Buckets are matched to their settings by reference (`aws_s3_bucket.logs.id`, `.bucket`, or
 * any attribute), or by a literal bucket name equal to the bucket's literal `bucket`. When one
 * settings resource names its bucket in a way that cannot be resolved (`var.bucket`, a local,
 * a module output), any bucket of the module might be the one, so no bucket is reported as
 * missing that setting.
 */
import type { Block } from '../model';
import { address, headerRange, type Located, type Report, type SecurityModule, type SecurityRule } from './context';
import { andList } from './network';
import { nestedBlocks, staticBool, staticString, stringOf, unwrap } from './values';

// ---------------------------------------------------------------------------------------------
// Which buckets the settings resources of a module apply to.

interface BucketLinks {
  /** The names (`logs` in `aws_s3_bucket.logs`) of the buckets some resource applies to. */
  covered: Set<string>;
  /** Some resource names a bucket that could not be resolved: every bucket may be covered. */
  unknown: boolean;
}

function bucketLinks(module: SecurityModule, types: readonly string[]): BucketLinks {
  const links: BucketLinks = { covered: new Set(), unknown: false };
  const byLiteralName = new Map<string, string[]>();
  for (const { block } of module.resources('aws_s3_bucket')) {
    const name = staticString(block, 'bucket');
    if (name !== undefined) byLiteralName.set(name, [...(byLiteralName.get(name) ?? []), block.labels[1].value]);
  }
  for (const { block } of module.resourcesOf(types)) {
    const expression = block.attributes.get('bucket')?.expression;
    if (!expression) {
      if (block.incomplete) links.unknown = true;
      continue;
    }
    const literal = stringOf(unwrap(expression));
    if (literal !== undefined) {
      const names = byLiteralName.get(literal);
      if (names) names.forEach((name) => links.covered.add(name));
      else links.unknown = true;
      continue;
    }
    const buckets = expression.references.filter((r) => r.root === 'aws_s3_bucket' && r.steps[0]?.kind === 'attribute');
    if (buckets.length === 0) links.unknown = true;
    for (const reference of buckets) {
      const step = reference.steps[0];
      if (step.kind === 'attribute') links.covered.add(step.name);
    }
  }
  return links;
}

/** The buckets of the module that none of the `types` resources applies to, when that is known. */
function bucketsWithout(module: SecurityModule, types: readonly string[], inline?: (bucket: Block) => boolean): Located[] {
  const links = bucketLinks(module, types);
  if (links.unknown) return [];
  return module.resources('aws_s3_bucket').filter(({ block }) => !block.incomplete && !links.covered.has(block.labels[1].value) && !inline?.(block));
}

// ---------------------------------------------------------------------------------------------
// tf/s3-public-acl

const PUBLIC_CANNED_ACLS: Record<string, string> = {
  'public-read': 'read access to everyone on the internet (the AllUsers group)',
  'public-read-write': 'read and write access to everyone on the internet (the AllUsers group)',
  'authenticated-read': 'read access to every AWS account, not only yours (the AuthenticatedUsers group)',
};

const PUBLIC_GROUPS: Record<string, string> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'everyone on the internet (AllUsers)',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'every AWS account, not only yours (AuthenticatedUsers)',
};

const ACL_ADVICE = 'Use "private" (or no ACL: new buckets have ACLs disabled) and share content through CloudFront with origin access control, or presigned URLs.';

function checkCannedAcl(report: Report, uri: string, block: Block, subject: string): void {
  const acl = block.attributes.get('acl')?.expression;
  const value = stringOf(acl && unwrap(acl));
  if (!acl || value === undefined || !(value in PUBLIC_CANNED_ACLS)) return;
  report(uri, acl.range, `The canned ACL "${value}" of ${subject} grants ${PUBLIC_CANNED_ACLS[value]}. ${ACL_ADVICE}`);
}

/** A grant to the AllUsers or AuthenticatedUsers group: inline `grant` (v3) or `access_control_policy.grant.grantee`. */
function checkGrant(report: Report, uri: string, grantee: Block, subject: string): void {
  const uriAttribute = grantee.attributes.get('uri')?.expression;
  const group = stringOf(uriAttribute && unwrap(uriAttribute));
  if (!uriAttribute || group === undefined || !(group in PUBLIC_GROUPS)) return;
  report(uri, uriAttribute.range, `${subject} grants access to ${PUBLIC_GROUPS[group]}. Remove this grant. ${ACL_ADVICE}`);
}

export const s3PublicAcl: SecurityRule = {
  id: 'tf/s3-public-acl',
  defaultSeverity: 'warning',
  description: 'S3 buckets and objects should not have ACLs that grant access to everyone or to every AWS account.',
  check(module, report) {
    for (const { uri, block } of module.resources('aws_s3_bucket')) {
      checkCannedAcl(report, uri, block, `bucket ${address(block)}`);
      for (const grant of nestedBlocks(block, 'grant')) checkGrant(report, uri, grant, `A grant of bucket ${address(block)}`);
    }
    for (const { uri, block } of module.resources('aws_s3_bucket_acl')) {
      checkCannedAcl(report, uri, block, address(block));
      for (const policy of nestedBlocks(block, 'access_control_policy')) {
        for (const grant of nestedBlocks(policy, 'grant')) {
          for (const grantee of nestedBlocks(grant, 'grantee')) checkGrant(report, uri, grantee, `A grant of ${address(block)}`);
        }
      }
    }
    for (const { uri, block } of module.resourcesOf(['aws_s3_object', 'aws_s3_bucket_object'])) {
      checkCannedAcl(report, uri, block, `object ${address(block)}`);
    }
  },
};

// ---------------------------------------------------------------------------------------------
// tf/s3-missing-public-access-block

const PUBLIC_ACCESS_SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const s3MissingPublicAccessBlock: SecurityRule = {
  id: 'tf/s3-missing-public-access-block',
  defaultSeverity: 'warning',
  description: 'Every S3 bucket should have an aws_s3_bucket_public_access_block with its four settings set to true.',
  check(module, report) {
    // An account-wide public access block covers every bucket of the account.
    if (module.resources('aws_s3_account_public_access_block').length === 0) {
      for (const { uri, block } of bucketsWithout(module, ['aws_s3_bucket_public_access_block'])) {
        report(
          uri,
          headerRange(block),
          `Bucket ${address(block)} has no aws_s3_bucket_public_access_block in this module, so nothing in the code keeps it private: S3 blocks public access on new buckets by default, but that setting is not managed here and can be turned off unnoticed. Add an aws_s3_bucket_public_access_block for it with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets set to true.`,
        );
      }
    }
    for (const { uri, block } of module.resourcesOf(['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block'])) {
      const missing: string[] = [];
      for (const name of PUBLIC_ACCESS_SETTINGS) {
        const attribute = block.attributes.get(name);
        if (!attribute) missing.push(name);
        else if (staticBool(block, name) === false) {
          report(uri, attribute.expression.range, `${address(block)} sets ${name} to false, turning off one of S3's four protections against public access. Set it to true, and serve content meant to be public through CloudFront instead.`);
        }
      }
      if (missing.length > 0 && !block.incomplete) {
        const one = missing.length === 1;
        const bucketDefault = block.labels[0].value === 'aws_s3_bucket_public_access_block' ? ', even on a bucket S3 created with it on' : '';
        report(
          uri,
          headerRange(block),
          `${address(block)} does not set ${andList(missing)}, which default${one ? 's' : ''} to false: applying it turns ${one ? 'that protection' : 'those protections'} off${bucketDefault}. Set ${one ? 'it' : 'each'} to true.`,
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// tf/s3-unencrypted

const ENCRYPTION_RESOURCES = ['aws_s3_bucket_server_side_encryption_configuration'];

export const s3Unencrypted: SecurityRule = {
  id: 'tf/s3-unencrypted',
  defaultSeverity: 'info',
  description: 'S3 buckets should declare their server-side encryption (S3 applies SSE-S3 by default since 2023; declare KMS where you need control over the key).',
  check(module, report) {
    const inline = (bucket: Block): boolean => bucket.blocks.some((b) => b.type === 'server_side_encryption_configuration' || (b.type === 'dynamic' && b.labels[0]?.value === 'server_side_encryption_configuration'));
    for (const { uri, block } of bucketsWithout(module, ENCRYPTION_RESOURCES, inline)) {
      report(
        uri,
        headerRange(block),
        `Bucket ${address(block)} declares no server-side encryption. S3 still encrypts new objects with S3-managed keys (SSE-S3) by default, but the choice is not in the code. Add an aws_s3_bucket_server_side_encryption_configuration for it, with sse_algorithm = "aws:kms" and your own KMS key if you need to control and audit who can decrypt.`,
      );
    }
  },
};
