// A real git server over HTTP on loopback: git's own `git http-backend` (the
// CGI program behind most git hosts' smart HTTP) behind a small Node server
// that, like GitHub, answers 401 unless the request carries the expected
// `Authorization: basic base64(x-access-token:<token>)`. Every Authorization
// header it was sent is kept, so a test can see the token travelled in the
// header and nowhere else.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>/<name>` for a bare repository `<root>/<name>`. */
  url(name: string): string;
  /** Authorization headers received, in order. */
  authorizations: string[];
  close(): Promise<void>;
}

const BACKEND = join(
  spawnSync('git', ['--exec-path'], { encoding: 'utf8' }).stdout.trim(),
  'git-http-backend',
);

function cgi(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const child = spawn(BACKEND, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      // receive-pack (push) is served to an authenticated user only.
      REMOTE_USER: 'x-access-token',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  req.pipe(child.stdin);
  const out: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.on('close', () => {
    const data = Buffer.concat(out);
    const cut = data.indexOf('\r\n\r\n');
    const end = cut >= 0 ? cut : data.indexOf('\n\n');
    const sep = cut >= 0 ? 4 : 2;
    const head = data.subarray(0, Math.max(end, 0)).toString('latin1');
    let status = 200;
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    res.end(end >= 0 ? data.subarray(end + sep) : data);
  });
}

const basic = (token: string): string =>
  `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;

/**
 * Serves the bare repositories under `root`: `token` may read and write,
 * `readToken` only read (a push gets 403, as a `contents: read` token does
 * on GitHub); anything else gets 401.
 */
export async function startGitHttpServer(
  root: string,
  token: string,
  readToken = '',
): Promise<GitHttpServer> {
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    const auth = req.headers.authorization?.replace(/^basic /i, 'basic ');
    if (auth) authorizations.push(auth);
    const pushing = /git-receive-pack/.test(req.url ?? '');
    if (readToken && auth === basic(readToken) && pushing) {
      res.writeHead(403);
      res.end('Permission to lattice.git denied to github-actions[bot].\n');
      return;
    }
    if (auth !== basic(token) && !(readToken && auth === basic(readToken))) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('authentication required\n');
      return;
    }
    cgi(root, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
