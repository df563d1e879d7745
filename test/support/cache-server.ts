// A loopback stand-in for GitHub's Actions cache service, v2 protocol, for
// the real @actions/cache client (run unmodified against it):
//
// - Twirp JSON RPCs under /twirp/github.actions.results.api.v1.CacheService/
//   (CreateCacheEntry, FinalizeCacheEntryUpload, GetCacheEntryDownloadURL),
//   bearer-token authenticated, errors as Twirp error bodies ({code, msg}).
// - "Signed" blob URLs on the same server, answering the Azure Blob REST calls
//   the client makes: Put Blob, Put Block + Put Block List (large archives),
//   Get Blob with Range / x-ms-range, Get Blob Properties (HEAD).
//
// Semantics follow the hosted service: entries are scoped by version (the
// client's hash of paths + compression); a key+version can be created once
// (409 already_exists afterwards, also while another job is uploading it);
// only finalized entries are found; lookup tries the exact key, then each of
// key and restore keys as a prefix, newest entry first. One scope (branch).
//
// Faults: 'down' (nothing listens on the port), 'rate-limit' (429 on every
// RPC), 'conflict' (every reservation answers 409, as when another job holds
// the key), 'slow' (every request waits `slowMs` before it is answered).
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type CacheFault = 'none' | 'down' | 'rate-limit' | 'conflict' | 'slow';

export interface CacheServerOptions {
  fault?: CacheFault;
  /** Delay of every answer under 'slow'. */
  slowMs?: number;
}

export interface CacheEntryInfo {
  id: number;
  key: string;
  version: string;
  size: number;
  finalized: boolean;
}

export interface CacheServerRequest {
  method: string;
  /** Path without the query, e.g. /twirp/.../CreateCacheEntry or /cacheaccount/actions-cache/1. */
  path: string;
  /** The query's `comp` (block, blocklist) for blob calls. */
  comp: string | null;
  status: number;
}

export interface CacheServer {
  /** ACTIONS_RESULTS_URL */
  readonly url: string;
  /** The variables the runner gives a job for cache service v2. */
  readonly env: Record<string, string>;
  fault: CacheFault;
  readonly requests: CacheServerRequest[];
  entries(): CacheEntryInfo[];
  close(): Promise<void>;
}

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';
const BLOB_PREFIX = '/cacheaccount/actions-cache/';

