import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-Z2A4YA4V.js";
import "./chunks/chunk-4VJJAVAT.js";
import "./chunks/chunk-KIHRCWSP.js";
import "./chunks/chunk-LS6T3YSF.js";
import "./chunks/chunk-LC6CKQIW.js";
import "./chunks/chunk-M72ORBSY.js";

// src/main.ts
await run();
process.exit();
