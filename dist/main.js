import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  actionLog
} from "./chunks/chunk-XKD7X3KH.js";
import {
  parseInputs,
  runPipeline
} from "./chunks/chunk-3B737KIX.js";
import {
  rememberSccache
} from "./chunks/chunk-345AT4LW.js";
import "./chunks/chunk-4ZOLXFOZ.js";
import "./chunks/chunk-3NH2WOPK.js";
import {
  getInput,
  setFailed,
  setOutput,
  summary
} from "./chunks/chunk-Q6OOTUZT.js";
import "./chunks/chunk-3LPOFYSV.js";
import "./chunks/chunk-XU5FNKXY.js";
import "./chunks/chunk-5EWROA6M.js";

// src/run.ts
async function run() {
  try {
    const inputs = parseInputs((name) => getInput(name));
    const log = actionLog();
    log.mask(inputs.githubToken);
    const result = await runPipeline(inputs, {
      log,
      env: process.env,
      output: (chunk, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(chunk)
    });
    if (result.sccache) rememberSccache(result.sccache);
    await summary.addRaw(result.summary).write();
    const { publishReports } = await import("./chunks/report-4W3FZ2L2.js");
    const { artifactId } = await publishReports(inputs, result, process.env, log);
    if (artifactId !== null) result.outputs["artifact-id"] = String(artifactId);
    for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
    if (result.failure) setFailed(result.failure);
  } catch (e) {
    setFailed(e.message);
  }
}

// src/main.ts
await run();
process.exit();
