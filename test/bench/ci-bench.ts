// Issue 12's CI rows: this action's job against Swatinem/rust-cache's job, side
// by side in one run, on the same workspace, the same runner layout and the
// same loopback Actions cache service (test/support/cache-server.ts).
//
//   rust-cache job: its main (dist/restore.js), `cargo build`, its post
//                   (dist/save.js): its published dist/ at 2.9.2, vendored in
//                   test/bench/rust-cache/ (see the README there), every
//                   input at its action.yml default.
//   this action's job: main + post (node dist/main.js, node dist/post.js),
//                   emit-then-build with caches, default inputs with
//                   `toolchain: system` (no artifact upload and no check run:
//                   there is no GitHub API here), as in cache-bench.ts.
//
// A job's wall time is what the runner sees: main + the build (rust-cache's
// `cargo build`; this action builds inside main) + post, node's start included.
//
// Each repetition has its own empty cache service and a random --cfg in
// RUSTFLAGS (a new cache key for both tools, new step derivations for Nix),
// and runs three phases, both jobs in each, the order alternating between
// repetitions:
//
//   run 1:        empty caches.
//   run 2:        nothing changed: a fresh checkout, an empty RUNNER_TEMP, a
//                 fresh CARGO_HOME, the caches run 1 saved.
//   run 2, edit:  the same after editing shared/src/lib.rs, one source file of
//                 a library that two crates of the workspace (corelib and app)
//                 use; the same edit in both jobs.
//
// Between this action's jobs its step outputs are deleted from the Nix store
// (a fresh runner has none; they come back from the restored binary cache),
// and so is the store copy of the system toolchain (`toolchain: system`: a job
// that compiles a step adds it again; the notes say when it could not be
// deleted because something else on the machine roots it).
//
// The workspace is the fixture (test/fixtures/workspace, kept as it is: other
// tests pin it) plus, in the bench's own copy, the smallest thing that makes a
// library two workspace crates use: a member `shared` (one function) that
// corelib and app call. The expected rebuild after the edit is the step that
// compiles shared and every step downstream of it in the plan.
//
// Both jobs get the same CARGO_HOME (a fresh directory at the same path every
// job, as a runner's ~/.cargo) holding the fixture's [source] replacement to
// Debian's crate sources in /usr/share/cargo/registry.
//
// Exported for `npm run bench` (test/bench/run.ts, --no-ci / --only-ci); alone:
//   node scripts/run-ts.mjs test/bench/ci-bench.ts [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  type BenchRow,
  baselineRow,
  median,
  printTable,
  ratioRow,
  seconds,
} from '../support/bench-table.js';
import { startCacheServer } from '../support/cache-server.js';
import { forgetWithDerivations, nonce, withDependents } from '../support/nix-helpers.js';
import { ActionJob, expectExit, type StepRun } from '../support/run-action.js';
import { capture } from '../support/spawn.js';
import {
  copyFixture,
  FIXTURE,
  listFiles,
  REPO_ROOT,
  removeTempDirs,
  runSync,
  writeTree,
} from '../support/workspace.js';
import {
  type ActionRun,
  actionRun,
  type CacheScenario,
  cleanScenario,
  emptyRunnerTemp,
  forgetJob,
  freshWorkspace,
  newScenario,
  stepOutputs,
} from './cache-bench.js';

/** The vendored Swatinem/rust-cache (action.yml, dist/). */
export const RUST_CACHE_DIR = join(REPO_ROOT, 'test', 'bench', 'rust-cache');

/** The file the edit run changes, relative to the workspace. */
export const EDITED_FILE = 'shared/src/lib.rs';

const sharedLib = (text: string): string =>
  `//! A library two crates of the workspace use (corelib and app).\npub fn greeting() -> &'static str {\n    ${JSON.stringify(text)}\n}\n`;

/**
 * The bench's workspace: a copy of the fixture with a member `shared` that
 * corelib and app both depend on and call; Cargo.lock updated for it (offline).
 */
