// Post step: save one named cache when main's restore was not an exact hit
// and `save-cache` allows it. Fails open: every problem is a warning.
import { existsSync } from 'node:fs';
import * as cache from '@actions/cache';
import type { StepState } from '../host/ports.js';
import type { Log } from '../log.js';
import { type ActionsCacheState, loadCacheState } from '../post/state.js';
import { bounded, cacheServiceAvailable, errorMessage } from './service.js';

export interface SaveOptions {
  log: Log;
  /** What the main step's restore left. */
  state: StepState;
  /** The `save-cache` input. */
  enabled: boolean;
  /** Upper bound for the whole save (archive, reservation, upload, finalize). */
  timeoutMs?: number;
}

/** What happened, for the summary; only `failed` came with a warning. */
export type SaveOutcome =
  | 'saved'
  | 'exact-hit'
  | 'disabled'
  | 'not-restored'
  | 'no-files'
  | 'failed';

export const DEFAULT_SAVE_TIMEOUT_MS = 10 * 60_000;
const LOOKUP_TIMEOUT_MS = 30_000;

export async function saveNamedCache(name: string, opts: SaveOptions): Promise<SaveOutcome> {
  const { log } = opts;
  const state = loadCacheState(opts.state, name);
  if (!state) {
    log.info(`${name} cache: the main step did not restore it, nothing to save`);
    return 'not-restored';
  }
  if (!opts.enabled) {
    log.info(`${name} cache: save-cache is false, not saving`);
    return 'disabled';
  }
  if (state.matchedKey === state.key) {
    log.info(`${name} cache: exact hit on ${state.key}, not saving`);
    return 'exact-hit';
  }
  if (!state.saveAllowed) {
    log.warning(`${name} cache: not saving, its restore timed out and may have left it incomplete`);
    return 'failed';
  }
  if (!state.paths.some((p) => existsSync(p))) {
    log.info(`${name} cache: none of ${state.paths.join(', ')} exists, nothing to save`);
    return 'no-files';
  }
  if (!cacheServiceAvailable()) {
    log.warning(
      `${name} cache: the Actions cache service is not available in the post step, not saving`,
    );
    return 'failed';
  }
  try {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_SAVE_TIMEOUT_MS;
    // A key main settled on after its restore may be one an earlier run saved
    // (a reverted edit gives an earlier result back): the service would refuse
    // it with a warning. A lookup that fails leaves the save to find out.
    if (state.settled && (await savedBefore(state, timeoutMs))) {
      log.info(`${name} cache: ${state.key} was saved by an earlier run, not saving`);
      return 'exact-hit';
    }
    const id = await bounded(
      `saving the ${name} cache`,
      timeoutMs,
      cache.saveCache(state.paths, state.key),
    );
    // The client reports a refused or failed reservation, or a failed upload, as -1 (its details went to the log).
    if (id === -1) {
      log.warning(
        `${name} cache: not saved under ${state.key}: the cache service refused the reservation (another job may be saving the same key) or could not be reached; see the lines above`,
      );
      return 'failed';
    }
    log.info(`${name} cache: saved ${state.key}`);
    return 'saved';
  } catch (e) {
    log.warning(`${name} cache: save failed, the job goes on: ${errorMessage(e)}`);
    return 'failed';
  }
}

async function savedBefore(state: ActionsCacheState, timeoutMs: number): Promise<boolean> {
  try {
    const found = await bounded(
      `looking up ${state.key}`,
      Math.min(timeoutMs, LOOKUP_TIMEOUT_MS),
      cache.restoreCache(state.paths, state.key, [], { lookupOnly: true }),
    );
    return found === state.key;
  } catch {
    return false;
  }
}