interface Entry {
  id: number;
  key: string;
  version: string;
  seq: number; // creation order: newest wins among prefix matches
  uploadSig: string;
  downloadSigs: Set<string>;
  blocks: Map<string, Buffer>;
  blob: Buffer | null;
  finalized: boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startCacheServer(options: CacheServerOptions = {}): Promise<CacheServer> {
  const entries: Entry[] = [];
  const requests: CacheServerRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  let base = '';
  const state = { fault: options.fault ?? 'none' };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const log: CacheServerRequest = {
      method: req.method ?? '',
      path: url.pathname,
      comp: url.searchParams.get('comp'),
      status: 0,
    };
    requests.push(log);
    res.on('finish', () => {
      log.status = res.statusCode;
    });
    const answer = () => {
      readBody(req)
        .then((body) => handle(req, res, url, body))
        .catch((e: unknown) => {
          if (res.headersSent) {
            res.destroy();
          } else {
            const message = e instanceof Error ? e.message : String(e);
            sendError(
              res,
              url,
              e instanceof HttpError ? e : new HttpError(500, 'internal', message),
            );
          }
        });
    };
    if (state.fault === 'slow') {
      const t = setTimeout(() => {
        timers.delete(t);
        answer();
      }, options.slowMs ?? 60_000);
      timers.add(t);
    } else {
      answer();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    if (url.pathname.startsWith(SERVICE)) {
      twirp(req, res, url.pathname.slice(SERVICE.length), body);
    } else if (url.pathname.startsWith(BLOB_PREFIX)) {
      blob(req, res, url, body);
    } else {
      throw new HttpError(404, 'bad_route', `no handler for ${req.method} ${url.pathname}`);
    }
  }

  // --- Twirp ---------------------------------------------------------------

  function twirp(req: IncomingMessage, res: ServerResponse, method: string, body: Buffer): void {
    if (req.method !== 'POST')
      throw new HttpError(404, 'bad_route', `unsupported method ${req.method}`);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new HttpError(404, 'bad_route', 'this service only speaks the JSON encoding');
    }
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      throw new HttpError(401, 'unauthenticated', 'a bearer token is required');
    }
    if (state.fault === 'rate-limit') {
      res.setHeader('Retry-After', '60');
      throw new HttpError(429, 'resource_exhausted', 'rate limit exceeded');
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'malformed', 'the request body is not JSON');
    }
    const rpc = RPCS[method];
    if (!rpc) throw new HttpError(404, 'bad_route', `no method ${method}`);
    sendJson(res, 200, rpc(msg));
  }

  const RPCS: Record<string, (m: Record<string, unknown>) => object> = {
    CreateCacheEntry(m) {
      const key = str(m, 'key');
      const version = str(m, 'version');
      const taken = entries.some((e) => e.key === key && e.version === version);
      if (taken || state.fault === 'conflict') {
        throw new HttpError(
          409,
          'already_exists',
          'cache entry with the same key, version, and scope already exists',
        );
      }
      const e: Entry = {
        id: entries.length + 1,
        key,
        version,
        seq: ++seq,
        uploadSig: token(),
        downloadSigs: new Set(),
        blocks: new Map(),
        blob: null,
        finalized: false,
      };
      entries.push(e);
      return {
        ok: true,
        signed_upload_url: `${blobUrl(e)}?sv=2024-11-04&sp=cw&sig=${e.uploadSig}`,
      };
    },
    FinalizeCacheEntryUpload(m) {
      const key = str(m, 'key');
      const version = str(m, 'version');
      const e = entries.find((x) => x.key === key && x.version === version && !x.finalized);
      if (!e) throw new HttpError(404, 'not_found', `no cache entry upload in progress for ${key}`);
      const size = Number(m.size_bytes ?? 0);
      if (!e.blob || e.blob.length !== size) {
        return {
          ok: false,
          message: `uploaded ${e.blob?.length ?? 0} bytes, size_bytes says ${size}`,
        };
      }
      e.finalized = true;
      return { ok: true, entry_id: String(e.id) };
    },
    GetCacheEntryDownloadURL(m) {
      const key = str(m, 'key');
      const version = str(m, 'version');
      const restoreKeys = Array.isArray(m.restore_keys) ? m.restore_keys.map(String) : [];
      const e = lookup(key, restoreKeys, version);
      if (!e) return { ok: false };
      const sig = token();
      e.downloadSigs.add(sig);
      return {
        ok: true,
        signed_download_url: `${blobUrl(e)}?sv=2024-11-04&sp=r&sig=${sig}`,
        matched_key: e.key,
      };
    },
  };

  function lookup(key: string, restoreKeys: string[], version: string): Entry | undefined {
    const visible = entries
      .filter((e) => e.finalized && e.version === version)
      .sort((a, b) => b.seq - a.seq);
    return (
      visible.find((e) => e.key === key) ??
      [key, ...restoreKeys]
        .map((k) => visible.find((e) => e.key.startsWith(k)))
        .find((e) => e !== undefined)
    );
  }

  // --- Blob storage --------------------------------------------------------

  function blob(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    const id = Number(url.pathname.slice(BLOB_PREFIX.length));
    const e = entries.find((x) => x.id === id);
    const sig = url.searchParams.get('sig') ?? '';
    if (!e) throw new HttpError(404, 'BlobNotFound', 'The specified blob does not exist.');
    res.setHeader('x-ms-request-id', randomUUID());
    res.setHeader('x-ms-version', req.headers['x-ms-version'] ?? '2024-11-04');
    res.setHeader('Date', new Date().toUTCString());
    if (req.method === 'PUT') {
      if (sig !== e.uploadSig || e.finalized)
        throw new HttpError(403, 'AuthenticationFailed', 'Signature not valid.');
      putBlob(req, res, url, e, body);
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      if (!e.downloadSigs.has(sig))
        throw new HttpError(403, 'AuthenticationFailed', 'Signature not valid.');
      getBlob(req, res, e);
    } else {
      throw new HttpError(405, 'UnsupportedHttpVerb', `${req.method} is not supported`);
    }
  }

  function putBlob(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    e: Entry,
    body: Buffer,
  ): void {
    const comp = url.searchParams.get('comp');
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid');
      if (!blockId) throw new HttpError(400, 'InvalidQueryParameterValue', 'blockid is required');
      e.blocks.set(blockId, body);
    } else if (comp === 'blocklist') {
      const ids = [
        ...body.toString('utf8').matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g),
      ].map((m) => m[2]!);
      const parts = ids.map((i) => e.blocks.get(i));
      if (parts.some((p) => p === undefined))
        throw new HttpError(400, 'InvalidBlockList', 'The block list is invalid.');
      e.blob = Buffer.concat(parts as Buffer[]);
      e.blocks.clear();
    } else if (comp === null) {
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
        throw new HttpError(400, 'MissingRequiredHeader', 'x-ms-blob-type: BlockBlob is required');
      }
      e.blob = body;
    } else {
      throw new HttpError(400, 'InvalidQueryParameterValue', `comp=${comp} is not supported`);
    }
    res.setHeader(
      'ETag',
      `"0x${e.seq.toString(16).toUpperCase()}${Date.now().toString(16).toUpperCase()}"`,
    );
    res.setHeader('Last-Modified', new Date().toUTCString());
    res.setHeader('x-ms-request-server-encrypted', 'true');
    res.writeHead(201, { 'Content-Length': '0' }).end();
  }

  function getBlob(req: IncomingMessage, res: ServerResponse, e: Entry): void {
    const data = e.blob ?? Buffer.alloc(0);
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'x-ms-blob-type': 'BlockBlob',
      ETag: `"0x${e.seq.toString(16)}"`,
      'Last-Modified': new Date().toUTCString(),
    };
    const range = String(req.headers['x-ms-range'] ?? req.headers.range ?? '');
    const m = /^bytes=(\d+)-(\d*)$/.exec(range);
    if (m) {
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : data.length - 1, data.length - 1);
      if (start >= data.length || end < start) {
        throw new HttpError(
          416,
          'InvalidRange',
          'The range specified is invalid for the current size of the resource.',
        );
      }
      const part = data.subarray(start, end + 1);
      headers['Content-Range'] = `bytes ${start}-${end}/${data.length}`;
      headers['Content-Length'] = String(part.length);
      res.writeHead(206, headers);
      res.end(req.method === 'HEAD' ? undefined : part);
      return;
    }
    headers['Content-Length'] = String(data.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  // --- plumbing ------------------------------------------------------------

  function blobUrl(e: Entry): string {
    return `${base}${BLOB_PREFIX.slice(1)}${e.id}`;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/`;

  const close = async (): Promise<void> => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const s of sockets) s.destroy();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  };
  // 'down': the port was just ours, so nothing else listens on it now.
  if (state.fault === 'down') await close();

  return {
    url: base,
    env: {
      ACTIONS_RESULTS_URL: base,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RUNTIME_TOKEN: 'loopback-token',
    },
    get fault() {
      return state.fault;
    },
    set fault(f: CacheFault) {
      state.fault = f;
    },
    requests,
    entries: () =>
      entries.map((e) => ({
        id: e.id,
        key: e.key,
        version: e.version,
        size: e.blob?.length ?? 0,
        finalized: e.finalized,
      })),
    close,
  };
}

function str(m: Record<string, unknown>, field: string): string {
  const v = m[field];
  if (typeof v !== 'string' || v === '')
    throw new HttpError(400, 'invalid_argument', `${field} is required`);
  return v;
}

function token(): string {
  return randomBytes(18).toString('base64url');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    })
    .end(text);
}

// Twirp errors are JSON {code, msg}; Azure's are XML with x-ms-error-code.
function sendError(res: ServerResponse, url: URL, e: HttpError): void {
  if (url.pathname.startsWith(SERVICE)) {
    sendJson(res, e.status, { code: e.code, msg: e.message });
    return;
  }
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${e.code}</Code><Message>${e.message}</Message></Error>`;
  res.writeHead(e.status, {
    'Content-Type': 'application/xml',
    'x-ms-error-code': e.code,
    'Content-Length': Buffer.byteLength(xml),
  });
  res.end(xml);
}
