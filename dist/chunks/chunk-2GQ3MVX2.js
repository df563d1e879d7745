import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  error,
  group,
  info,
  setSecret,
  warning
} from "./chunk-JFCEKCL2.js";

// src/action-log.ts
function actionLog() {
  const masked = /* @__PURE__ */ new Set();
  return {
    info: (m) => info(m),
    warning: (m) => warning(m),
    error: (m) => error(m),
    group: (title, fn) => group(title, fn),
    progress: () => {
    },
    // the build's own output is the progress in a job log
    mask: (v) => {
      if (!v || masked.has(v)) return;
      masked.add(v);
      setSecret(v);
    }
  };
}

export {
  actionLog
};
