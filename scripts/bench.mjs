#!/usr/bin/env node
// `npm run bench`: diagnostics latency and memory of our language server against yaml-language-server, measured
// with the shared, read-only harness (../shared/bench: lsp-latency.mjs, gen-manifests.mjs, k8s-all-schema.mjs),
// plus the throughput of `gitops-iac check` on 10,000 documents.
//
//   node scripts/bench.mjs [--docs 10,100,1000] [--runs 3] [--edits 20] [--skip-yamlls] [--skip-ours]
//                          [--skip-cli] [--bench-dir DIR]
//
// Everything it writes goes to the scratch folder `.bench/` (gitignored): the schema and the two settings files at
// the top, then one folder per size (`docs-N/`: manifests, their error list, a copy of the schema, every raw
// harness report and the final diagnostics of each server), `cli/`, and `results.json` and `report.md`, which hold
// the whole printed report. The report goes to stdout, progress to stderr.
// Exit status: 0 when every harness run worked (a FAILed target is a finding, not an error); 1 on bad usage, a
// missing harness or server, or a harness run that failed.

import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  checkErrorLines,
  commandLine,
  errorsForDocs,
  evaluateTargets,
  median,
  parseCount,
  parseSizeList,
  parseTimeOutput,
  pickFigures,
  ratios,
  renderReport,
} from './bench-report.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCRATCH = '.bench';
const TARGET_DOCS = 1000;
const CLI_DOCS = 10000;
const CLI_ERRORS = 100;
const KUBECONFORM_PER_CORE = 1900;
const GNU_TIME = '/usr/bin/time';
const OUR_SETTINGS = { gitopsIac: { kubernetes: { version: '1.36' } } };
// The README's yamlls-settings.json, written here so that ${workspaceFolder} is the scratch folder, where the
// schema sits next to the manifests. With schemaStore and kubernetesCRDStore off it never reaches the network.
// The extra glob is needed because yaml-language-server matches file patterns with picomatch without `dot: true`
// (it prefixes `**/`), so `*.yaml` alone never matches a file inside a dot folder such as `.bench/`: it would
// validate nothing and lsp-latency would wait for the expected diagnostics until it times out.
const YAMLLS_SETTINGS = {
  yaml: {
    validate: true,
    schemas: { '${workspaceFolder}/k8s-all.json': ['*.yaml', `${SCRATCH}/*/*.yaml`] },
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
  },
};

const USAGE = `usage: node scripts/bench.mjs [options]

  --docs LIST       document counts to measure, comma-separated (default 10,100,1000; 3000 works too);
                    1 % of each (at least 1) carries a deliberate error
  --runs N          fresh server processes per server and size (default 3); also CLI repetitions
  --edits N         edits per run, each followed by its reversal (default 20)
  --skip-yamlls     measure our server only (targets then use the harness's baseline-data, if present)
  --skip-ours       measure yaml-language-server only
  --skip-cli        leave out the CLI throughput run (10,000 documents)
  --bench-dir DIR   the shared harness folder (default ../shared/bench beside the repository, or
                    $GITOPS_IAC_BENCH_DIR)`;

class UsageError extends Error {}

