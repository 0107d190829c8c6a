/**
 * Terraform through the real language server: diagnostics across a module's files, hover,
 * go to definition, outline, completion and formatting; and the same files through the CLI.
 * Then provider schemas with the real Terraform and AWS provider: a copy of a fixture module is
 * initialised once against the local provider mirror, and both shells check it against them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { CompletionItem, DocumentSymbol, Hover, Location, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import type { JsonDiagnostic } from '../../server/src/cli/format';
import { findOnPath } from '../../server/src/node/findOnPath';
import { caret, LspClient, REPO_ROOT } from './lspClient';

const MODULE = path.join(REPO_ROOT, 'test', 'fixtures', 'terraform-workspace', 'network');
const uriOf = (name: string): string => pathToFileURL(path.join(MODULE, name)).href;
const textOf = (name: string): string => readFileSync(path.join(MODULE, name), 'utf8');

describe('Terraform over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ workspaceFolder: path.dirname(MODULE) });
    await client.ready();
    client.open(uriOf('main.tf'), textOf('main.tf'), 1);
  });
  after(() => client.stop());

  it('reports an undeclared variable, knowing the variables declared in the module\'s other files', async () => {
    const diagnostics = await client.diagnosticsFor(uriOf('main.tf'), 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), [['tf/undeclared-reference', 1, 3, 11]]);
    assert.match(String(diagnostics[0].message), /No variable "vpc_name" is declared/);
  });

  it('reports a syntax error precisely', async () => {
    client.open(uriOf('broken.tf'), textOf('broken.tf'), 1);
    const diagnostics = await client.diagnosticsFor(uriOf('broken.tf'), 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['tf/syntax', 0]]);
  });

  it('clears the error once the variable is declared in another file of the module', async () => {
    const declared = `${textOf('variables.tf')}\nvariable "vpc_name" {\n  type = string\n}\n`;
    client.open(uriOf('variables.tf'), declared, 1);
    await client.diagnosticsFor(uriOf('variables.tf'), 1);
    client.replace(uriOf('main.tf'), textOf('main.tf'), 2);
    assert.deepEqual(await client.diagnosticsFor(uriOf('main.tf'), 2), []);
    client.replace(uriOf('variables.tf'), textOf('variables.tf'), 2);
    await client.diagnosticsFor(uriOf('variables.tf'), 2);
  });

  it('shows the declaration on hover over var.cidr_block', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf('main.tf') }, position: { line: 1, character: 20 } });
    assert.ok(hover);
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /Address range of the VPC/);
    assert.match(markdown, /10\.0\.0\.0\/16/);
  });

  it('goes to the definition of a variable in another file', async () => {
    const locations = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uriOf('main.tf') }, position: { line: 1, character: 20 } });
    assert.equal(locations.length, 1);
    assert.equal(locations[0].uri, uriOf('variables.tf'));
    assert.equal(locations[0].range.start.line, 0);
  });

  it('outlines the blocks of a file', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf('main.tf') } });
    assert.ok(symbols.some((s) => s.name.includes('aws_vpc') && s.name.includes('main')), JSON.stringify(symbols.map((s) => s.name)));
    assert.ok(symbols.some((s) => s.name.includes('vpc_id')));
  });

  it('completes the variables of the module after var.', async () => {
    const uri = uriOf('outputs.tf');
    client.open(uri, 'output "cidr" {\n  value = var.\n}\n', 1);
    await client.diagnosticsFor(uri, 1);
    const items = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 14 } });
    const labels = (Array.isArray(items) ? items : items.items).map((item) => item.label);
    assert.ok(labels.includes('cidr_block'), labels.join(', '));
  });

  it('checks against the Terraform version of gitopsIac.terraform.version', async () => {
    const uri = uriOf('version.tf');
    client.open(uri, 'output "t" {\n  value = templatestring("a", {})\n}\n', 1);
    assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
    client.settings = { terraform: { version: '1.8' } };
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    const diagnostics = await client.diagnosticsWhen(uri, (all) => all.length > 0, 'the function-call error at 1.8');
    assert.deepEqual(diagnostics.map((d) => d.message), ['There is no function "templatestring". It needs Terraform 1.9 or later (the target is 1.8).']);
    client.settings = {};
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    await client.diagnosticsWhen(uri, (all) => all.length === 0, 'no error at the default version');
  });

  it('formats a file the way terraform fmt does', async () => {
    const uri = uriOf('messy.tf');
    const messy = 'resource "aws_vpc" "x" {\ncidr_block="10.1.0.0/16"\n  enable_dns_support =   true\n}\n';
    client.open(uri, messy, 1);
    await client.diagnosticsFor(uri, 1);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(edits.length > 0);
    const lines = messy.split('\n');
    // Apply the edits from the last to the first, as an editor does.
    const offsets = (position: { line: number; character: number }): number => lines.slice(0, position.line).reduce((n, l) => n + l.length + 1, 0) + position.character;
    let formatted = messy;
    for (const edit of [...edits].sort((a, b) => offsets(b.range.start) - offsets(a.range.start))) {
      formatted = formatted.slice(0, offsets(edit.range.start)) + edit.newText + formatted.slice(offsets(edit.range.end));
    }
    assert.equal(formatted, 'resource "aws_vpc" "x" {\n  cidr_block         = "10.1.0.0/16"\n  enable_dns_support = true\n}\n');
  });
});

describe('Terraform through the CLI', () => {
  it('checks .tf files in the folders it walks, with the same rules', async () => {
    const run = promisify(execFile);
    const result = await run(process.execPath, [path.join(REPO_ROOT, 'server', 'out', 'cli.js'), 'check', '--format', 'json', path.dirname(MODULE)]).catch((error: { code: number; stdout: string }) => error);
    assert.equal('code' in result ? result.code : 0, 1);
    const diagnostics = (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
    assert.deepEqual(diagnostics.map((d) => [path.basename(d.file), d.line, d.column, d.rule]), [
      ['broken.tf', 1, 8, 'tf/syntax'],
      ['main.tf', 4, 12, 'tf/undeclared-reference'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Provider schemas, with Terraform 1.11 and the AWS provider from the machine's local mirror.

const PLUGIN_MIRROR = '/opt/tf-plugins';
const AWS_FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'terraform-aws-module');
const terraformPath = findOnPath('terraform');
const skipReal = !terraformPath ? 'terraform is not on the PATH' : !fs.existsSync(PLUGIN_MIRROR) ? `the provider mirror ${PLUGIN_MIRROR} is missing` : false;
const PROVIDER_RULES = ['tf/unknown-resource-type', 'tf/unknown-attribute', 'tf/missing-required-attribute', 'tf/attribute-type'];

describe('Terraform provider schemas with the real Terraform and AWS provider', { skip: skipReal }, () => {
  let root: string;
  let module: string;
  /** XDG_CACHE_HOME for the CLI; the server gets its gitops-iac folder as cacheFolder, so both share the cache. */
  let cacheHome: string;
  let env: NodeJS.ProcessEnv;
  const mainUri = (): string => pathToFileURL(path.join(module, 'main.tf')).href;
  const mainText = (): string => readFileSync(path.join(module, 'main.tf'), 'utf8');
  const start = (trusted: boolean): Promise<LspClient> => LspClient.start({
    workspaceFolder: module,
    initializationOptions: { workspaceTrusted: trusted, cacheFolder: path.join(cacheHome, 'gitops-iac') },
  });

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-tf-schemas-'));
    module = path.join(root, 'aws');
    cacheHome = path.join(root, 'cache');
    fs.cpSync(AWS_FIXTURE, module, { recursive: true });
    const cliConfig = path.join(root, 'terraform.rc');
    fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_MIRROR}"\n  }\n}\n`);
    env = { TF_CLI_CONFIG_FILE: cliConfig, XDG_CACHE_HOME: cacheHome };
    await promisify(execFile)(terraformPath!, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: module, env: { ...process.env, ...env }, timeout: 120_000 });
    // The language server inherits this process's environment.
    Object.assign(process.env, env);
  });

  after(() => {
    for (const name of Object.keys(env ?? {})) delete process.env[name];
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  describe('in the language server, trusted', () => {
    let client: LspClient;
    before(async () => {
      client = await start(true);
      await client.ready();
      client.open(mainUri(), mainText(), 1);
    });
    after(() => client.stop());

    it('reports an unknown resource type, an unknown argument with did-you-mean, a missing required argument and a wrong type', async () => {
      const diagnostics = await client.diagnosticsWhen(mainUri(), (all) => all.some((d) => d.code === 'tf/unknown-resource-type'), 'provider schema diagnostics');
      assert.deepEqual(diagnostics.map((d) => [d.range.start.line + 1, d.code, d.message]), [
        [1, 'tf/unknown-resource-type', 'The provider hashicorp/aws has no resource type "aws_s3_bukcet": did you mean "aws_s3_bucket"?'],
        [8, 'tf/unknown-attribute', 'Unknown argument "cidr_blok" in aws_vpc: did you mean "cidr_block"?'],
        [9, 'tf/undeclared-reference', 'No variable "team" is declared in this module. Declare it with variable "team" {}.'],
        [12, 'tf/missing-required-attribute', 'Missing required argument "to_port" in aws_security_group_rule.'],
        [15, 'tf/attribute-type', 'Wrong type for "from_port": a number is required, and "twenty-two" is not one.'],
      ]);
      const statuses = client.notifications.filter((n) => n.method === 'gitopsIac/serverStatus').map((n) => (n.params as { message: string }).message);
      assert.ok(statuses.includes('Loading the Terraform provider schemas of aws'), statuses.join(' | '));
    });

    it('checks an edit against the schemas as the user types', async () => {
      const fixed = mainText().replace('from_port         = "twenty-two"', 'from_port         = 22\n  to_port           = 22');
      client.replace(mainUri(), fixed, 2);
      const codes = (await client.diagnosticsFor(mainUri(), 2)).map((d) => d.code);
      assert.deepEqual(codes, ['tf/unknown-resource-type', 'tf/unknown-attribute', 'tf/undeclared-reference']);
    });

    it('completes resource types, and the arguments a resource does not set yet, required first, with documentation', async () => {
      const uri = pathToFileURL(path.join(module, 'completion.tf')).href;
      const types = caret('resource "aws_s3_bucket_v|" "x" {\n}\n');
      client.open(uri, types.text, 1);
      await client.diagnosticsFor(uri, 1);
      const typeItems = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: types.position });
      assert.ok(typeItems.some((item) => item.label === 'aws_s3_bucket_versioning'), `${typeItems.length} items`);
      assert.ok(typeItems.length > 1500, `${typeItems.length} items`);

      const body = caret('resource "aws_security_group_rule" "r" {\n  type = "ingress"\n  |\n}\n');
      client.replace(uri, body.text, 2);
      await client.diagnosticsFor(uri, 2);
      const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: body.position });
      const byLabel = new Map(items.map((item) => [item.label, item]));
      assert.ok(!byLabel.has('type'), 'an argument already set is not offered');
      assert.ok(!byLabel.has('security_group_rule_id'), 'an argument only the provider sets is not offered');
      assert.equal(byLabel.get('from_port')?.detail, 'Required · number');
      const sorted = [...items].filter((item) => item.sortText).sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((item) => item.label);
      assert.deepEqual(sorted.slice(0, 4), ['from_port', 'protocol', 'security_group_id', 'to_port']);
      assert.ok(byLabel.has('count'), 'the meta-arguments are still offered');

      // The provider configuration, found through its local name "amazon", has descriptions.
      const provider = caret('provider "amazon" {\n  alias = "west"\n  |\n}\n');
      client.replace(uri, provider.text, 3);
      await client.diagnosticsFor(uri, 3);
      const settings = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: provider.position });
      const region = settings.find((item) => item.label === 'region');
      assert.equal(region?.detail, 'Optional · string');
      assert.match(String((region?.documentation as MarkupContent | undefined)?.value), /The region where AWS operations will take place/);
    });

    it('shows an argument\'s type, whether it is required, and its description on hover', async () => {
      const hoverOn = async (uri: string, line: number, character: number): Promise<string> => {
        const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
        return (hover?.contents as MarkupContent | undefined)?.value ?? '';
      };
      assert.equal(await hoverOn(mainUri(), 13, 4), '```hcl\ntype\n```\n\nRequired · string');
      const versions = pathToFileURL(path.join(module, 'versions.tf')).href;
      assert.match(await hoverOn(versions, 10, 4), /^```hcl\nregion\n```\n\nOptional · string\n\nThe region where AWS operations will take place/);
    });
  });

  it('runs no Terraform in an untrusted workspace: only the language checks report', async () => {
    const client = await start(false);
    try {
      await client.ready();
      client.open(mainUri(), mainText(), 1);
      const diagnostics = await client.diagnosticsFor(mainUri(), 1);
      assert.deepEqual(diagnostics.map((d) => d.code), ['tf/undeclared-reference']);
      const statuses = client.notifications.filter((n) => n.method === 'gitopsIac/serverStatus').map((n) => (n.params as { message: string }).message);
      assert.ok(!statuses.some((message) => message.includes('provider schemas')), statuses.join(' | '));
    } finally {
      await client.stop();
    }
  });

  describe('in the CLI', () => {
    const cli = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise((resolve) => {
      execFile(process.execPath, [path.join(REPO_ROOT, 'server', 'out', 'cli.js'), 'check', ...args, module], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });

    it('reports the same provider schema findings, with JSON on stdout and nothing on stderr', async () => {
      const result = await cli(['--format', 'json']);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, '');
      const diagnostics = (JSON.parse(result.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
      assert.deepEqual(diagnostics.filter((d) => PROVIDER_RULES.includes(d.rule)).map((d) => [path.basename(d.file), d.line, d.column, d.rule]), [
        ['main.tf', 1, 10, 'tf/unknown-resource-type'],
        ['main.tf', 8, 3, 'tf/unknown-attribute'],
        ['main.tf', 12, 1, 'tf/missing-required-attribute'],
        ['main.tf', 15, 23, 'tf/attribute-type'],
      ]);
    });

    it('says where the schemas came from on stderr with --format text', async () => {
      const result = await cli(['--format', 'text']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^gitops-iac: Loaded the provider schemas of .*aws \(1 provider\) from disk in \d+ ms\.\n$/);
      assert.match(result.stdout, /main\.tf:1:10: error tf\/unknown-resource-type/);
    });
  });
});
