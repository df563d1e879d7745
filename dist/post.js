import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  actionLog,
  actionState
} from "./chunks/chunk-QYE2KKWI.js";
import {
  runPostActions
} from "./chunks/chunk-OXZJAZ7G.js";
import "./chunks/chunk-CNTKYGR7.js";
import "./chunks/chunk-6IOJG2ZW.js";
import "./chunks/chunk-GP5C5PCR.js";
import "./chunks/chunk-DHZPW5VN.js";
import "./chunks/chunk-ZV7CJPVL.js";
import "./chunks/chunk-RQSC4JGL.js";
import {
  getInput,
  warning
} from "./chunks/chunk-RQ2LRCDO.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-BVV6BGTK.js";
import "./chunks/chunk-NZOH6GOL.js";
import "./chunks/chunk-5EWROA6M.js";

// src/host/action-post.ts
async function runPost() {
  const log = actionLog();
  try {
    const secretKey = getInput("binary-cache-secret-key");
    log.mask(secretKey);
    await runPostActions(actionState(), secretKey, process.env, log);
  } catch (e) {
    warning(`rust-bootstrap-nix post step: ${e.message}`);
  }
  process.exitCode = 0;
}

// src/post.ts
await runPost();
process.exit(0);
