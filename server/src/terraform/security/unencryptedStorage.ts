/**
 * `tf/unencrypted-storage`: disks, databases and file systems stored without encryption at
 * rest, and Azure storage accounts that accept data in the clear or over old TLS.
 *
 * Reported where the outcome is known from the code and the provider's documented defaults:
 * - AWS `aws_ebs_volume` and `aws_efs_file_system` (`encrypted`, default false), `aws_db_instance`,
 *   `aws_rds_cluster`, `aws_docdb_cluster` and `aws_neptune_cluster` (`storage_encrypted`,
 *   default false): when the argument is false, or absent and nothing else decides it (a
 *   snapshot, a source database, a KMS key, an Aurora engine, Aurora Serverless v1, a global
 *   cluster all inherit or imply encryption, so those are skipped). `aws_instance` and
 *   `aws_launch_template` block devices only when `encrypted = false` is written (without it
 *   the AMI's snapshot decides). A module that declares `aws_ebs_encryption_by_default` gets no
 *   EBS finding: the account setting encrypts every new volume whatever the volume says.
 * - Azure `azurerm_storage_account`: HTTPS-only turned off, or a minimum TLS version below 1.2.
 *   Azure always encrypts storage at rest, so `infrastructure_encryption_enabled = false` (the
 *   default, a second layer of encryption) is not reported: it is not unencrypted storage.
 * - Google Cloud encrypts every disk and bucket at rest with Google-managed keys and has no
 *   setting to turn that off, so nothing is reported for it: a missing customer-managed key is
 *   a key-management choice, not a misconfiguration.
 */
import type { Block } from '../model';
import { address, headerRange, type Report, type SecurityModule, type SecurityRule } from './context';
import { nestedBlocks, staticBool, staticString, stringOf, unwrap } from './values';

export const unencryptedStorage: SecurityRule = {
  id: 'tf/unencrypted-storage',
  defaultSeverity: 'warning',
  description: 'Disks, databases and file systems should be encrypted at rest, and storage accounts should accept only HTTPS with TLS 1.2 or later.',
  check(module, report) {
    checkEbs(module, report);
    checkDatabases(module, report);
    checkEfs(module, report);
    checkAzureStorage(module, report);
  },
};

/**
 * Reports `name = false` on its value, or its absence on the block's labels when
 * `absentIsUnencrypted`. `unless` names what could still encrypt it outside the module.
 */
function checkFlag(report: Report, uri: string, block: Block, name: string, absentIsUnencrypted: boolean, what: string, advice: string, unless = ''): void {
  const attribute = block.attributes.get(name);
  if (attribute) {
    if (staticBool(block, name) === false) report(uri, attribute.expression.range, `${what} sets ${name} = false, so it is stored unencrypted${unless}. ${advice}`);
    return;
  }
  if (absentIsUnencrypted && !block.incomplete) report(uri, headerRange(block), `${what} is not encrypted at rest${unless}: ${name} is not set and defaults to false. ${advice}`);
}

function has(block: Block, ...names: string[]): boolean {
  return names.some((name) => block.attributes.has(name) || block.blocks.some((b) => b.type === name));
}

// ---------------------------------------------------------------------------------------------
// EBS

