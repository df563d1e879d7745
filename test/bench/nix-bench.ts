// Issue 3's bench, side by side in one run on this machine:
//   (a) a plain `cargo build` of a fresh fixture copy against a COLD `nix build`
//       of the generated flake (every derivation new: the tools carry a salt);
//   (b) a repeated `nix build` with nothing changed against the cold one;
//   (c) generating, and evaluating (`nix eval --raw <flake>#default.drvPath`,
//       which forces every step derivation), the flake of a synthetic
//       10,000-step plan.
// Exported for `npm run bench`; on its own:
//   node scripts/run-ts.mjs test/bench/nix-bench.ts [--steps N] [--only a|c]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFlake } from '../../src/nix/generate.js';
import { addSysrootToStore } from '../../src/toolchain/resolve.js';
import {
  builtDerivations,
  NIX_CONFIG,
  nix,
  nixEnv,
  nonce,
  saltedTools,
} from '../support/nix-helpers.js';
import { syntheticBuild } from '../support/nix-synthetic.js';
import { ActionJob, readMetadataDir } from '../support/run-action.js';
import { baseEnv, cargoBin, copyFixture, runSync, tempDir } from '../support/workspace.js';

export interface BenchRow {
  what: string;
  measured: number; // wall ms
  cpu: number; // CPU ms of the process and every descendant it waited for
  against: string; // what it is compared with
  baseline: number | null; // wall ms
  baselineCpu: number | null;
  /** measured / baseline, or measured in seconds where there is no baseline. */
  target: string;
  ok: boolean;
  note: string;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * CPU time of this process's reaped children (and theirs: cargo's rustc, Nix's
 * builders), from /proc/self/stat, in ms. Other agents share this machine's
 * cores, so wall time alone says little; this says what the work cost.
 */
function childCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 (cutime, cstime) in clock ticks; the list starts at field 3.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

interface Timed<T> {
  value: T;
  ms: number;
  cpu: number;
}

function timed<T>(fn: () => T): Timed<T> {
  const started = performance.now();
  const cpu0 = childCpuMs();
  const self0 = process.cpuUsage();
  const value = fn();
  const self = process.cpuUsage(self0);
  return {
    value,
    ms: performance.now() - started,
    cpu: childCpuMs() - cpu0 + (self.user + self.system) / 1000,
  };
}

/** Times one child process at a time (nothing else may run meanwhile, for the CPU figure). */
async function timedAsync<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const cpu0 = childCpuMs();
  const value = await fn();
  return { value, ms: performance.now() - started, cpu: childCpuMs() - cpu0 };
}

export interface FixtureBench {
  cargo: Timed<unknown>;
  cold: Timed<unknown>;
  repeat: Timed<unknown>;
  coldBuilt: number;
  repeatBuilt: number;
  steps: number;
  rows: BenchRow[];
}

/**
 * (a) and (b): plain cargo, then an emit of another fresh copy (the action,
 * `mode: emit`), its flake generated with salted tools, built cold, built again.
 */
export async function benchFixture(
  log: (line: string) => void = console.error,
): Promise<FixtureBench> {
  log('nix-bench: plain cargo build of a fresh fixture copy');
  const plainWs = copyFixture('rbn-bench-plain-');
  const cargo = timed(() => runSync(cargoBin(), ['build'], { cwd: plainWs, env: baseEnv() }));
  if (cargo.value.status !== 0) throw new Error(`cargo build failed:\n${cargo.value.stderr}`);

  log('nix-bench: emit (the action, mode emit) of another fresh copy');
  const ws = copyFixture('rbn-bench-emit-');
  const md = join(tempDir('rbn-bench-md-'), 'metadata');
  const job = new ActionJob({
    workspace: ws,
    inputs: { 'source-dir': ws, toolchain: 'system', mode: 'emit', 'metadata-dir': md },
    env: { NIX_CONFIG },
    merged: true,
  });
  const emitted = await job.main();
  if (emitted.exitCode !== 0) throw new Error(`the emit failed:\n${emitted.stdout}`);
  const { plan, records } = readMetadataDir(md);

  const store = await addSysrootToStore(plan.toolchain.sysroot, {
    gcRootDir: join(job.runnerTemp, 'gcroots'),
    env: nixEnv(),
    name: 'rust-toolchain-system',
  });
  const flakeDir = join(tempDir('rbn-bench-flake-'), 'flake');
  generateFlake({ plan, records, flakeDir, tools: saltedTools(store.storePath, nonce()) });

  log(`nix-bench: cold nix build of ${plan.steps.length} steps`);
  const args = ['build', '--no-link', '--json', '--max-jobs', 'auto', `path:${flakeDir}#default`];
  const cold = await timedAsync(() => nix(args));
  if (cold.value.status !== 0) throw new Error(`cold nix build failed:\n${cold.value.stderr}`);
  log('nix-bench: repeated nix build, nothing changed');
  const repeat = await timedAsync(() => nix(args));
  if (repeat.value.status !== 0)
    throw new Error(`repeated nix build failed:\n${repeat.value.stderr}`);

  const coldBuilt = builtDerivations(cold.value.stderr).length;
  const repeatBuilt = builtDerivations(repeat.value.stderr).length;
  const rows: BenchRow[] = [
    {
      what: `cold nix build (${coldBuilt} derivations)`,
      measured: cold.ms,
      cpu: cold.cpu,
      against: 'plain cargo build',
      baseline: cargo.ms,
      baselineCpu: cargo.cpu,
      target: '≤ 1.5x',
      ok: cold.ms <= 1.5 * cargo.ms,
      note: `${plan.steps.length} steps`,
    },
    {
      what: `repeated nix build (${repeatBuilt} built)`,
      measured: repeat.ms,
      cpu: repeat.cpu,
      against: 'cold nix build',
      baseline: cold.ms,
      baselineCpu: cold.cpu,
      target: '< 5%',
      ok: repeat.ms < 0.05 * cold.ms && repeatBuilt === 0,
      note: '',
    },
  ];
  return {
    cargo,
    cold,
    repeat,
    coldBuilt,
    repeatBuilt,
    steps: plan.steps.length,
    rows,
  };
}

