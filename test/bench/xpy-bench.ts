// The real rust-lang/rust tree's rows of `npm run bench`, side by side in one
// run: a plain `python3 x.py build --stage 0 library/std` of a fresh tree
// copy, the same build recorded (the CLI's `emit`, another fresh copy), and a
// COLD `nix build` of the generated flake (salted tools: every derivation new),
// and the CLI's `run` (emit, then build, with build once) of a third copy, its
// steps' outputs deleted from the store first: the recording's compiles taken,
// the build scripts run again by Nix.
// One run each: a run is 2 to 3 minutes (bootstrap, then std).
//   node scripts/run-ts.mjs test/bench/xpy-bench.ts
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENERATED_FLAKE_ARGS } from '../../src/nix/build.js';
import { generateFlake } from '../../src/nix/generate.js';
import { offlineTools } from '../../src/nix/tools.js';
import { type BenchRow, baselineRow, printTable, ratioRow } from '../support/bench-table.js';
import {
  builtDerivations,
  deleteGenerated,
  flakeBuildArgs,
  nix,
  nonce,
  saltedTools,
} from '../support/nix-helpers.js';
import { actionCheckout, readMetadataDir } from '../support/run-action.js';
import { copyRustTree, treeEnv } from '../support/rust-tree.js';
import { capture } from '../support/spawn.js';
import { removeTempDirs, tempDir } from '../support/workspace.js';

const COMMAND = 'python3 x.py build --stage 0 library/std';

async function timed(program: string, args: string[], cwd: string, env: Record<string, string>) {
  const r = await capture(program, args, { cwd, env });
  if (r.status !== 0)
    throw new Error(`${program} ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-3000)}`);
  return r.ms;
}

/** The CLI's `emit` or `run` of `tree` (the system toolchain, no sccache, no caches), timed. */
function cliMs(
  sub: 'emit' | 'run',
  tree: string,
  metadataDir: string,
  more: string[],
  work: string,
): Promise<number> {
  return timed(
    process.execPath,
    [
      join(actionCheckout(), 'dist', 'cli.js'),
      sub,
      ...['--source-dir', tree, '--toolchain', 'system', '--command', COMMAND],
      ...['--sccache', 'false', '--cache', 'false', '--metadata-dir', metadataDir, ...more],
    ],
    work,
    treeEnv(join(work, `rt-${sub}`)),
  );
}

export async function runXpyBench(
  log: (line: string) => void = console.error,
): Promise<BenchRow[]> {
  const work = tempDir('rbn-bench-xpy-');
  log('x.py: plain x.py build --stage 0 library/std of a fresh tree copy');
  const plainTree = await copyRustTree(join(work, 'plain'));
  const plainMs = await timed(
    'python3',
    ['x.py', 'build', '--stage', '0', 'library/std'],
    plainTree,
    treeEnv(join(work, 'rt-plain')),
  );
  rmSync(plainTree, { recursive: true, force: true });

  log('x.py: the same build recorded (rust-bootstrap-nix emit) of another fresh copy');
  const tree = await copyRustTree(join(work, 'emit'));
  const md = join(work, 'metadata');
  const emitMs = await cliMs('emit', tree, md, [], work);
  const { plan, records } = readMetadataDir(md);
  const flakeDir = join(work, 'flake');
  // Debian's toolchain is /usr: steps run it in place; the salt makes every derivation new.
  generateFlake({ plan, records, flakeDir, tools: saltedTools(plan.toolchain.sysroot, nonce()) });
  log(`x.py: cold nix build of ${plan.steps.length} steps`);
  const started = performance.now();
  const cold = await nix(flakeBuildArgs(flakeDir, GENERATED_FLAKE_ARGS));
  const coldMs = performance.now() - started;
  if (cold.status !== 0) throw new Error(`cold nix build failed:\n${cold.stderr.slice(-3000)}`);
  const built = builtDerivations(cold.stderr).length;
  const [result] = JSON.parse(cold.stdout.toString('utf8')) as { drvPath: string }[];
  await deleteGenerated([result!.drvPath]);

  // The same steps unsalted, as `run` generates them: out of the store, so its run is cold.
  const plainFlake = join(work, 'flake-plain');
  generateFlake({
    plan,
    records,
    flakeDir: plainFlake,
    tools: offlineTools(plan.toolchain.sysroot),
  });
  const drv = await nix([
    'eval',
    ...GENERATED_FLAKE_ARGS,
    '--raw',
    `path:${plainFlake}#default.drvPath`,
  ]);
  if (drv.status !== 0) throw new Error(`nix eval of the plain flake failed:\n${drv.stderr}`);
  await deleteGenerated([drv.stdout.toString('utf8').trim()]);
  log('x.py: emit then build with build once (rust-bootstrap-nix run) of a third copy');
  const onceTree = await copyRustTree(join(work, 'once'));
  const onceMd = join(work, 'metadata-once');
  const onceMs = await cliMs('run', onceTree, onceMd, ['--build-once', 'true'], work);
  const summary = readFileSync(join(onceMd, 'summary.md'), 'utf8');
  const count = (row: string): number =>
    Number(new RegExp(`\\| ${row} \\| (\\d+) \\|`).exec(summary)?.[1] ?? Number.NaN);
  const once = {
    steps: readMetadataDir(onceMd).plan.steps.length,
    taken: count('compiles taken from the recording \\(built once\\)'),
    built: count('steps built'),
    reused: count('steps reused from the store'),
  };
  rmSync(dirname(tree), { recursive: true, force: true });

  const base = baselineRow(
    'x.py build --stage 0 library/std (plain), wall',
    [plainMs],
    'bootstrap, then std, from scratch',
  );
  return [
    base,
    ratioRow(
      'x.py build recorded (CLI emit), wall',
      [emitMs],
      base,
      1.05,
      `${records.length} records, ${plan.steps.length} steps`,
    ),
    ratioRow(
      `x.py: cold nix build (${built} derivations, salted), wall`,
      [coldMs],
      base,
      1.5,
      'nix build --max-jobs auto of the generated flake',
    ),
    onceRow(base, onceMs, once),
  ];
}

/** The `run` with build once: met only when it was cold (no step reused from the store). */
function onceRow(
  base: BenchRow,
  ms: number,
  c: { steps: number; taken: number; built: number; reused: number },
): BenchRow {
  const row = ratioRow(
    'x.py: emit then build, built once (CLI run), wall',
    [ms],
    base,
    1.3,
    `${c.steps} steps: ${c.taken} compiles taken from the recording, ${c.built} built by Nix, ${c.reused} reused from the store${c.reused > 0 ? ' (NOT cold)' : ''}`,
  );
  row.ok = row.ok && c.reused === 0 && c.taken > 0;
  return row;
}

if (process.argv[1]?.endsWith('xpy-bench.ts')) {
  printTable(await runXpyBench());
  removeTempDirs();
}
