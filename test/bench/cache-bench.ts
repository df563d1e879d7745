// Issue 5's bench: a second run after the caches were restored, against the
// first, the action run as the runner runs it (node dist/main.js, then
// node dist/post.js, as child processes) against a loopback cache service
// speaking GitHub's v2 protocol (test/support/cache-server.ts), on the fixture
// workspace (Debian's crate sources), `toolchain: system`, `emit-then-build`.
//
//   run 1: a fresh RUNNER_TEMP, an empty cache service: everything is built
//          and post saves sccache's directory and the Nix binary cache.
//   then:  run 1's job is gone (its RUNNER_TEMP, hence its GC roots, removed)
//          and its step outputs are deleted from the Nix store, so the second
//          run can only get them from the restored binary cache.
//   run 2: a fresh RUNNER_TEMP (an empty SCCACHE_DIR and binary cache
//          dir), a new metadata-dir, a fresh copy of the workspace (clean
//          target), the same cache service.
//
// As on a runner, every job gets the same paths: the checkout at
// work/repo/repo and RUNNER_TEMP at work/_temp, emptied between jobs. The
// Actions cache depends on it: an entry's version hashes the cached paths
// as given (absolute here), and the archive holds them relative to
// GITHUB_WORKSPACE, so a RUNNER_TEMP at another path restores nothing.
//
// Rows: the main step's wall time, sccache's hit rate over cacheable compiles
// and the Nix steps built, run 2 against run 1. A random --cfg in RUSTFLAGS
// (a compile variable: it is part of the cache keys too) makes every step
// derivation new, so run 1 is cold and nothing outside this run holds its
// outputs alive.
//
// Exported for `npm run bench` (test/bench/run.ts) and for
// test/cache-action.test.ts, which asserts on the same runs; on its own:
//   node scripts/run-ts.mjs test/bench/cache-bench.ts
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type BenchRow, printTable, ratio } from '../support/bench-table.js';
import {
  type CacheEntryInfo,
  type CacheServer,
  startCacheServer,
} from '../support/cache-server.js';
import { builtStepIds, NIX_CONFIG, nonce } from '../support/nix-helpers.js';
import {
  ActionJob,
  expectExit,
  type Metadata,
  readMetadataDir,
  type StepRun,
} from '../support/run-action.js';
import { FIXTURE, runSync, tempDir } from '../support/workspace.js';

export const SCCACHE_CACHE = 'sccache';
export const NIX_BINARY_CACHE = 'nix-binary-cache';

/** Where one scenario keeps its workspace and metadata dirs. */
export interface CacheScenario {
  server: CacheServer;
  /** Every run's workspace: a fresh copy of the fixture, always at this path. */
  workspace: string;
  /** Every run's RUNNER_TEMP: emptied before each job, always at this path. */
  runnerTemp: string;
  /** Parent of the metadata dirs. */
  base: string;
  /** cache-key-prefix of every run. */
  prefix: string;
  /** Job variables of every run (cache service, NIX_CONFIG, RUSTFLAGS). */
  env: Record<string, string>;
  jobs: ActionJob[];
  /** The action's directory (action.yml, dist/); a private copy of the repository's by default. */
  actionDir?: string;
}

export interface ActionRun {
  label: string;
  job: ActionJob;
  metadataDir: string;
  main: StepRun;
  post: StepRun;
  mainMs: number;
  postMs: number;
  metadata: Metadata | null;
  hits: number;
  misses: number;
  /** hits / (hits + misses), null when nothing was cacheable. */
  hitRate: number | null;
  /** `| steps built | N |` of the summary's Nix section, null when it has none. */
  summaryStepsBuilt: number | null;
  /** `| compiles taken from the recording (built once) | N |`, 0 when the summary has no such row. */
  summaryTaken: number;
  /** The summary's "Time by stage" table, in ms (empty when it has none). */
  stageMs: Record<string, number>;
  /** Plan steps whose derivation the log says was built. */
  builtLogSteps: string[];
  outPaths: string[];
  /** The cache service's entries after the post step. */
  entriesAfter: CacheEntryInfo[];
}

