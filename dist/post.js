import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  info,
  warning
} from "./chunks/chunk-YB6KXNAI.js";

// src/run-post.ts
async function runPost() {
  try {
    info("rust-bootstrap-nix: nothing to save.");
  } catch (e) {
    warning(`rust-bootstrap-nix post step: ${e.message}`);
  }
}

// src/post.ts
await runPost();
