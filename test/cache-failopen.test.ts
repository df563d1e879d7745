// Fail open: with the cache service down, rate limiting, refusing the
// reservation or too slow, main and post end normally with warnings.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ActionsCacheSpec as CacheSpec,
  restoreNamedCache,
} from '../src/actions-cache/restore.js';
import { saveNamedCache } from '../src/actions-cache/save.js';
import { actionState } from '../src/host/action.js';
import { coreLog, RunnerJob } from './support/cache-runner.js';
import { type CacheFault, type CacheServer, startCacheServer } from './support/cache-server.js';

let server: CacheServer;
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rbn-cache-'));
});
afterEach(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function spec(): CacheSpec {
  return {
    name: 'sccache',
    paths: [join(root, 'sccache')],
    key: 'rbn-sccache-k-1',
    restoreKeys: ['rbn-sccache-k-'],
  };
}

async function mainThenPost(fault: CacheFault, timeoutMs?: number) {
  const job = new RunnerJob({
    ...server.env,
    GITHUB_WORKSPACE: root,
    RUNNER_TEMP: join(root, 'temp'),
  });
  const s = spec();
  const main = await job.main(async () => {
    const r = await restoreNamedCache(s, { log: coreLog, state: actionState(), timeoutMs });
    // The real main step exits here; nothing it left running reaches the post step.
    if (server.fault === 'slow') await settleAbandonedRequests();
    mkdirSync(s.paths[0]!, { recursive: true });
    writeFileSync(join(s.paths[0]!, 'entry'), 'built');
    // The fault may begin between the steps (a reservation conflict only shows at save).
    server.fault = fault;
    return r;
  });
  const post = await job.post(async () => {
    const outcome = await saveNamedCache('sccache', {
      log: coreLog,
      state: actionState(),
      enabled: true,
      timeoutMs,
    });
    if (fault === 'slow') await settleAbandonedRequests();
    return outcome;
  });
  return { main, post };
}

// A timed-out call goes on in the background (the entry points exit instead of
// waiting). Cut it off and give the client a moment to log its reaction inside the step.
async function settleAbandonedRequests(): Promise<void> {
  await server.close();
  await new Promise((resolve) => setTimeout(resolve, 300));
}

test.each<[CacheFault, RegExp, RegExp]>([
  ['down', /ECONNREFUSED/, /not saved under rbn-sccache-k-1/],
  ['rate-limit', /429.*rate limit/, /rate limit/],
])('service %s: both steps exit 0 with warnings', async (fault, mainReason, postReason) => {
  server = await startCacheServer({ fault });
  const { main, post } = await mainThenPost(fault);
  expect(main.value).toEqual({ name: 'sccache', hit: 'false', matchedKey: null });
  expect(post.value).toBe('failed');
  expect(main.warnings.join('\n')).toMatch(mainReason);
  expect(post.warnings.join('\n')).toMatch(postReason);
  expect([main.exitCode, post.exitCode]).toEqual([undefined, undefined]);
  expect(server.entries()).toEqual([]);
});

test('reservation conflict (another job holds the key): post warns and exits 0', async () => {
  server = await startCacheServer();
  const { main, post } = await mainThenPost('conflict');
  expect(main.value.hit).toBe('false');
  expect(post.value).toBe('failed');
  expect(post.warnings).toEqual([expect.stringContaining('not saved under rbn-sccache-k-1')]);
  expect(post.exitCode).toBeUndefined();
  const reserve = server.requests.filter((r) => r.path.endsWith('/CreateCacheEntry'));
  expect(reserve.map((r) => r.status)).toEqual([409]);
  expect(server.entries()).toEqual([]);
});

test('a service slower than the time bound: restore is a miss, post does not save, both warn', async () => {
  server = await startCacheServer({ fault: 'slow', slowMs: 120_000 });
  const { main, post } = await mainThenPost('slow', 1_500);
  expect(main.value.hit).toBe('false');
  expect(main.warnings[0]).toMatch(/restoring the sccache cache did not finish within/);
  // The timed-out restore may still write into the paths: saving them could persist a torn tree.
  expect(post.value).toBe('failed');
  expect(post.warnings).toEqual([expect.stringContaining('restore timed out')]);
  expect([main.exitCode, post.exitCode]).toEqual([undefined, undefined]);
});

test('a save slower than the time bound warns and returns', async () => {
  server = await startCacheServer({ slowMs: 120_000 });
  const { main, post } = await mainThenPost('slow', 1_500);
  expect(main.value.hit).toBe('false');
  expect(post.value).toBe('failed');
  expect(post.warnings).toEqual([
    expect.stringMatching(/saving the sccache cache did not finish within/),
  ]);
  expect(post.exitCode).toBeUndefined();
});
