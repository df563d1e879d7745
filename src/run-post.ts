// The post step: stops sccache and saves the caches the main step restored.
// It never fails the job (every problem is a warning) and exits promptly:
// a timed-out cache request must not keep the job waiting.
import * as core from '@actions/core';
import { actionLog, actionState } from './action-host.js';
import { saveNamedCache } from './cache/save.js';
import { NIX_CACHE, SCCACHE } from './cache/state.js';
import { recallSccache, stopSccache } from './sccache/server.js';

export async function runPost(): Promise<void> {
  const log = actionLog();
  const state = actionState();
  try {
    const sccache = recallSccache(state);
    if (sccache) await stopSccache(sccache, log);
    const enabled = core.getInput('save-cache').trim().toLowerCase() !== 'false';
    for (const name of [SCCACHE, NIX_CACHE]) await saveNamedCache(name, { log, enabled, state });
  } catch (e) {
    core.warning(`rust-bootstrap-nix post step: ${(e as Error).message}`);
  }
  process.exitCode = 0;
}
