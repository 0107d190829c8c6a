/**
 * The pure helpers of `npm run bench` (scripts/bench-report.mjs): statistics, ratios, the error-line check,
 * the targets and the report. The benchmark itself needs minutes and two servers, so it is not run here.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Diagnostic {
  severity?: number;
  range?: { start: { line: number } };
}

interface ErrorCheck {
  expected: number;
  errors: number;
  atExpectedLines: number;
  missingLines: number[];
  otherLines: number[];
  extraErrorsOnExpectedLines: number;
  same: boolean;
}

interface Figures {
  initializeMs: number | null;
  openMs: number | null;
  editMs: number | null;
  editP95Ms: number | null;
  editFinalMs: number | null;
  openPeakRssKiB: number | null;
  peakRssKiB: number | null;
  diagnostics: number | null;
  bySeverity: Record<string, number> | null;
  extraPublishes: boolean;
}

interface Target {
  id: string;
  ratio: number | null;
  result: 'PASS' | 'FAIL' | 'n/a';
}

/** The subset of scripts/bench-report.mjs these tests use (the script is plain JavaScript without typings). */
interface BenchReport {
  errorsForDocs(docs: number): number;
  parseSizeList(text: string): number[];
  parseCount(name: string, text: string, min: number): number;
  median(values: number[]): number | null;
  ratio(slower: unknown, faster: unknown): number | null;
  formatMs(value: number | null): string;
  formatMiB(kib: number | null): string;
  formatRatio(value: number | null): string;
  describeDiagnostics(total: number, counts: Record<string, number>): string;
  checkErrorLines(diagnostics: Diagnostic[], expectedLines: number[]): ErrorCheck;
  describeErrorCheck(ours: ErrorCheck | undefined, yamlls: ErrorCheck | undefined): string;
  pickFigures(report: unknown): Figures | null;
  evaluateTargets(yamlls: Figures | null, ours: Figures | null): Target[];
  markdownTable(header: string[], rows: string[][]): string;
  renderReport(results: unknown): string;
  quoteArg(arg: string): string;
  parseTimeOutput(text: string): { wallSeconds: number; userSeconds: number; sysSeconds: number; maxRssKiB: number | null } | null;
}

const MODULE = pathToFileURL(path.resolve(__dirname, '..', '..', 'scripts', 'bench-report.mjs')).href;

const error = (line1: number, severity = 1): Diagnostic => ({ severity, range: { start: { line: line1 - 1 } } });

/** The shape of an lsp-latency --json report, with only the members the bench reads. */
function latencyReport(open: number, edit: number, peakKiB: number, diagnostics: number) {
  const stat = (median: number, p95 = median) => ({ n: 1, min: median, median, p95, max: p95 });
  return {
    summary: {
      initializeMs: stat(100),
      openMs: stat(open),
      editMs: stat(edit, edit * 1.5),
      editFinalMs: stat(edit, edit * 1.5),
      revertMs: stat(edit),
      openPeakRssKiB: stat(peakKiB / 2),
      peakRssKiB: stat(peakKiB),
      diagnostics: { min: diagnostics, max: diagnostics },
    },
    runs: [{ open: { diagnostics, bySeverity: { error: diagnostics } }, edits: [{ extraPublishes: 0 }] }],
  };
}

