// A static file server on 127.0.0.1 for a Nix binary cache directory (what
// `nix copy --to file://dir` wrote), as an HTTP binary cache serves one: GET
// and HEAD of nix-cache-info, <hash>.narinfo and nar/…; 404 for anything
// else. It records the requests, so a test can tell what Nix fetched.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize } from 'node:path';

export interface StaticServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function serveDir(dir: string): Promise<StaticServer> {
  const requests: StaticServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(dir, normalize(path).replace(/^(\.\.(\/|$))+/, ''));
    const ok =
      (req.method === 'GET' || req.method === 'HEAD') &&
      file.startsWith(`${dir}/`) &&
      existsSync(file) &&
      statSync(file).isFile();
    const status = ok ? 200 : 404;
    requests.push({ method: req.method ?? '', path, status });
    if (!ok) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-length': statSync(file).size,
      'content-type': file.endsWith('.narinfo') ? 'text/x-nix-narinfo' : 'application/octet-stream',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
