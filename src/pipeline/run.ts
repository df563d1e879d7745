// The pipeline's entry, the same for the action and the CLI: the run's
// redactor, log and context, the mode run (modes.ts), and whatever stopped
// it turned into one error, reported from the journal of what finished.
import { InputError } from '../inputs.js';
import { redactingLog } from '../log.js';
import { savePostConfig } from '../post/state.js';
import { stopSccache } from '../sccache/server.js';
import { nixEnvironment } from '../stages/nix-setup.js';
import type { Inputs } from '../types.js';
import { Redactor, secretInputsOf, secretValuesOf } from '../util/secrets.js';
import type { PipelineContext, StageContext } from './context.js';
import { Journal, resultsOf, runningSccache } from './journal.js';
import { MODES, type PipelineResult } from './modes.js';
import { type Outputs, outputsOf } from './outcome.js';
import { cancelled, stoppedSummary } from './stopped.js';

export type { PipelineResult } from './modes.js';

/** A run that failed after its inputs were found good: summary.md (and the job summary) say where and why. */
export class PipelineError extends Error {
  constructor(
    message: string,
    readonly stage: string,
    readonly summary: string,
    readonly outputs: Outputs,
  ) {
    super(message);
  }
}

/**
 * `only: 'publish'` (the CLI's publish) publishes the flake of an earlier
 * run's metadata-dir (inputs.mode is `build`: preflight reads it whole).
 */
export async function runPipeline(
  inputs: Inputs,
  context: PipelineContext,
  only: 'publish' | null = null,
): Promise<PipelineResult> {
  // Before anything is logged: every secret of the environment (by name, by
  // shape, a URL's password) is masked, and scrubbed from whatever is written.
  const redactor = new Redactor(secretValuesOf(context.env, ...secretInputsOf(inputs)), (v) =>
    context.log.mask(v),
  );
  const log = redactingLog(context.log, (t) => redactor.scrub(t));
  // The toolchain and the build see the environment as the run found it:
  // finding or installing Nix adds to the host's (PATH, NIX_SSL_CERT_FILE),
  // which only Nix's own calls are to see.
  const progress = { stage: 'starting', entered: [{ stage: 'starting', at: Date.now() }] };
  const ctx: StageContext = { ...context, env: { ...context.env }, log, redactor, progress };
  let nixEnv: Promise<NodeJS.ProcessEnv> | null = null;
  const nix = async (): Promise<NodeJS.ProcessEnv> => {
    nixEnv ??= nixEnvironment(inputs, { ...context, log });
    const env = await nixEnv;
    ctx.signal?.throwIfAborted();
    return env;
  };
  const journal = new Journal();
  savePostConfig(context.state, inputs);
  try {
    return await MODES[only ?? inputs.mode]({ inputs, ctx, nix, journal });
  } catch (e) {
    // Whatever stopped the run, the sccache server it started does not outlive it (the
    // hosts only stop one they were handed).
    const sccache = runningSccache(journal);
    if (sccache) await stopSccache(sccache, log);
    const recorded = resultsOf(journal).recorded?.records.length ?? null;
    if (ctx.signal?.aborted) throw cancelled(inputs, ctx.signal, progress, !!sccache, recorded);
    // An error's message is printed (::error::, the CLI's last line): it may quote anything.
    const message = redactor.scrub((e as Error).message);
    if (e instanceof InputError) {
      e.message = message;
      throw e; // found before anything was written
    }
    const summary = stoppedSummary(inputs, progress.stage, message, log);
    throw new PipelineError(
      message,
      progress.stage,
      summary,
      outputsOf(inputs, resultsOf(journal)),
    );
  }
}
