// Issue 5, "Done when", at the action level: the action run as the runner
// runs it (node dist/main.js, then node dist/post.js, as child processes, with
// INPUT_* variables, the GITHUB_* files, RUNNER_TEMP and STATE_* for post),
// the real @actions/cache client against a loopback cache service speaking
// GitHub's v2 protocol, `toolchain: system`, `mode: emit-then-build`, on the
// fixture workspace (Debian's crate sources), on the real Nix.
//
//   run 1: empty cache service -> cache-hit false; post saves both caches.
//   between: run 1's job is gone (RUNNER_TEMP emptied, with its GC roots) and
//          its step outputs are deleted from the store.
//   run 2: empty RUNNER_TEMP (SCCACHE_DIR, binary cache dir), new
//          metadata-dir, fresh workspace copy -> cache-hit
//          true, >= 90% sccache hits, the steps imported from the restored Nix
//          binary cache and none built (`reuse-plan: false`: cargo runs).
//   run 2 again, reuse-plan on (the default), its steps deleted from the store
//          again: run 1's plan comes back with the Nix binary cache; cargo does
//          not run, sccache is not restored, no step is built, the same result.
//   run 3: another inline `config` -> cache-hit partial; post saves new keys.
// As on a runner, every job has the same checkout and RUNNER_TEMP paths (see
// test/bench/cache-bench.ts for why the Actions cache needs that). The runs
// are shared by the tests below (test/bench/cache-bench.ts measures
// the same runs), so the tests run in order and each builds on the last.
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import {
  type ActionRun,
  actionRun,
  type CacheScenario,
  cleanScenario,
  forgetJob,
  NIX_BINARY_CACHE,
  newScenario,
  SCCACHE_CACHE,
  stepOutputs,
  validPaths,
} from './bench/cache-bench.js';
import { type CacheServer, startCacheServer } from './support/cache-server.js';
import { expectExit, workflowCommands } from './support/run-action.js';
import { removeTempDirs } from './support/workspace.js';

// Two builds of the fixture and a Nix build per test on a shared 2-core machine.
const RUN_TIMEOUT_MS = 30 * 60_000;

let server: CacheServer;
let s: CacheScenario;
let run1: ActionRun | undefined;
let run2: ActionRun | undefined;
let run3: ActionRun | undefined;
let reused: ActionRun | undefined;
let deleted: string[] = [];

beforeAll(async () => {
  server = await startCacheServer();
  s = newScenario(server);
});

afterAll(async () => {
  await server.close();
  cleanScenario(s);
  removeTempDirs();
});

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`${what} did not run (an earlier test failed)`);
  return v;
}

const warnings = (log: string): string[] => workflowCommands(log, 'warning');
const errors = (log: string): string[] => workflowCommands(log, 'error');

/** True when something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The post step ended on its own (the harness never kills it), with status 0,
 * and the sccache server main started (SCCACHE_IDLE_TIMEOUT=0: it would live
 * forever) is gone.
 */
async function expectPostEnded(run: ActionRun, sccacheStarted = true): Promise<void> {
  expectExit(run.post, 0);
  expect(run.post.signal).toBeNull();
  expect(errors(run.post.stdout)).toEqual([]);
  const raw = run.main.state['rbn-sccache'];
  if (!sccacheStarted) {
    expect(raw).toBeUndefined();
    return;
  }
  expect(raw).toBeDefined();
  const port = Number(
    (JSON.parse(raw!) as { env: Record<string, string> }).env.SCCACHE_SERVER_PORT,
  );
  expect(port).toBeGreaterThan(0);
  expect(await listening(port)).toBe(false);
}

/** The lines a step logged about one named cache (`<name> cache: ...`). */
function cacheLines(log: string, name: string): string {
  return (
    log
      .split('\n')
      .filter((l) => l.startsWith(`${name} cache:`))
      .join('\n') || `(nothing logged about the ${name} cache)`
  );
}

const postLine = (run: ActionRun, name: string): string => cacheLines(run.post.stdout, name);
const mainLine = (run: ActionRun, name: string): string => cacheLines(run.main.stdout, name);

