// Measures the two Terraform performance figures, in server time (no LSP transport):
//   1. diagnostics after an edit in a 5,000-line module (target: within 50 ms);
//   2. the whole-workspace check of 1,000 .tf files (target: seconds, not minutes).
// With --provider-schemas FILE (the output of `terraform providers schema -json` with the AWS
// provider), also how long indexing it takes, the heap the index holds (run node with
// --expose-gc for that figure), and the edits of 1. with the module checked against it.
// Run from the repository root:  node scripts/bench-terraform.mjs [--json] [--source] [--provider-schemas FILE]
// By default the Terraform core is bundled with esbuild first, as the server and CLI ship it;
// --source runs the TypeScript sources through tsx instead (node --import tsx ...).
// The files are generated (realistic blocks: variables, locals, resources with dynamic
// blocks, for expressions, templates, heredocs, module calls), so nothing is read from disk.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadServerModules, timeEdits, timeWithCpu } from './bench-server-time.mjs';

const require = createRequire(import.meta.url);

const wasmFiles = {
  runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
  terraformGrammar: require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
};
// From the sources, the workspace shares the one instance of parser.ts (and its loaded grammar) with this script.
const { loadTerraformParser, TerraformWorkspace, indexProviderSchemas } = await loadServerModules(
  ['server/src/terraform/parser', 'server/src/terraform/workspace', 'server/src/terraform/providerSchemaIndex'],
  { fromSources: process.argv.includes('--source') },
);

const json = process.argv.includes('--json');
const schemaFlag = process.argv.indexOf('--provider-schemas');
const schemaFile = schemaFlag > 0 ? process.argv[schemaFlag + 1] : undefined;

function resourceBlock(i) {
  return `resource "aws_s3_bucket" "bucket_${i}" {
  count  = var.replicas
  bucket = "\${local.prefix}-${i}-\${count.index}"
  tags   = merge(var.tags, { Name = "bucket-${i}", Index = "${i}" })

  dynamic "cors_rule" {
    for_each = [for origin in var.origins : origin if origin != ""]
    content {
      allowed_methods = ["GET", "HEAD"]
      allowed_origins = [cors_rule.value]
    }
  }

  lifecycle {
    ignore_changes = [tags]
  }
}
`;
}

function headerBlocks() {
  return `variable "replicas" {
  type    = number
  default = 1
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "origins" {
  type        = list(string)
  description = "Allowed origins."
  default     = ["https://example.com"]
}

locals {
  prefix = "app-\${terraform.workspace}"
  banner = <<-EOT
    Buckets for \${local.prefix}
  EOT
}

output "banner" {
  value = local.banner
}
`;
}

/** One file of about `lines` lines. */
function bigModule(lines) {
  let text = headerBlocks();
  for (let i = 0; text.split('\n').length < lines; i++) text += `\n${resourceBlock(i)}`;
  return text;
}

