/**
 * A local GitHub REST API for tests: an HTTP server on 127.0.0.1 that validates every
 * request against GitHub's own OpenAPI description (@octokit/openapi, through
 * openapi-backend) and keeps pull requests per repository. It answers as GitHub does:
 * 401 "Bad credentials" for a wrong token, 422 "Validation Failed" for an invalid request
 * and for a second open PR from the same head, 404 for unknown repositories. Every request
 * is recorded (method, path, body) for assertions.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAPIBackend, type Context, type Document } from 'openapi-backend';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The operation GitHub's description names (`pulls/create`), when the request matched one. */
  operationId?: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface FakePull {
  owner: string;
  repo: string;
  number: number;
  title: string;
  /** Empty when the PR was opened without one. */
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
}

export interface GitHubApiOptions {
  token: string;
  /** Repositories that exist; when absent, every repository exists, with default branch main. */
  repositories?: { owner: string; name: string; defaultBranch?: string }[];
  /** GitHub refuses a PR whose head branch it does not have: this says whether the branch was pushed. */
  hasBranch?: (owner: string, repo: string, branch: string) => boolean | Promise<boolean>;
}

export interface GitHubApi {
  /** The API root, for Octokit's baseUrl and `--api-url`. */
  url: string;
  requests: RecordedRequest[];
  /** Every PR opened or added, in order. */
  pullRequests(): FakePull[];
  addPull(pull: Omit<FakePull, 'number'>): FakePull;
  close(): Promise<void>;
}

let definition: Promise<Document> | undefined;

/** GitHub's description (13 MB) is read once per test process. */
function githubDescription(): Promise<Document> {
  definition ??= import('node:fs/promises').then(async (fs) => JSON.parse(await fs.readFile(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Document);
  return definition;
}

const DOCS = 'https://docs.github.com/rest';

export async function startGitHubApi(options: GitHubApiOptions): Promise<GitHubApi> {
  const pulls: FakePull[] = [];
  const known = options.repositories?.map((each) => ({ ...each, key: `${each.owner}/${each.name}`.toLowerCase() }));
  const requests: RecordedRequest[] = [];
  let nextNumber = 1;
  let baseUrl = '';

  const api = new OpenAPIBackend({ definition: structuredClone(await githubDescription()), quick: true, validate: true, ajvOpts: { strict: false, validateFormats: false } });
  type Reply = { status: number; body: unknown };
  const error = (status: number, message: string, extra: Record<string, unknown> = {}): Reply => ({ status, body: { message, ...extra, documentation_url: DOCS, status: String(status) } });
  /** The repository a request names, with its PRs; `pulls` is undefined when it does not exist. */
  const repoOf = (context: Context): { owner: string; repo: string; defaultBranch: string; pulls?: FakePull[] } => {
    const { owner, repo } = context.request.params as { owner: string; repo: string };
    const key = `${owner}/${repo}`.toLowerCase();
    const repository = known ? known.find((each) => each.key === key) : { defaultBranch: 'main' };
    const ofRepo = pulls.filter((pull) => `${pull.owner}/${pull.repo}`.toLowerCase() === key);
    return { owner, repo, defaultBranch: repository?.defaultBranch ?? 'main', pulls: repository ? ofRepo : undefined };
  };
  const pullJson = (owner: string, repo: string, pull: FakePull): Record<string, unknown> => ({
    url: `${baseUrl}/repos/${owner}/${repo}/pulls/${pull.number}`,
    html_url: `${baseUrl.replace(/\/api\/v3$/, '')}/${owner}/${repo}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body || null,
    draft: pull.draft,
    head: { ref: pull.head, label: `${owner}:${pull.head}` },
    base: { ref: pull.base, label: `${owner}:${pull.base}` },
  });
  const addPull = (pull: Omit<FakePull, 'number'>): FakePull => {
    const created = { ...pull, number: nextNumber++ };
    pulls.push(created);
    return created;
  };

  api.register({
    'repos/get': (context): Reply => {
      const { owner, repo, defaultBranch, pulls: ofRepo } = repoOf(context);
      if (!ofRepo) return error(404, 'Not Found');
      return { status: 200, body: { id: 1, name: repo, full_name: `${owner}/${repo}`, private: false, default_branch: defaultBranch, html_url: `${baseUrl}/${owner}/${repo}` } };
    },
    'pulls/list': (context): Reply => {
      const { owner, repo, pulls: ofRepo } = repoOf(context);
      if (!ofRepo) return error(404, 'Not Found');
      const query = context.request.query as { head?: string; state?: string };
      const wanted = query.state ?? 'open';
      const matching = ofRepo.filter((pull) => (wanted === 'all' || pull.state === wanted) && (!query.head || `${owner}:${pull.head}` === query.head));
      return { status: 200, body: matching.map((pull) => pullJson(owner, repo, pull)) };
    },
    'pulls/get': (context): Reply => {
      const { owner, repo, pulls: ofRepo } = repoOf(context);
      const number = Number((context.request.params as { pull_number: string }).pull_number);
      const pull = ofRepo?.find((each) => each.number === number);
      return pull ? { status: 200, body: pullJson(owner, repo, pull) } : error(404, 'Not Found');
    },
    'pulls/create': async (context): Promise<Reply> => {
      const { owner, repo, pulls: ofRepo } = repoOf(context);
      if (!ofRepo) return error(404, 'Not Found');
      const body = context.request.requestBody as { title?: string; head: string; base: string; body?: string; draft?: boolean };
      if (ofRepo.some((pull) => pull.state === 'open' && pull.head === body.head && pull.base === body.base)) {
        return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${body.head}.` }] });
      }
      if (options.hasBranch && !(await options.hasBranch(owner, repo, body.head))) {
        return error(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
      }
      const pull = addPull({ owner, repo, title: body.title ?? '', body: body.body ?? '', head: body.head, base: body.base, draft: body.draft === true, state: 'open' });
      return { status: 201, body: pullJson(owner, repo, pull) };
    },
    validationFail: (context): Reply => error(422, 'Invalid request.', { errors: (context.validation.errors ?? []).map((each) => `${each.instancePath} ${each.message ?? ''}`.trim()) }),
    notFound: (): Reply => error(404, 'Not Found'),
    notImplemented: (context): Reply => error(501, `The test double does not implement ${context.operation.operationId ?? 'this operation'}.`),
  });
  await api.init();

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const text = Buffer.concat(chunks).toString('utf8');
        const record: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname + url.search, headers: request.headers, body: undefined };
        requests.push(record);
        let reply: Reply;
        try {
          record.body = text ? JSON.parse(text) : undefined;
          const authorization = request.headers.authorization ?? '';
          if (authorization !== `token ${options.token}` && authorization !== `Bearer ${options.token}`) reply = error(401, 'Bad credentials');
          else {
            const query: Record<string, string> = Object.fromEntries(url.searchParams);
            const matched = api.matchOperation({ method: record.method, path: url.pathname, headers: request.headers as Record<string, string>, query });
            record.operationId = matched?.operationId;
            reply = (await api.handleRequest({ method: record.method, path: url.pathname, query, headers: request.headers as Record<string, string>, body: record.body })) as Reply;
          }
        } catch {
          reply = error(400, 'Problems parsing JSON');
        }
        response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(reply.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    pullRequests: () => [...pulls],
    addPull,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
