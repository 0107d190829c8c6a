/** Branch names, remote URLs, compare pages and PR references in commit messages. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { branchFromTemplate, branchNameProblem, firstFreeBranch, slugOf } from '../../server/src/gitops/pr/branchName';
import { compareUrl, defaultApiUrl, parseProjectPath, parseRemoteUrl, providerForHost } from '../../server/src/gitops/pr/remote';
import { pullRequestOf, revertTitle } from '../../server/src/gitops/pr/history';
import { withoutCredentials } from '../../server/src/gitops/pr/failure';

describe('branch names', () => {
  it('slugs titles and fills templates', () => {
    assert.equal(slugOf('Scale web to 4 replicas!'), 'scale-web-to-4-replicas');
    assert.equal(slugOf('Réduire   les coûts — prod'), 'reduire-les-couts-prod');
    assert.equal(slugOf('!!!'), 'change');
    assert.equal(slugOf('x'.repeat(80)).length, 50);
    assert.equal(branchFromTemplate('gitops/{slug}', 'Fix: DNS'), 'gitops/fix-dns');
    assert.equal(branchFromTemplate('team/{slug}-{slug}', 'a'), 'team/a-a');
  });

  it('says why git would refuse a name', () => {
    for (const bad of ['', '-x', 'a b', 'a..b', 'a/.b', 'a.lock', 'a/', 'x~1', 'a:b', 'a@{b']) assert.ok(branchNameProblem(bad), bad);
    for (const good of ['gitops/scale-web', 'feature/JIRA-12_x', 'a.b']) assert.equal(branchNameProblem(good), undefined, good);
  });

  it('adds a suffix until the name is free', () => {
    assert.equal(firstFreeBranch('gitops/a', new Set()), 'gitops/a');
    assert.equal(firstFreeBranch('gitops/a', new Set(['gitops/a', 'gitops/a-2'])), 'gitops/a-3');
  });
});

describe('remotes', () => {
  it('reads the host and project from every URL form, never keeping credentials', () => {
    const cases: [string, string, string][] = [
      ['https://github.com/acme/shop.git', 'github.com', 'acme/shop'],
      ['https://x-access-token:ghp_secret@github.com/acme/shop', 'github.com', 'acme/shop'],
      ['git@github.com:acme/shop.git', 'github.com', 'acme/shop'],
      ['ssh://git@gitlab.example.com:2222/platform/infra/shop.git', 'gitlab.example.com', 'platform/infra/shop'],
      ['https://bitbucket.org/team/repo/', 'bitbucket.org', 'team/repo'],
    ];
    for (const [url, host, projectPath] of cases) assert.deepEqual(parseRemoteUrl(url), { host, projectPath }, url);
    assert.equal(parseRemoteUrl('file:///srv/git/shop.git'), undefined);
    assert.equal(parseRemoteUrl('/srv/git/shop.git'), undefined);
    assert.equal(parseRemoteUrl('C:\\repos\\shop'), undefined);
  });

  it('picks the provider and API root from the host', () => {
    assert.equal(providerForHost('github.com'), 'github');
    assert.equal(providerForHost('github.acme.com'), 'github');
    assert.equal(providerForHost('gitlab.com'), 'gitlab');
    assert.equal(providerForHost('bitbucket.org'), 'compare');
    assert.equal(providerForHost('git.example.com'), 'compare');
    assert.equal(defaultApiUrl('github', 'github.com'), 'https://api.github.com');
    assert.equal(defaultApiUrl('github', 'github.acme.com'), 'https://github.acme.com/api/v3');
    assert.equal(defaultApiUrl('gitlab', 'gitlab.example.com'), 'https://gitlab.example.com/api/v4');
  });

  it('builds each host kind\'s compare page', () => {
    assert.equal(compareUrl('https://github.com/acme/shop', 'github', 'main', 'gitops/a b'), 'https://github.com/acme/shop/compare/main...gitops/a%20b?expand=1');
    assert.equal(compareUrl('https://gitlab.com/g/p', 'gitlab', 'main', 'gitops/x'), 'https://gitlab.com/g/p/-/merge_requests/new?merge_request%5Bsource_branch%5D=gitops%2Fx&merge_request%5Btarget_branch%5D=main');
    assert.equal(compareUrl('https://bitbucket.org/t/r', 'bitbucket', 'main', 'gitops/x'), 'https://bitbucket.org/t/r/pull-requests/new?source=gitops%2Fx&dest=main');
    assert.equal(compareUrl('https://git.example.com/t/r/', 'other', 'main', 'x'), 'https://git.example.com/t/r/compare/main...x?expand=1');
  });

  it('checks --repo and strips credentials from messages', () => {
    assert.deepEqual(parseProjectPath('acme/shop.git'), { projectPath: 'acme/shop' });
    assert.ok(parseProjectPath('shop').problem);
    assert.ok(parseProjectPath('acme/sh op').problem);
    assert.equal(withoutCredentials('fatal: unable to access https://user:tok3n@github.com/a/b/'), 'fatal: unable to access https://github.com/a/b/');
  });
});

describe('PR references in commit messages', () => {
  it('reads GitHub merges, squashes and GitLab merges', () => {
    assert.deepEqual(pullRequestOf('Merge pull request #12 from acme/gitops/scale\n\nScale web to 4\n'), { number: 12, title: 'Scale web to 4' });
    assert.deepEqual(pullRequestOf('Scale web to 4 (#13)\n\n* details'), { number: 13, title: 'Scale web to 4' });
    assert.deepEqual(pullRequestOf("Merge branch 'gitops/x' into 'main'\n\nRaise limits\n\nSee merge request platform/infra!7"), { number: 7, title: 'Raise limits' });
    assert.equal(pullRequestOf('Plain commit'), undefined);
    assert.equal(revertTitle('Scale web to 4 (#13)'), 'Revert: Scale web to 4');
    assert.equal(revertTitle('Plain commit\n\nbody'), 'Revert: Plain commit');
  });
});
