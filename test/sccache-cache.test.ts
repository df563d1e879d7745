// End to end, with real parts only: a workspace of Debian's crate sources
// built by cargo through the real sccache, SCCACHE_DIR saved by the post step
// through the real @actions/cache client to the loopback cache service, and
// restored by the next job into a fresh runner temp with a fresh target dir.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cacheKeys, runnerPlatform } from '../src/actions-cache/key.js';
import { findCargoLocks, toolchainIdentity } from '../src/actions-cache/key-inputs.js';
import { restoreNamedCache } from '../src/actions-cache/restore.js';
import { saveNamedCache } from '../src/actions-cache/save.js';
import { actionState } from '../src/host/action.js';
import { recallSccache, rememberSccache } from '../src/post/state.js';
import { locateSccache } from '../src/sccache/locate.js';
import {
  defaultSccacheDir,
  readSccacheStats,
  sccacheBuildEnv,
  startSccache,
  stopSccache,
} from '../src/sccache/server.js';
import { coreLog, RunnerJob } from './support/cache-runner.js';
import { type CacheServer, startCacheServer } from './support/cache-server.js';

const run = promisify(execFile);
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'workspace');
// rustup's cargo and rustc (/root/.cargo/bin here), first on PATH as on a runner.
const CARGO_BIN = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');
const PATH = existsSync(CARGO_BIN)
  ? `${CARGO_BIN}${delimiter}${process.env.PATH}`
  : `${process.env.PATH}`;

let server: CacheServer;
let root: string;
let ws: string;

beforeAll(async () => {
  server = await startCacheServer();
  root = mkdtempSync(join(tmpdir(), 'rbn-sccache-e2e-'));
  ws = join(root, 'work', 'ws');
  // The fixture's .cargo/config.toml points crates-io at /usr/share/cargo/registry, offline.
  cpSync(FIXTURE, ws, {
    recursive: true,
    filter: (src) => !src.startsWith(join(FIXTURE, 'target')),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** One job as the runner runs it: main restores, starts sccache, builds, reads stats; post stops and saves. */
async function job(config: string) {
  const runnerTemp = join(root, 'runner-temp');
  // Each job starts from nothing but the cache: a wiped RUNNER_TEMP (SCCACHE_DIR) and no target dir.
  rmSync(runnerTemp, { recursive: true, force: true });
  rmSync(join(ws, 'target'), { recursive: true, force: true });
  const runner = new RunnerJob({
    ...server.env,
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: runnerTemp,
    PATH,
  });
  const main = await runner.main(async () => {
    const dir = defaultSccacheDir();
    const keys = cacheKeys({
      prefix: 'rust-bootstrap-nix-v1',
      name: 'sccache',
      ...runnerPlatform(process.env, process.platform, process.arch),
      system: `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux`,
      toolchain: await toolchainIdentity('rustc', 'system'),
      cargoLocks: await findCargoLocks(ws),
      config,
      env: process.env,
    });
    const restored = await restoreNamedCache(
      { name: 'sccache', paths: [dir], ...keys },
      { log: coreLog, state: actionState() },
    );
    const sccache = await startSccache({ binary: await locateSccache(), dir });
    rememberSccache(actionState(), sccache);
    const start = Date.now();
    await run('cargo', ['build', '--offline'], {
      cwd: ws,
      env: { ...process.env, ...sccacheBuildEnv(sccache), RUSTC_WRAPPER: sccache.binary },
      maxBuffer: 64 * 1024 * 1024,
    });
    const buildMs = Date.now(); // reported, never asserted
    return { keys, restored, buildMs: buildMs - start, stats: await readSccacheStats(sccache) };
  });
  const post = await runner.post(async () => {
    const sccache = recallSccache(actionState());
    if (sccache) await stopSccache(sccache, coreLog);
    return saveNamedCache('sccache', { log: coreLog, state: actionState(), enabled: true });
  });
  for (const step of [main, post]) {
    expect(step.warnings).toEqual([]);
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBeUndefined();
  }
  return { ...main.value, saved: post.value };
}

test('run 2 restores SCCACHE_DIR (cache-hit true) and hits sccache for >= 90% of cacheable compiles', async () => {
  const run1 = await job('');
  expect(run1.restored.hit).toBe('false');
  expect(run1.stats.misses).toBeGreaterThan(20);
  expect(run1.stats.hits).toBe(0);
  expect(run1.saved).toBe('saved');

  const run2 = await job('');
  expect(run2.restored).toEqual({ name: 'sccache', hit: 'true', matchedKey: run1.keys.key });
  expect(run2.stats.cacheable).toBe(run1.stats.cacheable);
  expect(run2.stats.hits / run2.stats.cacheable).toBeGreaterThanOrEqual(0.9);
  expect(run2.saved).toBe('exact-hit');

  // Another config: a partial match, the same compiles hit, and post saves under the new key.
  const run3 = await job('[build]\nverbose = 1\n');
  expect(run3.restored).toEqual({ name: 'sccache', hit: 'partial', matchedKey: run1.keys.key });
  expect(run3.stats.hits / run3.stats.cacheable).toBeGreaterThanOrEqual(0.9);
  expect(run3.saved).toBe('saved');
  expect(server.entries().map((e) => e.key)).toEqual([run1.keys.key, run3.keys.key]);

  const report = (r: typeof run1) =>
    `${r.stats.hits}/${r.stats.cacheable} hits (${Math.round((100 * r.stats.hits) / r.stats.cacheable)}%), cargo build ${(r.buildMs / 1000).toFixed(1)} s`;
  console.log(`run 1: ${report(run1)}\nrun 2: ${report(run2)}\nrun 3: ${report(run3)}`);
});
