// `npm run bench` (node scripts/run-ts.mjs test/bench/run.ts): the SPEC's
// performance targets, measured side by side in one run on this machine.
//
//   recording: a plain `cargo build` of a fresh copy of the fixture workspace
//   (clean target) against the same build recorded through the action's emit
//   (node dist/main.js, `mode: emit`, another fresh copy), N alternating runs
//   each, medians compared; the target is at most 5% more.
//   nix: test/bench/nix-bench.ts's rows (cold and repeated `nix build`, a
//   synthetic 10,000-step flake), when `nix` is on PATH.
//   x.py: test/bench/xpy-bench.ts's rows on the real rust-lang/rust tree
//   (plain x.py build against its emit and against a cold nix build).
//   binary cache: test/bench/binary-cache-bench.ts's rows (issue 14): a second
//   run from a Nix binary cache over HTTP against one from the Actions cache.
//   CI: test/bench/ci-bench.ts's rows (issue 12): this action's whole job
//   against Swatinem/rust-cache's (its main, `cargo build`, its post) through
//   one loopback cache service: run 1, run 2 with nothing changed, run 2 after
//   editing a library two crates use; N alternating repetitions, medians.
//
// Flags: --runs N (default 3), --no-warmup, --no-nix, --only-nix, --no-xpy,
//        --no-cache, --no-ci, --only-ci, --steps N (synthetic plan size for the Nix bench).
// Progress goes to stderr, the table to stdout, then `uptime`. Exit status 1 when a target is missed.
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { type BenchRow, baselineRow, printTable, ratioRow } from '../support/bench-table.js';
import { ActionJob, EMIT_ONLY, readMetadataDir } from '../support/run-action.js';
import { baseEnv, copyFixture, removeTempDirs, runSync, tempDir } from '../support/workspace.js';
import { runBinaryCacheBench } from './binary-cache-bench.js';
import { runCacheBench } from './cache-bench.js';
import { runCiBench } from './ci-bench.js';
import { runNixBench } from './nix-bench.js';
import { runXpyBench } from './xpy-bench.js';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? 3);
const log = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};

/** The real toolchain binaries, as the action's `toolchain: system` resolves them. */
function systemToolchain(): { cargo: string; rustc: string } {
  const sysroot = runSync('rustc', ['--print', 'sysroot']).stdout.trim();
  return { cargo: join(sysroot, 'bin', 'cargo'), rustc: join(sysroot, 'bin', 'rustc') };
}

const CLK_TCK = Number(runSync('getconf', ['CLK_TCK']).stdout.trim()) || 100;

/**
 * CPU time (user + system) of every finished child of this process, its
 * descendants included (a process's waited-for children add to its cutime and
 * cstime): on a machine shared with other work it varies far less than wall time.
 */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5) (cutime, cstime); `fields` starts at field 3.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function removeCopy(ws: string): void {
  rmSync(dirname(ws), { recursive: true, force: true });
}

/** A plain `cargo build`, clean target, with the same cargo and rustc the action uses. */
function plainBuild(tc: { cargo: string; rustc: string }): Timing {
  const ws = copyFixture('rbn-bench-plain-');
  try {
    const cpu = childrenCpuMs();
    const started = performance.now();
    const r = runSync(tc.cargo, ['build'], { cwd: ws, env: baseEnv({ RUSTC: tc.rustc }) });
    const wallMs = performance.now() - started;
    if (r.status !== 0) throw new Error(`cargo build failed:\n${r.stderr}`);
    return { wallMs, cpuMs: childrenCpuMs() - cpu };
  } finally {
    removeCopy(ws);
  }
}

/** The same build recorded: the whole action step, and the build command inside it. */
async function recordedBuild(): Promise<Timing & { buildMs: number; steps: number }> {
  const ws = copyFixture('rbn-bench-emit-');
  const metadataDir = join(tempDir('rbn-bench-meta-'), 'meta');
  try {
    const job = new ActionJob({
      workspace: ws,
      inputs: { ...EMIT_ONLY, 'metadata-dir': metadataDir },
      merged: true,
    });
    const cpu = childrenCpuMs();
    const started = performance.now();
    const run = await job.main();
    const wallMs = performance.now() - started;
    const cpuMs = childrenCpuMs() - cpu;
    if (run.exitCode !== 0) throw new Error(`the emit failed:\n${run.stdout.slice(-4000)}`);
    // The recorded build command's own wall time: its cargo call, as the record times it.
    const { records, plan } = readMetadataDir(metadataDir);
    const cargo = records.find((r) => r.type === 'cargo_invocation');
    const buildMs = cargo ? cargo.duration_ms : Number.NaN;
    return { wallMs, cpuMs, buildMs, steps: plan.steps.length };
  } finally {
    removeCopy(ws);
    rmSync(dirname(metadataDir), { recursive: true, force: true });
  }
}

