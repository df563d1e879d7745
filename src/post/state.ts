// Everything the main step hands the post step, and every name it goes
// under: the one module that calls the host's StepState (the runner's
// STATE_* for the action, memory for the CLI). Main writes each part when it
// exists (a cancelled run still hands over what it started); post reads the
// whole record back at once (readHandover), as rust-cache rebuilds its config.
import type { StepState } from '../host/ports.js';
import type { Sccache } from '../sccache/server.js';
import type { Inputs } from '../types.js';

/** The caches the action restores and saves through the Actions cache, by name. */
export const SCCACHE = 'sccache';
export const NIX_CACHE = 'nix-binary-cache';
export type ActionsCacheName = typeof SCCACHE | typeof NIX_CACHE;
export const ACTIONS_CACHES: readonly ActionsCacheName[] = [SCCACHE, NIX_CACHE];

/** Every state name (tests and the runner's files see them). */
const NAMES = {
  config: 'rbn-post-config',
  sccache: 'rbn-sccache',
  push: 'rbn-binary-cache-push',
  sshKey: 'rbn-builders-ssh-key',
  cache: (name: string) => `rbn-cache-${name}`,
} as const;

/** What main's restore of one Actions cache tells post's save. */
export interface ActionsCacheState {
  key: string;
  paths: string[];
  /** The key the restore matched, null on a miss. */
  matchedKey: string | null;
  /** False when the restore may still be writing the paths (it timed out): saving them could persist a torn tree. */
  saveAllowed: boolean;
  /** The key was chosen after the restore, from the build's result: an earlier run may have saved it. */
  settled?: boolean;
}

/** The inputs post acts on, as main parsed them (post never parses inputs again). Never a secret. */
export interface PostConfig {
  saveCache: boolean;
  binaryCache: string;
  nixConf: string;
}

/** The whole record post reads back. */
export interface Handover {
  /** null when main stopped before its inputs were parsed: then it started nothing. */
  config: PostConfig | null;
  /** The sccache server main started, to stop before its directory is saved. */
  sccache: Sccache | null;
  /** A failed or cancelled build's finished step derivations, to push to the binary cache. */
  pushDrvs: string[] | null;
  /** The private directory of the builders' SSH key, to remove. */
  sshKeyDir: string | null;
}

const parsed = (raw: string | null): unknown => {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function savePostConfig(store: StepState, inputs: Inputs): void {
  const config: PostConfig = {
    saveCache: inputs.saveCache,
    binaryCache: inputs.binaryCache ?? '',
    nixConf: inputs.nixConf,
  };
  store.save(NAMES.config, JSON.stringify(config));
}

/** Main: the sccache server, handed to post to stop. */
export function rememberSccache(store: StepState, s: Sccache): void {
  store.save(NAMES.sccache, JSON.stringify(s));
}

/** Post: the sccache server main started, or null. */
export function recallSccache(store: StepState): Sccache | null {
  const s = parsed(store.load(NAMES.sccache));
  return isObject(s) && typeof s.binary === 'string' && typeof s.dir === 'string' && isObject(s.env)
    ? (s as unknown as Sccache)
    : null;
}

export function savePushDrvs(store: StepState, drvs: readonly string[]): void {
  store.save(NAMES.push, JSON.stringify({ drvs }));
}

export function saveSshKeyDir(store: StepState, dir: string): void {
  store.save(NAMES.sshKey, dir);
}

export function saveCacheState(store: StepState, name: string, state: ActionsCacheState): void {
  store.save(NAMES.cache(name), JSON.stringify(state));
}

/** The state main left for one Actions cache, or null (no restore ran, or the cache service was absent). */
export function loadCacheState(store: StepState, name: string): ActionsCacheState | null {
  const s = parsed(store.load(NAMES.cache(name)));
  if (!isObject(s) || typeof s.key !== 'string' || !Array.isArray(s.paths)) return null;
  return {
    key: s.key,
    paths: s.paths.filter((p): p is string => typeof p === 'string'),
    matchedKey: typeof s.matchedKey === 'string' ? s.matchedKey : null,
    saveAllowed: s.saveAllowed !== false,
    ...(s.settled === true ? { settled: true } : {}),
  };
}

/** Everything main handed over (each part checked; a damaged one is absent). */
export function readHandover(store: StepState): Handover {
  const c = parsed(store.load(NAMES.config));
  const p = parsed(store.load(NAMES.push));
  return {
    config: isObject(c)
      ? {
          saveCache: c.saveCache !== false,
          binaryCache: typeof c.binaryCache === 'string' ? c.binaryCache : '',
          nixConf: typeof c.nixConf === 'string' ? c.nixConf : '',
        }
      : null,
    sccache: recallSccache(store),
    pushDrvs:
      isObject(p) && Array.isArray(p.drvs)
        ? p.drvs.filter((d): d is string => typeof d === 'string')
        : null,
    sshKeyDir: store.load(NAMES.sshKey) || null,
  };
}
