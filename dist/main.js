import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-UQJHLWHY.js";
import "./chunks/chunk-5XHLRRSG.js";
import "./chunks/chunk-H44DFF4V.js";
import "./chunks/chunk-LS6T3YSF.js";
import "./chunks/chunk-KTUEKK7P.js";
import "./chunks/chunk-M72ORBSY.js";

// src/main.ts
await run();
process.exit();
