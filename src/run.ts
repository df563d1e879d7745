// The action's main step: inputs from INPUT_*, the log through @actions/core,
// outputs, the job summary. A bad input or a failed build fails the step
// with one ::error:: line.
import * as core from '@actions/core';
import { actionEnvironment, actionLog, actionState } from './action-host.js';
import { parseInputs } from './inputs.js';
import { PipelineError, runPipeline } from './pipeline.js';
import { rememberSccache } from './sccache/server.js';

export async function run(): Promise<void> {
  try {
    const inputs = parseInputs((name) => core.getInput(name));
    const log = actionLog();
    log.mask(inputs.githubToken);
    const state = actionState();
    const result = await runPipeline(inputs, {
      log,
      env: process.env,
      state,
      job: actionEnvironment(),
      output: (chunk, stream) =>
        (stream === 'stdout' ? process.stdout : process.stderr).write(chunk),
    });
    if (result.sccache) rememberSccache(state, result.sccache); // the post step stops it
    await core.summary.addRaw(result.summary).write();
    // Loaded only here: the artifact and REST clients are large.
    const { publishReports } = await import('./stages/report.js');
    const { artifactId } = await publishReports(inputs, result, process.env, log);
    if (artifactId !== null) result.outputs['artifact-id'] = String(artifactId);
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    if (result.failure) core.setFailed(result.failure);
  } catch (e) {
    if (e instanceof PipelineError) {
      for (const [name, value] of Object.entries(e.outputs)) core.setOutput(name, value);
      await core.summary
        .addRaw(e.summary)
        .write()
        .catch(() => undefined);
    }
    core.setFailed((e as Error).message);
  }
}
