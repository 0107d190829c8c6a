/**
 * The Terraform security rules (server/src/terraform/security), each with a failing and a
 * passing module from test/fixtures/terraform-security, parsed by the real parser and modelled
 * as TerraformDocument models them. See the fixtures' README for the `# expect:` markers.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { isSuppressed, parseSuppressions } from '../../server/src/engine/suppressions';
import { locateWasmFiles } from '../../server/src/node/wasmFiles';
import { TerraformDocument } from '../../server/src/terraform/document';
import { loadTerraformParser } from '../../server/src/terraform/parser';
import { checkTerraformSecurity, TERRAFORM_SECURITY_RULES, TERRAFORM_SECURITY_SEVERITIES, type SecurityFinding } from '../../server/src/terraform/security';

const FIXTURES = resolve('test/fixtures/terraform-security');
const ROOT = 'file:///w';

before(async () => {
  // '/nonexistent' has no bundled .wasm files, so the node_modules copies are used.
  await loadTerraformParser(locateWasmFiles('/nonexistent'));
});

/** Models files (`name -> text`) as the workspace does, and runs the security rules over them as one module. */
function check(files: Record<string, string>, options: { allowProblems?: boolean } = {}): SecurityFinding[] {
  const documents = Object.entries(files).map(([name, text]) => {
    const document = new TerraformDocument(name.endsWith('.tfvars') ? 'tfvars' : 'tf');
    document.update(text);
    if (!options.allowProblems) assert.deepEqual(document.model.problems.map((p) => `${name}:${p.range.start.line + 1} ${p.message}`), [], 'the fixture must parse cleanly');
    return { uri: `${ROOT}/${name}`, document };
  });
  try {
    return checkTerraformSecurity(documents.map(({ uri, document }) => ({ uri, file: document.model })));
  } finally {
    for (const { document } of documents) document.dispose();
  }
}

/** `name:line:column` (1-based) of the findings of one rule (or all). */
function where(findings: readonly SecurityFinding[], rule?: string): string[] {
  return findings
    .filter((f) => rule === undefined || f.finding.rule === rule)
    .map(({ uri, finding }) => `${uri.slice(ROOT.length + 1)}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`);
}

/** The text a finding's range covers. */
function covered(text: string, f: SecurityFinding): string {
  const lines = text.split('\n');
  const { start, end } = f.finding.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

/** The lines (1-based) where a fixture expects a finding of `rule`. */
function expectedLines(text: string, rule: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    const marker = /#\s*expect(-next-line)?:\s*(tf\/[\w-]+)/.exec(line);
    if (marker && marker[2] === rule) lines.push(index + 1 + (marker[1] ? 1 : 0));
  });
  return lines;
}

function fixture(folder: string, name: string): string {
  return readFileSync(join(FIXTURES, folder, name), 'utf8');
}

const RULE_IDS = [
  'tf/s3-public-acl',
  'tf/s3-missing-public-access-block',
  'tf/s3-unencrypted',
  'tf/open-ingress',
  'tf/unencrypted-storage',
  'tf/public-database',
  'tf/iam-wildcard',
  'tf/hardcoded-secret',
];

describe('the security rule table', () => {
  it('lists every rule with a stable id, a default severity and a description', () => {
    assert.deepEqual(TERRAFORM_SECURITY_RULES.map((rule) => rule.id), RULE_IDS);
    for (const rule of TERRAFORM_SECURITY_RULES) {
      assert.equal(rule.defaultSeverity, rule.id === 'tf/s3-unencrypted' ? 'info' : 'warning', rule.id);
      assert.ok(rule.description.length > 20 && rule.description.endsWith('.'), rule.id);
      assert.equal(TERRAFORM_SECURITY_SEVERITIES[rule.id], rule.defaultSeverity);
    }
  });
  it('has a fixture folder for every rule and a rule for every fixture folder', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `tf/${entry.name}`);
    assert.deepEqual(folders.sort(), [...RULE_IDS].sort());
  });
});

