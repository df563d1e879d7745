import { join } from 'node:path';
import type { Log } from '../log.js';
import { metadataPath } from '../metadata/dir.js';
import { exportBinaryCache, importBinaryCache } from '../nix/binary-cache.js';
import { buildProgress, type NixBuildResult, nixBuild } from '../nix/build.js';
import { validPaths } from '../nix/cli.js';
import { generateFlake } from '../nix/generate.js';
import { type NixTools, offlineTools, onlineTools, usableByAll } from '../nix/tools.js';
import { untrustedFix } from '../nix/trust.js';
import { nixConfSets } from '../nix-install/conf.js';
import { enter, type StageContext } from '../pipeline/context.js';
import { graphDigest } from '../plan/graph-inputs.js';
import type { KeptPlan, LastBuild } from '../plan/saved-plan.js';
import { addSysrootToStore, rootStorePath, sysrootFingerprint } from '../toolchain/resolve.js';
import { sourceGateFor } from '../trust/source-gate.js';
import type { Inputs, Plan } from '../types.js';
import { nixFlakeDir } from '../util/assets-dir.js';
import { runnerDirs } from '../util/runner-temp.js';
import { afterBuild, type CacheUse, cacheBuildArgs, deferPush } from './nix-cache.js';
import type { Recorded } from './record.js';
import { type Cached, nixCacheDir, settleNixCacheKey } from './restore-caches.js';

export interface Built extends NixBuildResult {
  flakeDir: string;
  /** What the next run reusing this plan compares against. */
  lastBuild: LastBuild;
  /** What the binary-cache input did: null without one. */
  cacheUse: CacheUse | null;
}

type ToolchainCopy = NonNullable<LastBuild['toolchainCopy']>;

/** The tools, and the system toolchain's store copy when the steps need one (`inStore`: false while only its path is known). */
interface Tools {
  tools: NixTools;
  copy: (ToolchainCopy & { inStore: boolean }) | null;
}