export function ciWorkspace(): string {
  const ws = copyFixture('rbn-ci-template-');
  writeTree(ws, {
    'shared/Cargo.toml': '[package]\nname = "shared"\nversion = "0.1.0"\nedition = "2021"\n',
    [EDITED_FILE]: sharedLib('shared v1'),
  });
  const edit = (rel: string, f: (text: string) => string): void => {
    const p = join(ws, rel);
    const before = readFileSync(p, 'utf8');
    const after = f(before);
    if (after === before) throw new Error(`ci-bench: could not edit ${rel}`);
    writeFileSync(p, after);
  };
  edit('Cargo.toml', (t) => t.replace('"macros"]', '"macros", "shared"]'));
  // [dependencies] is the last table of both manifests.
  for (const m of ['corelib/Cargo.toml', 'app/Cargo.toml'])
    edit(m, (t) => `${t.trimEnd()}\nshared = { path = "../shared" }\n`);
  edit(
    'corelib/src/lib.rs',
    (t) =>
      `${t.trimEnd()}\n\n/** What the shared library says. */\npub fn shared_greeting() -> &'static str {\n    shared::greeting()\n}\n`,
  );
  edit('app/src/main.rs', (t) =>
    t.replace('fn main() {\n', 'fn main() {\n    println!("{}", shared::greeting());\n'),
  );
  const r = runSync('cargo', ['metadata', '--offline', '--format-version', '1'], { cwd: ws });
  if (r.status !== 0) throw new Error(`ci-bench: cargo metadata failed:\n${r.stderr}`);
  return ws;
}

/** The edit of the edit run (the same in both jobs). */
function editShared(workspace: string, tag: string): void {
  writeFileSync(join(workspace, EDITED_FILE), sharedLib(`shared, edited ${tag}`));
}

/** The job's CARGO_HOME: always at this path, like a runner's ~/.cargo. */
const cargoHomeOf = (s: CacheScenario): string => join(s.base, 'home', '.cargo');

/** A fresh CARGO_HOME holding the fixture's source replacement (Debian's crate sources). */
function freshCargoHome(s: CacheScenario): string {
  const home = cargoHomeOf(s);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config.toml'),
    readFileSync(join(FIXTURE, '.cargo', 'config.toml'), 'utf8'),
  );
  return home;
}

/** Variables both jobs get on top of the scenario's (cache service, NIX_CONFIG, RUSTFLAGS). */
function ciEnv(s: CacheScenario): Record<string, string> {
  return { CARGO_HOME: cargoHomeOf(s), GITHUB_JOB: 'build', RUNNER_TEMP: s.runnerTemp };
}

export interface RustCacheRun {
  label: string;
  main: StepRun;
  post: StepRun;
  mainMs: number;
  buildMs: number;
  postMs: number;
  /** main + cargo build + post. */
  totalMs: number;
  /** Its log line `Restored from cache key "..." full match: true.`, or `No cache found.`. */
  restoreLine: string;
  fullMatch: boolean;
  /** Files under target/ after its main step, before the build. */
  targetFilesRestored: number;
  /** The crates `cargo build` compiled (its `Compiling` lines). */
  compiled: string[];
  /** What its post did: `Cache up-to-date.` or `... Saving cache ...`. */
  saveLine: string;
}

/** One rust-cache job: restore.js, `cargo build` (as a `run:` step), save.js. */
export async function rustCacheRun(
  s: CacheScenario,
  label: string,
  opts: { from: string; edit?: (workspace: string) => void },
): Promise<RustCacheRun> {
  const workspace = freshWorkspace(s, opts.from);
  opts.edit?.(workspace);
  emptyRunnerTemp(s);
  freshCargoHome(s);
  const job = new ActionJob({
    workspace,
    actionDir: RUST_CACHE_DIR,
    env: { ...s.env, ...ciEnv(s) },
    merged: true,
  });
  s.jobs.push(job);
  let started = performance.now();
  const main = await job.main();
  const mainMs = performance.now() - started;
  expectExit(main, 0);
  const targetFilesRestored = listFiles(join(workspace, 'target')).length;
  started = performance.now();
  const build = await capture('cargo', ['build'], { cwd: workspace, env: job.runStepEnv() });
  const buildMs = performance.now() - started;
  if (build.status !== 0)
    throw new Error(`ci-bench: ${label}: cargo build failed:\n${build.stderr.slice(-4000)}`);
  started = performance.now();
  const post = await job.post();
  const postMs = performance.now() - started;
  expectExit(post, 0);
  const lines = (log: string): string[] => log.split('\n').map((l) => l.trim());
  const restoreLine =
    lines(main.stdout).find((l) => /^Restored from cache key|^No cache found/.test(l)) ?? '?';
  return {
    label,
    main,
    post,
    mainMs,
    buildMs,
    postMs,
    totalMs: mainMs + buildMs + postMs,
    restoreLine,
    fullMatch: /full match: true/.test(restoreLine),
    targetFilesRestored,
    compiled: lines(build.stderr)
      .filter((l) => l.startsWith('Compiling '))
      .map((l) => l.split(' ')[1]!),
    saveLine:
      lines(post.stdout).find((l) => /^Cache up-to-date|^\.\.\. Saving cache/.test(l)) ?? '?',
  };
}

