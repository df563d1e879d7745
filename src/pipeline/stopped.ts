// What a run that stopped early leaves: summary.md (when metadata-dir can
// hold it) saying where it stopped and why, and for a cancellation what was
// stopped and cleaned up on the way out.
import { existsSync } from 'node:fs';
import type { Log } from '../log.js';
import { writeSummary } from '../metadata/dir.js';
import { renderCancelled, renderStoppedSummary } from '../report/summary.js';
import { NIX_STAGES } from '../stages/nix-build.js';
import type { Inputs } from '../types.js';
import { abortSignalName, CancelledError } from '../util/cancel.js';
import type { Progress } from './context.js';

/** summary.md of a run a failure stopped in `stage` (written when it can be). */
export function stoppedSummary(inputs: Inputs, stage: string, message: string, log: Log): string {
  const summary = renderStoppedSummary(inputs.mode, stage, message);
  try {
    writeSummary(inputs.metadataDir, summary, true);
  } catch (w) {
    log.warning(`Could not write summary.md: ${(w as Error).message}`);
  }
  return summary;
}

export /** The error of a cancelled run: what it stopped and cleaned, also in summary.md when metadata-dir exists. */
function cancelled(
  inputs: Inputs,
  signal: AbortSignal,
  progress: Progress,
  sccacheStopped: boolean,
  /** How many invocations the finished emit recorded, if one finished. */
  recorded: number | null,
): CancelledError {
  const cleaned = [
    ...(progress.stage.startsWith('the recorded build')
      ? [
          "the build's processes stopped",
          'the target dir put back as cargo left it',
          'temp files removed',
        ]
      : []),
    ...(Object.values(NIX_STAGES).some((st) => st === progress.stage)
      ? ["Nix's processes stopped"]
      : []),
    ...(sccacheStopped ? ['sccache stopped'] : []),
  ];
  const error = new CancelledError(abortSignalName(signal), progress.stage, cleaned);
  error.summary = renderCancelled(inputs.mode, error, recorded);
  if (existsSync(inputs.metadataDir)) writeSummary(inputs.metadataDir, error.summary);
  return error;
}
