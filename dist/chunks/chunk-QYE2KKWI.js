import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  addPath,
  error,
  exportVariable,
  getState,
  group,
  info,
  saveState,
  setSecret,
  warning
} from "./chunk-RQ2LRCDO.js";

// src/host/action.ts
function actionLog(beforeLine = () => {
}) {
  const masked = /* @__PURE__ */ new Set();
  const line = (f) => (...a) => {
    beforeLine();
    return f(...a);
  };
  return {
    info: line((m) => info(m)),
    warning: line((m) => warning(m)),
    error: line((m) => error(m)),
    group: line((title, fn) => group(title, fn)),
    progress: () => {
    },
    // the build's own output is the progress in a job log
    mask: line((v) => {
      if (!v || masked.has(v)) return;
      masked.add(v);
      setSecret(v);
    })
  };
}
function actionState() {
  const savedHere = /* @__PURE__ */ new Map();
  return {
    save: (name, value) => {
      savedHere.set(name, value);
      saveState(name, value);
    },
    load: (name) => savedHere.get(name) ?? (getState(name) || null)
  };
}
function actionEnvironment() {
  return {
    addPath: (dir) => addPath(dir),
    exportVariable: (name, value) => exportVariable(name, value)
  };
}

export {
  actionLog,
  actionState,
  actionEnvironment
};