/** One of this action's jobs (main + post), with the CI variables; throws when a step fails. */
async function thisActionRun(
  s: CacheScenario,
  label: string,
  opts: { from: string; edit?: (workspace: string) => void },
): Promise<ActionRun & { totalMs: number }> {
  const run = await actionRun(s, label, {
    from: opts.from,
    env: ciEnv(s),
    before: (job) => {
      freshCargoHome(s);
      opts.edit?.(job.opts.workspace);
    },
  });
  expectExit(run.main, 0);
  expectExit(run.post, 0);
  return { ...run, totalMs: run.mainMs + run.postMs };
}

/**
 * `paths` and every generated path (`rbn-*`) that refers to them: a run can
 * leave more than one `rbn-result` over the same step outputs (an earlier
 * run's, imported with the restored binary cache), and Nix deletes a path
 * only together with its referrers. The outputs are salted per repetition, so
 * nothing outside it refers to them.
 */
function withReferrers(paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  const q = runSync('nix-store', ['--query', '--referrers-closure', ...paths]);
  if (q.status !== 0) throw new Error(`nix-store --query --referrers-closure failed:\n${q.stderr}`);
  const more = q.stdout.split('\n').filter((p) => /^\/nix\/store\/[a-z0-9]{32}-rbn-/.test(p));
  return [...new Set([...paths, ...more])];
}

/** The store copy of the system toolchain the job kept a root to (none when it needed none). */
function toolchainCopyOf(s: CacheScenario): string | null {
  try {
    return readlinkSync(join(s.runnerTemp, 'rust-bootstrap-nix-gcroots', 'rust-toolchain-system'));
  } catch {
    return null;
  }
}

/** Which steps the edit should rebuild: those reading the edited file, and everything downstream. */
export function expectedRebuild(run: ActionRun): Set<string> {
  const plan = run.metadata?.plan;
  if (!plan) return new Set();
  const edited = join(run.job.opts.workspace, EDITED_FILE);
  const readers = plan.steps.filter((st) => st.sources.includes(edited)).map((st) => st.id);
  return withDependents(plan, readers);
}

/** `crate kind` of step ids, for the notes. */
function describeSteps(run: ActionRun, ids: Iterable<string>): string {
  const byId = new Map((run.metadata?.plan.steps ?? []).map((st) => [st.id, st]));
  return [...ids]
    .map((id) => {
      const st = byId.get(id);
      return st ? `${st.crate} ${st.kind}` : id;
    })
    .sort()
    .join(', ');
}

export interface CiRepetition {
  order: ('rust-cache' | 'this action')[];
  rc: { run1: RustCacheRun; run2: RustCacheRun; edit: RustCacheRun };
  rbn: {
    run1: ActionRun & { totalMs: number };
    run2: ActionRun & { totalMs: number };
    edit: ActionRun & { totalMs: number };
  };
  /** Steps of the edit run's plan that should have been rebuilt, and those that were. */
  expected: string[];
  rebuilt: string[];
  /** The 1-min load average after each job. */
  loads: number[];
  /** Phases after which the toolchain's store copy could not be deleted (rooted elsewhere): the next job found it. */
  toolchainKept: string[];
}

