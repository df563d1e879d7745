// The summary's cache and sccache sections.
import type { CacheHit } from '../actions-cache/restore.js';
import type { SccacheStats } from '../sccache/stats.js';

const HIT_TEXT: Record<CacheHit, string> = {
  true: 'restored (exact key)',
  partial: 'restored from an older key (partial)',
  false: 'nothing restored',
};

export function cacheSection(hit: CacheHit): { title: string; body: string } {
  return { title: 'Caches', body: `Actions cache: **${HIT_TEXT[hit]}** (\`cache-hit: ${hit}\`).` };
}

export function sccacheSection(s: SccacheStats): string {
  const rate = s.cacheable > 0 ? `${Math.round((100 * s.hits) / s.cacheable)}%` : 'n/a';
  return [
    '| | |',
    '|---|---:|',
    `| compile requests | ${s.compileRequests} |`,
    `| hits | ${s.hits} |`,
    `| misses | ${s.misses} |`,
    `| hit rate (cacheable compiles) | ${rate} |`,
    `| not cacheable (bins, proc-macros, build scripts, probes) | ${s.notCacheable} |`,
  ].join('\n');
}
