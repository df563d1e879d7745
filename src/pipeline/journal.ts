// What the stages of one run finished, each written once: a failure reports
// from it (outputs of a half-finished run), and the summary reads it at the
// end. The reuse attempt of emit-then-build writes its own entries (`reused`,
// `nixRestored`), so that falling back to the full emit overwrites nothing.

import type { CachesReady, RestoredCaches } from '../stages/actions-caches.js';
import type { Built } from '../stages/nix-build.js';
import type { Prepared } from '../stages/prepare.js';
import type { Published } from '../stages/publish.js';
import type { Recorded } from '../stages/record.js';
import type { ReuseOutcome } from '../stages/reuse.js';

export interface Entries {
  prepared: Prepared;
  /** emit-then-build: the Nix binary cache, restored before the plan is looked at. */
  nixRestored: RestoredCaches;
  /** The caches restored (and sccache started) for the recorded build, or mode build's. */
  cached: CachesReady;
  /** The kept plan, taken as this run's (reuse.ts). */
  reused: Recorded;
  reuse: ReuseOutcome;
  recorded: Recorded;
  built: Built;
  published: Published;
}

export class Journal {
  readonly #entries: Partial<Entries> = {};

  /** Records what a stage finished; a second write of one entry is a bug. Returns `value`. */
  note<K extends keyof Entries>(key: K, value: Entries[K]): Entries[K] {
    if (key in this.#entries) throw new Error(`internal: the journal's ${key} is written twice`);
    this.#entries[key] = value;
    return value;
  }

  get entries(): Readonly<Partial<Entries>> {
    return this.#entries;
  }
}

/** The stage results a run got to, as outputs and the summary see them (mode build has no Prepared). */
export interface StageResults {
  prepared?: Prepared;
  cached?: RestoredCaches & Partial<Pick<CachesReady, 'sccache'>>;
  recorded?: Recorded;
  built?: Built;
  reuse?: ReuseOutcome;
  published?: Published;
}

/** The journal read as the run's results: a kept plan that was given up (fallback) is not this run's. */
export function resultsOf(j: Journal): StageResults {
  const e = j.entries;
  const reused = e.reuse?.kind === 'fallback' ? undefined : e.reused;
  return {
    prepared: e.prepared,
    cached: e.cached ?? e.nixRestored,
    recorded: e.recorded ?? reused,
    built: e.built,
    reuse: e.reuse,
    published: e.published,
  };
}

/** The sccache server the run started and has not handed over: stopped when the run fails. */
export function runningSccache(j: Journal): CachesReady['sccache'] {
  return j.entries.cached?.sccache ?? null;
}