async function main() {
  const loadMs = await (async () => {
    const start = performance.now();
    await loadTerraformParser(wasmFiles);
    return performance.now() - start;
  })();

  // 0. The provider schemas, when given: indexing time and the heap the index holds.
  let schemas;
  let schemaResult;
  if (schemaFile) {
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let output = readFileSync(schemaFile);
    const indexMs = timeWithCpu(() => { schemas = indexProviderSchemas(output); }).wallMs;
    if (typeof schemas === 'string') throw new Error(schemas);
    const outputMb = output.length / 1024 / 1024;
    // What stays is what the index holds (its texts are slices of the output).
    output = undefined;
    globalThis.gc?.();
    const heapMb = globalThis.gc ? (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024 : undefined;
    schemaResult = { outputMb, indexMs, heapMb };
  }

  // 1. Edits in a 5,000-line module (checked against the provider schemas when given).
  const uri = 'file:///bench/big/main.tf';
  const text = bigModule(5000);
  const lineCount = text.split('\n').length;
  const workspace = new TerraformWorkspace();
  if (schemas) workspace.setProviderSchemas('file:///bench/big', schemas);
  const openMs = timeWithCpu(() => {
    workspace.setFile(uri, text);
    workspace.diagnose(uri);
  }).wallMs;
  const middle = text.indexOf('"bucket-150"');
  const edits = {
    'type a character in a string': (n) => text.slice(0, middle + 8) + 'x'.repeat(n % 5 + 1) + text.slice(middle + 8),
    'insert a line (every later block moves)': (n) => text.slice(0, middle) + '\n'.repeat(n % 3 + 1) + text.slice(middle),
    'break a string (syntax error)': () => text.slice(0, middle + 1) + text.slice(middle + 2).replace('"', ''),
    'rename a reference to an undeclared variable': (n) => text.replace('var.origins : origin if origin', `var.origin${n % 7} : origin if origin`),
  };
  const editResults = timeEdits(workspace, uri, text, edits);
  workspace.dispose();

  // 2. A workspace of 1,000 .tf files: 100 module folders of 10 files, each calling a shared local module.
  const files = [];
  files.push({ uri: 'file:///bench/ws/modules/bucket/main.tf', text: 'variable "name" {\n  type = string\n}\nvariable "tags" {\n  type    = map(string)\n  default = {}\n}\noutput "id" {\n  value = var.name\n}\n' });
  for (let folder = 0; folder < 100; folder++) {
    const base = `file:///bench/ws/env${folder}`;
    files.push({ uri: `${base}/variables.tf`, text: headerBlocks() });
    files.push({ uri: `${base}/modules.tf`, text: `module "bucket" {\n  source = "../modules/bucket"\n  name   = "b-${folder}"\n  tags   = var.tags\n}\n\noutput "bucket_id" {\n  value = module.bucket.id\n}\n` });
    for (let f = 0; f < 8; f++) files.push({ uri: `${base}/r${f}.tf`, text: [0, 1, 2].map((k) => resourceBlock(f * 3 + k)).join('\n') });
  }
  const workspaceLines = files.reduce((sum, f) => sum + f.text.split('\n').length, 0);
  let findings = 0;
  const whole = new TerraformWorkspace();
  const { wallMs: parseMs, cpuMs: parseCpuMs } = timeWithCpu(() => {
    for (const file of files) whole.setFile(file.uri, file.text);
  });
  const { wallMs: checkMs, cpuMs: checkCpuMs } = timeWithCpu(() => {
    for (const file of files) findings += whole.diagnose(file.uri).length;
  });
  whole.dispose();

  const result = {
    node: process.version,
    mode: process.argv.includes('--source') ? 'source' : 'bundle',
    loadAverage: loadavg()[0],
    parserLoadMs: loadMs,
    providerSchemas: schemaResult,
    edit: { lines: lineCount, openMs, edits: editResults },
    workspace: { files: files.length, lines: workspaceLines, parseMs, checkMs, totalMs: parseMs + checkMs, cpuMs: parseCpuMs + checkCpuMs, findings },
  };
  if (json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const ms = (value) => `${value.toFixed(1)} ms`;
  // Other processes on the machine inflate wall times: CPU times show this process's own share.
  const mode = process.argv.includes('--source') ? 'sources through tsx' : 'esbuild bundle';
  console.log(`Terraform benchmark (${mode}, ${process.version}, load average ${loadavg()[0].toFixed(1)}); parser load ${ms(loadMs)}`);
  if (schemaResult) {
    const heap = schemaResult.heapMb === undefined ? 'run node with --expose-gc to measure its heap' : `index heap ${schemaResult.heapMb.toFixed(1)} MB`;
    console.log(`\n0. Provider schemas: ${schemaResult.outputMb.toFixed(1)} MB of output indexed in ${ms(schemaResult.indexMs)}; ${heap}`);
  }
  console.log(`\n1. Edits in a ${lineCount}-line module${schemas ? ', checked against the provider schemas' : ''} (first open + check: ${ms(openMs)}); setFile + diagnose per edit:`);
  for (const [name, r] of Object.entries(editResults)) console.log(`   ${name.padEnd(46)} median ${ms(r.medianMs)} (CPU ${ms(r.cpuMedianMs)}), p95 ${ms(r.p95Ms)}, max ${ms(r.maxMs)}`);
  console.log(`\n2. Whole workspace: ${files.length} .tf files, ${workspaceLines} lines: parse ${ms(parseMs)} + check ${ms(checkMs)} = ${ms(parseMs + checkMs)} (CPU ${ms(parseCpuMs + checkCpuMs)}; ${findings} findings)`);
}

await main();