describe('bench report helpers', () => {
  let bench: BenchReport;
  before(async () => {
    bench = (await import(MODULE)) as BenchReport;
  });

  it('derives 1 % deliberate errors, at least one, as BASELINE.md does', () => {
    assert.deepEqual([10, 100, 1000, 3000, 150].map((n) => bench.errorsForDocs(n)), [1, 1, 10, 30, 1]);
  });

  it('parses the size list and rejects nonsense', () => {
    assert.deepEqual(bench.parseSizeList('10, 100,1000,100'), [10, 100, 1000]);
    assert.throws(() => bench.parseSizeList('10,abc'), /not a positive integer/);
    assert.throws(() => bench.parseSizeList('0'), /not a positive integer/);
    assert.throws(() => bench.parseSizeList(''), /at least one size/);
    assert.equal(bench.parseCount('edits', '0', 0), 0);
    assert.throws(() => bench.parseCount('runs', '0', 1), /--runs must be an integer >= 1/);
    assert.throws(() => bench.parseCount('runs', '1.5', 1), /--runs/);
  });

  it('takes the lower middle value as the median, like lsp-latency', () => {
    assert.equal(bench.median([3, 1, 2]), 2);
    assert.equal(bench.median([4, 1, 3, 2]), 2);
    assert.equal(bench.median([]), null);
  });

  it('computes and formats ratios', () => {
    assert.equal(bench.ratio(2400, 40), 60);
    assert.equal(bench.ratio(null, 40), null);
    assert.equal(bench.ratio(5, 0), Infinity);
    assert.equal(bench.formatRatio(60), '60.0×');
    assert.equal(bench.formatRatio(3.456), '3.46×');
    assert.equal(bench.formatRatio(1234), '1,234×');
    assert.equal(bench.formatRatio(null), '-');
    assert.equal(bench.formatMs(2427.4), '2,427 ms');
    assert.equal(bench.formatMs(35.21), '35.2 ms');
    assert.equal(bench.formatMs(4.711), '4.71 ms');
    assert.equal(bench.formatMiB(706560), '690 MiB');
    assert.equal(bench.describeDiagnostics(12, { error: 10, warning: 1, information: 1 }), '12 (10 errors, 1 warning, 1 information)');
  });

  it('counts only errors at the expected 1-based lines', () => {
    const diagnostics = [error(381), error(381, 2), error(500, 3), error(1200, 2)];
    const check = bench.checkErrorLines(diagnostics, [381]);
    assert.equal(check.same, true);
    assert.equal(check.errors, 1);
    assert.equal(check.atExpectedLines, 1);
    assert.equal(
      bench.describeErrorCheck(check, bench.checkErrorLines([error(381)], [381])),
      'same errors found: yes (ours 1 at expected lines / 1 expected; yamlls 1)',
    );
  });

  it('says no when an error is missing or one is reported elsewhere', () => {
    const check = bench.checkErrorLines([error(10), error(11), error(99)], [10, 20]);
    assert.equal(check.same, false);
    assert.deepEqual(check.missingLines, [20]);
    assert.deepEqual(check.otherLines, [11, 99]);
    assert.match(bench.describeErrorCheck(check, undefined), /^same errors found: no \(ours 1 at expected lines \/ 2 expected, missing at line 20, errors also at lines 11, 99; yamlls not run\)$/);
  });

  it('evaluates the targets from the medians', () => {
    const yamlls = bench.pickFigures(latencyReport(3200, 2400, 700 * 1024, 10));
    const fast = bench.pickFigures(latencyReport(500, 40, 120 * 1024, 10));
    const slow = bench.pickFigures(latencyReport(1000, 100, 200 * 1024, 10));
    assert.deepEqual(bench.evaluateTargets(yamlls, fast).map((t) => t.result), ['PASS', 'PASS', 'PASS']);
    assert.deepEqual(bench.evaluateTargets(yamlls, slow).map((t) => t.result), ['FAIL', 'FAIL', 'FAIL']);
    assert.deepEqual(bench.evaluateTargets(null, fast).map((t) => t.result), ['n/a', 'n/a', 'n/a']);
    assert.equal(bench.evaluateTargets(yamlls, fast)[0].ratio, 60);
  });

  it('renders aligned Markdown tables and the whole report', () => {
    assert.equal(bench.markdownTable(['a', 'b'], [['x', '10'], ['long', '2']]), '| a    |   b |\n|------|----:|\n| x    |  10 |\n| long |   2 |');
    const yamlls = bench.pickFigures(latencyReport(3200, 2400, 700 * 1024, 10));
    const ours = bench.pickFigures(latencyReport(500, 40, 120 * 1024, 10));
    const report = bench.renderReport({
      date: '2026-01-01T00:00:00.000Z',
      repoRoot: '/repo',
      benchDir: '/bench',
      environment: { node: '20.20.2', cpus: 2, cpuModel: 'CPU', memoryGiB: 24 },
      servers: { yamlls: 'yaml-language-server 1.25.0', ours: 'GitOps IaC 0.1.0' },
      options: { runs: 1, edits: 5 },
      sizes: [
        {
          docs: 1000,
          lines: 42781,
          bytes: 1110000,
          expectedErrors: 1,
          yamlls: { label: 'yaml-language-server 1.25.0', figures: yamlls, errorCheck: bench.checkErrorLines([error(7)], [7]) },
          ours: { label: 'GitOps IaC 0.1.0', figures: ours, errorCheck: bench.checkErrorLines([error(7)], [7]) },
        },
      ],
      targets: { docs: 1000, evaluated: true, source: null, list: bench.evaluateTargets(yamlls, ours) },
      cli: null,
      failures: [],
      commands: ['node x.mjs'],
    });
    assert.match(report, /## 1,000 documents \(42,781 lines, 1\.06 MiB, 1 deliberate error\)/);
    assert.match(report, /\| edit → diagnostics \(median\) +\| +2,400 ms \| +40\.0 ms \| +60\.0× \|/);
    assert.match(report, /same errors found: yes \(ours 1 at expected lines \/ 1 expected; yamlls 1\)/);
    assert.match(report, /- PASS: edit → diagnostics ≥ 40× faster: yamlls 2,400 ms, ours 40\.0 ms → 60\.0× \(need ≥ 40×\)/);
    assert.match(report, /- PASS: peak RSS \(whole run\) ≤ 1\/4: yamlls 700 MiB, ours 120 MiB → 5\.83× \(need ≥ 4×\)/);
  });

  it('reports CLI throughput, and no throughput for a file the CLI skipped', () => {
    const cli = {
      docs: 10000,
      expectedErrors: 100,
      command: 'node server/out/cli.js check --format json x.yaml',
      runs: 1,
      cpuSource: '/usr/bin/time',
      kubeconformPerCore: 1900,
      skipped: [] as string[],
      measured: { exitCode: 1, wallSeconds: 4, userSeconds: 4.5, sysSeconds: 0.5, cpuSeconds: 5, maxRssKiB: 262144 },
      resourcesPerSecond: 2500,
      resourcesPerCpuSecond: 2000,
      errorCheck: bench.checkErrorLines(Array.from({ length: 100 }, (_, i) => error(i * 10 + 5)), Array.from({ length: 100 }, (_, i) => i * 10 + 5)),
      warnings: 3,
      infos: 4,
    };
    const base = { repoRoot: '/r', benchDir: '/b', options: { runs: 1, edits: 0 }, sizes: [], targets: { docs: 1000, evaluated: false, reason: 'n/a' }, commands: [] };
    const measured = bench.renderReport({ ...base, cli });
    assert.match(measured, /- found the 100 errors: yes \(100 errors, 100 at expected lines; 3 warnings, 4 information\)/);
    assert.match(measured, /- throughput: 2,500 resources\/s \(wall\), 2,000 resources\/s per CPU-second/);
    assert.match(measured, /~1,900 resources\/s per core → ours 1\.05× of that/);
    const skipped = bench.renderReport({ ...base, cli: { ...cli, skipped: ['file/skipped: too big'] } });
    assert.match(skipped, /WARNING: the CLI did not validate the file: file\/skipped: too big/);
    assert.match(skipped, /- throughput: not measured/);
    assert.doesNotMatch(skipped, /kubeconform/);
  });

  it('quotes command words and reads GNU time output', () => {
    assert.equal(bench.quoteArg('.bench/x.yaml'), '.bench/x.yaml');
    assert.equal(bench.quoteArg('a b'), "'a b'");
    assert.equal(bench.quoteArg("it's"), "'it'\\''s'");
    assert.deepEqual(bench.parseTimeOutput('4.21 3.90 0.31 327680\n'), { wallSeconds: 4.21, userSeconds: 3.9, sysSeconds: 0.31, maxRssKiB: 327680 });
    assert.equal(bench.parseTimeOutput('Command exited with non-zero status 1\n4.21 3.90 0.31 327680')?.maxRssKiB, 327680);
    assert.equal(bench.parseTimeOutput('garbage'), null);
  });
});
