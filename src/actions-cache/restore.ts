// Main step: restore one named cache (sccache's directory, the Nix binary
// cache) and tell the post step what it found. Fails open: whatever goes
// wrong is a warning and a miss, never an error.
import * as cache from '@actions/cache';
import type { StepState } from '../host/ports.js';
import type { Log } from '../log.js';
import { type ActionsCacheState, saveCacheState } from '../post/state.js';
import { bounded, CacheTimeoutError, cacheServiceAvailable, errorMessage } from './service.js';

/** The `cache-hit` output: an exact hit, a partial one (a restore key), or none. */
export type CacheHit = 'true' | 'partial' | 'false';

export interface ActionsCacheSpec {
  /** `sccache`, `nix-binary-cache`: names the step state and the log lines. */
  name: string;
  /** Absolute paths; the same list must be saved (the client hashes it into the entry's version). */
  paths: string[];
  key: string;
  restoreKeys: string[];
}

export interface RestoreOptions {
  log: Log;
  /** Where the post step finds what was restored (and so what to save). */
  state: StepState;
  /** Upper bound for the whole restore (lookup, download, extraction). */
  timeoutMs?: number;
}

export interface RestoreResult {
  name: string;
  hit: CacheHit;
  matchedKey: string | null;
}

export const DEFAULT_RESTORE_TIMEOUT_MS = 5 * 60_000;
// Per-request timeout of the client's blob download (one 4 MiB chunk on Azure).
const CHUNK_TIMEOUT_MS = 30_000;

export async function restoreNamedCache(
  spec: ActionsCacheSpec,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  const { log } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RESTORE_TIMEOUT_MS;
  if (!cacheServiceAvailable()) {
    log.info(`${spec.name} cache: no Actions cache service in this environment, not restoring`);
    return { name: spec.name, hit: 'false', matchedKey: null };
  }
  const state: ActionsCacheState = {
    key: spec.key,
    paths: spec.paths,
    matchedKey: null,
    saveAllowed: true,
  };
  try {
    const restore = cache.restoreCache(spec.paths, spec.key, spec.restoreKeys, {
      timeoutInMs: CHUNK_TIMEOUT_MS,
      segmentTimeoutInMs: timeoutMs,
    });
    state.matchedKey =
      (await bounded(`restoring the ${spec.name} cache`, timeoutMs, restore)) ?? null;
  } catch (e) {
    // A restore that timed out may still be extracting into the paths.
    if (e instanceof CacheTimeoutError) state.saveAllowed = false;
    log.warning(`${spec.name} cache: restore failed, continuing without it: ${errorMessage(e)}`);
  }
  saveCacheState(opts.state, spec.name, state);
  const hit = hitOf(state);
  log.info(
    hit === 'false'
      ? `${spec.name} cache: no entry for ${spec.key}`
      : `${spec.name} cache: restored ${state.matchedKey}${hit === 'partial' ? ` (partial match for ${spec.key})` : ''}`,
  );
  return { name: spec.name, hit, matchedKey: state.matchedKey };
}

function hitOf(s: Pick<ActionsCacheState, 'key' | 'matchedKey'>): CacheHit {
  if (s.matchedKey === null) return 'false';
  return s.matchedKey === s.key ? 'true' : 'partial';
}

/** The `cache-hit` output over several named caches: `true` only if all hit exactly. */
export function combineHits(hits: readonly CacheHit[]): CacheHit {
  if (hits.length > 0 && hits.every((h) => h === 'true')) return 'true';
  return hits.some((h) => h !== 'false') ? 'partial' : 'false';
}
