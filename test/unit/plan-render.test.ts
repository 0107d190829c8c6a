/** The plan's Markdown (PR bodies, the CLI) and the webview page: counts, labels, escaping, CSP. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planEnvironment, planReport } from '../../server/src/plan/model';
import { renderPlanJson, renderPlanMarkdown } from '../../server/src/plan/render';
import type { PlanResource } from '../../server/src/plan/types';
import { isOpenSourceMessage, linkedUris, renderPlanHtml } from '../../client/src/plan/planHtml';

const ROOT = 'file:///work/repo';

function resource(overrides: Partial<PlanResource>): PlanResource {
  return { source: 'kubernetes', id: 'apps/v1/Deployment/shop/web', title: 'Deployment shop/web', action: 'update', precision: 'exact', changes: [], ...overrides };
}

const hostile = resource({
  id: 'v1/ConfigMap/shop/<script>alert(1)</script>',
  title: 'ConfigMap shop/<script>alert(1)</script>',
  action: 'create',
  precision: 'approximate',
  note: 'Refused by <b>webhook</b> | `x`',
  changes: [{ path: 'data.<img src=x onerror=alert(1)>', after: '</td><script>alert(2)</script>|`' }],
  declaredAt: { uri: `${ROOT}/apps/x%22onmouseover=%22.yaml`, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } } },
});

const report = planReport({
  rootUri: ROOT,
  base: 'main',
  mergeBase: '0123456789abcdef0123456789abcdef01234567',
  changedFiles: ['apps/web.yaml', 'infra/main.tf'],
  environments: [
    planEnvironment('kubernetes', 'prod', [
      resource({ changes: [{ path: 'spec.replicas', before: 2, after: 3 }], declaredAt: { uri: `${ROOT}/apps/web.yaml`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 18 } } } }),
      resource({ id: 'v1/Service/shop/web', title: 'Service shop/web', action: 'no-op' }),
      hostile,
    ]),
    planEnvironment('terraform', 'infra', [], 'terraform was not found on the PATH.'),
  ],
  createdAt: new Date('2026-01-02T03:04:05Z'),
});

/** Check mode reached web-1 but not web-2: a plan of part of the environment. */
const partial = planReport({
  rootUri: ROOT,
  base: 'main',
  changedFiles: ['ops/site.yml'],
  environments: [planEnvironment('ansible', 'ops/site.yml', [resource({ source: 'ansible', id: 'ops/site.yml:9@web-1', title: 'Motd on web-1', changes: [{ path: '/etc/motd', before: 'hi\n', after: 'welcome\n' }] })], 'Host web-2 is unreachable: Connection refused')],
  createdAt: new Date('2026-01-02T03:04:05Z'),
});

describe('plan model', () => {
  it('counts per action, per environment and overall', () => {
    assert.deepEqual(report.counts, { create: 1, update: 1, replace: 0, delete: 0, 'no-op': 1 });
    assert.deepEqual(report.environments[0].counts, report.counts);
  });
});

