/**
 * The CI files GitOps: Add CI Validation writes: a GitHub Actions workflow and a GitLab CI job
 * that validate a pull request's IaC files with `gitops-iac check`, publish the findings as
 * SARIF, and post `gitops-iac plan --format markdown` on the pull request. Pure text builders.
 */

export const GITHUB_WORKFLOW_PATH = '.github/workflows/gitops-iac.yml';
export const GITLAB_CI_PATH = '.gitlab-ci.yml';
export const GITLAB_JOB_NAME = 'gitops-iac';

export interface CiTemplateOptions {
  /**
   * How the CI job starts the CLI. The default fetches the package with npx; a repository that
   * builds gitops-iac from a checkout puts `node path/to/server/out/cli.js` here.
   */
  cliCommand?: string;
}

const DEFAULT_CLI_COMMAND = 'npx --yes gitops-iac';

export function githubWorkflow(options: CiTemplateOptions = {}): string {
  const cli = options.cliCommand ?? DEFAULT_CLI_COMMAND;
  return `# Written by GitOps IaC (GitOps: Add CI Validation).
# Validates the infrastructure files of every pull request, shows the findings in code
# scanning, and comments the plan of what would change when the pull request is applied.
name: GitOps IaC

on:
  pull_request:

permissions:
  contents: read
  security-events: write # upload-sarif
  pull-requests: write # the plan comment

jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0 # the plan compares the branch with its base
      - uses: actions/setup-node@v5
        with:
          node-version: 20
      # Exit status 1 means errors were found: the results are still uploaded and the plan
      # still posted, and the last step fails the job.
      - name: Validate
        id: check
        run: |
          set +e
          ${cli} check --format sarif > results.sarif
          echo "status=$?" >> "$GITHUB_OUTPUT"
      - name: Upload the findings to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@v4
        with:
          sarif_file: results.sarif
      - name: Plan
        if: always()
        run: ${cli} plan --format markdown > plan.md
      - name: Comment the plan on the pull request
        if: always() && hashFiles('plan.md') != ''
        env:
          GH_TOKEN: \${{ github.token }}
        run: gh pr comment "\${{ github.event.pull_request.number }}" --body-file plan.md
      - name: Fail when validation found errors
        if: steps.check.outputs.status != '0'
        run: exit "\${{ steps.check.outputs.status }}"
`;
}

/** The job alone (no stages of its own), so it can be appended to an existing .gitlab-ci.yml. */
export function gitlabJob(options: CiTemplateOptions = {}): string {
  const cli = options.cliCommand ?? DEFAULT_CLI_COMMAND;
  return `# Written by GitOps IaC (GitOps: Add CI Validation).
# Validates the infrastructure files of every merge request and comments the plan on it.
# The comment needs a project access token with the api scope in the CI/CD variable
# GITOPS_IAC_GITLAB_TOKEN (masked); without it the plan is only kept as an artifact.
${GITLAB_JOB_NAME}:
  image: node:20
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - set +e
    - ${cli} check --format sarif > gl-gitops-iac.sarif; status=$?
    - ${cli} check
    - ${cli} plan --format markdown > plan.md
    - >
      if [ -n "$GITOPS_IAC_GITLAB_TOKEN" ]; then
      curl --silent --show-error --fail --request POST
      --header "PRIVATE-TOKEN: $GITOPS_IAC_GITLAB_TOKEN"
      --data-urlencode "body@plan.md"
      "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes";
      fi
    - exit $status
  artifacts:
    when: always
    paths:
      - gl-gitops-iac.sarif
      - plan.md
`;
}

/** True when a .gitlab-ci.yml already defines the job (a top-level `gitops-iac:` key). */
export function hasGitLabJob(existing: string): boolean {
  return new RegExp(`^['"]?${GITLAB_JOB_NAME}['"]?\\s*:`, 'm').test(existing);
}

/** An existing .gitlab-ci.yml with the job appended as one more top-level key. */
export function appendGitLabJob(existing: string, options: CiTemplateOptions = {}): string {
  const separated = existing === '' || existing.endsWith('\n\n') ? existing : existing.endsWith('\n') ? `${existing}\n` : `${existing}\n\n`;
  return `${separated}${gitlabJob(options)}`;
}
