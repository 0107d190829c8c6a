/**
 * `gitops-iac check` on Helm charts, as a process: templates are skipped (never a false
 * error), Chart.yaml and values files are checked, in a temporary copy of the fixture charts
 * with a few mistakes written into it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from './runCli';

const ROOT = path.resolve(__dirname, '..', '..');
const CHARTS = path.join(ROOT, 'test', 'fixtures', 'gitops-repo', 'charts');

const check = (args: readonly string[], cwd: string): Promise<CliRun> => runCli(['check', ...args], cwd);

describe('gitops-iac check on Helm charts', () => {
  let work: string;
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-helm-cli-'));
    fs.cpSync(CHARTS, path.join(work, 'charts'), { recursive: true });
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('finds nothing in the fixture charts, whose templates are full of template syntax', async () => {
    const result = await check(['--format', 'json', 'charts'], work);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { diagnostics: [] });
  });

  it('reports Chart.yaml and values problems at their place, and exits 1', async () => {
    const web = path.join(work, 'charts', 'web');
    fs.writeFileSync(path.join(web, 'Chart.yaml'), fs.readFileSync(path.join(web, 'Chart.yaml'), 'utf8').replace('type: application', 'type: app').replace('file://../common', 'file://../commons'));
    fs.writeFileSync(path.join(web, 'values-prod.yaml'), 'replicaCount: 0\n');
    const result = await check(['charts'], work);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, [
      'charts/web/Chart.yaml:4:7: error helm/chart type "app" is not a chart type: use application or library.',
      'charts/web/Chart.yaml:11:17: error helm/chart No chart (Chart.yaml) at "../commons", relative to this chart.',
      'charts/web/values-prod.yaml:1:15: error helm/values-schema "replicaCount" must be >= 1, found 0.',
      '3 errors, 0 warnings, 0 infos in 9 files',
      '',
    ].join('\n'));
  });
});
