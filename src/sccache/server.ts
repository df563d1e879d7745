// The sccache server of one job: its directory, size cap and port, started
// before the build with zeroed stats, read after it, stopped in the post step.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { promisify } from 'node:util';
import type { Log } from '../log.js';
import { runnerDirs } from '../util/runner-temp.js';
import { parseJsonStats, parseTextStats, type SccacheStats } from './stats.js';

const run = promisify(execFile);
const CALL_TIMEOUT_MS = 60_000;

export const DEFAULT_SCCACHE_SIZE = '2G';

export interface Sccache {
  binary: string;
  dir: string;
  /** SCCACHE_DIR, SCCACHE_CACHE_SIZE, SCCACHE_SERVER_PORT...: for every sccache call, the build's included. */
  env: Record<string, string>;
}

export interface StartOptions {
  binary: string;
  /** Default: defaultSccacheDir(). */
  dir?: string;
  /** SCCACHE_CACHE_SIZE, e.g. `2G`. */
  cacheSize?: string;
  /** Default: a free loopback port, so that other sccache servers on the machine are never shared. */
  port?: number;
}

/** Under the runner's temp (wiped between jobs, restored from the Actions cache), outside metadata-dir (uploaded). */
export function defaultSccacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return runnerDirs.sccache(env);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string')
    throw new Error('sccache: could not pick a free port');
  return address.port;
}

async function sccache(s: Sccache, args: string[]): Promise<string> {
  const { stdout } = await run(s.binary, args, {
    env: { ...process.env, ...s.env },
    timeout: CALL_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Starts the server with zeroed stats. Throws when it cannot start: then build without sccache. */
export async function startSccache(opts: StartOptions): Promise<Sccache> {
  const dir = opts.dir ?? defaultSccacheDir();
  await mkdir(dir, { recursive: true });
  const s: Sccache = {
    binary: opts.binary,
    dir,
    env: {
      SCCACHE_DIR: dir,
      SCCACHE_CACHE_SIZE: opts.cacheSize ?? DEFAULT_SCCACHE_SIZE,
      SCCACHE_SERVER_PORT: String(opts.port ?? (await freePort())),
      // Never exit during a long build (the default is 10 idle minutes); the post step stops it.
      SCCACHE_IDLE_TIMEOUT: '0',
      // Should the server die mid-build, compile without it rather than fail the build.
      SCCACHE_IGNORE_SERVER_IO_ERROR: '1',
    },
  };
  // On a loaded machine the server can miss the client's 10 s startup wait. --zero-stats then
  // reaches the late server, or starts one itself: the second attempt.
  let startError: unknown = null;
  await sccache(s, ['--start-server']).catch((e: unknown) => {
    startError = e;
  });
  try {
    await sccache(s, ['--zero-stats']);
  } catch (e) {
    throw new Error(`sccache: ${s.binary} --start-server failed: ${failure(startError ?? e)}`);
  }
  return s;
}

function failure(e: unknown): string {
  return (e as { stderr?: string }).stderr?.trim() || (e instanceof Error ? e.message : String(e));
}

/**
 * The build's environment additions. sccache itself is not among them: the
 * recorder runs it as its next wrapper (the caller hands it over), or it goes
 * in RUSTC_WRAPPER when nothing records. sccache cannot cache incremental compiles.
 */
export function sccacheBuildEnv(s: Sccache): Record<string, string> {
  return { ...s.env, CARGO_INCREMENTAL: '0' };
}

/** The server's stats: JSON where supported, the text table otherwise. */
export async function readSccacheStats(s: Sccache): Promise<SccacheStats> {
  try {
    return parseJsonStats(await sccache(s, ['--show-stats', '--stats-format=json']));
  } catch {
    return parseTextStats(await sccache(s, ['--show-stats']));
  }
}

/** Whether something accepts connections on the server's port (unknown port: assumed so). */
function listening(s: Sccache): Promise<boolean> {
  const port = Number(s.env.SCCACHE_SERVER_PORT);
  if (!Number.isInteger(port) || port <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Stops the server (flushing its writes) before the post step saves the
 * directory. Never throws; a server already stopped (a cancelled main step
 * stops its own) is only noted.
 */
export async function stopSccache(s: Sccache, log: Log): Promise<void> {
  if (!(await listening(s))) {
    log.info('sccache: the server is stopped already');
    return;
  }
  try {
    await sccache(s, ['--stop-server']);
  } catch (e) {
    log.warning(`sccache: could not stop the server: ${failure(e)}`);
  }
}
