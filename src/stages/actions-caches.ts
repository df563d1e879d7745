// The Actions-cache stage: sccache's directory and the local Nix cache
// (nix/local-cache.ts) restored from GitHub's Actions cache before the build,
// sccache started as the recorder's next wrapper; after a good Nix build, the
// local Nix cache's key settled and the cache exported for the post step's
// save. Every failure here is a warning: a cache is never worth a failed build.
import { createHash } from 'node:crypto';
import { cacheKeys, runnerPlatform } from '../actions-cache/key.js';
import { findCargoLocks, toolchainIdentity } from '../actions-cache/key-inputs.js';
import type { CacheHit } from '../actions-cache/restore.js';
import type { StepState } from '../host/ports.js';
import type { Log } from '../log.js';
import { buildOutPath, currentNixSystem } from '../nix/cli.js';
import { exportBinaryCache } from '../nix/local-cache.js';
import { enter, type StageContext } from '../pipeline/context.js';
import { graphDigest } from '../plan/graph-inputs.js';
import type { KeptPlan } from '../plan/saved-plan.js';
import { loadCacheState, NIX_CACHE, SCCACHE, saveCacheState } from '../post/state.js';
import { locateSccache } from '../sccache/locate.js';
import { defaultSccacheDir, type Sccache, startSccache } from '../sccache/server.js';
import type { Inputs } from '../types.js';
import { nixFlakeDir } from '../util/assets-dir.js';
import { runnerDirs } from '../util/runner-temp.js';
import type { Prepared } from './prepare.js';

export function nixCacheDir(env: NodeJS.ProcessEnv): string {
  return runnerDirs.nixBinaryCache(env);
}

export interface RestoredCaches {
  hit: CacheHit;
  /** The Nix cache's key without the result suffix: saved as `<base>-<result hash>`. */
  nixKeyBase: string | null;
}

export interface CacheContext {
  inputs: Inputs;
  env: NodeJS.ProcessEnv;
  log: Log;
  state: StepState;
  rustc: string;
  /** The toolchain's store path, or 'system'. */
  toolchain: string;
  /** `rustc -vV` when already known (mode build asks rustc itself). */
  rustcVerbose?: string;
  configToml: string;
  /** Which caches this run restores: sccache's directory for a build that compiles, the Nix binary cache for one that builds with Nix. */
  restore: { sccache: boolean; nix: boolean };
}

export async function restoreCaches(c: CacheContext): Promise<RestoredCaches> {
  const { inputs, env, log, state } = c;
  if (!inputs.cache) return { hit: 'false', nixKeyBase: null };
  const [toolchain, cargoLocks] = await Promise.all([
    toolchainIdentity(c.rustc, c.toolchain, c.rustcVerbose),
    findCargoLocks(inputs.sourceDir),
  ]);
  const keysFor = (name: string) =>
    cacheKeys({
      prefix: inputs.cacheKeyPrefix,
      name,
      ...runnerPlatform(env, process.platform, process.arch),
      system: currentNixSystem(),
      toolchain,
      cargoLocks,
      config: c.configToml,
      env,
    });
  // Loaded only when caching: the cache client is large.
  const { combineHits, restoreNamedCache } = await import('../actions-cache/restore.js');
  const hits: CacheHit[] = [];
  if (c.restore.sccache) {
    const k = keysFor(SCCACHE);
    hits.push(
      (
        await restoreNamedCache(
          { name: SCCACHE, paths: [defaultSccacheDir(env)], ...k },
          { log, state },
        )
      ).hit,
    );
  }
  let nixKeyBase: string | null = null;
  if (c.restore.nix) {
    // Saved under <base>-<hash of the result>: any entry of the same inputs is an exact hit.
    const k = keysFor(NIX_CACHE);
    nixKeyBase = k.key;
    const r = await restoreNamedCache(
      {
        name: NIX_CACHE,
        paths: [nixCacheDir(env)],
        key: k.key,
        restoreKeys: [`${k.key}-`, ...k.restoreKeys],
      },
      { log, state },
    );
    hits.push(r.matchedKey?.startsWith(`${k.key}-`) ? 'true' : r.hit);
  }
  return { hit: hits.length ? combineHits(hits) : 'false', nixKeyBase };
}

/**
 * After a good Nix build: the local Nix cache exported for the post step to
 * save, when its key is new (settleNixCacheKey). Written only when the post
 * step will save it: a new key for a new result. The kept plan travels in the
 * same entry: a new plan is a new entry even for the same result.
 */
