import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-W6MNAQ3I.js";
import "./chunks/chunk-DMKDIP76.js";
import "./chunks/chunk-MFSTI47I.js";
import "./chunks/chunk-LS6T3YSF.js";
import "./chunks/chunk-E57YIXK5.js";
import "./chunks/chunk-M72ORBSY.js";

// src/main.ts
await run();
process.exit();
