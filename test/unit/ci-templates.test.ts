/**
 * The CI files of GitOps: Add CI Validation: they parse as YAML and hold the steps that
 * validate a pull request, publish the SARIF findings and comment the plan.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { appendGitLabJob, githubWorkflow, gitlabJob, hasGitLabJob, GITLAB_JOB_NAME } from '../../client/src/ci/ciTemplates';

interface WorkflowStep {
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: WorkflowStep[] }>;
}

describe('GitHub Actions workflow', () => {
  const workflow = parse(githubWorkflow()) as Workflow;
  const steps = workflow.jobs.validate.steps;
  const indexOf = (predicate: (step: WorkflowStep) => boolean): number => {
    const index = steps.findIndex(predicate);
    assert.ok(index >= 0, 'step present');
    return index;
  };

  it('runs on pull requests with the permissions its steps need', () => {
    assert.deepEqual(Object.keys(workflow.on), ['pull_request']);
    assert.deepEqual(workflow.permissions, { contents: 'read', 'security-events': 'write', 'pull-requests': 'write' });
    assert.equal(workflow.jobs.validate['runs-on'], 'ubuntu-latest');
  });

  it('checks out with history, sets up Node, validates to SARIF, uploads it, plans and comments, in that order', () => {
    const checkout = indexOf((step) => step.uses === 'actions/checkout@v5');
    assert.equal(steps[checkout].with?.['fetch-depth'], 0);
    const node = indexOf((step) => step.uses === 'actions/setup-node@v5');
    assert.equal(steps[node].with?.['node-version'], 20);
    const check = indexOf((step) => /gitops-iac check --format sarif > results\.sarif/.test(step.run ?? ''));
    const upload = indexOf((step) => step.uses === 'github/codeql-action/upload-sarif@v4');
    assert.equal(steps[upload].with?.sarif_file, 'results.sarif');
    assert.equal(steps[upload].if, 'always()', 'findings are uploaded even when errors were found');
    const plan = indexOf((step) => /gitops-iac plan --format markdown > plan\.md/.test(step.run ?? ''));
    const comment = indexOf((step) => /gh pr comment .*--body-file plan\.md/.test(step.run ?? ''));
    assert.equal(steps[comment].env?.GH_TOKEN, '${{ github.token }}');
    const fail = indexOf((step) => step.if === `steps.${steps[check].id}.outputs.status != '0'`);
    const order = [checkout, node, check, upload, plan, comment, fail];
    assert.ok(order.every((index, position) => position === 0 || order[position - 1] < index), `steps in order: ${order.join(', ')}`);
  });

  it('starts the CLI the way the repository says', () => {
    const custom = parse(githubWorkflow({ cliCommand: 'node .gitops-iac/server/out/cli.js' })) as Workflow;
    const runs = custom.jobs.validate.steps.map((step) => step.run ?? '').join('\n');
    assert.match(runs, /node \.gitops-iac\/server\/out\/cli\.js check --format sarif/);
    assert.match(runs, /node \.gitops-iac\/server\/out\/cli\.js plan --format markdown/);
    assert.doesNotMatch(runs, /npx/);
  });
});

interface GitLabJob {
  image: string;
  rules: Array<{ if: string }>;
  script: string[];
  artifacts: { when: string; paths: string[] };
}

describe('GitLab CI job', () => {
  it('runs on merge requests: validates to SARIF, plans, comments the plan, keeps both', () => {
    const job = (parse(gitlabJob()) as Record<string, GitLabJob>)[GITLAB_JOB_NAME];
    assert.deepEqual(job.rules, [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    const script = job.script.join('\n');
    assert.match(script, /gitops-iac check --format sarif > gl-gitops-iac\.sarif/);
    assert.match(script, /gitops-iac plan --format markdown > plan\.md/);
    assert.match(script, /merge_requests\/\$CI_MERGE_REQUEST_IID\/notes/);
    assert.match(script, /PRIVATE-TOKEN: \$GITOPS_IAC_GITLAB_TOKEN/);
    assert.equal(job.script[job.script.length - 1], 'exit $status');
    assert.deepEqual(job.artifacts, { when: 'always', paths: ['gl-gitops-iac.sarif', 'plan.md'] });
  });

  it('appends to an existing .gitlab-ci.yml, keeping what was there', () => {
    const existing = 'stages: [build, test]\nbuild:\n  stage: build\n  script:\n    - make';
    const combined = parse(appendGitLabJob(existing)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(combined), ['stages', 'build', GITLAB_JOB_NAME]);
    assert.deepEqual(combined.build, { stage: 'build', script: ['make'] });
    assert.ok(appendGitLabJob(existing).startsWith(`${existing}\n\n`));
  });

  it('knows when the job is already there', () => {
    assert.equal(hasGitLabJob(gitlabJob()), true);
    assert.equal(hasGitLabJob('build:\n  script: [make]\n'), false);
    assert.equal(hasGitLabJob('other:\n  needs: [gitops-iac]\n'), false);
  });
});
