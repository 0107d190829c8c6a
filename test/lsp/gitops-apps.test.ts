/**
 * GitOps app definitions through the real language server, on a temporary copy of the
 * fixture repository made a git repository (real `git init` and `git remote add`, with the
 * URL the apps use): paths checked at their exact range, links that reveal the folder, and
 * two apps that deploy the same object warned about on both sides.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DocumentLink } from 'vscode-languageserver-protocol';
import { LspClient, REPO_ROOT } from './lspClient';

const REPOSITORY = path.join(REPO_ROOT, 'test', 'fixtures', 'gitops-repo');

const findingsOf = (rule: string) => (diagnostics: Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.code === rule).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.severity === 1 ? 'error' : 'warning'} ${d.message}`);
const appFindings = findingsOf('gitops/app-path');
const ownershipFindings = findingsOf('gitops/duplicate-ownership');

describe('GitOps app definitions over LSP', () => {
  let work: string;
  let client: LspClient;
  const uri = (relative: string): string => pathToFileURL(path.join(work, relative)).href;
  const opened = new Set<string>();
  /** Opens a file once (version 1) and gives its diagnostics for that version. */
  const open = async (relative: string): Promise<Diagnostic[]> => {
    if (!opened.has(relative)) client.open(uri(relative), fs.readFileSync(path.join(work, relative), 'utf8'), 1);
    opened.add(relative);
    return client.diagnosticsFor(uri(relative), 1);
  };

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-iac-apps-'));
    fs.cpSync(REPOSITORY, work, { recursive: true });
    const git = (...args: string[]): void => {
      execFileSync('git', args, { cwd: work, env: { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'pipe' });
    };
    git('init', '--quiet');
    git('remote', 'add', 'origin', 'https://git.example.com/shop/gitops.git');
    client = await LspClient.start({ workspaceFolder: work });
    await client.ready();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('reports a path that does not exist (error) and one with nothing to apply (warning)', async () => {
    assert.deepEqual(appFindings(await open('apps/broken.yaml')), [
      '10:11-10:28 error Application argocd/payments deploys "overlays/payments", which does not exist in this repository.',
      '24:11-24:21 warning Application argocd/placeholder deploys "apps/empty", which holds nothing to apply (no YAML manifests, kustomization or Chart.yaml directly in it; set directory.recurse to read its subfolders).',
    ]);
  });

  it('accepts paths that exist, whatever form of the remote URL the app uses', async () => {
    assert.deepEqual(appFindings(await open('apps/web-prod.yaml')), []);
    assert.deepEqual(appFindings(await open('apps/root.yaml')), []);
  });

  it('checks Flux Kustomizations and HelmReleases through their GitRepository', async () => {
    assert.deepEqual(appFindings(await open('clusters/production/flux.yaml')), [
      '32:9-32:26 error Kustomization flux-system/shop-canary deploys "./overlays/canary", which does not exist in this repository.',
    ]);
  });

  it('links each path of this repository to its folder, revealed in the Explorer', async () => {
    await open('apps/web-prod.yaml');
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri('apps/web-prod.yaml') } });
    const folders = links.map((link) => {
      const [argument] = JSON.parse(decodeURIComponent(String(link.target).replace(/^command:revealInExplorer\?/, ''))) as { scheme: string; path: string }[];
      return `${link.range.start.line + 1}:${link.range.start.character + 1}-${link.range.end.character + 1} ${argument.scheme}:${path.relative(work, argument.path)}`;
    });
    assert.deepEqual(folders, ['11:11-24 file:overlays/prod', '25:13-23 file:charts/web']);
  });

  it('warns on both apps that deploy one object (one through an overlay), and clears the warning when one app goes', async () => {
    const tail = ": two apps that own one object undo each other's changes, and either may prune it.";
    assert.deepEqual(ownershipFindings(await open('apps/web-hotfix.yaml')), [`11:11-11:26 warning Application argocd/web-prod (apps/web-prod.yaml) also deploys v1 Service shop-prod/web-prod${tail}`]);
    assert.deepEqual(ownershipFindings(await open('apps/web-prod.yaml')), [`11:11-11:24 warning Application argocd/web-hotfix (apps/web-hotfix.yaml) also deploys v1 Service shop-prod/web-prod${tail}`]);
    client.replace(uri('apps/web-hotfix.yaml'), '# Retired: the overlay owns the Service again.\n', 2);
    assert.deepEqual(ownershipFindings(await client.diagnosticsFor(uri('apps/web-hotfix.yaml'), 2)), []);
    await client.diagnosticsWhen(uri('apps/web-prod.yaml'), (diagnostics) => ownershipFindings(diagnostics).length === 0, 'apps/web-prod.yaml without its ownership warning');
  });
});