const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const rel = (file) => {
  const relative = path.relative(repoRoot, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
};
const scratchPath = (...parts) => path.join(repoRoot, SCRATCH, ...parts);
// Each size has a folder of its own, which is the workspace folder of its runs: a server that reads its whole
// workspace at start-up (ours does) then finds the measured file only, not the other sizes or the CLI's input.
const sizePath = (docs, file) => scratchPath(`docs-${docs}`, file);

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        docs: { type: 'string', default: '10,100,1000' },
        runs: { type: 'string', default: '3' },
        edits: { type: 'string', default: '20' },
        'skip-yamlls': { type: 'boolean', default: false },
        'skip-ours': { type: 'boolean', default: false },
        'skip-cli': { type: 'boolean', default: false },
        'bench-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let docs;
  let runs;
  let edits;
  try {
    docs = parseSizeList(values.docs);
    runs = parseCount('runs', values.runs, 1);
    edits = parseCount('edits', values.edits, 0);
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (values['skip-yamlls'] && values['skip-ours'] && values['skip-cli']) throw new UsageError('nothing to measure: every part is skipped');
  const benchDir = path.resolve(values['bench-dir'] ?? process.env.GITOPS_IAC_BENCH_DIR ?? path.resolve(repoRoot, '..', 'shared', 'bench'));
  return {
    docs,
    runs,
    edits,
    skipYamlls: values['skip-yamlls'],
    skipOurs: values['skip-ours'],
    skipCli: values['skip-cli'],
    benchDir,
  };
}

/** Checks that the harness, the servers and the CLI are where they should be, with a message saying what to do. */
function locateTools(options) {
  const harness = {
    latency: path.join(options.benchDir, 'lsp-latency.mjs'),
    manifests: path.join(options.benchDir, 'gen-manifests.mjs'),
    schema: path.join(options.benchDir, 'k8s-all-schema.mjs'),
  };
  const missing = Object.values(harness).filter((file) => !existsSync(file));
  if (missing.length) {
    const where = existsSync(options.benchDir) ? `${options.benchDir} lacks ${missing.map((f) => path.basename(f)).join(', ')}` : `${options.benchDir} does not exist`;
    throw new UsageError(`benchmark harness not found: ${where}. Pass --bench-dir DIR or set GITOPS_IAC_BENCH_DIR to the folder with lsp-latency.mjs.`);
  }
  const tools = {
    ...harness,
    yamlls: path.join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'),
    server: path.join(repoRoot, 'server', 'out', 'server.js'),
    cli: path.join(repoRoot, 'server', 'out', 'cli.js'),
  };
  if (!options.skipYamlls && !existsSync(tools.yamlls)) throw new UsageError(`${rel(tools.yamlls)} not found: run npm install (or pass --skip-yamlls)`);
  if (!options.skipOurs && !existsSync(tools.server)) throw new UsageError(`${rel(tools.server)} not found: run npm run build (or pass --skip-ours)`);
  if (!options.skipCli && !existsSync(tools.cli)) throw new UsageError(`${rel(tools.cli)} not found: run npm run build (or pass --skip-cli)`);
  return tools;
}

const commands = [];

/**
 * Runs one child process from the repository root, one at a time. stderr is passed through live (the harness
 * prints its progress there) and its tail kept for failure messages; stdout goes to `stdoutFile` when given.
 */
function run(argv, { stdoutFile } = {}) {
  commands.push(commandLine(argv.map((arg) => (path.isAbsolute(arg) ? rel(arg) : arg))) + (stdoutFile ? ` > ${rel(stdoutFile)}` : ''));
  return new Promise((resolve) => {
    const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
    const startedAt = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: repoRoot, stdio: ['ignore', out, 'pipe'] });
    let stderrTail = '';
    let finished = false;
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    // A child that cannot start emits 'error' and may emit 'close' as well: settle (and close the file) once.
    const finish = (code, signal, error) => {
      if (finished) return;
      finished = true;
      if (typeof out === 'number') closeSync(out);
      resolve({ code, signal, error, wallSeconds: (performance.now() - startedAt) / 1000, stderrTail: stderrTail.trim() });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal, null));
  });
}

const describeExit = (result) =>
  result.error ? `could not start: ${result.error.message}` : result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;

/** Runs a generator script and fails the whole bench if it fails: without input nothing can be measured. */
async function generate(argv, stdoutFile) {
  const result = await run(argv, { stdoutFile });
  if (result.code !== 0) throw new Error(`${path.basename(argv[1])} failed (${describeExit(result)})${result.stderrTail ? `: ${result.stderrTail}` : ''}`);
}