function checkEbs(module: SecurityModule, report: Report): void {
  // With EBS encryption by default on, AWS encrypts new volumes even when they say encrypted = false.
  const byDefault = module.resources('aws_ebs_encryption_by_default').some(({ block }) => staticBool(block, 'enabled') !== false);
  if (byDefault) return;
  const advice = 'Set encrypted = true (with kms_key_id for a key you manage), or turn on EBS encryption by default for the account (aws_ebs_encryption_by_default).';
  const unless = ' (unless EBS encryption by default is on for the account and region)';
  for (const { uri, block } of module.resources('aws_ebs_volume')) {
    // A volume made from a snapshot is encrypted when the snapshot is.
    checkFlag(report, uri, block, 'encrypted', !has(block, 'snapshot_id', 'kms_key_id'), `EBS volume ${address(block)}`, advice, unless);
  }
  for (const { uri, block } of module.resources('aws_instance')) {
    for (const device of [...nestedBlocks(block, 'root_block_device'), ...nestedBlocks(block, 'ebs_block_device')]) {
      checkFlag(report, uri, device, 'encrypted', false, `A ${device.type.replace(/_/g, ' ')} of ${address(block)}`, advice, unless);
    }
  }
  for (const { uri, block } of module.resources('aws_launch_template')) {
    for (const mapping of nestedBlocks(block, 'block_device_mappings')) {
      for (const ebs of nestedBlocks(mapping, 'ebs')) checkFlag(report, uri, ebs, 'encrypted', false, `A block device of ${address(block)}`, advice, unless);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// RDS, DocumentDB, Neptune

const DATABASE_ADVICE = 'Set storage_encrypted = true (with kms_key_id for a key you manage); encryption cannot be turned on for an existing database without restoring it from an encrypted snapshot copy.';

function checkDatabases(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resources('aws_db_instance')) {
    // Replicas and restores inherit encryption from their source; Aurora instances from their cluster.
    const engine = staticString(block, 'engine');
    const decidedElsewhere = has(block, 'replicate_source_db', 'snapshot_identifier', 'restore_to_point_in_time', 'kms_key_id') || engine === undefined || engine.startsWith('aurora');
    checkFlag(report, uri, block, 'storage_encrypted', !decidedElsewhere, `Database ${address(block)}`, DATABASE_ADVICE);
  }
  for (const { uri, block } of module.resourcesOf(['aws_rds_cluster', 'aws_docdb_cluster', 'aws_neptune_cluster'])) {
    const inherited = has(block, 'snapshot_identifier', 'replication_source_identifier', 'global_cluster_identifier', 'source_region', 'restore_to_point_in_time', 'kms_key_id');
    // Aurora Serverless v1 clusters are always encrypted; a mode that is not a literal is not guessed.
    const mode = block.attributes.get('engine_mode');
    const provisioned = !mode || staticString(block, 'engine_mode') === 'provisioned';
    checkFlag(report, uri, block, 'storage_encrypted', !inherited && provisioned, `Database cluster ${address(block)}`, DATABASE_ADVICE);
  }
}

// ---------------------------------------------------------------------------------------------
// EFS

function checkEfs(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resources('aws_efs_file_system')) {
    checkFlag(report, uri, block, 'encrypted', !has(block, 'kms_key_id'), `EFS file system ${address(block)}`, 'Set encrypted = true (with kms_key_id for a key you manage); an existing file system cannot be encrypted in place.');
  }
}

// ---------------------------------------------------------------------------------------------
// Azure storage accounts

const WEAK_TLS: Record<string, string> = { TLS1_0: 'TLS 1.0', TLS1_1: 'TLS 1.1' };

function checkAzureStorage(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resources('azurerm_storage_account')) {
    // `enable_https_traffic_only` until provider v4, `https_traffic_only_enabled` since.
    for (const name of ['https_traffic_only_enabled', 'enable_https_traffic_only']) {
      const attribute = block.attributes.get(name);
      if (attribute && staticBool(block, name) === false) {
        report(uri, attribute.expression.range, `Storage account ${address(block)} sets ${name} = false, so it accepts unencrypted HTTP and data and access keys can cross the network in the clear. Remove the argument (it defaults to true) or set it to true.`);
      }
    }
    const tls = block.attributes.get('min_tls_version')?.expression;
    const version = stringOf(tls && unwrap(tls));
    if (tls && version !== undefined && version in WEAK_TLS) {
      report(uri, tls.range, `Storage account ${address(block)} accepts ${WEAK_TLS[version]} (min_tls_version = "${version}"), which has known weaknesses and is being retired by Azure. Set min_tls_version = "TLS1_2".`);
    }
  }
}
