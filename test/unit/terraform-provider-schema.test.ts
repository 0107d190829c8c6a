/**
 * Provider-schema checks: first against a tiny hand-written schema (always run), then against
 * the real Terraform and AWS provider (`terraform providers schema -json` in an initialised
 * temporary module), which are skipped only when terraform or the provider mirror is missing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Finding } from '../../server/src/core/types';
import { findOnPath } from '../../server/src/node/findOnPath';
import { loadProviderSchemas, type LoadedProviderSchemas, type ProviderSchemaMemoryCache } from '../../server/src/node/terraformSchemas';
import { TerraformDocument } from '../../server/src/terraform/document';
import type { TerraformFile } from '../../server/src/terraform/model';
import { checkAgainstProviderSchemas, type ProviderSchemaCheckOptions } from '../../server/src/terraform/providerSchemaChecks';
import {
  indexProviderSchemas,
  indexProviderSchemasInSlices,
  lookupTypeSchema,
  nestedBlockSchema,
  typeNames,
  type ProviderSchemaIndex,
} from '../../server/src/terraform/providerSchemaIndex';
import { caret, loadParser, ROOT, show as showIn, workspaceOf } from './terraform-helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'terraform-provider-schema');

before(loadParser);

function parse(text: string, kind: 'tf' | 'tfvars' = 'tf'): TerraformFile {
  const document = new TerraformDocument(kind);
  try {
    document.update(text);
    return document.model;
  } finally {
    document.dispose();
  }
}

const show = (f: Finding): string => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule} ${f.message}`;

function check(text: string, schemas: ProviderSchemaIndex, options?: ProviderSchemaCheckOptions): string[] {
  return checkAgainstProviderSchemas(parse(text), schemas, options).map(show);
}

/** The findings of one rule, without positions. */
function messages(text: string, schemas: ProviderSchemaIndex, rule: string): string[] {
  return checkAgainstProviderSchemas(parse(text), schemas).filter((f) => f.rule === rule).map((f) => f.message);
}

const resource = (body: string, type = 'tiny_server'): string => `resource "${type}" "s" {\n${body}\n}\n`;
/** A tiny_server with its required content, plus `extra` lines. */
const server = (extra: string): string => resource(`  name = "a"\n  disk {\n    size = 1\n  }\n${extra}`);