function countLines(file) {
  const text = readFileSync(file, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** One lsp-latency invocation (all runs of one server on one size); returns its parsed JSON report or an error. */
async function measureServer(tools, options, size, who) {
  const serverLine = who === 'yamlls'
    ? commandLine([process.execPath, rel(tools.yamlls), '--stdio'])
    : commandLine([process.execPath, rel(tools.server), '--stdio']);
  const reportFile = sizePath(size.docs, `${who}-${size.docs}.json`);
  const diagnosticsFile = sizePath(size.docs, `diag-${who}-${size.docs}.json`);
  rmSync(diagnosticsFile, { force: true });
  log(`${size.docs} documents: ${who === 'yamlls' ? 'yaml-language-server' : 'our server'}, ${options.runs} run(s) × ${options.edits} edit(s)`);
  const result = await run(
    [
      process.execPath, tools.latency,
      '--server', serverLine,
      '--file', sizePath(size.docs, `manifests-${size.docs}.yaml`),
      '--settings', scratchPath(`${who}-settings.json`),
      '--json',
      '--expect', String(size.expectedErrors),
      '--edits', String(options.edits),
      '--runs', String(options.runs),
      '--diagnostics-out', diagnosticsFile,
    ],
    { stdoutFile: reportFile },
  );
  if (result.code !== 0) {
    return { error: `lsp-latency failed (${describeExit(result)})${result.stderrTail ? `: ${result.stderrTail.split('\n').slice(-6).join(' / ')}` : ''}` };
  }
  try {
    return { report: JSON.parse(readFileSync(reportFile, 'utf8')), diagnostics: JSON.parse(readFileSync(diagnosticsFile, 'utf8')), reportFile, diagnosticsFile };
  } catch (error) {
    return { error: `cannot read the lsp-latency output: ${error.message}` };
  }
}

function serverEntry(measured, label, expectedLines) {
  if (measured.error) return { label, error: measured.error };
  const figures = pickFigures(measured.report);
  const errorCheck = checkErrorLines(measured.diagnostics, expectedLines);
  // --expect counts every diagnostic, so the harness notes a difference whenever a server also reports warnings or
  // information (ours does, from its best-practice rules); that note says nothing when the errors are all there.
  const notes = (measured.report.notes ?? []).filter((note) => !(/differ from --expect/.test(note) && errorCheck.errors === expectedLines.length));
  return {
    label,
    serverInfo: measured.report.serverInfo ?? null,
    command: measured.report.server,
    mode: measured.report.mode,
    sync: measured.report.sync,
    figures,
    summary: measured.report.summary,
    notes,
    errorCheck,
    rawReport: rel(measured.reportFile),
    diagnosticsFile: rel(measured.diagnosticsFile),
  };
}

/** CPU seconds of waited-for children, from /proc/self/stat (cutime + cstime, in clock ticks of 1/100 s on Linux). */
function childCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
    return { user: Number(fields[16 - 3]) / 100, sys: Number(fields[17 - 3]) / 100 };
  } catch {
    return null;
  }
}

