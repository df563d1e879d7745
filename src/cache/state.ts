// What the main step's restore tells the post step's save, through the
// host's step state (the runner's STATE_* for the action).
import type { StepState } from '../host.js';

export type CacheHit = 'true' | 'partial' | 'false';

/** The caches the action restores and saves, by name. */
export const SCCACHE = 'sccache';
export const NIX_CACHE = 'nix-binary-cache';

export interface CacheState {
  key: string;
  paths: string[];
  /** The key the restore matched, null on a miss. */
  matchedKey: string | null;
  /** False when the restore may still be writing the paths (it timed out): saving them could persist a torn tree. */
  saveAllowed: boolean;
  /** The key was chosen after the restore, from the build's result: an earlier run may have saved it. */
  settled?: boolean;
}

/** The state name for one named cache. */
export function cacheStateName(name: string): string {
  return `rbn-cache-${name}`;
}

export function saveCacheState(store: StepState, name: string, state: CacheState): void {
  store.save(cacheStateName(name), JSON.stringify(state));
}

/** The state main left, or null (no restore ran, or the cache service was absent). */
export function loadCacheState(store: StepState, name: string): CacheState | null {
  const raw = store.load(cacheStateName(name));
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<CacheState>;
    if (typeof s.key !== 'string' || !Array.isArray(s.paths)) return null;
    return {
      key: s.key,
      paths: s.paths.filter((p): p is string => typeof p === 'string'),
      matchedKey: typeof s.matchedKey === 'string' ? s.matchedKey : null,
      saveAllowed: s.saveAllowed !== false,
      ...(s.settled === true ? { settled: true } : {}),
    };
  } catch {
    return null;
  }
}
