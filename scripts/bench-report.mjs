// Pure helpers of `scripts/bench.mjs`: figures, ratios, the error-line check, the targets and the Markdown report.
// Nothing here starts a process or touches the file system, so the unit tests can call every function directly
// and the report can be re-rendered from `.bench/results.json` alone.

/** The deliberate errors per size, as in the harness's BASELINE.md: 1 % of the documents, at least one. */
export function errorsForDocs(docs) {
  return Math.max(1, Math.floor(docs / 100));
}

/** Parses `--docs 10,100,1000`: positive integers, in the given order, without repeats. */
export function parseSizeList(text) {
  const sizes = String(text)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (sizes.length === 0) throw new Error('--docs needs at least one size, e.g. --docs 10,100,1000');
  const parsed = [];
  for (const part of sizes) {
    const n = Number(part);
    if (!/^\d+$/.test(part) || !Number.isSafeInteger(n) || n < 1) {
      throw new Error(`--docs: "${part}" is not a positive integer`);
    }
    if (!parsed.includes(n)) parsed.push(n);
  }
  return parsed;
}

/** Parses a non-negative (or, with min 1, positive) integer option. */
export function parseCount(name, text, min) {
  const n = Number(text);
  if (!/^\d+$/.test(String(text)) || !Number.isSafeInteger(n) || n < min) {
    throw new Error(`--${name} must be an integer >= ${min} (got "${text}")`);
  }
  return n;
}

/** Nearest-rank median (the lower middle one for an even count), as lsp-latency computes its statistics. */
export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)];
}

/** How many times `slower` is `faster` (yaml-language-server / ours); null when either figure is missing. */
export function ratio(slower, faster) {
  if (typeof slower !== 'number' || typeof faster !== 'number' || !Number.isFinite(slower) || !Number.isFinite(faster)) {
    return null;
  }
  if (faster <= 0) return slower > 0 ? Infinity : null;
  return slower / faster;
}

const thousands = (value, digits) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatInt(value) {
  return typeof value === 'number' && Number.isFinite(value) ? thousands(Math.round(value), 0) : '-';
}

/** Milliseconds with as many digits as mean something: 2,427 ms, 35.2 ms, 4.71 ms. */
export function formatMs(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '-';
  if (value >= 100) return `${thousands(value, 0)} ms`;
  if (value >= 10) return `${thousands(value, 1)} ms`;
  return `${thousands(value, 2)} ms`;
}

export function formatMiB(kib) {
  return typeof kib === 'number' && Number.isFinite(kib) ? `${thousands(kib / 1024, 0)} MiB` : '-';
}

export function formatRatio(value) {
  if (value === Infinity) return '∞';
  if (typeof value !== 'number' || !Number.isFinite(value)) return '-';
  if (value >= 100) return `${thousands(value, 0)}×`;
  if (value >= 10) return `${thousands(value, 1)}×`;
  return `${thousands(value, 2)}×`;
}

/** Counts LSP diagnostics by severity name (a missing severity counts as an error, as editors show it). */
export function severityCounts(diagnostics) {
  const names = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of diagnostics ?? []) counts[names[d.severity ?? 1] ?? 'error']++;
  return counts;
}

/** "57 (10 errors, 40 warnings, 7 information)" or "10 (10 errors)". */
export function describeDiagnostics(total, counts) {
  if (typeof total !== 'number') return '-';
  const parts = [];
  const plural = (n, word) => `${formatInt(n)} ${word}${n === 1 || word === 'information' ? '' : 's'}`;
  for (const name of ['error', 'warning', 'information', 'hint']) {
    if (counts?.[name]) parts.push(plural(counts[name], name));
  }
  return parts.length ? `${formatInt(total)} (${parts.join(', ')})` : formatInt(total);
}

/**
 * Compares the error diagnostics (severity 1) of one server with the deliberate error lines of gen-manifests
 * (1-based). Warnings and information (best-practice rules) are left out: only errors count.
 */
