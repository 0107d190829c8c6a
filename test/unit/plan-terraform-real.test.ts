/**
 * `terraform plan` for Preview Plan with the real terraform and the AWS provider from the
 * machine's filesystem mirror (offline): provider credentials reach the provider from the
 * environment while TF_CLI_ARGS and TF_LOG do not, Terraform's own error is given when it
 * refuses, and a folder that needs `terraform init` is named.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findOnPath } from '../../server/src/node/findOnPath';
import { planTerraformFolder } from '../../server/src/node/terraformPlan';

const TERRAFORM = findOnPath('terraform');
const PROVIDER_MIRROR = '/opt/tf-plugins';
const MODULE = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

# No region and no credentials here: they come from the environment, as on a user's machine.
provider "aws" {
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

resource "aws_s3_bucket" "logs" {
  bucket = "gitops-iac-plan-logs"
}
`;
const SECRET_KEY = 'plan-aws-secret-Vn4-dummy';

describe('terraform plan of a module that needs provider credentials', { skip: !(TERRAFORM && fs.existsSync(PROVIDER_MIRROR)) && 'terraform or its provider mirror is missing' }, () => {
  let root: string;
  let folder: string;
  let base: NodeJS.ProcessEnv;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-plan-tf-'));
    folder = path.join(root, 'infra');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'main.tf'), MODULE);
    const config = path.join(root, 'mirror.tfrc');
    fs.writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = "${PROVIDER_MIRROR}"\n  }\n}\n`);
    // Only what a shell would have: nothing of this process's own AWS_* or TF_* variables.
    base = { PATH: process.env.PATH, HOME: root, TF_CLI_CONFIG_FILE: config };
    execFileSync(TERRAFORM!, ['init', '-input=false', '-no-color'], { cwd: folder, env: base });
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('passes the provider credentials, and neither TF_CLI_ARGS nor TF_LOG', async () => {
    const env = { ...base, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEPLAN', AWS_SECRET_ACCESS_KEY: SECRET_KEY, TF_CLI_ARGS_plan: '-destroy', TF_LOG: 'TRACE' };
    const environment = await planTerraformFolder(folder, { root, trusted: true, env });
    assert.equal(environment.error, undefined);
    assert.equal(environment.name, 'infra');
    // With -destroy from TF_CLI_ARGS_plan there would be nothing to plan.
    assert.deepEqual(environment.resources.map((resource) => [resource.id, resource.action]), [['aws_s3_bucket.logs', 'create']]);
    assert.ok(!JSON.stringify(environment).includes(SECRET_KEY));
  });

  it("says why when the provider refuses, in Terraform's words", async () => {
    const environment = await planTerraformFolder(folder, { root, trusted: true, env: { ...base, AWS_EC2_METADATA_DISABLED: 'true' } });
    assert.deepEqual(environment.resources, []);
    assert.match(environment.error ?? '', /^terraform plan failed: .*credential/i);
  });

  it('asks for terraform init in a folder that needs it, with what Terraform said', async () => {
    const uninitialised = path.join(root, 'fresh');
    fs.mkdirSync(uninitialised);
    fs.writeFileSync(path.join(uninitialised, 'main.tf'), MODULE);
    const environment = await planTerraformFolder(uninitialised, { root, trusted: true, env: base });
    assert.match(environment.error ?? '', /^The folder has not been initialised\. Run "terraform init" in fresh, then plan again\. \(terraform plan failed: Inconsistent dependency lock file/);
  });

  it('runs nothing in an untrusted workspace', async () => {
    const environment = await planTerraformFolder(folder, { root, trusted: false, env: { ...base, PATH: '' } });
    assert.equal(environment.error, 'The workspace is not trusted, so Terraform was not run. Trust the workspace to plan it.');
  });
});