for (const rule of RULE_IDS) {
  const folder = rule.slice('tf/'.length);
  describe(rule, () => {
    it('reports every marked line of fail.tf, and nothing else, with its default severity', () => {
      const text = fixture(folder, 'fail.tf');
      const expected = expectedLines(text, rule);
      assert.ok(expected.length >= 2, 'the fixture marks at least two findings');
      const findings = check({ 'fail.tf': text }).filter((f) => f.finding.rule === rule);
      assert.deepEqual(findings.map((f) => f.finding.range.start.line + 1), expected);
      const severity = TERRAFORM_SECURITY_RULES.find((r) => r.id === rule)!.defaultSeverity;
      for (const f of findings) {
        assert.equal(f.uri, `${ROOT}/fail.tf`);
        assert.equal(f.finding.severity, severity);
        assert.ok(covered(text, f).trim().length > 0, 'the range covers something');
      }
    });
    it('reports nothing at all for pass.tf, where values that are not static are not guessed', () => {
      assert.deepEqual(where(check({ 'pass.tf': fixture(folder, 'pass.tf') })), []);
    });
  });
}

describe('ranges and messages', () => {
  it('tf/open-ingress points at the open source and names what it exposes', () => {
    const text = fixture('open-ingress', 'fail.tf');
    const findings = check({ 'fail.tf': text }).filter((f) => f.finding.rule === 'tf/open-ingress');
    assert.deepEqual(findings.map((f) => covered(text, f)), ['"0.0.0.0/0"', '"::/0"', '"0.0.0.0/0"', '"0.0.0.0/0"', '"0.0.0.0/0"', '"::/0"', '"0.0.0.0/0"', '"::/0"', '"Internet"', '"*"', '"0.0.0.0/0"']);
    assert.deepEqual(findings.map((f) => f.finding.message.replace(/ from anywhere.*$/, '')), [
      'An ingress rule of security group aws_security_group.bastion allows SSH (port 22)',
      'An ingress rule of security group aws_security_group.bastion allows all traffic (every protocol and port)',
      'An ingress rule of security group aws_security_group.bastion allows RDP (port 3389)',
      'Security group rule aws_security_group_rule.rdp (for aws_security_group.bastion) allows RDP (port 3389)',
      'Ingress rule aws_vpc_security_group_ingress_rule.all_tcp (for aws_security_group.bastion) allows every TCP port',
      'Ingress rule aws_vpc_security_group_ingress_rule.everything (for aws_security_group.bastion) allows all traffic (every protocol and port)',
      'Firewall google_compute_firewall.ssh allows SSH (port 22)',
      'Firewall google_compute_firewall.all allows all traffic (every protocol and port)',
      'Network security rule azurerm_network_security_rule.rdp allows RDP (port 3389)',
      'Security rule "ssh" of azurerm_network_security_group.web allows SSH (port 22)',
      'An ingress rule of security group aws_security_group.listed allows RDP (port 3389)',
    ]);
    assert.equal(
      findings[0].finding.message,
      'An ingress rule of security group aws_security_group.bastion allows SSH (port 22) from anywhere (0.0.0.0/0). Allow only the addresses that need it, or reach the machines through a VPN or AWS Systems Manager Session Manager instead.',
    );
    assert.match(findings[1].finding.message, /Open only the ports the service needs/);
  });
  it('reports both addresses of a rule open to 0.0.0.0/0 and ::/0 once, on the first', () => {
    const text = 'resource "aws_security_group_rule" "r" {\n  type             = "ingress"\n  protocol         = "tcp"\n  from_port        = 22\n  to_port          = 22\n  cidr_blocks      = ["0.0.0.0/0"]\n  ipv6_cidr_blocks = ["::/0"]\n}\n';
    const findings = check({ 'main.tf': text });
    assert.deepEqual(where(findings), ['main.tf:6:23']);
    assert.match(findings[0].finding.message, /from anywhere \(0\.0\.0\.0\/0 and ::\/0\)/);
  });
  it('a missing setting is reported on the block labels, a wrong one on its value', () => {
    const text = fixture('s3-missing-public-access-block', 'fail.tf');
    const findings = check({ 'fail.tf': text }).filter((f) => f.finding.rule === 'tf/s3-missing-public-access-block');
    assert.deepEqual(findings.map((f) => covered(text, f)), ['"aws_s3_bucket" "no_block"', '"aws_s3_bucket_public_access_block" "weak_block"', 'false', '"false"']);
    assert.match(findings[0].finding.message, /^Bucket aws_s3_bucket\.no_block has no aws_s3_bucket_public_access_block in this module/);
    assert.match(findings[1].finding.message, /does not set restrict_public_buckets, which defaults to false/);
  });
  it('tf/s3-unencrypted says honestly that S3 encrypts by default', () => {
    const [finding] = check({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n' }).filter((f) => f.finding.rule === 'tf/s3-unencrypted');
    assert.equal(finding.finding.severity, 'info');
    assert.match(finding.finding.message, /S3 still encrypts new objects with S3-managed keys \(SSE-S3\) by default/);
  });
  it('a JSON policy in a heredoc is reported on the heredoc, from its first line', () => {
    const text = fixture('iam-wildcard', 'fail.tf');
    const heredoc = check({ 'fail.tf': text }).find((f) => f.finding.message.startsWith('Policy aws_iam_role_policy.inline_json'));
    assert.ok(heredoc);
    assert.match(covered(text, heredoc), /^<<-EOT\n[\s\S]*EOT$/);
  });
  it('tf/iam-wildcard names the role and the principal on Google Cloud, and the scope on Azure', () => {
    const messages = check({ 'fail.tf': fixture('iam-wildcard', 'fail.tf') }).map((f) => f.finding.message);
    assert.ok(messages.includes('google_project_iam_member.public_owner grants roles/owner (control of nearly everything in it) on the whole project to allUsers (anyone on the internet, without signing in). Grant roles to specific users, groups or service accounts instead.'));
    assert.ok(messages.some((m) => m.startsWith('Custom role azurerm_role_definition.god allows every action ("*") across the whole subscription')));
  });
});

describe('module-level checks', () => {
  const bucket = 'resource "aws_s3_bucket" "b" {\n  bucket = "my-bucket"\n}\n';
  const block = (target: string): string => `resource "aws_s3_bucket_public_access_block" "b" {\n  bucket                  = ${target}\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n`;
  const missing = (files: Record<string, string>): string[] => where(check(files), 'tf/s3-missing-public-access-block');

  it('finds a public access block in another file of the module, by reference or by literal name', () => {
    assert.deepEqual(missing({ 'main.tf': bucket }), ['main.tf:1:10']);
    assert.deepEqual(missing({ 'main.tf': bucket, 'access.tf': block('aws_s3_bucket.b.id') }), []);
    assert.deepEqual(missing({ 'main.tf': bucket, 'access.tf': block('"my-bucket"') }), []);
  });
  it('reports no bucket when a public access block names its bucket in a way that cannot be resolved', () => {
    assert.deepEqual(missing({ 'main.tf': bucket, 'access.tf': block('var.bucket') }), []);
    assert.deepEqual(missing({ 'main.tf': bucket, 'access.tf': block('"other-bucket"') }), []);
  });
  it('takes an account-wide public access block as covering every bucket', () => {
    const account = 'resource "aws_s3_account_public_access_block" "a" {\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n';
    assert.deepEqual(missing({ 'main.tf': bucket, 'account.tf': account }), []);
  });
  it('reports a bucket not covered while another one is', () => {
    const two = `${bucket}resource "aws_s3_bucket" "other" {\n  bucket = "other"\n}\n`;
    assert.deepEqual(missing({ 'main.tf': two, 'access.tf': block('aws_s3_bucket.b.id') }), ['main.tf:4:10']);
  });
  it('takes EBS encryption by default as covering every volume', () => {
    const volume = 'resource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  size              = 10\n}\n';
    assert.deepEqual(where(check({ 'main.tf': volume }), 'tf/unencrypted-storage'), ['main.tf:1:10']);
    assert.deepEqual(where(check({ 'main.tf': volume, 'account.tf': 'resource "aws_ebs_encryption_by_default" "on" {\n  enabled = true\n}\n' }), 'tf/unencrypted-storage'), []);
  });
  it('ignores .tfvars files', () => {
    assert.deepEqual(where(check({ 'main.tf': 'variable "db_password" {}\n', 'prod.tfvars': 'db_password = "fixture-tfvars-password"\n' })), []);
  });
  it('does not report an absent argument in a block that did not parse', () => {
    const text = 'resource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  size = [1,\n}\n';
    assert.deepEqual(where(check({ 'main.tf': text }, { allowProblems: true }), 'tf/unencrypted-storage'), []);
  });
});

describe('tf/hardcoded-secret', () => {
  /** Every literal on a line marked for tf/hardcoded-secret in the fixture. */
  function secretsOf(text: string): string[] {
    return text.split('\n').filter((line) => line.includes('expect: tf/hardcoded-secret')).flatMap((line) => [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
  }

  it('never puts a secret, or a part of it, in a message', () => {
    const text = fixture('hardcoded-secret', 'fail.tf');
    const secrets = secretsOf(text);
    assert.ok(secrets.length >= 10);
    const findings = check({ 'fail.tf': text });
    assert.equal(findings.filter((f) => f.finding.rule === 'tf/hardcoded-secret').length, secrets.length);
    // The whole value, and every run of 8 characters of it with a digit or a capital (not a plain word).
    const pieces = secrets.flatMap((secret) => [secret, ...Array.from({ length: Math.max(0, secret.length - 7) }, (_, i) => secret.slice(i, i + 8)).filter((piece) => /[0-9A-Z]/.test(piece))]);
    for (const { finding } of findings) {
      for (const piece of pieces) assert.ok(!finding.message.includes(piece), `${finding.rule} message quotes "${piece}": ${finding.message}`);
      assert.ok(!/fixture-|EXAMPLE/.test(finding.message), finding.message);
    }
  });
  it('says where the secret is and that sensitive = true does not help', () => {
    const messages = check({ 'fail.tf': fixture('hardcoded-secret', 'fail.tf') }).filter((f) => f.finding.rule === 'tf/hardcoded-secret').map((f) => f.finding.message);
    assert.ok(messages.some((m) => m.startsWith("The aws provider's secret_key argument holds a literal secret") && m.includes('AWS_SECRET_ACCESS_KEY')));
    assert.ok(messages.some((m) => m.startsWith('The default of variable "db_password" is a literal secret') && m.includes('sensitive = true only hides it from plan output')));
    assert.ok(messages.some((m) => m.startsWith('The input "admin_password" of module "database"')));
    assert.ok(messages.some((m) => m.startsWith('The argument "backend.access_key" of the terraform block')));
  });
  it('reports the secret entries of an object default, not the others', () => {
    const text = fixture('hardcoded-secret', 'fail.tf');
    const findings = check({ 'fail.tf': text }).filter((f) => f.finding.message.includes('variable "service_accounts"'));
    assert.deepEqual(findings.map((f) => covered(text, f)), ['"fixture-ci-password-007"']);
  });
});

describe('suppression comments', () => {
  const text = [
    'resource "aws_security_group_rule" "ssh" {',
    '  type        = "ingress"',
    '  protocol    = "tcp"',
    '  from_port   = 22',
    '  to_port     = 22',
    '  # gitops-iac-disable-next-line tf/open-ingress',
    '  cidr_blocks = ["0.0.0.0/0"]',
    '}',
    '',
    '// gitops-iac-disable-next-line tf/hardcoded-secret',
    'variable "api_token" {',
    '  default = "fixture-token" // gitops-iac-disable-line tf/hardcoded-secret',
    '}',
  ].join('\n');

  it('silence findings on the line they start, with # and // comments', () => {
    const findings = check({ 'main.tf': text });
    assert.deepEqual(findings.map((f) => f.finding.rule), ['tf/open-ingress', 'tf/hardcoded-secret']);
    const suppressions = parseSuppressions(text);
    assert.deepEqual(findings.filter((f) => !isSuppressed(f.finding, suppressions)), []);
  });
});
