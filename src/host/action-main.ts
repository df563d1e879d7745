// The action's main step: inputs from INPUT_*, the log through @actions/core,
// outputs, the job summary. A bad input or a failed build fails the step
// with one ::error:: line; so does a cancellation (SIGINT/SIGTERM: a
// cancelled job, a timeout), after the run has cleaned up after itself.
import * as core from '@actions/core';
import { parseInputs } from '../inputs.js';
import { PipelineError, type PipelineResult, runPipeline } from '../pipeline/run.js';
import { rememberSccache } from '../post/state.js';
import { stopSccache } from '../sccache/server.js';
import { abortSignalName, CancelledError } from '../util/cancel.js';
import { cleanupTimedOut, watchSignals } from '../util/signals.js';
import { actionEnvironment, actionLog, actionState } from './action.js';
import { lineStart } from './line-start.js';

async function writeJobSummary(text: string): Promise<void> {
  await core.summary
    .addRaw(text)
    .write()
    .catch(() => undefined);
}

export async function run(): Promise<void> {
  const lines = lineStart(process);
  const log = actionLog(lines.end);
  const watch = watchSignals({
    note: (m) => log.info(m),
    onTimeout: (sig) => {
      lines.end();
      core.setFailed(cleanupTimedOut(sig));
      process.exit(1);
    },
  });
  let result: PipelineResult | null = null;
  /** After the pipeline: a cancellation stops sccache here (the post step finds it stopped). */
  const stopIfCancelled = async (stage: string): Promise<void> => {
    if (!watch.signal.aborted) return;
    if (result?.sccache) await stopSccache(result.sccache, log);
    throw new CancelledError(
      abortSignalName(watch.signal),
      stage,
      result?.sccache ? ['sccache stopped'] : [],
    );
  };
  try {
    const inputs = parseInputs((name) => core.getInput(name));
    log.mask(inputs.githubToken);
    const state = actionState();
    result = await runPipeline(inputs, {
      log,
      env: process.env,
      state,
      job: actionEnvironment(),
      output: lines.write,
      signal: watch.signal,
    });
    if (result.sccache) rememberSccache(state, result.sccache); // the post step stops it
    await stopIfCancelled('writing the job summary');
    await core.summary.addRaw(result.summary).write();
    // Loaded only here: the artifact and REST clients are large.
    const { publishReports } = await import('../report/publish-reports.js');
    const { artifactId } = await publishReports(inputs, result, process.env, log);
    await stopIfCancelled('publishing the reports');
    if (artifactId !== null) result.outputs['artifact-id'] = String(artifactId);
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    lines.end();
    if (result.failure) core.setFailed(result.failure);
  } catch (e) {
    if (e instanceof CancelledError && e.summary) await writeJobSummary(e.summary);
    if (e instanceof PipelineError) {
      for (const [name, value] of Object.entries(e.outputs)) core.setOutput(name, value);
      await writeJobSummary(e.summary);
    }
    lines.end();
    core.setFailed((e as Error).message);
  } finally {
    watch.dispose();
  }
}