/** One repetition: its own cache service and scenario, the three phases, both jobs in each. */
export async function ciRepetition(
  template: string,
  rustCacheFirst: boolean,
  log: (line: string) => void,
): Promise<CiRepetition> {
  const server = await startCacheServer();
  const s = newScenario(server);
  const tag = nonce();
  const order: CiRepetition['order'] = rustCacheFirst
    ? ['rust-cache', 'this action']
    : ['this action', 'rust-cache'];
  const rc: Partial<CiRepetition['rc']> = {};
  const rbn: Partial<CiRepetition['rbn']> = {};
  const loads: number[] = [];
  const toolchainKept: string[] = [];
  try {
    for (const phase of ['run1', 'run2', 'edit'] as const) {
      const opts = {
        from: template,
        ...(phase === 'edit' ? { edit: (ws: string) => editShared(ws, tag) } : {}),
      };
      for (const who of order) {
        if (who === 'rust-cache') {
          const r = await rustCacheRun(s, `rc-${phase}`, opts);
          rc[phase] = r;
          log(
            `ci-bench: ${phase} rust-cache job ${seconds(r.totalMs)} (main ${seconds(r.mainMs)}, cargo build ${seconds(r.buildMs)}, post ${seconds(r.postMs)}); ${r.restoreLine}; ${r.targetFilesRestored} files in target/ restored; ${r.compiled.length} crates compiled; post: ${r.saveLine}; load ${loadavg()[0]!.toFixed(1)}`,
          );
          loads.push(loadavg()[0]!);
        } else {
          const r = await thisActionRun(s, `rbn-${phase}`, opts);
          rbn[phase] = r;
          log(
            `ci-bench: ${phase} this action's job ${seconds(r.totalMs)} (main ${seconds(r.mainMs)}, post ${seconds(r.postMs)}); sccache ${r.hits}/${r.hits + r.misses} hits; ${r.summaryStepsBuilt ?? '?'} of ${r.metadata?.plan.steps.length ?? '?'} Nix steps built; cache-hit ${r.main.outputs['cache-hit'] ?? '?'}; load ${loadavg()[0]!.toFixed(1)}`,
          );
          loads.push(loadavg()[0]!);
          // A fresh runner has none of the step outputs (the next job gets them
          // from the caches), nor the store copy of its system toolchain.
          const copy = toolchainCopyOf(s);
          forgetJob(s, withReferrers(stepOutputs(r)));
          if (copy && !forgetWithDerivations(copy)) toolchainKept.push(phase);
        }
      }
    }
    const edit = rbn.edit!;
    return {
      order,
      rc: rc as CiRepetition['rc'],
      rbn: rbn as CiRepetition['rbn'],
      expected: [...expectedRebuild(edit)].sort(),
      rebuilt: [...edit.builtLogSteps].sort(),
      loads,
      toolchainKept,
    };
  } finally {
    await server.close();
    cleanScenario(s);
  }
}

const same = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const med = (xs: readonly number[]): string => seconds(median(xs));

