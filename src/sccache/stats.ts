// sccache's statistics: JSON where the version has `--stats-format=json`
// (0.3+), its text table otherwise. Hit rate is over cacheable compiles: the
// requests sccache looked up (hits + misses); crate types it cannot cache
// (bin, proc-macro...), incremental compiles and probes are counted apart.

export interface SccacheStats {
  compileRequests: number;
  hits: number;
  misses: number;
  /** hits + misses: the compiles sccache could cache. */
  cacheable: number;
  /** Calls sccache passed through uncached (crate type, incremental, missing input...). */
  notCacheable: number;
  /** hits / cacheable, null when nothing was cacheable. */
  hitRate: number | null;
}

function stats(
  compileRequests: number,
  hits: number,
  misses: number,
  notCacheable: number,
): SccacheStats {
  const cacheable = hits + misses;
  return {
    compileRequests,
    hits,
    misses,
    cacheable,
    notCacheable,
    hitRate: cacheable > 0 ? hits / cacheable : null,
  };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

// `{"counts": {"Rust": 3, "C/C++": 1}}` (0.4+ may add `adv_counts`, a finer split of the same calls).
function perLanguage(v: unknown): number {
  const counts = (v as { counts?: Record<string, unknown> } | null)?.counts;
  return counts ? Object.values(counts).reduce<number>((sum, n) => sum + num(n), 0) : num(v);
}

/** Parses `sccache --show-stats --stats-format=json`. Throws on anything else. */
export function parseJsonStats(text: string): SccacheStats {
  const root = JSON.parse(text) as { stats?: Record<string, unknown> };
  const s = root.stats;
  if (!s || typeof s !== 'object') throw new Error('sccache JSON stats have no "stats" object');
  return stats(
    num(s.compile_requests),
    perLanguage(s.cache_hits),
    perLanguage(s.cache_misses),
    num(s.requests_not_cacheable) + num(s.non_cacheable_compilations) + perLanguage(s.cache_errors),
  );
}

/** Parses the text table of `sccache --show-stats` (per-language rows like `Cache hits (Rust)` are skipped). */
export function parseTextStats(text: string): SccacheStats {
  const rows = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z][A-Za-z -]*?)\s{2,}(\d+)\s*$/.exec(line.trimEnd());
    if (m) rows.set(m[1]!.toLowerCase(), Number(m[2]));
  }
  if (!rows.has('cache hits') || !rows.has('cache misses')) {
    throw new Error('sccache stats text has no "Cache hits"/"Cache misses" rows');
  }
  const row = (name: string): number => rows.get(name) ?? 0;
  return stats(
    row('compile requests'),
    row('cache hits'),
    row('cache misses'),
    row('non-cacheable calls') + row('non-cacheable compilations') + row('cache errors'),
  );
}