/** `gitops-iac check --format json` on 10,000 documents: wall and CPU time, and whether it found the 100 errors. */
async function measureCli(tools, options) {
  const dir = scratchPath('cli');
  mkdirSync(dir, { recursive: true });
  const manifests = path.join(dir, `manifests-${CLI_DOCS}.yaml`);
  const errorsFile = path.join(dir, `errors-${CLI_DOCS}.json`);
  const outputFile = path.join(dir, `cli-${CLI_DOCS}.json`);
  log(`CLI: generating ${CLI_DOCS} documents`);
  await generate([process.execPath, tools.manifests, '--docs', String(CLI_DOCS), '--errors', String(CLI_ERRORS), '--seed', '1', '--errors-out', errorsFile], manifests);
  const expectedLines = JSON.parse(readFileSync(errorsFile, 'utf8')).map((e) => e.line);
  const useTime = existsSync(GNU_TIME);
  const cpuSource = useTime ? `${GNU_TIME} -f '%e %U %S %M'` : existsSync('/proc/self/stat') ? '/proc/self/stat (cutime + cstime)' : null;
  const cliArgv = [process.execPath, tools.cli, 'check', '--format', 'json', manifests];
  const base = {
    docs: CLI_DOCS,
    expectedErrors: CLI_ERRORS,
    command: commandLine(cliArgv.map((arg) => (path.isAbsolute(arg) ? rel(arg) : arg))),
    runs: options.runs,
    cpuSource,
    kubeconformPerCore: KUBECONFORM_PER_CORE,
    output: rel(outputFile),
  };
  const measurements = [];
  for (let i = 1; i <= options.runs; i++) {
    log(`CLI: run ${i}/${options.runs}: gitops-iac check --format json on ${CLI_DOCS} documents`);
    const timeFile = path.join(dir, `time-${i}.txt`);
    rmSync(timeFile, { force: true });
    const before = useTime ? null : childCpuSeconds();
    const argv = useTime ? [GNU_TIME, '-f', '%e %U %S %M', '-o', timeFile, ...cliArgv] : cliArgv;
    const result = await run(argv, { stdoutFile: outputFile });
    if (result.code !== 0 && result.code !== 1) {
      return { ...base, error: `gitops-iac check failed (${describeExit(result)}; 1 is expected for a file with errors)${result.stderrTail ? `: ${result.stderrTail.split('\n').slice(-6).join(' / ')}` : ''}` };
    }
    let cpu = null;
    if (useTime) {
      cpu = existsSync(timeFile) ? parseTimeOutput(readFileSync(timeFile, 'utf8')) : null;
    } else if (before) {
      const after = childCpuSeconds();
      if (after) cpu = { userSeconds: after.user - before.user, sysSeconds: after.sys - before.sys, maxRssKiB: null };
    }
    let parsed;
    try {
      parsed = JSON.parse(readFileSync(outputFile, 'utf8'));
    } catch (error) {
      return { ...base, error: `the CLI's JSON output (${rel(outputFile)}) cannot be parsed: ${error.message}` };
    }
    const diagnostics = Array.isArray(parsed?.diagnostics) ? parsed.diagnostics : [];
    measurements.push({
      exitCode: result.code,
      wallSeconds: result.wallSeconds,
      userSeconds: cpu?.userSeconds ?? null,
      sysSeconds: cpu?.sysSeconds ?? null,
      cpuSeconds: cpu ? cpu.userSeconds + cpu.sysSeconds : null,
      maxRssKiB: cpu?.maxRssKiB ?? null,
      diagnostics,
    });
    log(`CLI: run ${i}: exit ${result.code}, wall ${result.wallSeconds.toFixed(2)} s${cpu ? `, CPU ${(cpu.userSeconds + cpu.sysSeconds).toFixed(2)} s` : ''}, ${diagnostics.length} diagnostics`);
  }
  const medianWall = median(measurements.map((m) => m.wallSeconds));
  const { diagnostics, ...measured } = measurements.find((m) => m.wallSeconds === medianWall);
  const asLsp = diagnostics.map((d) => ({ severity: d.severity === 'error' ? 1 : d.severity === 'warning' ? 2 : 3, range: { start: { line: (d.line ?? 0) - 1 } } }));
  const count = (severity) => diagnostics.filter((d) => d.severity === severity).length;
  // A file the CLI declines to validate (over gitopsIac.validate.maxFileSize, say) makes the timing meaningless.
  const skipped = diagnostics.filter((d) => /skipped/i.test(String(d.rule ?? ''))).map((d) => `${d.rule}: ${d.message}`);
  return {
    ...base,
    skipped,
    measured,
    wallSecondsPerRun: measurements.map((m) => Math.round(m.wallSeconds * 1000) / 1000),
    resourcesPerSecond: CLI_DOCS / measured.wallSeconds,
    resourcesPerCpuSecond: measured.cpuSeconds ? CLI_DOCS / measured.cpuSeconds : null,
    errorCheck: checkErrorLines(asLsp, expectedLines),
    warnings: count('warning'),
    infos: diagnostics.length - count('error') - count('warning'),
  };
}

