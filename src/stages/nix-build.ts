import { join } from 'node:path';
import { nixFlakeDir } from '../assets-dir.js';
import type { Log } from '../log.js';
import { exportBinaryCache, importBinaryCache } from '../nix/binary-cache.js';
import { type NixBuildResult, nixBuild } from '../nix/build.js';
import { generateFlake } from '../nix/generate.js';
import { type NixTools, offlineTools, onlineTools, usableByAll } from '../nix/tools.js';
import { untrustedFix } from '../nix/trust.js';
import { nixConfSets } from '../nix-install/conf.js';
import { runnerDirs } from '../runner-temp.js';
import { addSysrootToStore } from '../toolchain/resolve.js';
import type { Inputs, Plan } from '../types.js';
import { type Cached, nixCacheDir, settleNixCacheKey } from './caching.js';
import { enter, type StageContext } from './context.js';
import { afterBuild, type CacheUse, cacheBuildArgs } from './nix-cache.js';
import type { Recorded } from './record.js';

export interface Built extends NixBuildResult {
  flakeDir: string;
  /** What the binary-cache input did: null without one. */
  cacheUse: CacheUse | null;
}

/** The plan kept for the next run (emit-then-build): its sources' saved copies, and a digest that is part of the cache key. */
export interface KeptPlan {
  carried: ((path: string) => string | null) | null;
  digest: string;
}

/** Offline with the system toolchain (a store copy of it); online from the nix/ flake. */
async function toolsFor(
  plan: Plan,
  env: NodeJS.ProcessEnv,
  gcRoots: string,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<NixTools> {
  const nixSpec = plan.toolchain.nix_spec;
  if (nixSpec) return onlineTools(nixFlakeDir(), nixSpec.spec, nixSpec.file);
  const sysroot = plan.toolchain.sysroot;
  // A store path, or a toolchain every user can run (Debian's /usr), is used in place.
  if (sysroot.startsWith('/nix/store/') || usableByAll(join(sysroot, 'bin', 'rustc')))
    return offlineTools(sysroot);
  // Nix build users cannot read a toolchain under /root: give them a copy in the store.
  const added = await log.group('Adding the system toolchain to the Nix store', () =>
    addSysrootToStore(sysroot, {
      gcRootDir: gcRoots,
      env,
      name: 'rust-toolchain-system',
      signal,
    }),
  );
  return offlineTools(added.storePath);
}

export async function buildWithNix(
  inputs: Inputs,
  recorded: Recorded,
  cached: Cached,
  ctx: StageContext,
  nixEnv: NodeJS.ProcessEnv,
  kept: KeptPlan | null = null,
): Promise<Built> {
  const { log, signal } = ctx;
  const gcRoots = runnerDirs.gcRoots(ctx.env);
  const cacheDir = nixCacheDir(ctx.env);
  enter(ctx, 'getting the toolchain into the Nix store');
  // The restored binary cache is imported while the toolchain is added and
  // the flake written: neither needs it, and both take as long.
  const importing = importBinaryCache(cacheDir, nixEnv, log, signal);
  importing.catch(() => {}); // awaited below; cancelled meanwhile, the stage's own error is the one reported
  const tools = await toolsFor(recorded.plan, nixEnv, gcRoots, log, signal);
  enter(ctx, 'generating the flake');
  const flakeDir = join(inputs.metadataDir, 'flake');
  const generated = generateFlake({
    plan: recorded.plan,
    records: recorded.records,
    flakeDir,
    tools,
    carried: kept?.carried ?? undefined,
  });
  log.info(`Generated ${flakeDir}: ${generated.steps} steps, ${generated.sources} source files.`);
  enter(ctx, 'importing the Nix binary cache');
  const imported = await importing;
  if (imported > 0)
    log.info(`Imported ${imported} store paths from the restored Nix binary cache.`);
  enter(ctx, 'the Nix build');
  const built = await nixBuild(
    {
      flakeDir,
      outLink: join(gcRoots, 'result'),
      env: nixEnv,
      steps: recorded.plan.steps,
      signal: ctx.signal,
      nixArgs: cacheBuildArgs(inputs),
      // Every core of the runner, unless nix-conf says (`max-jobs = 0`: only the remote builders).
      maxJobs: nixConfSets(inputs.nixConf, 'max-jobs') ? null : 'auto',
    },
    log,
  );
  if (built.untrusted.length > 0) log.warning(untrustedFix(built.untrusted));
  if (built.substituted.length > 0)
    log.info(`Substituted ${built.substituted.length} steps from ${inputs.binaryCache}.`);
  if (inputs.binaryCache) enter(ctx, 'pushing to the binary cache');
  const cacheUse = await afterBuild(
    inputs,
    built,
    recorded.plan.steps,
    nixEnv,
    ctx.state,
    log,
    signal,
  );
  if (built.ok && cached.nixKeyBase && inputs.saveCache) {
    // Written only when the post step will save it: a new key for a new result.
    // The kept plan travels in the same entry: a new plan is a new entry even for the same result.
    const keyed = kept ? [...built.outPaths, kept.digest] : built.outPaths;
    if (settleNixCacheKey(ctx.state, cached.nixKeyBase, keyed)) {
      enter(ctx, 'exporting the Nix binary cache');
      await exportBinaryCache(cacheDir, built.outPaths, nixEnv, log, signal);
    }
  }
  return { ...built, flakeDir, cacheUse };
}
