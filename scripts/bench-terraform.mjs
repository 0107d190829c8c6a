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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

async function loadCore() {
  if (process.argv.includes('--source')) {
    // The sources are CommonJS once tsx compiles them: require them, so this script shares the
    // one instance of parser.ts (and its loaded grammar) with the workspace.
    return { ...require('../server/src/terraform/parser.ts'), ...require('../server/src/terraform/workspace.ts'), ...require('../server/src/terraform/providerSchemaIndex.ts') };
  }
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'bench-terraform-'));
  try {
    const outfile = join(dir, 'core.js');
    await build({
      stdin: { contents: "export * from './server/src/terraform/parser';\nexport * from './server/src/terraform/workspace';\nexport * from './server/src/terraform/providerSchemaIndex';\n", resolveDir: process.cwd(), loader: 'ts' },
      bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
      // As in scripts/build.mjs: web-tree-sitter reads import.meta.url, which CommonJS lacks.
      define: { 'import.meta.url': '__bundleUrl' },
      banner: { js: "const __bundleUrl = require('url').pathToFileURL(__filename).href;" },
    });
    return require(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wasmFiles = {
  runtime: require.resolve('web-tree-sitter/tree-sitter.wasm'),
  terraformGrammar: require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
};
const { loadTerraformParser, TerraformWorkspace, indexProviderSchemas } = await loadCore();

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

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

let cpuTotal = 0;

/** Wall time of `fn` in ms; its CPU time (user + system) is added to `cpuTotal`. */
function time(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  cpuTotal = (used.user + used.system) / 1000;
  return wall;
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
    const indexMs = time(() => { schemas = indexProviderSchemas(output); });
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
  const openMs = time(() => {
    workspace.setFile(uri, text);
    workspace.diagnose(uri);
  });
  const middle = text.indexOf('"bucket-150"');
  const edits = {
    'type a character in a string': (n) => text.slice(0, middle + 8) + 'x'.repeat(n % 5 + 1) + text.slice(middle + 8),
    'insert a line (every later block moves)': (n) => text.slice(0, middle) + '\n'.repeat(n % 3 + 1) + text.slice(middle),
    'break a string (syntax error)': () => text.slice(0, middle + 1) + text.slice(middle + 2).replace('"', ''),
    'rename a reference to an undeclared variable': (n) => text.replace('var.origins : origin if origin', `var.origin${n % 7} : origin if origin`),
  };
  const editResults = {};
  for (const [name, make] of Object.entries(edits)) {
    const samples = [];
    const cpuSamples = [];
    for (let n = 0; n < 40; n++) {
      const edited = make(n);
      samples.push(time(() => {
        workspace.setFile(uri, edited);
        workspace.diagnose(uri);
      }));
      cpuSamples.push(cpuTotal);
      workspace.setFile(uri, text);
      workspace.diagnose(uri);
    }
    editResults[name] = { medianMs: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95), maxMs: Math.max(...samples), cpuMedianMs: percentile(cpuSamples, 0.5) };
  }
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
  const parseMs = time(() => {
    for (const file of files) whole.setFile(file.uri, file.text);
  });
  const parseCpuMs = cpuTotal;
  const checkMs = time(() => {
    for (const file of files) findings += whole.diagnose(file.uri).length;
  });
  const checkCpuMs = cpuTotal;
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