export function checkErrorLines(diagnostics, expectedLines) {
  const expected = [...new Set(expectedLines)].sort((a, b) => a - b);
  const errorsPerLine = new Map();
  let errors = 0;
  for (const d of diagnostics ?? []) {
    if ((d.severity ?? 1) !== 1) continue;
    errors++;
    const line = (d.range?.start?.line ?? -1) + 1;
    errorsPerLine.set(line, (errorsPerLine.get(line) ?? 0) + 1);
  }
  const expectedSet = new Set(expected);
  const missing = expected.filter((line) => !errorsPerLine.has(line));
  const elsewhere = [...errorsPerLine.keys()].filter((line) => !expectedSet.has(line)).sort((a, b) => a - b);
  const extraOnExpected = expected.reduce((sum, line) => sum + Math.max(0, (errorsPerLine.get(line) ?? 0) - 1), 0);
  return {
    expected: expected.length,
    errors,
    atExpectedLines: expected.length - missing.length,
    missingLines: missing,
    otherLines: elsewhere,
    extraErrorsOnExpectedLines: extraOnExpected,
    same: missing.length === 0 && elsewhere.length === 0,
  };
}

const lineList = (lines, max = 8) =>
  lines.length > max ? `${lines.slice(0, max).join(', ')}, ... (${lines.length})` : lines.join(', ');

/** The one-line verdict: "same errors found: yes (ours 10 at expected lines / 10 expected; yamlls 10)". */
export function describeErrorCheck(ours, yamlls) {
  if (!ours) {
    const theirs = yamlls ? `; yamlls ${yamlls.atExpectedLines} at expected lines / ${yamlls.expected} expected` : '';
    return `same errors found: - (our server was not measured${theirs})`;
  }
  const details = [`ours ${ours.atExpectedLines} at expected lines / ${ours.expected} expected`];
  if (ours.missingLines.length) details.push(`missing at line${ours.missingLines.length === 1 ? '' : 's'} ${lineList(ours.missingLines)}`);
  if (ours.otherLines.length) details.push(`errors also at line${ours.otherLines.length === 1 ? '' : 's'} ${lineList(ours.otherLines)}`);
  if (ours.extraErrorsOnExpectedLines) details.push(`${ours.extraErrorsOnExpectedLines} more on expected lines`);
  let theirs = 'yamlls not run';
  if (yamlls) {
    theirs = `yamlls ${yamlls.atExpectedLines}`;
    if (yamlls.otherLines.length) theirs += `, and errors at ${yamlls.otherLines.length} other line(s)`;
  }
  return `same errors found: ${ours.same ? 'yes' : 'no'} (${details.join(', ')}; ${theirs})`;
}

/** The figures of one lsp-latency JSON report that the comparison uses. */
export function pickFigures(report) {
  if (!report) return null;
  const s = report.summary ?? {};
  const firstOpen = report.runs?.[0]?.open ?? {};
  return {
    initializeMs: s.initializeMs?.median ?? null,
    openMs: s.openMs?.median ?? null,
    editMs: s.editMs?.median ?? null,
    editP95Ms: s.editMs?.p95 ?? null,
    editFinalMs: s.editFinalMs?.median ?? null,
    editFinalP95Ms: s.editFinalMs?.p95 ?? null,
    revertMs: s.revertMs?.median ?? null,
    openPeakRssKiB: s.openPeakRssKiB?.median ?? null,
    peakRssKiB: s.peakRssKiB?.median ?? null,
    diagnostics: firstOpen.diagnostics ?? s.diagnostics?.min ?? null,
    bySeverity: firstOpen.bySeverity ?? null,
    extraPublishes: (report.runs ?? []).some((run) => (run.edits ?? []).some((e) => e.extraPublishes > 0)),
  };
}

const RATIO_KEYS = ['initializeMs', 'openMs', 'editMs', 'editP95Ms', 'editFinalMs', 'openPeakRssKiB', 'peakRssKiB'];

/** yaml-language-server / ours for every time and memory figure (higher = ours better). */
export function ratios(yamlls, ours) {
  return Object.fromEntries(RATIO_KEYS.map((key) => [key, yamlls && ours ? ratio(yamlls[key], ours[key]) : null]));
}