async function benchRecording(): Promise<BenchRow[]> {
  const tc = systemToolchain();
  if (!flag('--no-warmup')) {
    log('warm-up: one plain build (not timed: fills the page cache with the crate sources)');
    plainBuild(tc);
  }
  const plain: Timing[] = [];
  const step: Timing[] = [];
  const build: number[] = [];
  let steps = 0;
  const load = [loadavg()[0]!];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so drift on a shared machine hits both alike.
    const order = i % 2 === 0 ? ['plain', 'emit'] : ['emit', 'plain'];
    for (const what of order) {
      if (what === 'plain') {
        const t = plainBuild(tc);
        plain.push(t);
        log(`run ${i + 1}/${RUNS}: plain cargo build ${secs(t.wallMs)} (CPU ${secs(t.cpuMs)})`);
      } else {
        const r = await recordedBuild();
        step.push(r);
        build.push(r.buildMs);
        steps = r.steps;
        log(
          `run ${i + 1}/${RUNS}: recorded, the action step ${secs(r.wallMs)} (CPU ${secs(r.cpuMs)}), its cargo build ${secs(r.buildMs)}`,
        );
      }
      load.push(loadavg()[0]!);
    }
  }
  const loadNote = `1-min load average ${Math.min(...load).toFixed(1)} to ${Math.max(...load).toFixed(1)} on ${availableParallelism()} CPUs`;
  const wall = baselineRow(
    'plain cargo build (clean target), wall',
    plain.map((t) => t.wallMs),
    loadNote,
  );
  const cpu = baselineRow(
    'plain cargo build (clean target), CPU',
    plain.map((t) => t.cpuMs),
    'user + system time of the whole process tree',
  );
  return [
    wall,
    ratioRow(
      'recorded (action step, mode emit), wall',
      step.map((t) => t.wallMs),
      wall,
      1.05,
      `node dist/main.js: toolchain, config.toml, the build, records, plan (${steps} steps)`,
    ),
    ratioRow(
      'recorded: its cargo build alone, wall',
      build,
      wall,
      1.05,
      'the cargo call inside the step, as its record times it',
    ),
    cpu,
    ratioRow(
      'recorded (action step, mode emit), CPU',
      step.map((t) => t.cpuMs),
      cpu,
      1.05,
      'the recorder scripts, node and the analysis included',
    ),
  ];
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function nixAvailable(): boolean {
  try {
    return runSync('nix', ['--version']).status === 0;
  } catch {
    return false;
  }
}

const onlyCi = flag('--only-ci');
const rows: BenchRow[] = [];
if (!flag('--only-nix') && !onlyCi) rows.push(...(await benchRecording()));
if (!flag('--no-nix') && !onlyCi) {
  if (nixAvailable()) {
    log('nix: cold and repeated nix build of the fixture, synthetic flake');
    const steps = option('--steps');
    rows.push(...(await runNixBench(steps ? { steps: Number(steps) } : {})));
  } else {
    log('nix is not on PATH: the Nix rows are left out');
  }
}
if (!flag('--no-cache') && !flag('--only-nix') && !onlyCi && nixAvailable()) {
  log('cache: run 2 against run 1 through the Actions cache (loopback service)');
  rows.push(...(await runCacheBench({ log })));
}
if (!flag('--no-cache') && !flag('--only-nix') && !onlyCi && nixAvailable()) {
  log('binary cache: run 2 from a Nix binary cache over HTTP against run 2 from the Actions cache');
  rows.push(...(await runBinaryCacheBench({ log })));
}
if (!flag('--no-xpy') && !flag('--only-nix') && !onlyCi && nixAvailable()) {
  log('x.py: the real rust-lang/rust tree, plain against recorded and against a cold nix build');
  rows.push(...(await runXpyBench(log)));
}
if (!flag('--no-ci') && !flag('--only-nix')) {
  // The earlier rows' GC roots (the toolchain's store copy among them) go: the CI jobs model fresh runners.
  removeTempDirs();
  if (nixAvailable()) {
    log(`CI: this action's job against Swatinem/rust-cache's, ${RUNS} alternating repetitions`);
    try {
      rows.push(...(await runCiBench({ runs: RUNS, log })));
    } catch (e) {
      // A job that failed leaves nothing to compare; the other rows still print.
      const message = e instanceof Error ? e.message : String(e);
      log(`CI bench failed: ${message}`);
      rows.push({
        what: 'CI rows (this action against rust-cache)',
        measured: Number.NaN,
        against: '',
        baseline: null,
        target: 'the jobs succeed',
        ok: false,
        note: message.split('\n')[0] ?? '',
      });
    }
  } else {
    log('nix is not on PATH: the CI rows are left out');
  }
}
printTable(rows);
process.stdout.write(`load: ${runSync('uptime', []).stdout.trim()}\n`);
removeTempDirs();
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
