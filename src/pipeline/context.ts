// What every stage is handed: the host's side (log, environment, step state,
// the job's later steps, cancellation), the run's redactor, and where the run
// is (for a cancellation's message, and what it must undo when it stops early).
import type { JobEnvironment, StepState } from '../host/ports.js';
import type { Log } from '../log.js';
import type { Redactor } from '../util/secrets.js';

export interface PipelineContext {
  log: Log;
  env: NodeJS.ProcessEnv;
  /** Handed to the post step (the caches to save). */
  state: StepState;
  /** The job's later steps' environment (an installed Nix's PATH). */
  job: JobEnvironment;
  /** Where the build's own output goes. */
  output: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /**
   * Aborted by the host on SIGINT/SIGTERM (the reason an Interrupted). The
   * running stage stops its processes and cleans up, and runPipeline rejects
   * with a CancelledError naming the stage.
   */
  signal?: AbortSignal;
}

/** Where the run is: changed by enter() alone (what it has finished is in the journal). */
export interface Progress {
  stage: string;
  /** Each stage entered, with when (ms since the epoch): the summary says where the time went. */
  entered: { stage: string; at: number }[];
}

/** The context inside the pipeline: its log scrubs every message with `redactor`. */
export interface StageContext extends PipelineContext {
  redactor: Redactor;
  progress: Progress;
}

/** Enters a stage, unless the run was cancelled meanwhile (then it throws the signal's reason). */
export function enter(ctx: StageContext, stage: string): void {
  ctx.signal?.throwIfAborted();
  ctx.progress.stage = stage;
  ctx.progress.entered.push({ stage, at: Date.now() });
}

/** How long each stage took until `now`, in the order entered; a stage entered twice adds up. */
export function stageTimes(progress: Progress, now: number): { stage: string; ms: number }[] {
  const times = new Map<string, number>();
  progress.entered.forEach((e, i) => {
    const end = progress.entered[i + 1]?.at ?? now;
    times.set(e.stage, (times.get(e.stage) ?? 0) + (end - e.at));
  });
  return [...times].map(([stage, ms]) => ({ stage, ms }));
}
