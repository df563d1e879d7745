// A loopback fake of the GitHub REST API: the only fake in the project. It
// records every request and keeps check runs the way GitHub does (updates
// merge into the run, annotations append), so tests can assert both the
// exact requests and their effect. `prefix` serves the API under a path, as
// GitHub Enterprise Server does (`https://ghe.example.com/api/v3`).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiRequest {
  method: string;
  /** Path below the prefix, without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ApiAnswer {
  status: number;
  body?: unknown;
}

/** Returns an answer to override the default behaviour, or undefined to keep it. */
export type ApiHandler = (request: ApiRequest) => ApiAnswer | undefined;

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: unknown[];
}

export interface GitHubApi {
  /** The API base URL to give Octokit (GITHUB_API_URL). */
  url: string;
  requests: ApiRequest[];
  checkRuns: StoredCheckRun[];
  /** Replaces the handler consulted before the default behaviour. */
  handle(handler: ApiHandler | undefined): void;
  close(): Promise<void>;
}

export async function startGitHubApi(options: { prefix?: string } = {}): Promise<GitHubApi> {
  const prefix = options.prefix ?? '';
  const requests: ApiRequest[] = [];
  const checkRuns: StoredCheckRun[] = [];
  let handler: ApiHandler | undefined;

  const defaults = (req: ApiRequest): ApiAnswer => {
    const body = (req.body ?? {}) as Record<string, unknown> & { output?: Record<string, unknown> };
    if (req.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(req.path)) {
      const run: StoredCheckRun = {
        id: 4000 + checkRuns.length,
        name: String(body.name),
        head_sha: String(body.head_sha),
        status: String(body.status ?? 'queued'),
        conclusion: (body.conclusion as string | undefined) ?? null,
        output: {},
        annotations: [],
      };
      checkRuns.push(run);
      merge(run, body);
      return { status: 201, body: view(run) };
    }
    const update = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(req.path);
    const run = update && checkRuns.find((r) => r.id === Number(update[1]));
    if (req.method === 'PATCH' && run) {
      merge(run, body);
      return { status: 200, body: view(run) };
    }
    return {
      status: 404,
      body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
    };
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const request: ApiRequest = {
      method: req.method ?? '',
      path: pathname.startsWith(prefix) ? pathname.slice(prefix.length) : pathname,
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    requests.push(request);
    const answer =
      (pathname.startsWith(prefix) ? handler?.(request) : undefined) ?? defaults(request);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    checkRuns,
    handle: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function merge(
  run: StoredCheckRun,
  body: Record<string, unknown> & { output?: Record<string, unknown> },
) {
  if (typeof body.status === 'string') run.status = body.status;
  if (typeof body.conclusion === 'string') run.conclusion = body.conclusion;
  if (body.output) {
    const { annotations, ...rest } = body.output;
    Object.assign(run.output, rest);
    if (Array.isArray(annotations)) run.annotations.push(...annotations);
  }
}

function view(run: StoredCheckRun) {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    output: { ...run.output, annotations_count: run.annotations.length },
  };
}
