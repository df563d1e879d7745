import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  error,
  group,
  info,
  warning
} from "./chunk-JFCEKCL2.js";

// src/action-log.ts
function actionLog() {
  return {
    info: (m) => info(m),
    warning: (m) => warning(m),
    error: (m) => error(m),
    group: (title, fn) => group(title, fn),
    progress: () => {
    }
    // the build's own output is the progress in a job log
  };
}

export {
  actionLog
};
