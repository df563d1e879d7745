// The binary-cache input around the Nix build: the flags that make Nix
// substitute steps from it, the signed push of every step after a build
// that succeeded, and, after one that failed halfway, the finished steps
// handed to the post step (the CLI: its end) to push, so they are not lost
// (post/actions.ts). A push failure is a warning, never a failed job.
import type { StepState } from '../host/ports.js';
import type { Log } from '../log.js';
import { type NixBuildResult, stepIdOfOut } from '../nix/build.js';
import { savePushDrvs } from '../post/state.js';
import type { Inputs, PlanStep } from '../types.js';
import { pushToCache } from './push.js';
import { type BinaryCache, publicKeyOf, substituterArgs } from './substituter.js';

export interface BinaryCacheUse {
  url: string;
  /** Steps pushed by this step; null when the cache is only read (no secret key) or nothing was built to the end. */
  pushed: number | null;
  /** Finished steps of a failed build, left to the post step to push. */
  deferred: number;
  /** Why the push failed (warned), if it did. */
  pushError: string | null;
}

function binaryCacheOf(inputs: Inputs): BinaryCache | null {
  if (!inputs.binaryCache) return null;
  return {
    url: inputs.binaryCache,
    publicKey: inputs.binaryCacheSecretKey ? publicKeyOf(inputs.binaryCacheSecretKey) : null,
  };
}

/** `nix build` flags for the binary-cache input (none without it). */
export function cacheBuildArgs(inputs: Inputs): string[] {
  const cache = binaryCacheOf(inputs);
  return cache ? substituterArgs(cache) : [];
}

/** Step outputs (`/nix/store/<hash>-rbn-<step id>`) among `paths`. */
function stepCount(paths: readonly string[], steps: readonly PlanStep[]): number {
  const ids = new Set(steps.map((s) => s.id));
  return paths.filter((p) => ids.has(stepIdOfOut(p) ?? '')).length;
}

/** After `nix build`: warn about a refused cache; push (success) or hand the finished steps to post (failure). */
export async function afterBuild(
  inputs: Inputs,
  built: NixBuildResult,
  steps: readonly PlanStep[],
  nixEnv: NodeJS.ProcessEnv,
  state: StepState,
  log: Log,
  signal?: AbortSignal,
): Promise<BinaryCacheUse | null> {
  const url = inputs.binaryCache;
  if (!url) return null;
  const use: BinaryCacheUse = { url, pushed: null, deferred: 0, pushError: null };
  const key = inputs.binaryCacheSecretKey;
  if (!key) return use;
  if (!built.ok) {
    use.deferred = deferPush(inputs, built.builtDrvs, state, log, 'failed');
    return use;
  }
  const r = await log.group(`Pushing the steps to the binary cache ${url}`, () =>
    pushToCache({ url, secretKey: key, paths: built.outPaths, env: nixEnv, signal }),
  );
  use.pushed = stepCount(r.copied, steps);
  if (!r.ok) {
    use.pushError = r.error;
    log.warning(
      `Pushing to the binary cache ${url} failed (${use.pushed} steps got there); the build is not affected:\n${r.error}`,
    );
  } else log.info(`Pushed ${use.pushed} steps (${r.copied.length} store paths) to ${url}.`);
  return use;
}

/**
 * The steps a build that failed or was cancelled finished, handed to the post
 * step (the CLI: its end) to push. Store paths only: the post step reads the
 * key from its own input. Returns how many.
 */
export function deferPush(
  inputs: Inputs,
  drvs: readonly string[],
  state: StepState,
  log: Log,
  how: 'failed' | 'was cancelled',
): number {
  if (!inputs.binaryCache || !inputs.binaryCacheSecretKey || drvs.length === 0) return 0;
  savePushDrvs(state, drvs);
  log.info(
    `The build ${how}; the post step pushes the ${drvs.length} steps it finished to the binary cache.`,
  );
  return drvs.length;
}
