import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  actionLog,
  actionState
} from "./chunks/chunk-UICAEJ37.js";
import {
  finishNixRun,
  recallSccache,
  stopSccache
} from "./chunks/chunk-6STYX2OE.js";
import {
  bounded,
  cacheServiceAvailable,
  errorMessage,
  restoreCache,
  saveCache
} from "./chunks/chunk-DFTTSCZM.js";
import {
  NIX_CACHE,
  SCCACHE,
  loadCacheState
} from "./chunks/chunk-IAE3FF53.js";
import "./chunks/chunk-4BPFUA7E.js";
import "./chunks/chunk-ZV7CJPVL.js";
import "./chunks/chunk-RQSC4JGL.js";
import {
  getInput,
  warning
} from "./chunks/chunk-RQ2LRCDO.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-YKKBAL7R.js";
import "./chunks/chunk-EEQGCHXH.js";
import "./chunks/chunk-5EWROA6M.js";

// src/cache/save.ts
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

// src/run-post.ts
async function runPost() {
  const log = actionLog();
  const state = actionState();
  try {
    const sccache = recallSccache(state);
    if (sccache) await stopSccache(sccache, log);
    const enabled = getInput("save-cache").trim().toLowerCase() !== "false";
    const secretKey = getInput("binary-cache-secret-key");
    log.mask(secretKey);
    const binaryCache = getInput("binary-cache");
    const nixConf = getInput("nix-conf");
    await finishNixRun({ binaryCache, secretKey, nixConf, env: process.env }, state, log);
    for (const name of [SCCACHE, NIX_CACHE]) await saveNamedCache(name, { log, enabled, state });
  } catch (e) {
    warning(`rust-bootstrap-nix post step: ${e.message}`);
  }
  process.exitCode = 0;
}

// src/post.ts
await runPost();
process.exit(0);