export function newScenario(
  server: CacheServer,
  opts: { tag?: string; actionDir?: string } = {},
): CacheScenario {
  const tag = opts.tag ?? nonce();
  const base = tempDir('rbn-cache-action-');
  const cfg = `rbn_cache_${tag}`;
  return {
    server,
    workspace: join(base, 'work', 'repo', 'repo'),
    runnerTemp: join(base, 'work', '_temp'),
    base,
    prefix: `rbn-cache-action-${tag}`,
    env: {
      ...server.env,
      NIX_CONFIG,
      RUSTFLAGS: `--cfg ${cfg} --check-cfg cfg(${cfg})`,
    },
    jobs: [],
    ...(opts.actionDir ? { actionDir: opts.actionDir } : {}),
  };
}

/** Points the scenario's later runs at another cache service. */
export function useServer(s: CacheScenario, server: CacheServer): void {
  s.server = server;
  s.env = { ...s.env, ...server.env };
}

/**
 * A fresh copy of the fixture (or of `from`, another source tree), without a
 * target dir, at the scenario's one workspace path: a fresh checkout.
 */
export function freshWorkspace(s: CacheScenario, from: string = FIXTURE): string {
  rmSync(s.workspace, { recursive: true, force: true });
  mkdirSync(dirname(s.workspace), { recursive: true });
  const skip = join(from, 'target');
  cpSync(from, s.workspace, {
    recursive: true,
    filter: (src) => src !== skip && !src.startsWith(`${skip}/`),
  });
  return s.workspace;
}

const num = (v: string | undefined): number => (v === undefined || v === '' ? 0 : Number(v));

/** What the runner does between jobs: RUNNER_TEMP emptied (the GC roots a build left there go with it). */
export function emptyRunnerTemp(s: CacheScenario): void {
  rmSync(s.runnerTemp, { recursive: true, force: true });
  mkdirSync(s.runnerTemp, { recursive: true });
}

/** main then post of one job: an empty RUNNER_TEMP, a new metadata-dir, a fresh workspace copy. */
export async function actionRun(
  s: CacheScenario,
  label: string,
  opts: {
    inputs?: Record<string, string>;
    env?: Record<string, string>;
    /** Runs after RUNNER_TEMP was emptied, before main (e.g. to seed it). */
    before?: (job: ActionJob) => void;
    /** The source tree checked out (the fixture by default). */
    from?: string;
  } = {},
): Promise<ActionRun> {
  const workspace = freshWorkspace(s, opts.from);
  emptyRunnerTemp(s);
  const metadataDir = join(s.base, `${label}-metadata`);
  const job = new ActionJob({
    workspace,
    inputs: {
      'source-dir': workspace,
      toolchain: 'system',
      mode: 'emit-then-build',
      'metadata-dir': metadataDir,
      'cache-key-prefix': s.prefix,
      'upload-artifact': 'false',
      'check-run': 'false',
      ...opts.inputs,
    },
    env: { ...s.env, RUNNER_TEMP: s.runnerTemp, ...opts.env },
    // One file for both streams: nothing the step leaves running (sccache's
    // server) can hold a pipe open and keep the step from ending.
    merged: true,
    ...(s.actionDir ? { actionDir: s.actionDir } : {}),
  });
  s.jobs.push(job);
  opts.before?.(job);
  let started = performance.now();
  const main = await job.main();
  const mainMs = performance.now() - started;
  started = performance.now();
  const post = await job.post();
  const postMs = performance.now() - started;
  const metadata = existsSync(join(metadataDir, 'plan.json')) ? readMetadataDir(metadataDir) : null;
  const hits = num(main.outputs['sccache-hits']);
  const misses = num(main.outputs['sccache-misses']);
  const built = /\| steps built \| (\d+) \|/.exec(main.summary);
  const taken = /\| compiles taken from the recording \(built once\) \| (\d+) \|/.exec(
    main.summary,
  );
  return {
    label,
    job,
    metadataDir,
    main,
    post,
    mainMs,
    postMs,
    metadata,
    hits,
    misses,
    hitRate: hits + misses > 0 ? hits / (hits + misses) : null,
    summaryStepsBuilt: built ? Number(built[1]) : null,
    summaryTaken: taken ? Number(taken[1]) : 0,
    stageMs: stageTimesOf(main.summary),
    builtLogSteps: metadata ? builtStepIds(main.stdout, metadata.plan) : [],
    outPaths: (main.outputs['out-paths'] ?? '').split(' ').filter(Boolean),
    entriesAfter: s.server.entries(),
  };
}

