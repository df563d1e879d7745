// The summary stage, the last of every mode that builds or records: the
// run's failure (the build's or Nix's own words, scrubbed) and summary.md,
// written to metadata-dir and handed to the host for the job summary.
import { writeSummary } from '../metadata/dir.js';
import { enter, type StageContext, stageTimes } from '../pipeline/context.js';
import type { StageResults } from '../pipeline/journal.js';
import { sectionsOf } from '../pipeline/outcome.js';
import { formatMs, renderSummary } from '../report/summary.js';
import type { Inputs } from '../types.js';
import type { Recorded } from './record.js';

export interface Summarised {
  summary: string;
  failure: string | null;
}

export function summarise(
  inputs: Inputs,
  results: StageResults & { recorded: Recorded },
  ctx: StageContext,
): Summarised {
  enter(ctx, 'writing the summary');
  const { recorded, built } = results;
  // Nix's and the build's own words (a failed step's log) may quote anything.
  const failure = ctx.redactor.scrub(recorded.failure ?? built?.failure ?? '') || null;
  const summary = ctx.redactor.scrub(
    renderSummary({
      mode: inputs.mode,
      records: recorded.records,
      plan: recorded.plan,
      failure,
      emitMs: recorded.emitMs,
      sections: [...sectionsOf(results), timeSection(ctx)],
    }),
  );
  writeSummary(inputs.metadataDir, summary);
  return { summary, failure };
}

/** Where the run's time went, stage by stage (a stage under 50 ms is left out). */
function timeSection(ctx: StageContext): { title: string; body: string } {
  const rows = stageTimes(ctx.progress, Date.now())
    .filter((t) => t.stage !== 'writing the summary' && t.ms >= 50)
    .map((t) => `| ${t.stage} | ${formatMs(t.ms)} |`);
  return { title: 'Time by stage', body: ['| stage | time |', '|---|---:|', ...rows].join('\n') };
}
