// What the main step's restore tells the post step's save, through the
// runner's step state (core.saveState in main, core.getState in post).
import * as core from '@actions/core';

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
}

/** The state name for one named cache. */
export function cacheStateName(name: string): string {
  return `rbn-cache-${name}`;
}

// core.getState reads only the STATE_* variables the runner gives the post
// step, so the main step remembers what it saved itself.
const savedHere = new Map<string, string>();

export function saveCacheState(name: string, state: CacheState): void {
  const raw = JSON.stringify(state);
  savedHere.set(name, raw);
  core.saveState(cacheStateName(name), raw);
}

/**
 * The state main left, or null (no restore ran, or the cache service was
 * absent). The post step reads what the runner hands it; the main step
 * (`ownStep`) reads what it saved itself.
 */
export function loadCacheState(name: string, opts: { ownStep?: boolean } = {}): CacheState | null {
  const raw = opts.ownStep ? savedHere.get(name) : core.getState(cacheStateName(name));
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<CacheState>;
    if (typeof s.key !== 'string' || !Array.isArray(s.paths)) return null;
    return {
      key: s.key,
      paths: s.paths.filter((p): p is string => typeof p === 'string'),
      matchedKey: typeof s.matchedKey === 'string' ? s.matchedKey : null,
      saveAllowed: s.saveAllowed !== false,
    };
  } catch {
    return null;
  }
}