/** The targets from the 1,000-document size; without a yaml-language-server run, from the harness's baseline data. */
function targetsFrom(sizes, options) {
  if (sizes.length === 0) return { docs: TARGET_DOCS, evaluated: false, reason: 'not evaluated: no language server was measured' };
  const size = sizes.find((s) => s.docs === TARGET_DOCS);
  if (!size) return { docs: TARGET_DOCS, evaluated: false, reason: `not evaluated: --docs does not include ${TARGET_DOCS}` };
  if (!size.ours?.figures) return { docs: TARGET_DOCS, evaluated: false, reason: 'not evaluated: our server was not measured (or failed) at this size' };
  let yamlls = size.yamlls?.figures ?? null;
  let source = null;
  if (!yamlls) {
    const baseline = path.join(options.benchDir, 'baseline-data', `yamlls-${TARGET_DOCS}.json`);
    if (!existsSync(baseline)) return { docs: TARGET_DOCS, evaluated: false, reason: 'not evaluated: yaml-language-server was not measured and the harness has no baseline-data' };
    const report = JSON.parse(readFileSync(baseline, 'utf8'));
    yamlls = pickFigures(report);
    source = `the harness's ${rel(baseline)} (${report.serverInfo?.name ?? 'yaml-language-server'} ${report.serverInfo?.version ?? ''}, ` +
      `${report.runs?.length ?? '?'} runs × ${report.editsPerRun ?? '?'} edits; peak RSS compares fairly only at equal --edits)`;
  }
  return { docs: TARGET_DOCS, evaluated: true, source, list: evaluateTargets(yamlls, size.ours.figures) };
}

