import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  getState,
  saveState
} from "./chunk-JFCEKCL2.js";

// src/cache/state.ts
var SCCACHE = "sccache";
var NIX_CACHE = "nix-binary-cache";
function cacheStateName(name) {
  return `rbn-cache-${name}`;
}
var savedHere = /* @__PURE__ */ new Map();
function saveCacheState(name, state) {
  const raw = JSON.stringify(state);
  savedHere.set(name, raw);
  saveState(cacheStateName(name), raw);
}
function loadCacheState(name, opts = {}) {
  const raw = opts.ownStep ? savedHere.get(name) : getState(cacheStateName(name));
  if (!raw) return null;
  try {
    const s = JSON.parse(raw);
    if (typeof s.key !== "string" || !Array.isArray(s.paths)) return null;
    return {
      key: s.key,
      paths: s.paths.filter((p) => typeof p === "string"),
      matchedKey: typeof s.matchedKey === "string" ? s.matchedKey : null,
      saveAllowed: s.saveAllowed !== false
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
