// Runs every test file under test/ (unit, lsp, cli, e2e) with Node's own runner.
// Node 20's `--test` takes no glob patterns, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const layers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'lsp', 'cli', 'e2e'];
function findTests(dir) {
  let found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found;
}
const files = layers.flatMap((layer) => {
  try { return findTests(join('test', layer)); } catch { return []; }
}).sort();
if (files.length === 0) {
  console.error(`no test files found in test/{${layers.join(',')}}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
