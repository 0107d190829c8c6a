/**
 * Branch names for GitOps pull requests: a template such as `gitops/{slug}` filled with the
 * title's slug, made unique against the branches that already exist, and checked against
 * git's rules for ref names so a bad title can never produce a branch git refuses.
 */

export const DEFAULT_BRANCH_TEMPLATE = 'gitops/{slug}';

const MAX_SLUG_LENGTH = 50;

/** `Scale web to 3 replicas!` → `scale-web-to-3-replicas`; accents dropped, never empty. */
export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'change';
}

/**
 * Why git would refuse `name` as a branch (`git check-ref-format --branch`), or undefined
 * when it is fine. Checked here so the failure is words, before anything runs.
 */
export function branchNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the branch name is empty';
  if (name.startsWith('-')) return `"${name}" starts with "-"`;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return `"${name}" contains a space, a control character or one of ~ ^ : ? * [ \\`;
  if (name.includes('..') || name.includes('@{') || name === '@') return `"${name}" contains ".." or "@{"`;
  if (name.split('/').some((part) => part === '' || part.startsWith('.') || part.endsWith('.lock'))) {
    return `"${name}" has an empty part, a part starting with "." or ending with ".lock"`;
  }
  if (name.endsWith('.')) return `"${name}" ends with "."`;
  return undefined;
}

/** The template filled with the title's slug; `{slug}` may appear anywhere, or not at all. */
export function branchFromTemplate(template: string, title: string): string {
  return template.split('{slug}').join(slugOf(title));
}

/** `name`, or `name-2`, `name-3`, … : the first that `taken` does not hold. */
export function firstFreeBranch(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${name}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
