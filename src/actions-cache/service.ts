// What restore.ts and save.ts share: is there a cache service, and a time bound
// around the client (its Twirp calls have no timeout of their own).
import * as cache from '@actions/cache';

/** True when the Actions cache can be reached (inside a job, with the runner's variables). */
export function cacheServiceAvailable(): boolean {
  return cache.isFeatureAvailable() && Boolean(process.env.ACTIONS_RUNTIME_TOKEN);
}

export class CacheTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${Math.round(ms / 1000)} s`);
    this.name = 'CacheTimeoutError';
  }
}

/**
 * Resolves with `work`, or rejects with CacheTimeoutError after `ms`. The work
 * is not cancelled (the client offers no way to); the step must not wait for
 * it, so the entry points end with process.exit.
 */
export async function bounded<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