test(
  'run 1, empty cache service: cache-hit false, every step built or taken from the recording (sccache on), post saves both caches and exits on its own',
  async () => {
    const r = await actionRun(s, 'run1');
    run1 = r;
    expectExit(r.main, 0);
    expect(errors(r.main.stdout)).toEqual([]);
    expect(r.main.outputs['cache-hit']).toBe('false');
    // Cold: sccache compiled everything; every step is new (the RUSTFLAGS --cfg), so each
    // one was either taken from the recording (build-once, on by default: its compiles,
    // through sccache and the remapping shim) or built by Nix (the rest).
    expect(r.hits + r.misses).toBeGreaterThan(0);
    const steps = r.metadata?.plan.steps.length ?? 0;
    expect(steps).toBeGreaterThan(0);
    const compiles = r.metadata!.plan.steps.filter(
      (st) => st.kind !== 'build-script-run' && st.kind !== 'link',
    ).length;
    expect(r.summaryTaken).toBe(compiles);
    expect(r.summaryStepsBuilt).toBe(steps - compiles);
    expect(r.builtLogSteps).toHaveLength(steps - compiles);
    expect(r.outPaths.length).toBeGreaterThan(0);

    await expectPostEnded(r);
    const entries = r.entriesAfter;
    expect(entries.every((e) => e.key.startsWith(`${s.prefix}-`) && e.finalized)).toBe(true);
    const sccacheEntries = entries.filter((e) => e.key.includes(`-${SCCACHE_CACHE}-`));
    const nixEntries = entries.filter((e) => e.key.includes(`-${NIX_BINARY_CACHE}-`));
    expect(postLine(r, SCCACHE_CACHE)).toMatch(/sccache cache: saved /);
    expect(postLine(r, NIX_BINARY_CACHE)).toMatch(/nix-binary-cache cache: saved /);
    expect([sccacheEntries.length, nixEntries.length]).toEqual([1, 1]);
    expect(sccacheEntries[0]!.size).toBeGreaterThan(0);
    expect(nixEntries[0]!.size).toBeGreaterThan(0);
  },
  RUN_TIMEOUT_MS,
);

