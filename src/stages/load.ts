// Mode build's first stage, in place of prepare and record: an earlier
// emit's metadata (read whole and checked by preflight), and the Nix binary
// cache of its inputs restored.
import { readConfigToml } from '../metadata/dir.js';
import { enter, type StageContext } from '../pipeline/context.js';
import type { Inputs } from '../types.js';
import { type CachesReady, restoreCaches } from './actions-caches.js';
import type { EarlierEmit } from './preflight.js';
import { type Recorded, recordedEarlier } from './record.js';

export async function loadEarlierEmit(
  inputs: Inputs,
  earlier: EarlierEmit,
  ctx: StageContext,
): Promise<{ recorded: Recorded; cached: CachesReady }> {
  enter(ctx, "reading the earlier emit's metadata");
  // An emit of an older version, or on a machine with other secrets, may hold
  // what this run knows to be one: the flake is made from these.
  const { records, plan } = ctx.redactor.deep({ records: earlier.records, plan: earlier.plan });
  const configToml = readConfigToml(inputs.metadataDir);
  enter(ctx, 'restoring the caches');
  const restored = await restoreCaches({
    inputs,
    env: ctx.env,
    log: ctx.log,
    state: ctx.state,
    rustc: plan.toolchain.rustc,
    toolchain: plan.toolchain.nix_spec ? plan.toolchain.sysroot : 'system',
    configToml,
    restore: { sccache: false, nix: true }, // nothing compiles outside Nix
  });
  return {
    recorded: recordedEarlier(records, plan, earlier.trust.digest),
    cached: { ...restored, sccache: null },
  };
}