describe('provider schemas: the checks (tiny hand-written schema)', () => {
  let tiny: ProviderSchemaIndex;
  before(() => {
    const index = indexProviderSchemas(fs.readFileSync(path.join(FIXTURES, 'tiny-schema.json'), 'utf8'));
    assert.notEqual(typeof index, 'string', String(index));
    tiny = index as ProviderSchemaIndex;
  });

  it('passes valid content, meta-arguments and lifecycle, connection and provisioner blocks', () => {
    const text = [
      'resource "tiny_server" "s" {',
      '  count = 2',
      '  depends_on = [tiny_volume.v]',
      '  name = "web-${count.index}"',
      '  port = "8080"',
      '  enabled = "true"',
      '  tags = { a = "x", b = 1, c = true, d = null }',
      '  cidrs = [1, true, "10.0.0.0/8", var.cidr]',
      '  settings = { mode = "fast", level = "3", extra = "ignored" }',
      '  anything = [1, { a = "b" }]',
      '  config = { depth = 2 }',
      '  old_size = null',
      '  disk {',
      '    size = 10',
      '  }',
      '  network {',
      '    dns {',
      '      server = "1.1.1.1"',
      '    }',
      '  }',
      '  rule {',
      '    from = 80',
      '    to = "80"',
      '  }',
      '  lifecycle {',
      '    ignore_changes = [tags]',
      '  }',
      '  connection {',
      '    host = "x"',
      '  }',
      '  provisioner "local-exec" {',
      '    command = "echo"',
      '  }',
      '}',
      'resource "tiny_volume" "v" {',
      '  for_each = toset(["a"])',
      '  provider = tiny.west',
      '}',
      'data "tiny_image" "i" {',
      '  name = "ubuntu"',
      '}',
      'ephemeral "tiny_token" "t" {',
      '  scope = "read"',
      '}',
      'provider "tiny" {',
      '  alias = "west"',
      '  region = "eu-west-1"',
      '}',
    ].join('\n');
    assert.deepEqual(check(text, tiny), []);
  });

  it('reports unknown resource types and data sources, with did-you-mean and a fix', () => {
    const findings = checkAgainstProviderSchemas(parse('resource "tiny_sevrer" "s" {\n}\ndata "tiny_imag" "i" {\n}\nephemeral "tiny_tokens" "t" {\n}\n'), tiny);
    assert.deepEqual(findings.map(show), [
      '1:10 tf/unknown-resource-type The provider hashicorp/tiny has no resource type "tiny_sevrer": did you mean "tiny_server"?',
      '3:6 tf/unknown-resource-type The provider hashicorp/tiny has no data source "tiny_imag": did you mean "tiny_image"?',
      '5:11 tf/unknown-resource-type The provider hashicorp/tiny has no ephemeral resource type "tiny_tokens": did you mean "tiny_token"?',
    ]);
    assert.deepEqual(findings[0].fixes, [{ title: 'Change to tiny_server', edits: [{ range: findings[0].range, newText: '"tiny_server"' }] }]);
    assert.equal(findings[0].severity, 'error');
  });

  it('does not guess about providers the schemas do not have', () => {
    // google is not in the schemas; "other" is declared with a source that is not installed.
    const text = 'terraform {\n  required_providers {\n    other = { source = "example/other" }\n  }\n}\nresource "google_thing" "g" {\n  whatever = 1\n}\nresource "other_thing" "o" {\n  x = 1\n}\nresource "terraform_data" "d" {\n  input = 1\n}\n';
    assert.deepEqual(check(text, tiny), []);
  });

  it('finds the provider through required_providers, the provider argument, and a unique type name', () => {
    const required = 'terraform {\n  required_providers {\n    small = { source = "hashicorp/tiny" }\n    widget = { source = "acme/widget" }\n  }\n}\n';
    assert.deepEqual(messages(`${required}resource "tiny_volume" "v" {\n  provider = small\n  sise = 1\n}\n`, tiny, 'tf/unknown-attribute'), ['Unknown argument "sise" in tiny_volume: did you mean "size"?']);
    assert.deepEqual(messages(`${required}resource "widget_thing" "w" {\n}\n`, tiny, 'tf/missing-required-attribute'), ['Missing required argument "color" in widget_thing.']);
    // Without required_providers in this file (it may be in versions.tf), the one "widget" provider is used.
    assert.deepEqual(messages('resource "widget_thing" "w" {\n  colour = "red"\n}\n', tiny, 'tf/unknown-attribute'), ['Unknown argument "colour" in widget_thing: did you mean "color"?']);
    // The module's required_providers can come from the caller (every file of the module).
    const elsewhere = new Map([['widget', 'registry.terraform.io/example/widget']]);
    assert.deepEqual(check('resource "widget_thing" "w" {\n  colour = "red"\n}\n', tiny, { requiredProviders: elsewhere }), []);
  });

  it('reports unknown arguments and blocks, and arguments written as blocks or blocks as arguments', () => {
    const findings = checkAgainstProviderSchemas(parse(server('  nmae = "x"\n  network = {}\n  port {\n  }\n  volume {\n  }\n  disk {\n    sise = 2\n    size = 1\n  }\n  netwrk {\n  }\n')), tiny);
    assert.deepEqual(findings.map(show), [
      '6:3 tf/unknown-attribute Unknown argument "nmae" in tiny_server: did you mean "name"?',
      '7:3 tf/unknown-attribute "network" is a block in tiny_server, not an argument: write it as network { … } without "=".',
      '8:3 tf/unknown-block "port" is an argument in tiny_server, not a block: set it with port = …',
      '10:3 tf/unknown-block Unknown block "volume" in tiny_server.',
      '13:5 tf/unknown-attribute Unknown argument "sise" in the "disk" block of tiny_server: did you mean "size"?',
      '16:3 tf/unknown-block Unknown block "netwrk" in tiny_server: did you mean "network"?',
    ]);
    assert.deepEqual(findings[0].fixes?.[0].edits[0].newText, 'name');
    assert.deepEqual(findings[5].fixes?.[0].edits[0].newText, 'network');
  });

  it('reports missing required arguments and blocks on the block header, but not in incomplete blocks or override files', () => {
    assert.deepEqual(check(resource('  port = 1'), tiny), [
      '1:1 tf/missing-required-attribute Missing required argument "name" in tiny_server.',
      '1:1 tf/missing-required-attribute Missing a "disk" block in tiny_server.',
    ]);
    const finding = checkAgainstProviderSchemas(parse(resource('  port = 1')), tiny)[0];
    assert.deepEqual(finding.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 26 } });
    assert.deepEqual(check(server('  disk {\n  }\n'), tiny), ['6:3 tf/missing-required-attribute Missing required argument "size" in the "disk" block of tiny_server.']);
    assert.deepEqual(check('data "tiny_image" "i" {\n}\n', tiny), ['1:1 tf/missing-required-attribute Missing required argument "name" in data source tiny_image.']);
    // A null literal is no value: Terraform reports the argument as missing.
    assert.deepEqual(check(resource('  name = null\n  disk {\n    size = 1\n  }'), tiny), ['2:10 tf/missing-required-attribute "name" is required in tiny_server and cannot be null.']);
    assert.deepEqual(check(resource('  port = 1'), tiny, { override: true }), []);
    assert.deepEqual(check('resource "tiny_server" "s" {\n  port = [1,\n}\n', tiny).filter((f) => f.includes('missing')), []);
  });

  it('counts dynamic blocks as present and checks their content as the block they generate', () => {
    const text = resource('  name = "a"\n  dynamic "disk" {\n    for_each = var.disks\n    content {\n      sise = disk.value\n    }\n  }\n  dynamic "disks" {\n    for_each = []\n    content {}\n  }');
    assert.deepEqual(check(text, tiny), [
      '6:7 tf/unknown-attribute Unknown argument "sise" in the "disk" block of tiny_server: did you mean "size"?',
      '5:5 tf/missing-required-attribute Missing required argument "size" in the "disk" block of tiny_server.',
      '9:11 tf/unknown-block Unknown block "disks" in tiny_server: did you mean "disk"?',
    ]);
  });

  it('checks literal types after HCL conversions, and never references or expressions', () => {
    const wrong = (line: string): string[] => messages(server(`  ${line}`), tiny, 'tf/attribute-type');
    assert.deepEqual(wrong('port = "eighty"'), ['Wrong type for "port": a number is required, and "eighty" is not one.']);
    // Spaces inside the quotes stay: Terraform does not convert " 80" to a number.
    assert.deepEqual(wrong('port = " 80"'), ['Wrong type for "port": a number is required, and " 80" is not one.']);
    assert.deepEqual(wrong('port = true'), ['Wrong type for "port": a number is required, not true.']);
    assert.deepEqual(wrong('port = "80 %"'), ['Wrong type for "port": a number is required, and "80 %" is not one.']);
    assert.deepEqual(wrong('port = [80]'), ['Wrong type for "port": a number is required, not a list.']);
    assert.deepEqual(wrong('enabled = "yes"'), ['Wrong type for "enabled": a bool is required, and "yes" is not one.']);
    assert.deepEqual(wrong('enabled = "True"'), ['Wrong type for "enabled": a bool is required: write "true" in lower case.']);
    assert.deepEqual(wrong('enabled = 1'), ['Wrong type for "enabled": a bool is required, not the number 1.']);
    assert.deepEqual(wrong('tags = []'), ['Wrong type for "tags": a map of string is required, not a list.']);
    assert.deepEqual(wrong('tags = { a = ["x"] }'), ['Wrong type for "tags" (element "a"): a string is required, not a list.']);
    assert.deepEqual(wrong('cidrs = "10.0.0.0/8"'), ['Wrong type for "cidrs": a list of string is required, not a string.']);
    assert.deepEqual(wrong('cidrs = {}'), ['Wrong type for "cidrs": a list of string is required, not an object.']);
    assert.deepEqual(wrong('cidrs = [var.x, ["a"]]'), ['Wrong type for "cidrs" (element 1): a string is required, not a list.']);
    assert.deepEqual(wrong('settings = { level = "high" }'), ['Wrong type for "settings" (attribute "level"): a number is required, and "high" is not one.']);
    assert.deepEqual(wrong('config = { depth = "deep" }'), ['Wrong type for "config" (attribute "depth"): a number is required, and "deep" is not one.']);
    assert.deepEqual(wrong('rule = [{ from = "x" }]'), ['Wrong type for "rule" (element 0, attribute "from"): a number is required, and "x" is not one.']);
    assert.deepEqual(wrong('port = <<EOT\n80\nEOT'), ['Wrong type for "port": a number is required, and "80\\n" is not one.']);
    // Converted by HCL, or only known after evaluation: no finding.
    for (const fine of [
      'port = "80"', 'port = "-1.5e3"', 'port = "+22"', 'port = (8080)', 'enabled = "false"', 'enabled = "1"', 'name = 42', 'name = true',
      'port = var.port', 'port = "${var.port}"', 'port = local.ports[0]', 'port = var.on ? 1 : 2', 'port = 1 + 1', 'port = tonumber("1")',
      'cidrs = [for c in var.c : c]', 'tags = { (var.k) = ["v"] }', 'tags = merge(var.a, var.b)', 'anything = "x"', 'port = null',
    ]) assert.deepEqual(wrong(fine), [], fine);
  });

  it('reports arguments only the provider sets, deprecations, and too many blocks', () => {
    assert.deepEqual(check(server('  arn = "x"\n  old_size = "big"\n  legacy {\n  }\n  network {\n  }\n  network {\n  }\n  timeouts {\n  }\n  timeouts {\n  }\n'), tiny), [
      '6:3 tf/read-only-attribute "arn" in tiny_server is set by the provider and cannot be configured: remove it.',
      '7:3 tf/deprecated-attribute The argument "old_size" in tiny_server is deprecated. Use `size` instead.',
      '8:3 tf/deprecated-attribute The "legacy" block in tiny_server is deprecated.',
      '12:3 tf/too-many-blocks Too many "network" blocks: tiny_server takes only one "network" block.',
      '16:3 tf/too-many-blocks Too many "timeouts" blocks: tiny_server takes only one "timeouts" block.',
    ]);
    const deprecated = checkAgainstProviderSchemas(parse(server('  old_size = "big"')), tiny);
    assert.equal(deprecated[0].severity, 'warning');
  });

  it('checks blocks written for a list of objects against the object attributes', () => {
    assert.deepEqual(check(server('  rule {\n    form = 1\n    to = "x"\n    extra {\n    }\n  }\n'), tiny), [
      '7:5 tf/unknown-attribute Unknown argument "form" in the "rule" block of tiny_server: did you mean "from"?',
      '8:10 tf/attribute-type Wrong type for "to": a number is required, and "x" is not one.',
      '9:5 tf/unknown-block Unknown block "extra" in the "rule" block of tiny_server.',
    ]);
  });

  it('checks provider configuration blocks and scoped data sources in check blocks, and no .tfvars files', () => {
    assert.deepEqual(check('provider "tiny" {\n  alias = "a"\n  regoin = "x"\n}\n', tiny), ['3:3 tf/unknown-attribute Unknown argument "regoin" in provider "tiny": did you mean "region"?']);
    assert.deepEqual(check('check "c" {\n  data "tiny_image" "i" {\n  }\n  assert {\n    condition = true\n    error_message = "x"\n  }\n}\n', tiny), [
      '2:3 tf/missing-required-attribute Missing required argument "name" in data source tiny_image.',
    ]);
    assert.deepEqual(checkAgainstProviderSchemas(parse('name = 1\n', 'tfvars'), tiny), []);
  });

  it('exposes schemas with descriptions for completion and hover', () => {
    const schema = lookupTypeSchema(tiny, 'resource', 'tiny_server');
    assert.equal(schema?.description, 'A tiny server.');
    assert.deepEqual(schema?.attributes.name, { type: 'string', required: true, description: "The server's name." });
    assert.deepEqual(schema?.attributes.old_size, { type: 'string', optional: true, deprecated: true, description: 'Use `size` instead.', markdown: true });
    assert.equal(nestedBlockSchema(schema!, ['disk'])?.description, 'A disk attached to the server.');
    assert.deepEqual(Object.keys(nestedBlockSchema(schema!, ['network', 'dns'])!.attributes), ['server']);
    assert.deepEqual(Object.keys(nestedBlockSchema(schema!, ['rule'])!.attributes), ['from', 'to', 'note']);
    assert.equal(lookupTypeSchema(tiny, 'resource', 'constructor'), undefined);
    assert.equal(lookupTypeSchema(tiny, 'data', 'tiny_image')?.attributes.name.required, true);
    assert.deepEqual(typeNames(tiny, 'resource', 'tiny'), ['tiny_server', 'tiny_volume']);
    assert.deepEqual(typeNames(tiny, 'resource', 'nothing'), []);
  });

  it('rejects output it does not understand', () => {
    assert.match(String(indexProviderSchemas('{"format_version":"2.0"}')), /unsupported format_version "2.0"/);
    assert.match(String(indexProviderSchemas('[]')), /not the JSON expected \(expected "\{" at offset 0\)/);
    assert.match(String(indexProviderSchemas('{"format_version":"1.0","provider_schemas":{"a":{"resource_schemas":{"x":{"block":{}}')), /expected "," or "}" at offset 86/);
    assert.match(String(indexProviderSchemas('{"format_version":"1.0"} trailing')), /expected the end of the text at offset 25/);
    assert.match(String(indexProviderSchemas('{"format_version":"1.0","provider_schemas":{"a":"b"}}')), /the schema of a is not an object/);
    assert.deepEqual(indexProviderSchemas('{"format_version":"1.0"}'), { providers: {} });
  });

  it('splits the output without parsing it: escapes, nesting and unused sections are skipped correctly', async () => {
    const text = JSON.stringify({
      format_version: '1.0',
      provider_schemas: {
        'registry.terraform.io/Acme/Odd': {
          functions: { f: { description: 'a "quoted" } brace', parameters: [[1, 2], { x: null }] } },
          resource_schemas: {
            'odd_one': { version: 0, block: { description: 'ends with a backslash \\', attributes: { a: { type: ['list', 'string'], required: true } } } },
            'odd_two': { version: 1, block: { block_types: { b: { nesting_mode: 'list', block: { attributes: { c: { type: 'number', optional: true } } } } } } },
          },
          provider: { version: 0, block: { attributes: { region: { type: 'string', optional: true, description: 'é ✓' } } } },
        },
      },
    }, null, 2);
    const index = await indexProviderSchemasInSlices(text);
    assert.notEqual(typeof index, 'string', String(index));
    const odd = (index as ProviderSchemaIndex).providers['registry.terraform.io/acme/odd'];
    assert.deepEqual(Object.keys(odd.resources), ['odd_one', 'odd_two']);
    assert.deepEqual(lookupTypeSchema(index as ProviderSchemaIndex, 'resource', 'odd_one', { requiredProviders: new Map([['odd', 'registry.terraform.io/acme/odd']]) })?.attributes.a, { type: ['list', 'string'], required: true });
    assert.deepEqual(nestedBlockSchema(lookupTypeSchema(index as ProviderSchemaIndex, 'resource', 'odd_two')!, ['b'])?.attributes.c, { type: 'number', optional: true });
    // A type whose text is damaged is left unchecked rather than reported as unknown.
    const damaged = indexProviderSchemas('{"format_version":"1.0","provider_schemas":{"registry.terraform.io/hashicorp/tiny":{"resource_schemas":{"tiny_a":"not a schema"}}}}') as ProviderSchemaIndex;
    assert.deepEqual(check('resource "tiny_a" "a" {\n  x = 1\n}\n', damaged), []);
  });
});