/** The targets, from the 1,000-document figures: how many times faster / smaller ours must be. */
export const TARGETS = [
  {
    id: 'edit',
    label: 'edit → diagnostics ≥ 40× faster',
    // The publish that stayed: a quick partial publish must not count as the answer to the edit.
    key: 'editFinalMs',
    need: 40,
    format: formatMs,
  },
  { id: 'open', label: 'open → final diagnostics ≥ 4× faster', key: 'openMs', need: 4, format: formatMs },
  { id: 'memory', label: 'peak RSS (whole run) ≤ 1/4', key: 'peakRssKiB', need: 4, format: formatMiB },
];

export function evaluateTargets(yamlls, ours) {
  return TARGETS.map(({ id, label, key, need }) => {
    const r = yamlls && ours ? ratio(yamlls[key], ours[key]) : null;
    return {
      id,
      label,
      key,
      need,
      yamlls: yamlls?.[key] ?? null,
      ours: ours?.[key] ?? null,
      ratio: r,
      result: r === null ? 'n/a' : r >= need ? 'PASS' : 'FAIL',
    };
  });
}

/** A Markdown table; the first column left-aligned, the others right-aligned. */
export function markdownTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell ?? '-').replace(/\|/g, '\\|')));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** The side-by-side table of one size. */
export function sizeTable(size) {
  const y = size.yamlls?.figures ?? null;
  const o = size.ours?.figures ?? null;
  const r = ratios(y, o);
  const row = (label, key, format) => [label, y ? format(y[key]) : '-', o ? format(o[key]) : '-', formatRatio(r[key])];
  const rows = [
    row('initialize', 'initializeMs', formatMs),
    row('open → diagnostics (median)', 'openMs', formatMs),
    row('edit → diagnostics (median)', 'editMs', formatMs),
    row('edit → diagnostics (p95)', 'editP95Ms', formatMs),
  ];
  if (y?.extraPublishes || o?.extraPublishes) rows.push(row('edit → final diagnostics (median)', 'editFinalMs', formatMs));
  rows.push(
    row('peak RSS after open', 'openPeakRssKiB', formatMiB),
    row('peak RSS whole run', 'peakRssKiB', formatMiB),
    [
      'diagnostics found',
      y ? describeDiagnostics(y.diagnostics, y.bySeverity) : '-',
      o ? describeDiagnostics(o.diagnostics, o.bySeverity) : '-',
      '',
    ],
  );
  return markdownTable(['figure', size.yamlls?.label ?? 'yaml-language-server', size.ours?.label ?? 'GitOps IaC', 'yamlls / ours'], rows);
}

function cliSection(cli) {
  const out = [`## CLI throughput (${formatInt(cli.docs)} documents, ${formatInt(cli.expectedErrors)} deliberate errors)`, ''];
  if (cli.error) {
    out.push(`FAILED: ${cli.error}`);
    return out;
  }
  const m = cli.measured;
  out.push(`- command: \`${cli.command}\``);
  for (const reason of cli.skipped ?? []) out.push(`- WARNING: the CLI did not validate the file: ${reason}`);
  out.push(`- exit code ${m.exitCode} (1 expected: the file has errors)`);
  const e = cli.errorCheck;
  if (e) {
    const verdict = e.errors === cli.expectedErrors && e.atExpectedLines === cli.expectedErrors ? 'yes' : 'no';
    out.push(
      `- found the ${formatInt(cli.expectedErrors)} errors: ${verdict} (${formatInt(e.errors)} errors, ${formatInt(e.atExpectedLines)} at expected lines` +
        `${e.otherLines.length ? `, ${e.otherLines.length} other line(s): ${lineList(e.otherLines)}` : ''}; ` +
        `${formatInt(cli.warnings)} warnings, ${formatInt(cli.infos)} information)`,
    );
  }
  const cpu = m.cpuSeconds === null ? 'CPU time not available' : `CPU ${m.cpuSeconds.toFixed(2)} s (user ${m.userSeconds.toFixed(2)} + sys ${m.sysSeconds.toFixed(2)}, from ${cli.cpuSource})`;
  const rss = m.maxRssKiB ? `, peak RSS ${formatMiB(m.maxRssKiB)}` : '';
  out.push(`- wall ${m.wallSeconds.toFixed(2)} s, ${cpu}${rss}${cli.runs > 1 ? ` (the run with the median wall time of ${cli.runs})` : ''}`);
  if (cli.skipped?.length) {
    out.push('- throughput: not measured (the file was not validated)');
    return out;
  }
  const perCpu = cli.resourcesPerCpuSecond === null ? 'resources/s per CPU-second: -' : `${formatInt(cli.resourcesPerCpuSecond)} resources/s per CPU-second`;
  out.push(`- throughput: ${formatInt(cli.resourcesPerSecond)} resources/s (wall), ${perCpu}`);
  if (cli.resourcesPerCpuSecond !== null) {
    out.push(`- kubeconform: ~${formatInt(cli.kubeconformPerCore)} resources/s per core → ours ${formatRatio(ratio(cli.resourcesPerCpuSecond, cli.kubeconformPerCore))} of that`);
  }
  return out;
}