export interface SyntheticBench {
  generate: Timed<unknown>;
  evaluate: Timed<unknown>;
  reevaluate: Timed<unknown>;
  steps: number;
  rows: BenchRow[];
}

/** (c): generate, then evaluate every derivation of, a synthetic plan of `steps` steps. */
export async function benchSynthetic(
  steps = 10_000,
  log: (line: string) => void = console.error,
): Promise<SyntheticBench> {
  const dir = tempDir('rbn-bench-synthetic-');
  log(`nix-bench: synthetic plan of ${steps} steps in ${dir}`);
  const build = syntheticBuild(dir, steps, 1);
  const flakeDir = join(dir, 'flake');
  // A salt keeps every .drv new, as a new plan's would be (sources already in the store or not).
  const tools = saltedTools(`/nix/store/${'0'.repeat(32)}-rust-toolchain-synthetic`, nonce());
  const gen = timed(() =>
    generateFlake({ plan: build.plan, records: build.records, flakeDir, tools }),
  );
  const stepsNix = readFileSync(join(flakeDir, 'steps.nix'), 'utf8');
  const depRefs = (stepsNix.match(/ S\./g) ?? []).length;
  log('nix-bench: nix eval of default.drvPath');
  const evalArgs = ['eval', '--raw', `path:${flakeDir}#default.drvPath`];
  const first = await timedAsync(() => nix(evalArgs));
  if (first.value.status !== 0) throw new Error(`nix eval failed:\n${first.value.stderr}`);
  const again = await timedAsync(() => nix(evalArgs));
  if (again.value.status !== 0) throw new Error(`nix eval failed:\n${again.value.stderr}`);
  const shape = `${build.stats.crates} crates, ${build.stats.runs} build-script runs, ${build.stats.sources} source files, ${(depRefs / build.stats.steps).toFixed(1)} laid-out deps/step, steps.nix ${(stepsNix.length / 1e6).toFixed(1)} MB`;
  return {
    generate: gen,
    evaluate: first,
    reevaluate: again,
    steps: build.stats.steps,
    rows: [
      {
        what: `generate flake (${build.stats.steps} steps)`,
        measured: gen.ms,
        cpu: gen.cpu,
        against: '',
        baseline: null,
        baselineCpu: null,
        target: '< 30 s',
        ok: gen.ms < 30_000,
        note: shape,
      },
      {
        what: 'evaluate flake (default.drvPath), first',
        measured: first.ms,
        cpu: first.cpu,
        against: '',
        baseline: null,
        baselineCpu: null,
        target: '< 30 s',
        ok: first.ms < 30_000,
        note: 'copies the flake and every source into the store, writes every .drv',
      },
      {
        what: 'evaluate flake again (nothing new)',
        measured: again.ms,
        cpu: again.cpu,
        against: '',
        baseline: null,
        baselineCpu: null,
        target: '< 30 s',
        ok: again.ms < 30_000,
        note: '',
      },
    ],
  };
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = [
    'measurement',
    'wall',
    'CPU',
    'against',
    'baseline wall',
    'baseline CPU',
    'ratio wall',
    'ratio CPU',
    'target',
    'met (wall)',
    'notes',
  ];
  const ratio = (a: number, b: number | null): string =>
    b === null || b === 0 ? '' : `${(a / b).toFixed(a < b / 10 ? 3 : 2)}x`;
  const body = rows.map((r) => [
    r.what,
    seconds(r.measured),
    seconds(r.cpu),
    r.against,
    r.baseline === null ? '' : seconds(r.baseline),
    r.baselineCpu === null ? '' : seconds(r.baselineCpu),
    ratio(r.measured, r.baseline),
    ratio(r.cpu, r.baselineCpu),
    r.target,
    r.ok ? 'yes' : 'NO',
    r.note,
  ]);
  const lines = [header, header.map(() => '---'), ...body].map(
    (cells) => `| ${cells.join(' | ')} |`,
  );
  return lines.join('\n');
}

/** Everything, in one run: (a), (b), then (c). */
export async function runNixBench(
  opts: { steps?: number; only?: 'a' | 'c' } = {},
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  if (opts.only !== 'c') rows.push(...(await benchFixture()).rows);
  if (opts.only !== 'a') rows.push(...(await benchSynthetic(opts.steps)).rows);
  return rows;
}

if (process.argv[1]?.endsWith('nix-bench.ts')) {
  const argv = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const steps = opt('--steps');
  const only = opt('--only');
  const rows = await runNixBench({
    ...(steps ? { steps: Number(steps) } : {}),
    ...(only === 'a' || only === 'c' ? { only } : {}),
  });
  console.log(formatTable(rows));
}
