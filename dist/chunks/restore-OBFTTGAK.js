import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  CacheTimeoutError,
  bounded,
  cacheServiceAvailable,
  errorMessage,
  restoreCache
} from "./chunk-GP5C5PCR.js";
import {
  saveCacheState
} from "./chunk-DHZPW5VN.js";
import "./chunk-ZV7CJPVL.js";
import "./chunk-RQSC4JGL.js";
import "./chunk-RQ2LRCDO.js";
import "./chunk-JMLKYJGM.js";
import "./chunk-5EWROA6M.js";

// src/actions-cache/restore.ts
var DEFAULT_RESTORE_TIMEOUT_MS = 5 * 6e4;
var CHUNK_TIMEOUT_MS = 3e4;
async function restoreNamedCache(spec, opts) {
  const { log } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RESTORE_TIMEOUT_MS;
  if (!cacheServiceAvailable()) {
    log.info(`${spec.name} cache: no Actions cache service in this environment, not restoring`);
    return { name: spec.name, hit: "false", matchedKey: null };
  }
  const state = {
    key: spec.key,
    paths: spec.paths,
    matchedKey: null,
    saveAllowed: true
  };
  try {
    const restore = restoreCache(spec.paths, spec.key, spec.restoreKeys, {
      timeoutInMs: CHUNK_TIMEOUT_MS,
      segmentTimeoutInMs: timeoutMs
    });
    state.matchedKey = await bounded(`restoring the ${spec.name} cache`, timeoutMs, restore) ?? null;
  } catch (e) {
    if (e instanceof CacheTimeoutError) state.saveAllowed = false;
    log.warning(`${spec.name} cache: restore failed, continuing without it: ${errorMessage(e)}`);
  }
  saveCacheState(opts.state, spec.name, state);
  const hit = hitOf(state);
  log.info(
    hit === "false" ? `${spec.name} cache: no entry for ${spec.key}` : `${spec.name} cache: restored ${state.matchedKey}${hit === "partial" ? ` (partial match for ${spec.key})` : ""}`
  );
  return { name: spec.name, hit, matchedKey: state.matchedKey };
}
function hitOf(s) {
  if (s.matchedKey === null) return "false";
  return s.matchedKey === s.key ? "true" : "partial";
}
function combineHits(hits) {
  if (hits.length > 0 && hits.every((h) => h === "true")) return "true";
  return hits.some((h) => h !== "false") ? "partial" : "false";
}
export {
  DEFAULT_RESTORE_TIMEOUT_MS,
  combineHits,
  restoreNamedCache
};
