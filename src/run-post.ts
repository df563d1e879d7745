// The post step: stops sccache, saves the caches the main step restored,
// removes the builders' SSH key and pushes a failed build's finished steps
// to the binary cache.
// It never fails the job (every problem is a warning) and exits promptly:
// a timed-out cache request must not keep the job waiting.
import * as core from '@actions/core';
import { actionLog, actionState } from './action-host.js';
import { saveNamedCache } from './cache/save.js';
import { NIX_CACHE, SCCACHE } from './cache/state.js';
import { recallSccache, stopSccache } from './sccache/server.js';
import { finishNixRun } from './stages/nix-cache.js';

export async function runPost(): Promise<void> {
  const log = actionLog();
  const state = actionState();
  try {
    const sccache = recallSccache(state);
    if (sccache) await stopSccache(sccache, log);
    const enabled = core.getInput('save-cache').trim().toLowerCase() !== 'false';
    const secretKey = core.getInput('binary-cache-secret-key');
    log.mask(secretKey);
    const binaryCache = core.getInput('binary-cache');
    const nixConf = core.getInput('nix-conf');
    await finishNixRun({ binaryCache, secretKey, nixConf, env: process.env }, state, log);
    for (const name of [SCCACHE, NIX_CACHE]) await saveNamedCache(name, { log, enabled, state });
  } catch (e) {
    core.warning(`rust-bootstrap-nix post step: ${(e as Error).message}`);
  }
  process.exitCode = 0;
}
