// What the benchmarks measured in server time (no LSP transport) share: the server's modules
// loaded as they ship or from their sources, wall and CPU time of a call, percentiles, and the
// edit loop that times re-diagnosing a file after each kind of edit.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The exports of `modules` (paths such as 'server/src/settings', from the repository root),
 * merged into one object. By default they are bundled with esbuild first, as the server and
 * CLI ship them; with `fromSources` the TypeScript files are required as they are (run node
 * with --import tsx), so that every module shares one instance of those it imports.
 */
export async function loadServerModules(modules, { fromSources = false } = {}) {
  if (fromSources) return Object.assign({}, ...modules.map((module) => require(join(REPO_ROOT, `${module}.ts`))));
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'bench-core-'));
  try {
    const outfile = join(dir, 'core.js');
    await build({
      stdin: { contents: modules.map((module) => `export * from './${module}';`).join('\n'), resolveDir: REPO_ROOT, loader: 'ts' },
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

/** The value at fraction `p` (0.5 for the median) of `values`, taken from the sorted list. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

/** Wall time and CPU time (user + system) of `fn`, in ms. On a shared, loaded machine the CPU time is the steadier figure. */
export function timeWithCpu(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * For each named edit (`make(n)` returns the n-th edited text), `samples` times: the file set
 * to the edited text and diagnosed, timed; then set back to `text` and diagnosed, untimed.
 * `checker` is anything with setFile(uri, text) and diagnose(uri). Returns the figures by edit name.
 */
export function timeEdits(checker, uri, text, edits, samples = 40) {
  const results = {};
  for (const [name, make] of Object.entries(edits)) {
    const wall = [];
    const cpu = [];
    for (let n = 0; n < samples; n++) {
      const edited = make(n);
      const { wallMs, cpuMs } = timeWithCpu(() => {
        checker.setFile(uri, edited);
        checker.diagnose(uri);
      });
      wall.push(wallMs);
      cpu.push(cpuMs);
      checker.setFile(uri, text);
      checker.diagnose(uri);
    }
    results[name] = { medianMs: percentile(wall, 0.5), p95Ms: percentile(wall, 0.95), maxMs: Math.max(...wall), cpuMedianMs: percentile(cpu, 0.5), cpuP95Ms: percentile(cpu, 0.95) };
  }
  return results;
}