/** The rows of the shared table from the repetitions. */
export function ciRows(reps: readonly CiRepetition[], loadNote: string): BenchRow[] {
  const rows: BenchRow[] = [];
  const phases = [
    { key: 'run1', name: 'CI run 1, empty caches', max: 1.3 },
    { key: 'run2', name: 'CI run 2, nothing changed', max: 1.0 },
    { key: 'edit', name: `CI run 2, ${EDITED_FILE} edited`, max: 1.0 },
  ] as const;
  for (const { key, name, max } of phases) {
    const rcs = reps.map((r) => r.rc[key]);
    const rbns = reps.map((r) => r.rbn[key]);
    const rcRow = baselineRow(
      `${name}: rust-cache job`,
      rcs.map((r) => r.totalMs),
      [
        key === 'run1' ? loadNote : '',
        `main ${med(rcs.map((r) => r.mainMs))} + cargo build ${med(rcs.map((r) => r.buildMs))} + post ${med(rcs.map((r) => r.postMs))}`,
        `${rcs.map((r) => r.compiled.length).join('/')} crates compiled`,
        key === 'run1'
          ? `post: ${rcs[0]!.saveLine}`
          : `restore: ${rcs.every((r) => r.fullMatch) ? 'full match every time' : 'NOT a full match'}, ${rcs.map((r) => r.targetFilesRestored).join('/')} files in target/ restored; post: ${rcs[0]!.saveLine}`,
      ]
        .filter(Boolean)
        .join('; '),
    );
    if (key !== 'run1') {
      // The comparison means something only when rust-cache really restored its target dir.
      rcRow.target = 'cache hit, target/ restored';
      rcRow.ok = rcs.every((r) => r.fullMatch && r.targetFilesRestored > 0);
    }
    rows.push(rcRow);
    const notes = [
      `main ${med(rbns.map((r) => r.mainMs))} + post ${med(rbns.map((r) => r.postMs))}`,
      `main's stages (median): ${stageNote(rbns)}`,
      `sccache ${rbns.map((r) => `${r.hits}/${r.hits + r.misses}`).join(', ')} hits`,
      `Nix steps built ${rbns.map((r) => `${r.summaryStepsBuilt ?? '?'}/${r.metadata?.plan.steps.length ?? '?'}`).join(', ')}`,
    ];
    const kept = reps.filter((r) => r.toolchainKept.length > 0).length;
    if (key !== 'run1')
      notes.push(
        kept === 0
          ? 'the toolchain store copy deleted before the job, as on a fresh runner'
          : `the toolchain store copy was rooted elsewhere and stayed in the store in ${kept} of ${reps.length} repetitions (favours this action)`,
      );
    const row = ratioRow(
      `${name}: this action's job`,
      rbns.map((r) => r.totalMs),
      rcRow,
      max,
    );
    if (key === 'edit') {
      const exact = reps.every((r) => same(r.expected, r.rebuilt));
      const last = reps[reps.length - 1]!;
      row.target = `${row.target}, rebuilds exactly the edit's steps`;
      row.ok = row.ok && exact;
      notes.push(
        `rebuilt ${exact ? 'exactly the expected steps' : 'NOT exactly the expected steps'} (last run: ${last.rebuilt.length} rebuilt: ${describeSteps(last.rbn.edit, last.rebuilt)}; expected ${last.expected.length}: ${describeSteps(last.rbn.edit, last.expected)})`,
      );
    }
    row.note = notes.join('; ');
    rows.push(row);
  }
  return rows;
}

/**
 * The stages of main (its summary's "Time by stage"), median over the
 * repetitions, largest first, and what is outside them (node's start, loading
 * the bundle, the summary's own writing).
 */
function stageNote(runs: readonly ActionRun[]): string {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.stageMs)))];
  const rows = names
    .map((n) => ({ n, ms: median(runs.map((r) => r.stageMs[n] ?? 0)) }))
    .filter((x) => x.ms >= 100)
    .sort((a, b) => b.ms - a.ms);
  const outside = median(
    runs.map((r) => r.mainMs - Object.values(r.stageMs).reduce((a, b) => a + b, 0)),
  );
  return [
    ...rows.map((x) => `${x.n} ${seconds(x.ms)}`),
    `outside the stages ${seconds(outside)}`,
  ].join(', ');
}

const uptime = (): string => {
  const r = spawnSync('uptime', { encoding: 'utf8' });
  return (r.stdout ?? '').trim();
};

/** The whole CI bench: `runs` repetitions (alternating which job goes first), medians. */
export async function runCiBench(
  opts: { runs?: number; log?: (line: string) => void } = {},
): Promise<BenchRow[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const runs = opts.runs ?? 3;
  const template = ciWorkspace();
  const load = [loadavg()[0]!];
  log(`ci-bench: ${runs} repetitions; ${uptime()}`);
  const reps: CiRepetition[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      log(`ci-bench: repetition ${i + 1}/${runs}`);
      const rep = await ciRepetition(template, i % 2 === 0, log);
      reps.push(rep);
      load.push(...rep.loads);
      log(`ci-bench: ${uptime()}`);
    }
  } finally {
    rmSync(join(template, '..'), { recursive: true, force: true });
  }
  const loadNote = `1-min load after each job ${Math.min(...load).toFixed(1)} to ${Math.max(...load).toFixed(1)} on ${availableParallelism()} CPUs`;
  return ciRows(reps, loadNote);
}

if (process.argv[1]?.endsWith('ci-bench.ts')) {
  const i = process.argv.indexOf('--runs');
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 3;
  try {
    const rows = await runCiBench({ runs });
    printTable(rows);
    process.stdout.write(`load: ${uptime()}\n`);
    process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
  } finally {
    // The action's private copy, the jobs' runner dirs and logs.
    removeTempDirs();
  }
}
