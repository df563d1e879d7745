import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);

// src/post/state.ts
var SCCACHE = "sccache";
var NIX_CACHE = "nix-binary-cache";
var ACTIONS_CACHES = [SCCACHE, NIX_CACHE];
var NAMES = {
  config: "rbn-post-config",
  sccache: "rbn-sccache",
  push: "rbn-binary-cache-push",
  sshKey: "rbn-builders-ssh-key",
  cache: (name) => `rbn-cache-${name}`
};
var parsed = (raw) => {
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
};
var isObject = (v) => typeof v === "object" && v !== null;
function savePostConfig(store, inputs) {
  const config = {
    saveCache: inputs.saveCache,
    binaryCache: inputs.binaryCache ?? "",
    nixConf: inputs.nixConf
  };
  store.save(NAMES.config, JSON.stringify(config));
}
function rememberSccache(store, s) {
  store.save(NAMES.sccache, JSON.stringify(s));
}
function recallSccache(store) {
  const s = parsed(store.load(NAMES.sccache));
  return isObject(s) && typeof s.binary === "string" && typeof s.dir === "string" && isObject(s.env) ? s : null;
}
function savePushDrvs(store, drvs) {
  store.save(NAMES.push, JSON.stringify({ drvs }));
}
function saveSshKeyDir(store, dir) {
  store.save(NAMES.sshKey, dir);
}
function saveCacheState(store, name, state) {
  store.save(NAMES.cache(name), JSON.stringify(state));
}
function loadCacheState(store, name) {
  const s = parsed(store.load(NAMES.cache(name)));
  if (!isObject(s) || typeof s.key !== "string" || !Array.isArray(s.paths)) return null;
  return {
    key: s.key,
    paths: s.paths.filter((p) => typeof p === "string"),
    matchedKey: typeof s.matchedKey === "string" ? s.matchedKey : null,
    saveAllowed: s.saveAllowed !== false,
    ...s.settled === true ? { settled: true } : {}
  };
}
function readHandover(store) {
  const c = parsed(store.load(NAMES.config));
  const p = parsed(store.load(NAMES.push));
  return {
    config: isObject(c) ? {
      saveCache: c.saveCache !== false,
      binaryCache: typeof c.binaryCache === "string" ? c.binaryCache : "",
      nixConf: typeof c.nixConf === "string" ? c.nixConf : ""
    } : null,
    sccache: recallSccache(store),
    pushDrvs: isObject(p) && Array.isArray(p.drvs) ? p.drvs.filter((d) => typeof d === "string") : null,
    sshKeyDir: store.load(NAMES.sshKey) || null
  };
}

export {
  SCCACHE,
  NIX_CACHE,
  ACTIONS_CACHES,
  savePostConfig,
  rememberSccache,
  savePushDrvs,
  saveSshKeyDir,
  saveCacheState,
  loadCacheState,
  readHandover
};
