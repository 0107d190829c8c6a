/**
 * What a commit message says about the pull request it came from, for Roll Back…: GitHub's
 * merge commits ("Merge pull request #12 from owner/branch" + the PR title), squash merges
 * ("Title (#12)") and GitLab's merge commits ("See merge request group/project!12").
 */

export interface PullRequestRef {
  number: number;
  title: string;
}

/** The PR a commit came from, when its message says so. */
export function pullRequestOf(message: string): PullRequestRef | undefined {
  const [subject = '', ...rest] = message.replace(/\r\n/g, '\n').split('\n');
  const paragraphs = rest.join('\n').split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter(Boolean);
  const githubMerge = /^Merge pull request #(\d+) from \S+/.exec(subject);
  if (githubMerge) return { number: Number(githubMerge[1]), title: paragraphs[0]?.split('\n')[0] ?? subject };
  const gitlab = /See merge request (?:\S+)?!(\d+)\s*$/m.exec(message);
  if (gitlab) {
    const title = paragraphs.find((paragraph) => !paragraph.startsWith('See merge request'))?.split('\n')[0] ?? subject;
    return { number: Number(gitlab[1]), title };
  }
  const squash = /^(.*\S)\s+\(#(\d+)\)$/.exec(subject);
  if (squash) return { number: Number(squash[2]), title: squash[1] };
  return undefined;
}

/** The title of the PR that reverts a commit: its PR's title when known, else its subject. */
export function revertTitle(message: string): string {
  const subject = message.split('\n')[0].trim();
  return `Revert: ${pullRequestOf(message)?.title ?? subject}`;
}

/** The IaC files the PR flow offers and validates. */
export const IAC_FILE = /\.(ya?ml|tf|tfvars|json)$/i;
