// The real @actions/cache client against the loopback cache service: what
// main's restore reports and what post's save does, run as the runner runs them.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ActionsCacheSpec as CacheSpec,
  combineHits,
  restoreNamedCache,
} from '../src/actions-cache/restore.js';
import { saveNamedCache } from '../src/actions-cache/save.js';
import { actionState } from '../src/host/action.js';
import { NIX_CACHE, saveCacheState } from '../src/post/state.js';
import { coreLog, RunnerJob } from './support/cache-runner.js';
import { type CacheServer, startCacheServer } from './support/cache-server.js';

let server: CacheServer;
let root: string;

beforeEach(async () => {
  server = await startCacheServer();
  root = mkdtempSync(join(tmpdir(), 'rbn-cache-'));
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const job = () =>
  new RunnerJob({ ...server.env, GITHUB_WORKSPACE: root, RUNNER_TEMP: join(root, 'temp') });

function spec(key: string, restoreKeys: string[] = [], name = 'sccache'): CacheSpec {
  return { name, paths: [join(root, name)], key, restoreKeys };
}

function fill(s: CacheSpec, content: string): void {
  rmSync(s.paths[0]!, { recursive: true, force: true });
  mkdirSync(join(s.paths[0]!, 'a'), { recursive: true });
  writeFileSync(join(s.paths[0]!, 'a', 'entry'), content);
}

const read = (s: CacheSpec) => readFileSync(join(s.paths[0]!, 'a', 'entry'), 'utf8');

/** One job: main restores, the build writes `content` when given, post saves. */
async function runJob(s: CacheSpec, content: string | null, saveCache = true) {
  const j = job();
  rmSync(s.paths[0]!, { recursive: true, force: true });
  const main = await j.main(async () => {
    const r = await restoreNamedCache(s, { log: coreLog, state: actionState() });
    if (content !== null) fill(s, content);
    return r;
  });
  const post = await j.post(() =>
    saveNamedCache(s.name, { log: coreLog, state: actionState(), enabled: saveCache }),
  );
  return { main, post };
}

test('a miss reports false and the post step saves', async () => {
  const s = spec('rbn-sccache-Linux-X64-x86_64-linux-t1-h1', [
    'rbn-sccache-Linux-X64-x86_64-linux-t1-',
  ]);
  const { main, post } = await runJob(s, 'one');
  expect(main.value).toEqual({ name: 'sccache', hit: 'false', matchedKey: null });
  expect(post.value).toBe('saved');
  expect([main.warnings, post.warnings, main.exitCode, post.exitCode]).toEqual([
    [],
    [],
    undefined,
    undefined,
  ]);
  expect(server.entries()).toEqual([expect.objectContaining({ key: s.key, finalized: true })]);
});

test('the same key again restores the files, reports true and does not save', async () => {
  const s = spec('rbn-sccache-Linux-X64-x86_64-linux-t1-h1');
  await runJob(s, 'one');
  const { main, post } = await runJob(s, null);
  expect(main.value).toEqual({ name: 'sccache', hit: 'true', matchedKey: s.key });
  expect(read(s)).toBe('one');
  expect(post.value).toBe('exact-hit');
  expect(server.entries()).toHaveLength(1);
  expect(server.requests.filter((r) => r.path.endsWith('/CreateCacheEntry'))).toHaveLength(1);
});

test('a restore-key match reports partial, restores, and post saves the new key', async () => {
  await runJob(spec('rbn-sccache-Linux-X64-x86_64-linux-t1-old'), 'old');
  const s = spec('rbn-sccache-Linux-X64-x86_64-linux-t1-new', [
    'rbn-sccache-Linux-X64-x86_64-linux-t1-',
  ]);
  const { main, post } = await runJob(s, null);
  expect(main.value).toEqual({
    name: 'sccache',
    hit: 'partial',
    matchedKey: 'rbn-sccache-Linux-X64-x86_64-linux-t1-old',
  });
  expect(read(s)).toBe('old');
  expect(post.value).toBe('saved');
  expect(server.entries().map((e) => e.key)).toEqual([
    'rbn-sccache-Linux-X64-x86_64-linux-t1-old',
    'rbn-sccache-Linux-X64-x86_64-linux-t1-new',
  ]);
});

test('a key main settled on that an earlier run saved is not saved again, without a warning', async () => {
  // A reverted edit: main restores the newest entry, then its result names an older one.
  await runJob(spec('r-Linux-result-a', ['r-Linux-'], NIX_CACHE), 'a');
  await runJob(spec('r-Linux-result-b', ['r-Linux-'], NIX_CACHE), 'b');
  const s = spec('r-Linux-pending', ['r-Linux-'], NIX_CACHE);
  const j = job();
  rmSync(s.paths[0]!, { recursive: true, force: true });
  const main = await j.main(async () => {
    const r = await restoreNamedCache(s, { log: coreLog, state: actionState() });
    // What settleNixCacheKey leaves (main cannot read back its own state).
    saveCacheState(actionState(), NIX_CACHE, {
      key: 'r-Linux-result-a',
      paths: s.paths,
      matchedKey: r.matchedKey,
      saveAllowed: true,
      settled: true,
    });
    return r;
  });
  expect(main.value.matchedKey).toBe('r-Linux-result-b');
  const post = await j.post(() =>
    saveNamedCache(NIX_CACHE, { log: coreLog, state: actionState(), enabled: true }),
  );
  expect(post.value).toBe('exact-hit');
  expect(post.warnings).toEqual([]);
  expect(post.stdout).toContain('r-Linux-result-a was saved by an earlier run, not saving');
  expect(server.requests.filter((r) => r.path.endsWith('/CreateCacheEntry'))).toHaveLength(2);
});

test('prefix matches take the newest entry, restore keys in order', async () => {
  await runJob(spec('p-Linux-t1-a'), 'first');
  await runJob(spec('p-Linux-t1-b'), 'second');
  await runJob(spec('p-Linux-t2-c'), 'other toolchain');
  const s = spec('p-Linux-t1-z', ['p-Linux-t1-', 'p-Linux-']);
  const { main } = await runJob(s, null, false);
  expect(main.value.matchedKey).toBe('p-Linux-t1-b');
  expect(read(s)).toBe('second');
  const coarse = spec('p-Linux-t3-z', ['p-Linux-t3-', 'p-Linux-']);
  expect((await runJob(coarse, null, false)).main.value.matchedKey).toBe('p-Linux-t2-c');
});

test('entries are scoped by version: other paths never match the same key', async () => {
  await runJob(spec('k-1', [], 'sccache'), 'sccache dir');
  const { main } = await runJob(spec('k-1', ['k-'], 'nix-binary-cache'), null, false);
  expect(main.value.hit).toBe('false');
});

test('save-cache false restores but never saves', async () => {
  const { main, post } = await runJob(spec('k-nosave'), 'x', false);
  expect(main.value.hit).toBe('false');
  expect(post.value).toBe('disabled');
  expect(server.entries()).toEqual([]);
});

test('without a cache service (the CLI) restore is a quiet miss and post has nothing to save', async () => {
  const j = new RunnerJob({ GITHUB_WORKSPACE: root, RUNNER_TEMP: join(root, 'temp') });
  const saved = ['ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_URL', 'ACTIONS_RUNTIME_TOKEN'].map((k) => [
    k,
    process.env[k],
  ]);
  for (const [k] of saved) delete process.env[k!];
  try {
    const main = await j.main(() =>
      restoreNamedCache(spec('k'), { log: coreLog, state: actionState() }),
    );
    const post = await j.post(() =>
      saveNamedCache('sccache', { log: coreLog, state: actionState(), enabled: true }),
    );
    expect([main.value.hit, main.warnings, post.value, post.warnings]).toEqual([
      'false',
      [],
      'not-restored',
      [],
    ]);
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k!] = v;
  }
});

test('an archive over 128 MiB goes up in blocks and comes back whole', async () => {
  const s = spec('k-large');
  const big = randomBytes(130 * 1024 * 1024);
  const j = job();
  await j.main(() => restoreNamedCache(s, { log: coreLog, state: actionState() }));
  mkdirSync(s.paths[0]!, { recursive: true });
  writeFileSync(join(s.paths[0]!, 'blob'), big);
  const post = await j.post(() =>
    saveNamedCache(s.name, { log: coreLog, state: actionState(), enabled: true }),
  );
  expect(post.value).toBe('saved');
  expect(server.requests.filter((r) => r.comp === 'block').length).toBeGreaterThan(1);
  expect(server.requests.filter((r) => r.comp === 'blocklist')).toHaveLength(1);
  rmSync(s.paths[0]!, { recursive: true });
  const again = await job().main(() =>
    restoreNamedCache(s, { log: coreLog, state: actionState() }),
  );
  expect(again.value.hit).toBe('true');
  expect(readFileSync(join(s.paths[0]!, 'blob')).equals(big)).toBe(true);
});

test('cache-hit over several caches', () => {
  expect(combineHits(['true', 'true'])).toBe('true');
  expect(combineHits(['true', 'false'])).toBe('partial');
  expect(combineHits(['partial', 'true'])).toBe('partial');
  expect(combineHits(['false', 'false'])).toBe('false');
  expect(combineHits([])).toBe('false');
});
