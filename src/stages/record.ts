// The record stage: the build run once with every compiler invocation
// recorded (emit/), invocations.jsonl and plan.json written, and sccache's
// numbers read while its server still runs.
import { emit } from '../emit/index.js';
import { enter, type StageContext } from '../pipeline/context.js';
import { readSccacheStats, sccacheBuildEnv } from '../sccache/server.js';
import type { SccacheStats } from '../sccache/stats.js';
import { metadataDigest } from '../trust/metadata-integrity.js';
import type { Inputs, InvocationRecord, Plan } from '../types.js';
import { secretInputsOf, withheldFromBuild } from '../util/secrets.js';
import type { CachesReady } from './actions-caches.js';
import type { Prepared } from './prepare.js';

export interface Recorded {
  records: InvocationRecord[];
  plan: Plan;
  /** Set when the build failed: names the crate and rustc's first error line. */
  failure: string | null;
  /** Wall time of the recorded build (0 for an earlier emit's). */
  emitMs: number;
  sccacheStats: SccacheStats | null;
  /** plan.json's and invocations.jsonl's digest (the plan-digest output; trust/metadata-integrity.ts). */
  digest: string;
  /** Recorded in this job: the build's own outputs are where the plan says (build-once/). */
  outputsHere: boolean;
}

/** What an earlier emit recorded (a kept plan, a metadata-dir), taken as this run's: nothing built, nothing failed. */
export function recordedEarlier(records: InvocationRecord[], plan: Plan, digest: string): Recorded {
  return {
    records,
    plan,
    failure: null,
    emitMs: 0,
    sccacheStats: null,
    digest,
    outputsHere: false,
  };
}

export async function record(
  inputs: Inputs,
  prepared: Prepared,
  cached: CachesReady,
  ctx: StageContext,
): Promise<Recorded> {
  const { log } = ctx;
  const { sccache } = cached;
  const started = Date.now();
  enter(ctx, `the recorded build (${prepared.command.join(' ')})`);
  const result = await emit(
    {
      command: prepared.command,
      sourceDir: inputs.sourceDir,
      metadataDir: inputs.metadataDir,
      targetDirs: prepared.targetDirs,
      toolchain: prepared.planToolchain,
      baseEnv: ctx.env,
      extraEnv: sccache ? sccacheBuildEnv(sccache) : {},
      bootstrapConfig: prepared.configPath,
      nextWrapper: sccache?.binary ?? null,
      redactor: ctx.redactor,
      withheld: withheldFromBuild(...secretInputsOf(inputs)),
      stablePath: prepared.rustTree,
      // Only where the outputs may be taken as the steps' (a plain emit keeps the build's own paths).
      asSteps: inputs.buildOnce && inputs.mode === 'emit-then-build',
      output: ctx.output,
      signal: ctx.signal,
    },
    log,
  );
  const emitMs = Date.now() - started;
  log.info(
    `Recorded ${result.records.length} invocations: ${result.plan.steps.length} plan steps, ${result.records.filter((r) => r.probe).length} probes.`,
  );
  const sccacheStats = sccache ? await readSccacheStats(sccache).catch(() => null) : null;
  return {
    ...result,
    emitMs,
    sccacheStats,
    digest: metadataDigest(inputs.metadataDir),
    outputsHere: true,
  };
}
