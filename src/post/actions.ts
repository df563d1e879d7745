// The post step's actions, in order, from what main handed over
// (post/state.ts): sccache stopped (flushing its writes), the builders' SSH
// key removed, a failed build's finished steps pushed to the binary cache,
// then the Actions caches saved. The CLI, main and post in one process, runs
// the Nix part at its end. Nothing here throws: every problem is a warning.
import { saveNamedCache } from '../actions-cache/save.js';
import { builtOutputs, pushToCache } from '../binary-cache/push.js';
import type { StepState } from '../host/ports.js';
import type { Log } from '../log.js';
import { nixConfigEnv } from '../nix-install/conf.js';
import { stopSccache } from '../sccache/server.js';
import { removeSecretFile } from '../util/secret-file.js';
import { ACTIONS_CACHES, type Handover, readHandover } from './state.js';

/** The action's post step. `secretKey`: the binary-cache-secret-key input (never in the state). */
export async function runPostActions(
  store: StepState,
  secretKey: string,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<void> {
  const handed = readHandover(store);
  if (handed.sccache) await stopSccache(handed.sccache, log);
  await finishNixRun(handed, secretKey, env, log);
  // Inputs main never parsed: it restored nothing, and each save says so.
  const enabled = handed.config?.saveCache ?? true;
  for (const name of ACTIONS_CACHES) await saveNamedCache(name, { log, enabled, state: store });
}

/**
 * The Nix part (the CLI's, at its end): the builders' SSH key removed, and a
 * failed build's finished steps pushed. Never throws.
 */
export async function finishNixRun(
  handed: Handover,
  secretKey: string,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<void> {
  const binaryCache = handed.config?.binaryCache ?? '';
  const nixConf = handed.config?.nixConf ?? '';
  const nixEnv = { ...env, NIX_CONFIG: nixConfigEnv(nixConf, env.NIX_CONFIG) };
  if (handed.sshKeyDir) removeSecretFile(handed.sshKeyDir);
  const drvs = handed.pushDrvs;
  if (!drvs || !binaryCache || !secretKey) return;
  try {
    // An installed Nix is on PATH: main added its directory for the job's later steps.
    const paths = await builtOutputs(drvs, nixEnv);
    const r = await pushToCache({ url: binaryCache, secretKey, paths, env: nixEnv });
    const steps = r.copied.filter((p) => paths.includes(p)).length;
    if (r.ok) log.info(`Pushed ${steps} steps the stopped build finished to ${binaryCache}.`);
    else
      log.warning(
        `Pushing the stopped build's finished steps to ${binaryCache} failed:\n${r.error}`,
      );
  } catch (e) {
    log.warning(`Pushing the stopped build's finished steps failed: ${(e as Error).message}`);
  }
}