/** Runs a benchmark script of scripts/ (bench-ansible.mjs, bench-drift.mjs) with its output on ours; resolves with its exit code. */
function runPrintingBench(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', script)], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => resolve(code));
  });
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const tools = locateTools(options);
  const startedAt = performance.now();
  mkdirSync(scratchPath(), { recursive: true });
  const failures = [];
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  let yamllsVersion = '?';
  try {
    yamllsVersion = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')).version;
  } catch {
    // Only the label needs it; --skip-yamlls runs without the package.
  }

  // 1. Input: one schema for yaml-language-server, next to the manifests, and the manifests of every size.
  const measuresServers = !(options.skipYamlls && options.skipOurs);
  if (measuresServers) log(`generating the schema and ${options.docs.join(', ')}-document manifests in ${SCRATCH}/`);
  if (!options.skipYamlls) await generate([process.execPath, tools.schema, '--out', scratchPath('k8s-all.json')]);
  writeFileSync(scratchPath('yamlls-settings.json'), JSON.stringify(YAMLLS_SETTINGS, null, 2) + '\n');
  writeFileSync(scratchPath('ours-settings.json'), JSON.stringify(OUR_SETTINGS, null, 2) + '\n');
  const sizes = [];
  for (const docs of measuresServers ? options.docs : []) {
    const expectedErrors = errorsForDocs(docs);
    mkdirSync(sizePath(docs, ''), { recursive: true });
    const manifests = sizePath(docs, `manifests-${docs}.yaml`);
    const errorsFile = sizePath(docs, `errors-${docs}.json`);
    // yamlls-settings.json points at ${workspaceFolder}/k8s-all.json: the schema must sit next to the manifests.
    if (!options.skipYamlls) {
      copyFileSync(scratchPath('k8s-all.json'), sizePath(docs, 'k8s-all.json'));
      commands.push(`cp ${rel(scratchPath('k8s-all.json'))} ${rel(sizePath(docs, 'k8s-all.json'))}`);
    }
    await generate(
      [process.execPath, tools.manifests, '--docs', String(docs), '--errors', String(expectedErrors), '--seed', '1', '--errors-out', errorsFile],
      manifests,
    );
    const expectedLines = JSON.parse(readFileSync(errorsFile, 'utf8')).map((e) => e.line);
    sizes.push({ docs, expectedErrors, expectedLines, lines: countLines(manifests), bytes: statSync(manifests).size, manifests: rel(manifests) });
  }

  // 2. Latency: per size yaml-language-server first, then ours; one server process at a time.
  for (const size of sizes) {
    for (const who of ['yamlls', 'ours']) {
      if (who === 'yamlls' ? options.skipYamlls : options.skipOurs) continue;
      const label = who === 'yamlls' ? `yaml-language-server ${yamllsVersion}` : `GitOps IaC ${pkg.version}`;
      const measured = await measureServer(tools, options, size, who);
      size[who] = serverEntry(measured, label, size.expectedLines);
      if (measured.error) failures.push({ stage: `${who}, ${size.docs} documents`, message: measured.error });
    }
    size.ratios = ratios(size.yamlls?.figures ?? null, size.ours?.figures ?? null);
  }

  // 3. CLI throughput.
  let cli = null;
  if (!options.skipCli) {
    cli = await measureCli(tools, options);
    if (cli.error) failures.push({ stage: 'CLI', message: cli.error });
  }

  const cpus = os.cpus();
  const results = {
    tool: 'gitops-iac bench',
    date: new Date().toISOString(),
    repoRoot,
    benchDir: options.benchDir,
    environment: {
      node: process.versions.node,
      platform: `${os.platform()} ${os.release()}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model?.trim() ?? '?',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    },
    servers: {
      yamlls: options.skipYamlls ? 'yaml-language-server (not run)' : `yaml-language-server ${yamllsVersion}`,
      ours: options.skipOurs ? 'GitOps IaC (not run)' : `GitOps IaC ${pkg.version}`,
    },
    options: { docs: options.docs, runs: options.runs, edits: options.edits, skipYamlls: options.skipYamlls, skipOurs: options.skipOurs, skipCli: options.skipCli },
    sizes,
    targets: targetsFrom(sizes, options),
    cli,
    failures,
    commands,
    elapsedSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
  };
  const report = renderReport(results);
  writeFileSync(scratchPath('results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(scratchPath('report.md'), report);
  process.stdout.write(report);
  // Kustomize re-validation after an edit to a base that 50 overlays share: its own script, its own section.
  const kustomize = await runKustomizeBench();
  if (kustomize.error) failures.push({ stage: 'Kustomize', message: kustomize.error });
  else {
    writeFileSync(scratchPath('kustomize.md'), kustomize.report);
    process.stdout.write(`\n${kustomize.report}`);
  }
  log(`done in ${results.elapsedSeconds} s; wrote ${SCRATCH}/results.json and ${SCRATCH}/report.md`);
  // Ansible: edit latency in a 2,000-line playbook, in server time (scripts/bench-ansible.mjs), printed after the report.
  if (!options.skipOurs && (await runPrintingBench('bench-ansible.mjs')) !== 0) failures.push({ stage: 'Ansible', message: 'scripts/bench-ansible.mjs failed' });
  // Kubernetes drift: 1,000 resources compared in the core, no network (scripts/bench-drift.mjs).
  if (!options.skipOurs && (await runPrintingBench('bench-drift.mjs')) !== 0) failures.push({ stage: 'Drift', message: 'scripts/bench-drift.mjs failed' });
  if (failures.length) {
    log(`${failures.length} harness run(s) failed: ${failures.map((f) => f.stage).join('; ')}`);
    process.exitCode = 1;
  }
}

/** Runs scripts/bench-kustomize.mjs and returns its Markdown section. */
function runKustomizeBench() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'bench-kustomize.mjs')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', (error) => resolve({ error: error.message }));
    child.on('close', (code) => resolve(code === 0 ? { report: stdout } : { error: `exit status ${code}: ${stderr.trim().split('\n').pop() ?? ''}` }));
  });
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
  process.exitCode = 1;
});