/** Offline with the system toolchain (a store copy of it); online from the nix/ flake. */
async function toolsFor(
  plan: Plan,
  previous: ToolchainCopy | null,
  env: NodeJS.ProcessEnv,
  gcRoots: string,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<Tools> {
  const nixSpec = plan.toolchain.nix_spec;
  if (nixSpec) return { tools: onlineTools(nixFlakeDir(), nixSpec.spec, nixSpec.file), copy: null };
  const sysroot = plan.toolchain.sysroot;
  // A store path, or a toolchain every user can run (Debian's /usr), is used in place.
  if (sysroot.startsWith('/nix/store/') || usableByAll(join(sysroot, 'bin', 'rustc')))
    return { tools: offlineTools(sysroot), copy: null };
  // Nix build users cannot read a toolchain under /root: give them a copy in
  // the store. The same toolchain as the last build's names the same copy,
  // known without reading it; it is added only when a step is to be built.
  const fingerprint = sysrootFingerprint(sysroot);
  if (previous?.fingerprint === fingerprint) {
    const inStore = await rootStorePath(previous.storePath, {
      gcRootDir: gcRoots,
      name: TOOLCHAIN_COPY,
      env,
      signal,
    });
    return { tools: offlineTools(previous.storePath), copy: { ...previous, inStore } };
  }
  const storePath = await addToolchainCopy(sysroot, env, gcRoots, log, signal);
  return { tools: offlineTools(storePath), copy: { fingerprint, storePath, inStore: true } };
}

const TOOLCHAIN_COPY = 'rust-toolchain-system';

async function addToolchainCopy(
  sysroot: string,
  env: NodeJS.ProcessEnv,
  gcRoots: string,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<string> {
  // One line when done, not a group: other stages' lines come meanwhile.
  const started = Date.now();
  const added = await addSysrootToStore(sysroot, {
    gcRootDir: gcRoots,
    env,
    name: TOOLCHAIN_COPY,
    signal,
  });
  log.info(
    `Added the system toolchain to the Nix store in ${((Date.now() - started) / 1000).toFixed(1)} s: ${added.storePath}`,
  );
  return added.storePath;
}

/**
 * A toolchain copy known only by its path: added to the store unless the
 * flake is the last build's and the cache brought every output (then
 * nothing will build, and nothing needs it). A changed source or another
 * flake will build a step, so the copy starts at once, beside the import;
 * the same flake waits for the import to say whether an output is missing.
 */
async function copyWhenNeeded(
  copy: ToolchainCopy,
  previous: LastBuild | null,
  /** The flake's digest; null when a step is known to build (a changed source). */
  digest: string | null,
  plan: Plan,
  where: {
    ctx: StageContext;
    nixEnv: NodeJS.ProcessEnv;
    gcRoots: string;
    importing: Promise<number>;
  },
): Promise<ToolchainCopy & { inStore: boolean }> {
  const { ctx, nixEnv, gcRoots } = where;
  const outPaths = previous?.outPaths ?? [];
  if (digest !== null && digest === previous?.flakeDigest && outPaths.length > 0) {
    await where.importing;
    if ((await validPaths(outPaths, nixEnv)).length === outPaths.length) {
      ctx.log.info(
        'Every step output came with the restored cache: the system toolchain is not copied into the Nix store.',
      );
      return { ...copy, inStore: false };
    }
  }
  const storePath = await addToolchainCopy(
    plan.toolchain.sysroot,
    nixEnv,
    gcRoots,
    ctx.log,
    ctx.signal,
  );
  return { ...copy, storePath, inStore: true };
}

/** The last build's result, kept from garbage collection as `nix build` would keep it. */
async function lastBuildAgain(
  previous: LastBuild,
  plan: Plan,
  gcRoots: string,
  env: NodeJS.ProcessEnv,
  ctx: StageContext,
): Promise<NixBuildResult> {
  const started = Date.now();
  for (const [i, out] of previous.outPaths.entries())
    await rootStorePath(out, {
      gcRootDir: gcRoots,
      name: i ? `result-${i}` : 'result',
      env,
      signal: ctx.signal,
    });
  ctx.log.info("The flake is the last build's and every output is in the store: nothing to build.");
  const seen = { started: 0, finished: 0, failed: 0, expected: 0 };
  const { done, detail } = buildProgress(plan.steps.length, seen, true, true);
  ctx.log.progress('nix build', done, plan.steps.length, detail);
  return {
    ok: true,
    outPaths: previous.outPaths,
    built: [],
    reused: plan.steps.length,
    substituted: [],
    machines: {},
    builtDrvs: [],
    untrusted: [],
    ms: Date.now() - started,
    failure: null,
    failedStep: null,
  };
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
  const previous = kept?.lastBuild ?? null;
  let { tools, copy } = await toolsFor(
    recorded.plan,
    previous?.toolchainCopy ?? null,
    nixEnv,
    gcRoots,
    log,
    signal,
  );
  const where = { ctx, nixEnv, gcRoots, importing };
  // Awaited below, as the import is; a cancellation meanwhile reports its own error.
  const startCopy = (digest: string | null) => {
    const started =
      copy && !copy.inStore ? copyWhenNeeded(copy, previous, digest, recorded.plan, where) : null;
    started?.catch(() => {});
    return started;
  };
  // A reused plan with a changed source builds a step: the copy need not wait for the flake.
  let copying = recorded.plan.reuse?.rebuilt_steps.length ? startCopy(null) : null;
  enter(ctx, 'generating the flake');
  const flakeDir = metadataPath(inputs.metadataDir, 'flake');
  const generate = () =>
    generateFlake({
      plan: recorded.plan,
      records: recorded.records,
      flakeDir,
      tools,
      carried: kept?.carried ?? undefined,
      gate: sourceGateFor(inputs, ctx.env, (text) => ctx.redactor.secretKindIn(text)),
    });
  let generated = generate();
  log.info(`Generated ${flakeDir}: ${generated.steps} steps, ${generated.sources} source files.`);
  copying ??= startCopy(generated.digest);
  enter(
    ctx,
    copying
      ? 'importing the Nix binary cache and copying the toolchain'
      : 'importing the Nix binary cache',
  );
  const imported = await importing;
  if (imported > 0)
    log.info(`Imported ${imported} store paths from the restored Nix binary cache.`);
  if (copy && copying) {
    const named = copy.storePath;
    copy = await copying;
    if (copy.storePath !== named) {
      // Same files by their sizes and times, other contents: name the real copy.
      tools = offlineTools(copy.storePath);
      generated = generate();
    }
  }
  enter(ctx, 'the Nix build');
  const finished: string[] = [];
  const built =
    copy && !copy.inStore && previous
      ? // The last build's flake, every output in the store: Nix would build nothing,
        // and could not evaluate its steps without the toolchain copy they name.
        await lastBuildAgain(previous, recorded.plan, gcRoots, nixEnv, ctx)
      : await nixBuild(
          {
            flakeDir,
            outLink: join(gcRoots, 'result'),
            env: nixEnv,
            steps: recorded.plan.steps,
            roots: recorded.plan.roots,
            signal: ctx.signal,
            nixArgs: cacheBuildArgs(inputs),
            sandboxPaths: tools.sandboxPaths,
            // Every core of the runner, unless nix-conf says (`max-jobs = 0`: only the remote builders).
            maxJobs: nixConfSets(inputs.nixConf, 'max-jobs') ? null : 'auto',
            onStepBuilt: (drv) => finished.push(drv),
          },
          log,
        ).catch((e: unknown) => {
          // Cancelled halfway: what finished is not lost either.
          deferPush(inputs, finished, ctx.state, log, 'was cancelled');
          throw e;
        });
  if (built.untrusted.length > 0) log.warning(untrustedFix(built.untrusted, tools.sandboxPaths));
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
    const keyed = kept ? [...built.outPaths, graphDigest(kept.inputs)] : built.outPaths;
    if (settleNixCacheKey(ctx.state, cached.nixKeyBase, keyed)) {
      enter(ctx, 'exporting the Nix binary cache');
      await exportBinaryCache(cacheDir, built.outPaths, nixEnv, log, signal);
    }
  }
  const lastBuild: LastBuild = {
    flakeDigest: generated.digest,
    outPaths: built.outPaths,
    toolchainCopy: copy ? { fingerprint: copy.fingerprint, storePath: copy.storePath } : null,
  };
  return { ...built, flakeDir, lastBuild, cacheUse };
}
