import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-IM5UVMJ7.js";
import "./chunks/chunk-3L37IDQH.js";
import "./chunks/chunk-KIHRCWSP.js";
import "./chunks/chunk-HTMBTD6E.js";
import "./chunks/chunk-LC6CKQIW.js";
import "./chunks/chunk-M72ORBSY.js";

// src/main.ts
await run();
process.exit();