describe('renderPlanMarkdown', () => {
  const markdown = renderPlanMarkdown(report);

  it('heads with the counts and the base, and lists each change with its source line', () => {
    assert.match(markdown, /^### Plan: 1 to create, 1 to update\n\nCompared with `main` \(merge base 0123456789ab\); 2 changed IaC files\./);
    assert.match(markdown, /#### Kubernetes: prod\n/);
    assert.match(markdown, /<summary>~ update Deployment shop\/web<\/summary>/);
    assert.match(markdown, /Declared at `apps\/web.yaml:1`\./);
    assert.match(markdown, /\| `spec.replicas` \| `2` \| `3` \|/);
    assert.match(markdown, /1 more resource unchanged\./);
    assert.match(markdown, /#### Terraform: infra\n\nNot planned: terraform was not found on the PATH\./);
  });

  it('labels approximate resources and escapes what could become markup', () => {
    assert.match(markdown, /<summary>\+ create ConfigMap shop\/&#60;script&#62;alert\(1\)&#60;\/script&#62; \(approximate\)<\/summary>/);
    // Markup appears only inside the table's code spans, which GitHub and GitLab show literally.
    const outsideCode = markdown.split('\n').filter((line) => !line.startsWith('| ')).join('\n');
    assert.ok(!/(?<!\\)<(script|img|b)\b/.test(outsideCode), outsideCode);
    assert.match(markdown, /Refused by \\<b\\>webhook\\<\/b\\> \\\| \\`x\\`/);
    // A `|` inside a cell does not split the table; a backtick does not close the code span.
    assert.match(markdown, /\| `data.<img src=x onerror=alert\(1\)>` \| `\(absent\)` \| ``"<\/td><script>alert\(2\)<\/script>\\\|`"`` \|/);
  });

  it('takes a heading level', () => {
    assert.match(renderPlanMarkdown(report, { headingLevel: 2 }), /^## Plan: .*\n[\s\S]*\n### Kubernetes: prod/);
  });

  it('shows what was planned of an environment that also reports a problem', () => {
    const markdown = renderPlanMarkdown(partial);
    assert.match(markdown, /#### Ansible: ops\/site\.yml\n\nPartly planned: Host web-2 is unreachable: Connection refused\n\n1 to update\.\n\n<details><summary>~ update Motd on web-1<\/summary>/);
  });

  it('names the commit planned instead of the work tree, in Markdown and in the page', () => {
    const ofCommit = { ...partial, head: 'fedcba9876543210fedcba9876543210fedcba98' };
    assert.match(renderPlanMarkdown(ofCommit), /^Compared with `main`; 1 changed IaC file up to commit fedcba987654\.$/m);
    assert.match(renderPlanHtml(ofCommit, { nonce: 'n' }), /1 changed IaC file up to commit fedcba987654 \(not the work tree\)\./);
    assert.doesNotMatch(renderPlanMarkdown(partial), /up to commit/);
  });

  it('says so when nothing is planned', () => {
    const empty = planReport({ rootUri: ROOT, base: 'main', changedFiles: [], environments: [], createdAt: new Date(0) });
    assert.match(renderPlanMarkdown(empty), /^### Plan: no changes\n[\s\S]*Nothing to plan/);
  });
});

describe('renderPlanJson', () => {
  it('is one line of the report itself', () => {
    const text = renderPlanJson(report);
    assert.equal(text.split('\n').length, 2);
    assert.deepEqual(JSON.parse(text), report);
  });
});

describe('renderPlanHtml', () => {
  const html = renderPlanHtml(report, { nonce: 'n0nce' });

  it('has a strict Content Security Policy and loads nothing', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /style-src 'nonce-n0nce'/);
    assert.match(csp, /script-src 'nonce-n0nce'/);
    assert.ok(!/https?:/.test(html), 'no remote resource');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="n0nce">/);
    assert.match(html, /<style nonce="n0nce">/);
    assert.ok(!/ style="/.test(html), 'no inline style attribute (the CSP would refuse it)');
    assert.match(html, /var\(--vscode-foreground\)/);
  });

  it('escapes every text from the report', () => {
    assert.ok(!html.includes('<script>alert'));
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('<b>'));
    assert.match(html, /ConfigMap shop\/&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    // The URI cannot break out of its attribute.
    assert.match(html, /data-uri="file:\/\/\/work\/repo\/apps\/x%22onmouseover=%22.yaml"/);
  });

  it('shows counts, labels, diffs and source links', () => {
    assert.match(html, /<li class="create">1 create<\/li><li class="update">1 update<\/li>/);
    assert.match(html, /<span class="precision approximate">approximate<\/span>/);
    assert.match(html, /<td>spec.replicas<\/td><td class="before">2<\/td><td class="after">3<\/td>/);
    assert.match(html, /<a href="#" data-uri="file:\/\/\/work\/repo\/apps\/web.yaml" data-line="0" data-character="0">apps\/web.yaml:1<\/a>/);
    assert.match(html, /class="error">Not planned: terraform was not found/);
  });

  it('shows what was planned of an environment that also reports a problem, after the problem', () => {
    const page = renderPlanHtml(partial, { nonce: 'n0nce' });
    const section = /<section><h2>Ansible: ops\/site\.yml<\/h2>[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    assert.match(section, /^<section><h2>Ansible: ops\/site\.yml<\/h2><p class="error">Partly planned: Host web-2 is unreachable: Connection refused<\/p><p class="muted">1 to update<\/p><details open><summary><span class="action update">~ update<\/span>Motd on web-1/);
    assert.match(section, /<td>\/etc\/motd<\/td><td class="before">&#34;hi\\n&#34;<\/td><td class="after">&#34;welcome\\n&#34;<\/td>/);
    assert.ok(!page.includes('Not planned'));
  });

  it('opens only what the page links to', () => {
    assert.deepEqual([...linkedUris(report)].sort(), [`${ROOT}/apps/web.yaml`, `${ROOT}/apps/x%22onmouseover=%22.yaml`]);
    assert.ok(isOpenSourceMessage({ type: 'open', uri: `${ROOT}/apps/web.yaml`, line: 0, character: 0 }));
    assert.ok(!isOpenSourceMessage({ type: 'open', uri: `${ROOT}/apps/web.yaml`, line: '0', character: 0 }));
    assert.ok(!isOpenSourceMessage(null));
  });
});
