import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-VI7ZSD25.js";
import "./chunks/chunk-VRDCEUYE.js";
import "./chunks/chunk-MFSTI47I.js";
import "./chunks/chunk-CU24KN2G.js";
import "./chunks/chunk-JFCEKCL2.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-E57YIXK5.js";
import "./chunks/chunk-5EWROA6M.js";

// src/main.ts
await run();
process.exit();
