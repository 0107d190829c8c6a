/**
 * The Terraform security rules, in the order their findings are listed. Ids are a contract:
 * users configure (`"tf/open-ingress": "off"`) and suppress
 * (`# gitops-iac-disable-next-line tf/open-ingress`) rules by id.
 *
 * The rules read a module (a folder's .tf files together), because a resource's settings may
 * be separate resources in other files: an S3 bucket's public access block, a security
 * group's rules. They report only what is known from literals in the code and the providers'
 * documented defaults: a value that comes from a reference, a call or an interpolation is
 * never guessed at. Messages say what is wrong and what to do, and never quote a secret.
 *
 * `checkTerraformSecurity` returns each finding with the URI of the file it is in; the caller
 * applies rule levels and suppression comments, as for the other Terraform checks.
 */
import type { Severity } from '../../core/types';
import { SecurityModule, type SecurityFinding, type SecurityInputFile, type SecurityRule, type SecurityRuleMeta } from './context';
import { hardcodedSecret } from './hardcodedSecret';
import { iamWildcard } from './iamWildcard';
import { openIngress } from './openIngress';
import { publicDatabase } from './publicDatabase';
import { s3MissingPublicAccessBlock, s3PublicAcl, s3Unencrypted } from './s3';
import { unencryptedStorage } from './unencryptedStorage';

export type { SecurityFinding, SecurityInputFile, SecurityRuleMeta } from './context';

const RULES: readonly SecurityRule[] = [
  s3PublicAcl,
  s3MissingPublicAccessBlock,
  s3Unencrypted,
  openIngress,
  unencryptedStorage,
  publicDatabase,
  iamWildcard,
  hardcodedSecret,
];

/** Every security rule's id, default severity and description. */
export const TERRAFORM_SECURITY_RULES: readonly SecurityRuleMeta[] = RULES.map(({ id, defaultSeverity, description }) => ({ id, defaultSeverity, description }));

/** Rule id to default severity, in the shape of `TERRAFORM_RULES` (checks/index.ts). */
export const TERRAFORM_SECURITY_SEVERITIES: Readonly<Record<string, Severity>> = Object.fromEntries(RULES.map((rule) => [rule.id, rule.defaultSeverity]));

/**
 * The security findings of one module: pass the .tf files of one folder together (.tfvars
 * files are ignored). Each finding carries its rule's default severity and the URI of its
 * file; they are sorted by URI and position.
 */
export function checkTerraformSecurity(files: readonly SecurityInputFile[]): SecurityFinding[] {
  const module = new SecurityModule(files);
  const findings: SecurityFinding[] = [];
  for (const rule of RULES) {
    rule.check(module, (uri, range, message) => findings.push({ uri, finding: { range, severity: rule.defaultSeverity, rule: rule.id, message } }));
  }
  // By file, then by position; findings at one position keep the rules' order (the sort is stable).
  return findings.sort((a, b) => compare(a.uri, b.uri) || compare(a.finding.range.start.line, b.finding.range.start.line) || compare(a.finding.range.start.character, b.finding.range.start.character));
}

function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
