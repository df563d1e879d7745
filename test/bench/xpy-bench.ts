// The real rust-lang/rust tree's rows of `npm run bench`, side by side in one
// run: a plain `python3 x.py build --stage 0 library/std` of a fresh tree
// copy, the same build recorded (the CLI's `emit`, another fresh copy), and a
// COLD `nix build` of the generated flake (salted tools: every derivation new).
// One run each: a run is 2 to 3 minutes (bootstrap, then std).
//   node scripts/run-ts.mjs test/bench/xpy-bench.ts
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GENERATED_FLAKE_ARGS } from '../../src/nix/build.js';
import { generateFlake } from '../../src/nix/generate.js';
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
  const emitMs = await timed(
    process.execPath,
    [
      join(actionCheckout(), 'dist', 'cli.js'),
      'emit',
      ...['--source-dir', tree, '--toolchain', 'system', '--command', COMMAND],
      ...['--sccache', 'false', '--cache', 'false', '--metadata-dir', md],
    ],
    work,
    treeEnv(join(work, 'rt-emit')),
  );
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
  ];
}

if (process.argv[1]?.endsWith('xpy-bench.ts')) {
  printTable(await runXpyBench());
  removeTempDirs();
}
