/**
 * A local GitLab merge-request API for tests, following GitLab's documented REST API v4:
 * `GET /api/v4/projects/:id` and `POST|GET /api/v4/projects/:id/merge_requests`, where
 * `:id` is a number or the URL-encoded project path and the token comes in `PRIVATE-TOKEN`.
 * 401 `{"message":"401 Unauthorized"}` for a wrong token, 404 for an unknown project, 400
 * for missing required attributes, 409 for a second open MR from the same source branch.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMergeRequest {
  project: string;
  iid: number;
  title: string;
  description: string;
  source_branch: string;
  target_branch: string;
  state: 'opened' | 'closed' | 'merged';
}

export interface GitLabApi {
  /** The API root, `http://127.0.0.1:PORT/api/v4`, for `--api-url`. */
  url: string;
  requests: { method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown }[];
  mergeRequests(): FakeMergeRequest[];
  close(): Promise<void>;
}

export async function startGitLabApi(options: { token: string; projects: { path: string; defaultBranch?: string }[] }): Promise<GitLabApi> {
  const mergeRequests: FakeMergeRequest[] = [];
  const requests: GitLabApi['requests'] = [];
  let origin = '';

  const handle = (method: string, url: URL, headers: http.IncomingHttpHeaders, body: unknown): { status: number; body: unknown } => {
    if (headers['private-token'] !== options.token) return { status: 401, body: { message: '401 Unauthorized' } };
    const match = /^\/api\/v4\/projects\/([^/]+)(\/merge_requests)?$/.exec(url.pathname);
    const id = match ? decodeURIComponent(match[1]) : undefined;
    const index = options.projects.findIndex((project) => project.path === id || String(options.projects.indexOf(project) + 1) === id);
    if (!match || index === -1) return { status: 404, body: { message: '404 Project Not Found' } };
    const project = options.projects[index];
    if (!match[2]) {
      if (method !== 'GET') return { status: 405, body: { message: '405 Method Not Allowed' } };
      return { status: 200, body: { id: index + 1, path_with_namespace: project.path, default_branch: project.defaultBranch ?? 'main', web_url: `${origin}/${project.path}` } };
    }
    const ofProject = mergeRequests.filter((mr) => mr.project === project.path);
    const json = (mr: FakeMergeRequest): unknown => ({ ...mr, id: 1000 + mr.iid, project_id: index + 1, web_url: `${origin}/${project.path}/-/merge_requests/${mr.iid}` });
    if (method === 'GET') {
      const query = url.searchParams;
      const wanted = ofProject.filter((mr) => (!query.get('source_branch') || mr.source_branch === query.get('source_branch')) && (!query.get('target_branch') || mr.target_branch === query.get('target_branch')) && (!query.get('state') || query.get('state') === 'all' || mr.state === query.get('state')));
      return { status: 200, body: wanted.map(json) };
    }
    if (method !== 'POST') return { status: 405, body: { message: '405 Method Not Allowed' } };
    const fields = (body ?? {}) as Partial<Record<'source_branch' | 'target_branch' | 'title' | 'description', unknown>>;
    const missing = (['source_branch', 'target_branch', 'title'] as const).filter((key) => typeof fields[key] !== 'string' || fields[key] === '');
    if (missing.length > 0) return { status: 400, body: { error: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing` } };
    const existing = ofProject.find((mr) => mr.state === 'opened' && mr.source_branch === fields.source_branch && mr.target_branch === fields.target_branch);
    if (existing) return { status: 409, body: { message: [`Another open merge request already exists for this source branch: !${existing.iid}`] } };
    const mr: FakeMergeRequest = { project: project.path, iid: ofProject.length + 1, title: String(fields.title), description: typeof fields.description === 'string' ? fields.description : '', source_branch: String(fields.source_branch), target_branch: String(fields.target_branch), state: 'opened' };
    mergeRequests.push(mr);
    return { status: 201, body: json(mr) };
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let reply: { status: number; body: unknown };
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
        reply = handle(request.method ?? 'GET', url, request.headers, body);
      } catch {
        reply = { status: 400, body: { error: 'The request body is not JSON' } };
      }
      requests.push({ method: request.method ?? 'GET', path: url.pathname + url.search, headers: request.headers, body });
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/api/v4`, requests, mergeRequests: () => [...mergeRequests], close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