/** The rows of the summary's "Time by stage" table, in ms. */
export function stageTimesOf(summary: string): Record<string, number> {
  const section = summary.split(/^#+ Time by stage$/m)[1] ?? '';
  const out: Record<string, number> = {};
  for (const m of section.matchAll(/^\| ([^|]+) \| ([^|]+) \|$/gm)) {
    const t = m[2]!.trim();
    const v = /^(\d+) ms$/.exec(t)
      ? Number(t.slice(0, -3))
      : /^[\d.]+ s$/.test(t)
        ? Number(t.slice(0, -2)) * 1000
        : /^(\d+) min (\d+) s$/.test(t)
          ? Number(/^(\d+)/.exec(t)![1]) * 60_000 + Number(/(\d+) s$/.exec(t)![1]) * 1000
          : Number.NaN;
    if (!Number.isNaN(v)) out[m[1]!.trim()] = v;
  }
  return out;
}

/** The step outputs (`rbn-<step id>`) and the result (`rbn-result`) in the closure of a run's out-paths. */
export function stepOutputs(run: ActionRun): string[] {
  if (!run.metadata || run.outPaths.length === 0) return [];
  const ids = new Set(run.metadata.plan.steps.map((st) => `rbn-${st.id}`));
  ids.add('rbn-result');
  const q = runSync('nix-store', ['-qR', ...run.outPaths]);
  if (q.status !== 0) throw new Error(`nix-store -qR failed:\n${q.stderr}`);
  return q.stdout.split('\n').filter((p) => ids.has(p.replace(/^\/nix\/store\/[a-z0-9]{32}-/, '')));
}

/** Which of `paths` are valid in the store. */
export function validPaths(paths: readonly string[]): string[] {
  return paths.filter((p) => runSync('nix-store', ['--check-validity', p]).status === 0);
}

/**
 * Ends a job as the runner does (RUNNER_TEMP emptied, with the GC roots the
 * build left there), then deletes `paths` from the store.
 */
export function forgetJob(s: CacheScenario, paths: readonly string[]): void {
  emptyRunnerTemp(s);
  if (paths.length === 0) return;
  const r = runSync('nix-store', ['--delete', ...paths]);
  if (r.status !== 0) throw new Error(`nix-store --delete failed (${r.status}):\n${r.stderr}`);
}

export interface TwoRuns {
  scenario: CacheScenario;
  run1: ActionRun;
  /** Run 1's step outputs, deleted from the store before run 2. */
  deleted: string[];
  /** Which of them were still valid after the delete (should be none). */
  validAfterDelete: string[];
  run2: ActionRun;
}

/** Run 1, the store cleared of its steps, run 2. Throws when run 1 fails (nothing to compare). */
export async function twoRuns(
  s: CacheScenario,
  log: (line: string) => void = () => {},
): Promise<TwoRuns> {
  log('cache-bench: run 1 (empty cache service, empty RUNNER_TEMP)');
  const run1 = await actionRun(s, 'run1');
  expectExit(run1.main, 0);
  expectExit(run1.post, 0);
  const deleted = stepOutputs(run1);
  log(`cache-bench: deleting run 1's ${deleted.length} step outputs from the store`);
  forgetJob(s, deleted);
  const validAfterDelete = validPaths(deleted);
  log('cache-bench: run 2 (empty RUNNER_TEMP, new metadata-dir, fresh workspace copy)');
  // The sccache row measures a run that compiles: run 1's plan is not reused (cargo runs).
  const run2 = await actionRun(s, 'run2', { inputs: { 'reuse-plan': 'false' } });
  return { scenario: s, run1, deleted, validAfterDelete, run2 };
}

const percent = (r: number | null): string => (r === null ? 'n/a' : `${(100 * r).toFixed(1)}%`);

function summarize(run: ActionRun): string {
  const steps = run.metadata?.plan.steps.length ?? 0;
  return `sccache ${run.hits}/${run.hits + run.misses} hits (${percent(run.hitRate)}), Nix: ${run.summaryStepsBuilt ?? '?'} of ${steps} steps built, cache-hit ${run.main.outputs['cache-hit'] ?? '?'}`;
}

/** The rows for the shared bench table: run 2's main step against run 1's. */
export function cacheBenchRows(t: TwoRuns): BenchRow[] {
  const { run1, run2 } = t;
  const sizes = run1.entriesAfter
    .map(
      (e) =>
        `${e.key.includes(NIX_BINARY_CACHE) ? 'nix' : 'sccache'} ${(e.size / 1e6).toFixed(1)} MB`,
    )
    .join(', ');
  const hitsOk = run2.hitRate !== null && run2.hitRate >= 0.9;
  const builtOk = run2.summaryStepsBuilt === 0 && run2.builtLogSteps.length === 0;
  return [
    {
      what: 'cache run 1: main step, empty cache',
      measured: run1.mainMs,
      against: '',
      baseline: null,
      target: '',
      ok: true,
      note: `${summarize(run1)}; post ${(run1.postMs / 1000).toFixed(1)} s saved ${sizes}`,
    },
    {
      what: 'cache run 2: main step, caches restored',
      measured: run2.mainMs,
      against: 'cache run 1: main step, empty cache',
      baseline: run1.mainMs,
      target: 'hits ≥ 90%, 0 steps built',
      ok: hitsOk && builtOk && run2.main.outputs['cache-hit'] === 'true',
      note: `${summarize(run2)}; ${t.deleted.length} step outputs deleted from the store before it; time ${ratio(run2.mainMs, run1.mainMs)} of run 1 (no time target)`,
    },
  ];
}

/** The whole bench: its own cache service and scenario, cleaned up afterwards. */
export async function runCacheBench(
  opts: { actionDir?: string; log?: (line: string) => void } = {},
): Promise<BenchRow[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const server = await startCacheServer();
  const s = newScenario(server, opts.actionDir ? { actionDir: opts.actionDir } : {});
  try {
    return cacheBenchRows(await twoRuns(s, log));
  } finally {
    await server.close();
    cleanScenario(s);
  }
}

/** Removes what a scenario wrote (workspace, metadata dirs, the jobs' RUNNER_TEMPs). */
export function cleanScenario(s: CacheScenario): void {
  for (const job of s.jobs) rmSync(dirname(job.runnerTemp), { recursive: true, force: true });
  rmSync(s.base, { recursive: true, force: true });
}

// '/cache-bench.ts': binary-cache-bench.ts, which imports this file, ends with 'cache-bench.ts' too.
if (process.argv[1]?.endsWith('/cache-bench.ts')) {
  // --action-dir <dir>: another build of the action (e.g. a patched dist/) instead of this checkout's.
  const i = process.argv.indexOf('--action-dir');
  const actionDir = i >= 0 ? process.argv[i + 1] : undefined;
  const rows = await runCacheBench(actionDir ? { actionDir } : {});
  printTable(rows);
  process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
}
