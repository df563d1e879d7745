import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);

// src/cache/state.ts
var SCCACHE = "sccache";
var NIX_CACHE = "nix-binary-cache";
function cacheStateName(name) {
  return `rbn-cache-${name}`;
}
function saveCacheState(store, name, state) {
  store.save(cacheStateName(name), JSON.stringify(state));
}
function loadCacheState(store, name) {
  const raw = store.load(cacheStateName(name));
  if (!raw) return null;
  try {
    const s = JSON.parse(raw);
    if (typeof s.key !== "string" || !Array.isArray(s.paths)) return null;
    return {
      key: s.key,
      paths: s.paths.filter((p) => typeof p === "string"),
      matchedKey: typeof s.matchedKey === "string" ? s.matchedKey : null,
      saveAllowed: s.saveAllowed !== false,
      ...s.settled === true ? { settled: true } : {}
    };
  } catch {
    return null;
  }
}

export {
  SCCACHE,
  NIX_CACHE,
  saveCacheState,
  loadCacheState
};
