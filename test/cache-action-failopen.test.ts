// Issue 5, fail open, at the action level: node dist/main.js then
// node dist/post.js as child processes (as the runner runs them), the real
// @actions/cache client against the loopback cache service (a) down (nothing
// listens on its port), (b) answering 429 to every call, (c) refusing every
// reservation (another job holds the key). Each time both steps exit 0 with
// warnings and the build (emit, then the Nix build) still succeeds.
//
// Every run is `emit-then-build` with sccache on, so both named caches (the
// sccache directory, restored when `sccache` is on, and the Nix binary cache,
// restored unless `mode: emit`; see src/stages/actions-caches.ts) are restored in
// main and saved in post against the faulty service. `mode: emit` with
// `sccache: false` would touch no cache at all. To keep the later runs short,
// their emptied RUNNER_TEMP gets a copy of the first run's SCCACHE_DIR (the
// compiles hit it; the Actions cache calls are the same), and their Nix steps
// are in the store already.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ActionRun,
  actionRun,
  type CacheScenario,
  cleanScenario,
  newScenario,
  useServer,
} from './bench/cache-bench.js';
import { type CacheFault, type CacheServer, startCacheServer } from './support/cache-server.js';
import { expectExit, workflowCommands } from './support/run-action.js';
import { removeTempDirs } from './support/workspace.js';

const RUN_TIMEOUT_MS = 30 * 60_000;
const SCCACHE_DIR = 'rust-bootstrap-nix-sccache';

let server: CacheServer | undefined;
let s: CacheScenario | undefined;
let seed: string | null = null;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => {
  if (s) cleanScenario(s);
  removeTempDirs();
});

async function runAgainst(fault: CacheFault, label: string): Promise<ActionRun> {
  server = await startCacheServer({ fault });
  // A fixed tag: the same step derivations every time, so reruns find them in the store.
  s ??= newScenario(server, { tag: 'failopen' });
  const scenario = s;
  useServer(scenario, server);
  const sccacheSeed = seed;
  return actionRun(scenario, label, {
    before: () => {
      if (sccacheSeed)
        cpSync(sccacheSeed, join(scenario.runnerTemp, SCCACHE_DIR), { recursive: true });
    },
  });
}

const warnings = (log: string): string[] => workflowCommands(log, 'warning');
const errors = (log: string): string[] => workflowCommands(log, 'error');

/** Both steps ended on their own with status 0, nothing logged as an error, and the build succeeded. */
function expectBuiltAndExited(r: ActionRun): void {
  expectExit(r.main, 0);
  expectExit(r.post, 0);
  expect(r.post.signal).toBeNull();
  expect(errors(r.main.stdout)).toEqual([]);
  expect(errors(r.post.stdout)).toEqual([]);
  expect(r.main.outputs['cache-hit']).toBe('false');
  // The build: recorded, then built by Nix, with sccache in the chain.
  expect(Number(r.main.outputs.steps)).toBeGreaterThan(0);
  expect(r.summaryStepsBuilt).not.toBeNull();
  expect(r.outPaths.length).toBeGreaterThan(0);
  expect(r.hits + r.misses).toBeGreaterThan(0);
  expect(r.main.summary).not.toMatch(/failed/i);
}

/** The post step's warning that a named cache was not saved. */
function notSaved(r: ActionRun, name: string): string[] {
  return warnings(r.post.stdout).filter((w) => w.startsWith(`${name} cache: not saved under `));
}

test(
  'cache service down: main and post exit 0 with warnings, the build succeeds',
  async () => {
    const r = await runAgainst('down', 'down');
    expectBuiltAndExited(r);
    // Main: each restore (sccache's directory, the Nix binary cache) failed with a warning.
    const mainWarnings = warnings(r.main.stdout).filter((w) => /ECONNREFUSED/.test(w));
    expect(mainWarnings.length).toBeGreaterThanOrEqual(2);
    // Post: the save failed with a warning.
    expect(notSaved(r, 'sccache')).toHaveLength(1);
    expect(server!.requests).toEqual([]);
    const dir = join(s!.runnerTemp, SCCACHE_DIR);
    if (existsSync(dir)) {
      seed = join(s!.base, 'sccache-seed');
      cpSync(dir, seed, { recursive: true });
    }
  },
  RUN_TIMEOUT_MS,
);

test(
  'cache service answering 429: main and post exit 0 with warnings, the build succeeds',
  async () => {
    const r = await runAgainst('rate-limit', 'rate-limit');
    expectBuiltAndExited(r);
    expect(warnings(r.main.stdout).filter((w) => /rate limit/i.test(w)).length).toBeGreaterThan(0);
    expect(warnings(r.post.stdout).filter((w) => /rate limit/i.test(w)).length).toBeGreaterThan(0);
    expect(notSaved(r, 'sccache')).toHaveLength(1);
    // Two restores in main (one call each: a 429 is not retried), and the saves in post.
    const rpcs = server!.requests.filter((q) => q.path.includes('/twirp/'));
    expect(rpcs.length).toBeGreaterThanOrEqual(3);
    expect(rpcs.every((q) => q.status === 429)).toBe(true);
    expect(server!.entries()).toEqual([]);
  },
  RUN_TIMEOUT_MS,
);

test(
  'cache service refusing the reservation: main and post exit 0, post warns, the build succeeds',
  async () => {
    const r = await runAgainst('conflict', 'conflict');
    expectBuiltAndExited(r);
    // The lookups answered (nothing there): main restores nothing, without a warning to give.
    const lookups = server!.requests.filter((q) => q.path.endsWith('/GetCacheEntryDownloadURL'));
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(lookups.every((q) => q.status === 200)).toBe(true);
    // Every reservation was refused; post warned and saved nothing.
    const reservations = server!.requests.filter((q) => q.path.endsWith('/CreateCacheEntry'));
    expect(reservations.length).toBeGreaterThan(0);
    expect(reservations.every((q) => q.status === 409)).toBe(true);
    expect(notSaved(r, 'sccache')).toHaveLength(1);
    expect(server!.entries()).toEqual([]);
  },
  RUN_TIMEOUT_MS,
);