describe('provider schemas in the Terraform workspace: diagnostics, completion and hover (tiny schema)', () => {
  let tiny: ProviderSchemaIndex;
  before(() => {
    tiny = indexProviderSchemas(fs.readFileSync(path.join(FIXTURES, 'tiny-schema.json'), 'utf8')) as ProviderSchemaIndex;
  });
  const versions = 'terraform {\n  required_providers {\n    small = { source = "hashicorp/tiny" }\n  }\n}\n';
  const main = 'resource "tiny_server" "s" {\n  provider = small\n  nmae = "a"\n  disk {\n    size = 1\n  }\n}\n';
  const diagnose = (workspace: ReturnType<typeof workspaceOf>, name: string, rule?: string): string[] =>
    workspace.diagnose(`${ROOT}/${name}`).filter((f) => !rule || f.rule === rule).map((f) => showIn(name, f));

  it('checks a folder\'s files once its schemas are set, resolving providers through another file\'s required_providers', () => {
    const workspace = workspaceOf({ 'versions.tf': versions, 'main.tf': main, 'other/main.tf': main });
    try {
      assert.deepEqual(diagnose(workspace, 'main.tf'), []);
      workspace.setProviderSchemas(ROOT, tiny);
      assert.deepEqual(diagnose(workspace, 'main.tf'), [
        'main.tf:1:1 Missing required argument "name" in tiny_server.',
        'main.tf:3:3 Unknown argument "nmae" in tiny_server: did you mean "name"?',
      ]);
      // Another folder is another module, with its own (here: no) schemas.
      assert.deepEqual(diagnose(workspace, 'other/main.tf', 'tf/unknown-attribute'), []);
      // An edit is checked at once; the unchanged blocks' findings are reused.
      workspace.setFile(`${ROOT}/main.tf`, main.replace('nmae', 'name'));
      assert.deepEqual(diagnose(workspace, 'main.tf'), []);
      workspace.setProviderSchemas(ROOT, undefined);
      workspace.setFile(`${ROOT}/main.tf`, main);
      assert.deepEqual(diagnose(workspace, 'main.tf', 'tf/unknown-attribute'), []);
    } finally {
      workspace.dispose();
    }
  });

  it('lets override files leave out required content', () => {
    const workspace = workspaceOf({ 'main.tf': server(''), 'main_override.tf': resource('  port = 2') });
    try {
      workspace.setProviderSchemas(ROOT, tiny);
      assert.deepEqual(diagnose(workspace, 'main_override.tf'), []);
    } finally {
      workspace.dispose();
    }
  });

  it('completes type names, and the arguments and blocks not set yet with required ones first', () => {
    const types = caret('resource "tiny_|" "x" {\n}\n');
    const body = caret('resource "tiny_server" "s" {\n  port = 1\n  disk {\n    size = 1\n  }\n  |\n}\n');
    const nested = caret('resource "tiny_server" "s" {\n  network {\n    |\n  }\n}\n');
    const workspace = workspaceOf({ 'types.tf': types.text, 'body.tf': body.text, 'nested.tf': nested.text });
    try {
      assert.deepEqual(workspace.completion(`${ROOT}/types.tf`, types.position).filter((i) => i.kind === 'resource'), [], 'nothing from a provider before its schemas are loaded');
      workspace.setProviderSchemas(ROOT, tiny);
      assert.deepEqual(workspace.completion(`${ROOT}/types.tf`, types.position).map((i) => `${i.label} ${i.detail}`), ['tiny_server hashicorp/tiny', 'tiny_volume hashicorp/tiny', 'widget_thing acme/widget']);
      const items = workspace.completion(`${ROOT}/body.tf`, body.position).filter((i) => i.sortText !== undefined).sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
      assert.deepEqual(items.map((i) => `${i.label}: ${i.detail}`), [
        'name: Required · string',
        'anything: Optional · dynamic',
        'cidrs: Optional · list of string',
        'config: Optional · object',
        // A list block may repeat, so it is offered even though the resource has one.
        'disk: Optional block (list)',
        'enabled: Optional · bool',
        'id: Optional · string',
        'network: Optional block',
        'rule: Optional · set of object',
        'settings: Optional · object',
        'tags: Optional · map of string',
        'timeouts: Optional block',
        'legacy: Optional block (set)',
        'old_size: Optional · string · deprecated',
      ]);
      assert.equal(items[0].documentation, "The server's name.");
      assert.deepEqual(workspace.completion(`${ROOT}/nested.tf`, nested.position).map((i) => i.label), ['subnet', 'dns']);
    } finally {
      workspace.dispose();
    }
  });

  it('shows an argument\'s type, whether it is required and its description on hover, and a nested block\'s', () => {
    const workspace = workspaceOf({ 'main.tf': server('') });
    try {
      workspace.setProviderSchemas(ROOT, tiny);
      assert.equal(workspace.hover(`${ROOT}/main.tf`, { line: 1, character: 3 })?.contents, "```hcl\nname\n```\n\nRequired · string\n\nThe server's name.");
      assert.equal(workspace.hover(`${ROOT}/main.tf`, { line: 2, character: 3 })?.contents, '```hcl\ndisk { … }\n```\n\nBlock (list, at least 1)\n\nA disk attached to the server.');
    } finally {
      workspace.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The real thing: Terraform 1.11 and the AWS provider from the local mirror.

const PLUGIN_MIRROR = '/opt/tf-plugins';
const terraformPath = findOnPath('terraform');
const skipReal = !terraformPath ? 'terraform is not on the PATH' : !fs.existsSync(PLUGIN_MIRROR) ? `the provider mirror ${PLUGIN_MIRROR} is missing` : false;

describe('provider schemas: the real Terraform and AWS provider', { skip: skipReal }, () => {
  let root: string;
  let module: string;
  let env: NodeJS.ProcessEnv;
  let cacheDir: string;
  let memoryCache: ProviderSchemaMemoryCache;
  let aws: ProviderSchemaIndex;
  const timings: Record<string, number> = {};

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-provider-schema-'));
    module = path.join(root, 'module');
    cacheDir = path.join(root, 'cache');
    fs.mkdirSync(module);
    const cliConfig = path.join(root, 'terraform.rc');
    fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_MIRROR}"\n  }\n}\n`);
    fs.writeFileSync(path.join(module, 'main.tf'), [
      'terraform {',
      '  required_providers {',
      '    aws = { source = "hashicorp/aws", version = "5.100.0" }',
      '  }',
      '}',
      'provider "aws" {',
      '  region                      = "us-east-1"',
      '  access_key                  = "dummy"',
      '  secret_key                  = "dummy"',
      '  skip_credentials_validation = true',
      '  skip_requesting_account_id  = true',
      '  skip_metadata_api_check     = true',
      '}',
    ].join('\n'));
    env = { PATH: process.env.PATH, HOME: root, TF_CLI_CONFIG_FILE: cliConfig };
    await promisify(execFile)(terraformPath!, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: module, env, timeout: 120_000 });
    memoryCache = new Map();
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
    if (Object.keys(timings).length) console.log(`provider schema load times (ms): ${JSON.stringify(timings)}`);
  });

  const load = (options: Partial<Parameters<typeof loadProviderSchemas>[1]> = {}): ReturnType<typeof loadProviderSchemas> =>
    loadProviderSchemas(module, { trusted: true, cacheDir, env, memoryCache, ...options });

  it('runs terraform providers schema -json once, then answers from memory', async () => {
    const cold = await load();
    assert.ok(cold && 'schemas' in cold, JSON.stringify(cold));
    assert.equal(cold.source, 'terraform');
    aws = cold.schemas;
    assert.ok(typeNames(aws, 'resource', 'aws').length > 1500);
    timings.cold = Math.round(cold.millis);
    const warm = (await load()) as LoadedProviderSchemas;
    assert.equal(warm.source, 'memory');
    assert.equal(warm.schemas, aws);
    assert.ok(warm.millis < 100, `a cached load took ${warm.millis} ms`);
    timings.memory = Math.round(warm.millis * 100) / 100;
    assert.equal(fs.readdirSync(cacheDir).filter((name) => name.endsWith('.json')).length, 1);
  });

  it('reads the disk cache after a restart (a new memory cache), without running terraform', async () => {
    const restarted = (await load({ memoryCache: new Map() })) as LoadedProviderSchemas;
    assert.equal(restarted.source, 'disk');
    assert.deepEqual(Object.keys(restarted.schemas.providers), ['registry.terraform.io/hashicorp/aws']);
    timings.disk = Math.round(restarted.millis);
  });

  it('runs nothing in an untrusted workspace or an uninitialised folder, and says why', async () => {
    const logged: string[] = [];
    assert.equal(await load({ trusted: false, log: (m) => logged.push(m) }), undefined);
    const bare = fs.mkdtempSync(path.join(root, 'bare-'));
    assert.equal(await loadProviderSchemas(bare, { trusted: true, cacheDir, env, log: (m) => logged.push(m) }), undefined);
    assert.equal(await load({ env: { PATH: '/nonexistent' }, log: (m) => logged.push(m) }), undefined);
    assert.deepEqual(logged.map((m) => m.replace(/^.*: /, '')), [
      'the workspace is not trusted, so Terraform is not run.',
      'run terraform init.',
      'terraform is not on the PATH.',
    ]);
  });

  it('returns a reason instead of throwing when terraform fails', async () => {
    const broken = fs.mkdtempSync(path.join(root, 'broken-'));
    fs.writeFileSync(path.join(broken, 'main.tf'), 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n');
    fs.mkdirSync(path.join(broken, '.terraform'));
    const result = await loadProviderSchemas(broken, { trusted: true, cacheDir, env, memoryCache: new Map() });
    assert.ok(result && 'error' in result);
    assert.match(result.error, /terraform providers schema -json failed in .*: Error: .*terraform init/);
    assert.equal(await loadProviderSchemas(module, { trusted: true, cacheDir, env, terraformPath: 'terraform' }).then((r) => r && 'error' in r && r.error), 'The Terraform path must be absolute: terraform');
  });

  it('reports an unknown resource type, with did-you-mean', () => {
    assert.deepEqual(check('resource "aws_s3_bukcet" "b" {\n}\ndata "aws_s3_bukcet" "b" {\n}\n', aws), [
      '1:10 tf/unknown-resource-type The provider hashicorp/aws has no resource type "aws_s3_bukcet": did you mean "aws_s3_bucket"?',
      '3:6 tf/unknown-resource-type The provider hashicorp/aws has no data source "aws_s3_bukcet": did you mean "aws_s3_bucket"?',
    ]);
  });

  it('reports an unknown argument and an unknown nested block, with did-you-mean', () => {
    assert.deepEqual(check('resource "aws_s3_bucket" "b" {\n  bukcet = "logs"\n  versioning {\n    enabld = true\n  }\n  website_config {\n  }\n}\n', aws), [
      '2:3 tf/unknown-attribute Unknown argument "bukcet" in aws_s3_bucket: did you mean "bucket"?',
      // Terraform warns about it too: "versioning is deprecated. Use the aws_s3_bucket_versioning resource instead."
      '3:3 tf/deprecated-attribute The "versioning" block in aws_s3_bucket is deprecated.',
      '4:5 tf/unknown-attribute Unknown argument "enabld" in the "versioning" block of aws_s3_bucket: did you mean "enabled"?',
      '6:3 tf/unknown-block Unknown block "website_config" in aws_s3_bucket.',
    ]);
  });

  it('reports missing required arguments and blocks', () => {
    assert.deepEqual(check('resource "aws_security_group_rule" "r" {\n  security_group_id = "sg-1"\n  protocol = "tcp"\n}\nresource "aws_lb_listener" "l" {\n  load_balancer_arn = "arn"\n}\n', aws), [
      '1:1 tf/missing-required-attribute Missing required arguments "from_port", "to_port", "type" in aws_security_group_rule.',
      '5:1 tf/missing-required-attribute Missing a "default_action" block in aws_lb_listener.',
    ]);
  });

  it('reports a literal of the wrong type, but not one HCL converts', () => {
    const rule = (fromPort: string): string[] => check(`resource "aws_security_group_rule" "r" {\n  type = "ingress"\n  from_port = ${fromPort}\n  to_port = 22\n  protocol = "tcp"\n  security_group_id = "sg-1"\n}\n`, aws);
    assert.deepEqual(rule('"twenty-two"'), ['3:15 tf/attribute-type Wrong type for "from_port": a number is required, and "twenty-two" is not one.']);
    assert.deepEqual(rule('"22"'), []);
    assert.deepEqual(rule('var.port'), []);
  });

  it('reports arguments only the provider sets and deprecated ones', () => {
    assert.deepEqual(check('resource "aws_s3_bucket" "b" {\n  arn = "x"\n}\nresource "aws_api_gateway_deployment" "d" {\n  rest_api_id = "x"\n  stage_name = "y"\n}\n', aws), [
      '2:3 tf/read-only-attribute "arn" in aws_s3_bucket is set by the provider and cannot be configured: remove it.',
      '6:3 tf/deprecated-attribute The argument "stage_name" in aws_api_gateway_deployment is deprecated.',
    ]);
  });

  it('finds nothing wrong in a valid module', () => {
    assert.deepEqual(check(fs.readFileSync(path.join(FIXTURES, 'valid.tf'), 'utf8'), aws), []);
  });
});
