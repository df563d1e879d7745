// Issue 14's bench: a second run whose steps come from a Nix binary cache
// (read over HTTP on 127.0.0.1, substituted by `nix build`) against the same
// second run whose steps come from the Actions cache (a loopback cache
// service; the restored file:// cache is `nix copy`'d into the store), on
// the fixture workspace, the action run as the runner runs it.
//
//   run 1: cache: true and binary-cache file://<dir> with a key: post saves
//          the Actions cache, main pushed every step to the binary cache.
//   then:  run 1's job ends and its step outputs are deleted from the store.
//   run 2, Actions cache: cache: true (the Nix binary cache entry restored).
//   then:  its step outputs are deleted again.
//   run 2, binary cache: cache: false, binary-cache http://127.0.0.1:<port>,
//          its public key trusted through nix-conf.
//
// Both second runs do the same other work: sccache off and reuse-plan off,
// so each runs cargo in full (no sccache to restore, no plan to reuse);
// they differ only in how the built steps come back. Target: the
// binary-cache run takes at most 1.25x the Actions-cache run's main step
// (the same order: both fetch the same NARs from loopback), with every step
// substituted and none built.
//
//   node scripts/run-ts.mjs test/bench/binary-cache-bench.ts
import { join } from 'node:path';
import { type BenchRow, printTable, ratio } from '../support/bench-table.js';
import { startCacheServer } from '../support/cache-server.js';
import { signingKeyPair } from '../support/nix-helpers.js';
import { expectExit } from '../support/run-action.js';
import { serveDir } from '../support/static-server.js';
import {
  type ActionRun,
  actionRun,
  cleanScenario,
  forgetJob,
  newScenario,
  stepOutputs,
} from './cache-bench.js';

const MAX_RATIO = 1.25;

const nixBuildTime = (run: ActionRun): string =>
  /\| nix build time \| ([^|]+) \|/.exec(run.main.summary)?.[1]?.trim() ?? '?';

export async function runBinaryCacheBench(
  opts: { actionDir?: string; log?: (line: string) => void } = {},
): Promise<BenchRow[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const server = await startCacheServer();
  const s = newScenario(server, opts.actionDir ? { actionDir: opts.actionDir } : {});
  const key = signingKeyPair(`rbn-bench-${s.prefix}`);
  const cacheDir = join(s.base, 'binary-cache');
  const same = { sccache: 'false', 'reuse-plan': 'false' };
  const http = await serveDir(cacheDir);
  try {
    log('binary-cache-bench: run 1 (pushes to the Actions cache and to a file:// binary cache)');
    const run1 = await actionRun(s, 'bc-run1', {
      inputs: {
        ...same,
        'binary-cache': `file://${cacheDir}`,
        'binary-cache-secret-key': key.secret,
      },
    });
    expectExit(run1.main, 0);
    expectExit(run1.post, 0);
    const steps = run1.metadata?.plan.steps.length ?? 0;
    forgetJob(s, stepOutputs(run1));

    log('binary-cache-bench: run 2 from the Actions cache');
    const viaActions = await actionRun(s, 'bc-run2-actions', { inputs: same });
    expectExit(viaActions.main, 0);
    forgetJob(s, stepOutputs(viaActions));

    log('binary-cache-bench: run 2 from the binary cache over HTTP');
    const viaCache = await actionRun(s, 'bc-run2-binary', {
      inputs: {
        ...same,
        cache: 'false',
        'binary-cache': http.url,
        'nix-conf': `extra-trusted-public-keys = ${key.public}`,
      },
    });
    expectExit(viaCache.main, 0);

    const substituted = Number(viaCache.main.outputs.substituted ?? Number.NaN);
    const base: BenchRow = {
      what: 'binary cache run 2 baseline: steps from the Actions cache',
      measured: viaActions.mainMs,
      against: '',
      baseline: null,
      target: '0 steps built',
      ok: viaActions.summaryStepsBuilt === 0,
      note: `main step; ${viaActions.summaryStepsBuilt ?? '?'} of ${steps} steps built, nix build ${nixBuildTime(viaActions)} after the import; run 1 pushed ${run1.main.outputs.pushed ?? '?'} steps`,
    };
    return [
      base,
      {
        what: 'binary cache run 2: steps substituted over HTTP',
        measured: viaCache.mainMs,
        against: base.what,
        baseline: base.measured,
        target: `≤ ${MAX_RATIO.toFixed(2)}x, all substituted`,
        ok:
          viaCache.mainMs <= MAX_RATIO * viaActions.mainMs &&
          viaCache.summaryStepsBuilt === 0 &&
          substituted === steps,
        note: `main step; ${substituted} of ${steps} steps substituted, ${viaCache.summaryStepsBuilt ?? '?'} built, nix build ${nixBuildTime(viaCache)}; ${ratio(viaCache.mainMs, viaActions.mainMs)} of the Actions-cache run`,
      },
    ];
  } finally {
    await http.close();
    await server.close();
    cleanScenario(s);
  }
}

if (process.argv[1]?.endsWith('binary-cache-bench.ts')) {
  const rows = await runBinaryCacheBench();
  printTable(rows);
  process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
}