export async function keepNixCache(
  inputs: Inputs,
  cached: CachesReady,
  outPaths: readonly string[],
  kept: KeptPlan | null,
  ctx: StageContext,
  nixEnv: NodeJS.ProcessEnv,
): Promise<void> {
  if (!cached.nixKeyBase || !inputs.saveCache) return;
  const keyed = kept ? [...outPaths, graphDigest(kept.inputs)] : outPaths;
  if (!settleNixCacheKey(ctx.state, cached.nixKeyBase, keyed)) return;
  enter(ctx, 'exporting the Nix binary cache');
  await exportBinaryCache(nixCacheDir(ctx.env), [...outPaths], nixEnv, ctx.log, ctx.signal);
}

/**
 * The key the post step saves the local Nix cache under
 * (`<base>-<hash of the result>`), set in the step state, which owns the
 * key from restore to save. True when that key is new, so the cache holds
 * something worth exporting for the save; false when the restore matched it
 * or nothing was restored.
 */
function settleNixCacheKey(
  store: StepState,
  keyBase: string,
  resultPaths: readonly string[],
): boolean {
  const state = loadCacheState(store, NIX_CACHE);
  if (!state) return false;
  const key = `${keyBase}-${createHash('sha256').update(resultPaths.join(' ')).digest('hex').slice(0, 16)}`;
  saveCacheState(store, NIX_CACHE, { ...state, key, settled: true });
  return state.matchedKey !== key;
}

/** sccache for this build, or null (disabled, missing or not starting: a warning, not a failure). */
export async function startCompilerCache(
  inputs: Inputs,
  nixToolchain: boolean,
  env: NodeJS.ProcessEnv,
  log: Log,
  signal?: AbortSignal,
): Promise<Sccache | null> {
  if (!inputs.sccache) return null;
  try {
    // A Nix toolchain brings nixpkgs' sccache; `system` uses the one on PATH.
    const binary = nixToolchain
      ? `${await buildOutPath(`path:${nixFlakeDir()}#packages.${currentNixSystem()}.sccache`, { env, nixArgs: [], signal })}/bin/sccache`
      : await locateSccache(null, env);
    const s = await startSccache({ binary, dir: defaultSccacheDir(env) });
    log.info(`sccache: ${binary}, cache in ${s.dir}`);
    return s;
  } catch (e) {
    if (signal?.aborted) throw e;
    log.warning(`${(e as Error).message}. Building without sccache.`);
    return null;
  }
}

export interface CachesReady extends RestoredCaches {
  /** The running sccache server (the recorder's next wrapper), or null. */
  sccache: Sccache | null;
}

function restoreContext(inputs: Inputs, prepared: Prepared, ctx: StageContext) {
  const { toolchain } = prepared;
  return {
    inputs,
    env: ctx.env,
    log: ctx.log,
    state: ctx.state,
    rustc: toolchain.rustc,
    toolchain: toolchain.toolchain,
    rustcVerbose: toolchain.verbose,
    configToml: prepared.configToml,
  };
}

/** The Nix binary cache alone, first: it holds the plan a run may reuse, so sccache may not be needed. */
export async function restoreNixCache(
  inputs: Inputs,
  prepared: Prepared,
  ctx: StageContext,
): Promise<RestoredCaches> {
  enter(ctx, 'restoring the caches');
  return restoreCaches({
    ...restoreContext(inputs, prepared, ctx),
    restore: { sccache: false, nix: true },
  });
}

/**
 * The restore stage before an emit: the caches (the Nix binary cache unless
 * `nixRestored` says it was restored already), then sccache, which reads its
 * directory when it starts.
 */
export async function restoreForEmit(
  inputs: Inputs,
  prepared: Prepared,
  ctx: StageContext,
  nix: () => Promise<NodeJS.ProcessEnv>,
  nixRestored: RestoredCaches | null = null,
): Promise<CachesReady> {
  enter(ctx, 'restoring the caches');
  const restored = await restoreCaches({
    ...restoreContext(inputs, prepared, ctx),
    restore: { sccache: inputs.sccache, nix: inputs.mode !== 'emit' && !nixRestored },
  });
  let hit = restored.hit;
  if (nixRestored && inputs.cache) {
    const { combineHits } = await import('../actions-cache/restore.js');
    hit = inputs.sccache ? combineHits([nixRestored.hit, restored.hit]) : nixRestored.hit;
  }
  enter(ctx, 'starting sccache');
  const nixToolchain = prepared.spec.kind === 'nix';
  const sccache = await startCompilerCache(
    inputs,
    nixToolchain,
    nixToolchain ? await nix() : ctx.env,
    ctx.log,
    ctx.signal,
  );
  return { hit, nixKeyBase: nixRestored?.nixKeyBase ?? restored.nixKeyBase, sccache };
}
