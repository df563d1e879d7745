import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  builtOutputs,
  pushToCache,
  removeSecretFile,
  stopSccache
} from "./chunk-CNTKYGR7.js";
import {
  nixConfigEnv
} from "./chunk-6IOJG2ZW.js";
import {
  bounded,
  cacheServiceAvailable,
  errorMessage,
  restoreCache,
  saveCache
} from "./chunk-GP5C5PCR.js";
import {
  ACTIONS_CACHES,
  loadCacheState,
  readHandover
} from "./chunk-DHZPW5VN.js";

// src/actions-cache/save.ts
import { existsSync } from "node:fs";
var DEFAULT_SAVE_TIMEOUT_MS = 10 * 6e4;
var LOOKUP_TIMEOUT_MS = 3e4;
async function saveNamedCache(name, opts) {
  const { log } = opts;
  const state = loadCacheState(opts.state, name);
  if (!state) {
    log.info(`${name} cache: the main step did not restore it, nothing to save`);
    return "not-restored";
  }
  if (!opts.enabled) {
    log.info(`${name} cache: save-cache is false, not saving`);
    return "disabled";
  }
  if (state.matchedKey === state.key) {
    log.info(`${name} cache: exact hit on ${state.key}, not saving`);
    return "exact-hit";
  }
  if (!state.saveAllowed) {
    log.warning(`${name} cache: not saving, its restore timed out and may have left it incomplete`);
    return "failed";
  }
  if (!state.paths.some((p) => existsSync(p))) {
    log.info(`${name} cache: none of ${state.paths.join(", ")} exists, nothing to save`);
    return "no-files";
  }
  if (!cacheServiceAvailable()) {
    log.warning(
      `${name} cache: the Actions cache service is not available in the post step, not saving`
    );
    return "failed";
  }
  try {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_SAVE_TIMEOUT_MS;
    if (state.settled && await savedBefore(state, timeoutMs)) {
      log.info(`${name} cache: ${state.key} was saved by an earlier run, not saving`);
      return "exact-hit";
    }
    const id = await bounded(
      `saving the ${name} cache`,
      timeoutMs,
      saveCache(state.paths, state.key)
    );
    if (id === -1) {
      log.warning(
        `${name} cache: not saved under ${state.key}: the cache service refused the reservation (another job may be saving the same key) or could not be reached; see the lines above`
      );
      return "failed";
    }
    log.info(`${name} cache: saved ${state.key}`);
    return "saved";
  } catch (e) {
    log.warning(`${name} cache: save failed, the job goes on: ${errorMessage(e)}`);
    return "failed";
  }
}
async function savedBefore(state, timeoutMs) {
  try {
    const found = await bounded(
      `looking up ${state.key}`,
      Math.min(timeoutMs, LOOKUP_TIMEOUT_MS),
      restoreCache(state.paths, state.key, [], { lookupOnly: true })
    );
    return found === state.key;
  } catch {
    return false;
  }
}

// src/post/actions.ts
async function runPostActions(store, secretKey, env, log) {
  const handed = readHandover(store);
  if (handed.sccache) await stopSccache(handed.sccache, log);
  await finishNixRun(handed, secretKey, env, log);
  const enabled = handed.config?.saveCache ?? true;
  for (const name of ACTIONS_CACHES) await saveNamedCache(name, { log, enabled, state: store });
}
async function finishNixRun(handed, secretKey, env, log) {
  const binaryCache = handed.config?.binaryCache ?? "";
  const nixConf = handed.config?.nixConf ?? "";
  const nixEnv = { ...env, NIX_CONFIG: nixConfigEnv(nixConf, env.NIX_CONFIG) };
  if (handed.sshKeyDir) removeSecretFile(handed.sshKeyDir);
  const drvs = handed.pushDrvs;
  if (!drvs || !binaryCache || !secretKey) return;
  try {
    const paths = await builtOutputs(drvs, nixEnv);
    const r = await pushToCache({ url: binaryCache, secretKey, paths, env: nixEnv });
    const steps = r.copied.filter((p) => paths.includes(p)).length;
    if (r.ok) log.info(`Pushed ${steps} steps the stopped build finished to ${binaryCache}.`);
    else
      log.warning(
        `Pushing the stopped build's finished steps to ${binaryCache} failed:
${r.error}`
      );
  } catch (e) {
    log.warning(`Pushing the stopped build's finished steps failed: ${e.message}`);
  }
}

export {
  runPostActions,
  finishNixRun
};
