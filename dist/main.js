import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run
} from "./chunks/chunk-VQT5N6WG.js";
import "./chunks/chunk-JOKVHOSO.js";
import "./chunks/chunk-EPKEIDXF.js";
import "./chunks/chunk-LS6T3YSF.js";
import "./chunks/chunk-CAX6ZGG2.js";
import "./chunks/chunk-M72ORBSY.js";

// src/main.ts
await run();
process.exit();
