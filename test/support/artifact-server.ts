// A loopback server speaking the protocol the real @actions/artifact client
// (v6) uses on a runner, so tests run the real client end to end:
//  - Twirp JSON RPCs on ACTIONS_RESULTS_URL:
//      POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact
//      POST /twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact
//    authenticated with `Bearer ACTIONS_RUNTIME_TOKEN`, a JWT whose `scp`
//    claim carries the workflow run and job backend ids;
//  - Azure block blob PUTs on the signed upload URL CreateArtifact returns
//    (`comp=block` per chunk, then `comp=blocklist`), answered 201.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';

export interface StoredArtifact {
  id: number;
  name: string;
  mimeType: string | undefined;
  /** The zip as committed to blob storage; null until the block list is committed. */
  blob: Buffer | null;
  finalized: boolean;
  /** What FinalizeArtifact reported. */
  size: number | null;
  hash: string | null;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
}

export interface ArtifactServer {
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The environment a runner gives a step for artifacts. */
  env: { ACTIONS_RESULTS_URL: string; ACTIONS_RUNTIME_TOKEN: string };
  artifacts: StoredArtifact[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface ArtifactServerOptions {
  runBackendId?: string;
  jobBackendId?: string;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An HS256 JWT as the runner's token is: the client only decodes it, this server also verifies it. */
export function signJwt(claims: Record<string, unknown>, key: Buffer): string {
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${head}.${base64url(createHmac('sha256', key).update(head).digest())}`;
}

function verifyJwt(token: string, key: Buffer): Record<string, unknown> | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || signature === undefined) return null;
  const expected = base64url(createHmac('sha256', key).update(`${header}.${payload}`).digest());
  if (signature !== expected) return null;
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startArtifactServer(
  options: ArtifactServerOptions = {},
): Promise<ArtifactServer> {
  const runId = options.runBackendId ?? 'ce7f54c7-61c7-4aae-887f-30da475f5f1a';
  const jobId = options.jobBackendId ?? 'ca395085-040a-526b-2ce8-bdc85f692774';
  const key = randomBytes(32);
  const signature = randomBytes(16).toString('hex');
  const token = signJwt(
    {
      scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}`,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
    },
    key,
  );
  const artifacts: StoredArtifact[] = [];
  const requests: RecordedRequest[] = [];
  const blocks = new Map<number, Map<string, Buffer>>();
  let url = '';

  const authorize = (req: IncomingMessage) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = bearer ? verifyJwt(bearer, key) : null;
    if (!claims) throw new TwirpError(401, 'unauthenticated', 'invalid runtime token');
  };
  const checkIds = (body: Record<string, unknown>) => {
    if (body.workflow_run_backend_id !== runId || body.workflow_job_run_backend_id !== jobId) {
      throw new TwirpError(400, 'invalid_argument', 'backend ids do not match the token');
    }
  };
  const artifactNamed = (name: unknown) => artifacts.find((a) => a.name === name);

  const rpc: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    CreateArtifact(body) {
      checkIds(body);
      if (typeof body.name !== 'string' || body.name === '') {
        throw new TwirpError(400, 'invalid_argument', 'name is required');
      }
      if (artifactNamed(body.name)) {
        throw new TwirpError(
          409,
          'already_exists',
          `an artifact named ${body.name} already exists`,
        );
      }
      const id = artifacts.length + 1001;
      artifacts.push({
        id,
        name: body.name,
        mimeType: typeof body.mime_type === 'string' ? body.mime_type : undefined,
        blob: null,
        finalized: false,
        size: null,
        hash: null,
      });
      blocks.set(id, new Map());
      return {
        ok: true,
        signed_upload_url: `${url}/blob/${id}?sv=2023-11-03&sr=b&sig=${signature}`,
      };
    },
    FinalizeArtifact(body) {
      checkIds(body);
      const artifact = artifactNamed(body.name);
      if (!artifact?.blob)
        throw new TwirpError(404, 'not_found', `no uploaded artifact ${body.name}`);
      const size = Number(body.size);
      const hash = typeof body.hash === 'string' ? body.hash : null;
      if (size !== artifact.blob.length) {
        throw new TwirpError(400, 'invalid_argument', `size ${size} != ${artifact.blob.length}`);
      }
      if (hash !== `sha256:${createHash('sha256').update(artifact.blob).digest('hex')}`) {
        throw new TwirpError(400, 'invalid_argument', 'hash does not match the uploaded blob');
      }
      Object.assign(artifact, { finalized: true, size, hash });
      return { ok: true, artifact_id: String(artifact.id) };
    },
  };

  const blob = (req: IncomingMessage, query: Record<string, string>, id: number, data: Buffer) => {
    const artifact = artifacts.find((a) => a.id === id);
    const staged = blocks.get(id);
    if (!artifact || !staged || query.sig !== signature) return 403;
    if (query.comp === 'block' && query.blockid) {
      staged.set(query.blockid, data);
    } else if (query.comp === 'blocklist') {
      const ids = [
        ...data.toString('utf8').matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)</g),
      ];
      const parts = ids.map((m) => staged.get(m[1]!));
      if (parts.some((p) => p === undefined)) return 400;
      artifact.blob = Buffer.concat(parts as Buffer[]);
    } else if (req.headers['x-ms-blob-type'] === 'BlockBlob') {
      artifact.blob = data;
    } else {
      return 400;
    }
    return 201;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', url);
    const query = Object.fromEntries(parsed.searchParams);
    requests.push({ method: req.method ?? '', path: parsed.pathname, query });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const data = Buffer.concat(chunks);

    const blobPath = /^\/blob\/(\d+)$/.exec(parsed.pathname);
    if (req.method === 'PUT' && blobPath) {
      const status = blob(req, query, Number(blobPath[1]), data);
      res.writeHead(status, {
        'x-ms-request-id': randomBytes(8).toString('hex'),
        'x-ms-version': '2023-11-03',
        'x-ms-request-server-encrypted': 'true',
        etag: `"0x${randomBytes(6).toString('hex')}"`,
        'last-modified': new Date().toUTCString(),
      });
      res.end();
      return;
    }
    try {
      const method = parsed.pathname.startsWith(SERVICE)
        ? rpc[parsed.pathname.slice(SERVICE.length)]
        : undefined;
      if (req.method !== 'POST' || !method)
        throw new TwirpError(404, 'bad_route', `no route ${parsed.pathname}`);
      authorize(req);
      const answer = method(JSON.parse(data.toString('utf8') || '{}'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    } catch (e) {
      const error = e instanceof TwirpError ? e : new TwirpError(500, 'internal', String(e));
      res.writeHead(error.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: error.code, msg: error.message }));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: { ACTIONS_RESULTS_URL: `${url}/`, ACTIONS_RUNTIME_TOKEN: token },
    artifacts,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
