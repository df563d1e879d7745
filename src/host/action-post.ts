// The post step: what main handed over (post/state.ts), acted on by
// post/actions.ts. It never fails the job (every problem is a warning) and
// exits promptly: a timed-out cache request must not keep the job waiting.
import * as core from '@actions/core';
import { runPostActions } from '../post/actions.js';
import { actionLog, actionState } from './action.js';

export async function runPost(): Promise<void> {
  const log = actionLog();
  try {
    // The one input post reads itself: a secret is never written to the state file.
    const secretKey = core.getInput('binary-cache-secret-key');
    log.mask(secretKey);
    await runPostActions(actionState(), secretKey, process.env, log);
  } catch (e) {
    core.warning(`rust-bootstrap-nix post step: ${(e as Error).message}`);
  }
  process.exitCode = 0;
}