/** The whole printed report (Markdown), from the results object that bench.mjs also writes as JSON. */
export function renderReport(results) {
  const out = ['# GitOps IaC benchmark', ''];
  const env = results.environment ?? {};
  out.push(`- ${results.date ?? ''} · Node ${env.node ?? '?'} · ${env.cpus ?? '?'} × ${env.cpuModel ?? '?'} · ${env.memoryGiB ?? '?'} GiB`);
  out.push(`- servers: ${results.servers?.yamlls ?? '-'} vs ${results.servers?.ours ?? '-'}`);
  out.push(`- ${results.options.runs} run(s) × ${results.options.edits} edit(s) per server and size, one server at a time; harness: ${results.benchDir}`);
  out.push('');
  for (const size of results.sizes) {
    out.push(`## ${formatInt(size.docs)} documents (${formatInt(size.lines)} lines, ${(size.bytes / 2 ** 20).toFixed(2)} MiB, ${size.expectedErrors} deliberate error${size.expectedErrors === 1 ? '' : 's'})`, '');
    out.push(sizeTable(size), '');
    const remarks = [];
    for (const who of ['yamlls', 'ours']) {
      for (const note of size[who]?.notes ?? []) remarks.push(`- note (${who}): ${note}`);
      if (size[who]?.error) remarks.push(`- FAILED (${who}): ${size[who].error}`);
    }
    if (remarks.length) out.push(...remarks, '');
    out.push(describeErrorCheck(size.ours?.errorCheck, size.yamlls?.errorCheck), '');
  }

  const t = results.targets;
  out.push(`## Targets (${formatInt(t.docs)} documents)`, '');
  if (!t.evaluated) {
    out.push(t.reason, '');
  } else {
    if (t.source) out.push(`yaml-language-server figures from ${t.source}`, '');
    for (const target of t.list) {
      const { format } = TARGETS.find((x) => x.id === target.id);
      out.push(
        `- ${target.result}: ${target.label}: yamlls ${format(target.yamlls)}, ours ${format(target.ours)} → ${formatRatio(target.ratio)} (need ≥ ${target.need}×)`,
      );
    }
    out.push('');
  }

  if (results.cli) out.push(...cliSection(results.cli), '');
  if (results.failures?.length) {
    out.push('## Failures', '');
    for (const f of results.failures) out.push(`- ${f.stage}: ${f.message}`);
    out.push('');
  }
  out.push('## Commands', '', `Working directory: ${results.repoRoot}`, '', '```sh', ...results.commands, '```');
  return out.join('\n') + '\n';
}

/** Quotes one word for a command line that a shell (and lsp-latency's --server splitter) reads back the same. */
export function quoteArg(arg) {
  const text = String(arg);
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(argv) {
  return argv.map(quoteArg).join(' ');
}

/** Reads GNU time's `-f '%e %U %S %M'` line: wall, user and sys seconds, peak RSS in KiB. */
export function parseTimeOutput(text) {
  const last = String(text).trim().split('\n').at(-1) ?? '';
  const match = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)(?: (\d+))?$/.exec(last.trim());
  if (!match) return null;
  return {
    wallSeconds: Number(match[1]),
    userSeconds: Number(match[2]),
    sysSeconds: Number(match[3]),
    maxRssKiB: match[4] === undefined ? null : Number(match[4]),
  };
}
