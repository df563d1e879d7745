import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-2PJTFNEI.js";
import "./chunks/chunk-GJETOQLR.js";

// src/main.ts
await run();
process.exit();