test(
  "run 2, run 1's steps deleted from the store: cache-hit true, >= 90% sccache hits, steps imported from the cache and none built",
  async () => {
    const r1 = need(run1, 'run 1');
    // Run 1's job ends (its RUNNER_TEMP with the GC roots goes), and its step outputs leave the store.
    deleted = stepOutputs(r1);
    expect(deleted.length).toBe((r1.metadata?.plan.steps.length ?? 0) + 1);
    forgetJob(s, deleted);
    expect(validPaths(deleted)).toEqual([]);

    const r = await actionRun(s, 'run2', { inputs: { 'reuse-plan': 'false' } });
    run2 = r;
    expectExit(r.main, 0);
    expect(errors(r.main.stdout)).toEqual([]);
    expect(r.metadataDir).not.toBe(r1.metadataDir);
    expect(mainLine(r, SCCACHE_CACHE)).toMatch(/^sccache cache: restored /);
    expect(mainLine(r, NIX_BINARY_CACHE)).toMatch(/^nix-binary-cache cache: restored /);
    expect(r.main.outputs['cache-hit']).toBe('true');

    // sccache: a fresh SCCACHE_DIR, filled by the restore.
    expect(r.hits + r.misses).toBeGreaterThan(0);
    expect(r.hitRate).not.toBeNull();
    expect(r.hitRate!).toBeGreaterThanOrEqual(0.9);

    // Nix: the steps came back from the restored binary cache; none was built.
    expect(
      r.main.stdout.match(/Imported \d+ store paths from the restored Nix binary cache/),
    ).not.toBeNull();
    expect(r.summaryStepsBuilt).toBe(0);
    expect(r.builtLogSteps).toEqual([]);
    expect(r.main.stdout.match(/building '\/nix\/store\/[a-z0-9]{32}-rbn-[^']*'/g)).toBeNull();
    expect(r.outPaths).toEqual(r1.outPaths);
    expect(validPaths(deleted)).toEqual(deleted);

    // Exact hits: post saves nothing new, and still ends on its own.
    await expectPostEnded(r);
    expect(postLine(r, SCCACHE_CACHE)).toMatch(/exact hit/);
    expect(postLine(r, NIX_BINARY_CACHE)).toMatch(/exact hit/);
    expect(r.entriesAfter).toEqual(r1.entriesAfter);
  },
  RUN_TIMEOUT_MS,
);

test(
  "run 2 again with reuse-plan on: run 1's plan restored with the binary cache, cargo not run, nothing built, the same result",
  async () => {
    const r1 = need(run1, 'run 1');
    const before = need(run2, 'run 2').entriesAfter;
    forgetJob(s, deleted);
    expect(validPaths(deleted)).toEqual([]);

    const r = await actionRun(s, 'run2-reused');
    reused = r;
    expectExit(r.main, 0);
    expect(errors(r.main.stdout)).toEqual([]);
    expect(mainLine(r, NIX_BINARY_CACHE)).toMatch(/^nix-binary-cache cache: restored /);
    expect(r.main.stdout).toMatch(
      /Reusing the earlier plan \(\d+ steps; the build command does not run\): no source file changed\./,
    );
    // Nothing compiled: sccache neither restored nor started, cargo never wrote a target dir.
    expect(mainLine(r, SCCACHE_CACHE)).toMatch(/nothing logged/);
    expect(r.main.stdout).not.toMatch(/Build \(recording\)/);
    expect(existsSync(join(s.workspace, 'target'))).toBe(false);
    expect(r.main.outputs['cache-hit']).toBe('true');
    expect(r.main.outputs['sccache-hits']).toBeUndefined();

    expect(r.summaryStepsBuilt).toBe(0);
    expect(r.builtLogSteps).toEqual([]);
    expect(r.outPaths).toEqual(r1.outPaths);
    expect(r.metadata!.records.length).toBe(r1.metadata!.records.length);
    expect(r.metadata!.records.every((x) => x.reused === true)).toBe(true);
    expect(r.metadata!.plan.reuse).toEqual({ changed_sources: [], rebuilt_steps: [] });
    expect(r.main.summary).toMatch(/### Plan reuse/);

    await expectPostEnded(r, false);
    expect(postLine(r, NIX_BINARY_CACHE)).toMatch(/exact hit/);
    expect(postLine(r, SCCACHE_CACHE)).toMatch(/did not restore it, nothing to save/);
    expect(r.entriesAfter).toEqual(before);
  },
  RUN_TIMEOUT_MS,
);

test(
  'run 3, another inline config: cache-hit partial, and post saves the new keys',
  async () => {
    const before = need(reused ?? run2 ?? run1, 'run 1').entriesAfter;
    const r = await actionRun(s, 'run3', { inputs: { config: '[rust]\ndebug = true\n' } });
    run3 = r;
    expectExit(r.main, 0);
    expect(errors(r.main.stdout)).toEqual([]);
    expect(r.main.outputs['cache-hit']).toBe('partial');
    expect(mainLine(r, SCCACHE_CACHE)).toMatch(/^sccache cache: restored .* \(partial match for /);
    expect(mainLine(r, NIX_BINARY_CACHE)).toMatch(
      /^nix-binary-cache cache: restored .* \(partial match for /,
    );

    await expectPostEnded(r);
    const added = r.entriesAfter.filter((e) => !before.some((b) => b.key === e.key));
    expect(added.map((e) => e.key.includes(`-${NIX_BINARY_CACHE}-`)).sort()).toEqual([false, true]);
    expect(added.every((e) => e.key.startsWith(`${s.prefix}-`) && e.finalized)).toBe(true);
  },
  RUN_TIMEOUT_MS,
);

test('the runs warn about nothing cache-related when the service works', () => {
  const runs = [run1, run2, reused, run3].map((r, i) => need(r, `run ${i + 1}`));
  for (const r of runs) {
    const cacheWarnings = [...warnings(r.main.stdout), ...warnings(r.post.stdout)].filter((w) =>
      /cache|sccache/i.test(w),
    );
    expect({ run: r.label, cacheWarnings }).toEqual({ run: r.label, cacheWarnings: [] });
  }
});
