import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  actionLog
} from "./chunks/chunk-2GQ3MVX2.js";
import {
  PipelineError,
  parseInputs,
  runPipeline
} from "./chunks/chunk-DEDDSX45.js";
import {
  rememberSccache
} from "./chunks/chunk-TNVBJHXC.js";
import "./chunks/chunk-FBKVHMGM.js";
import "./chunks/chunk-D5O27I4F.js";
import {
  getInput,
  setFailed,
  setOutput,
  summary
} from "./chunks/chunk-JFCEKCL2.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-QLU3LUZL.js";
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
    const { publishReports } = await import("./chunks/report-TIL3FUNT.js");
    const { artifactId } = await publishReports(inputs, result, process.env, log);
    if (artifactId !== null) result.outputs["artifact-id"] = String(artifactId);
    for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
    if (result.failure) setFailed(result.failure);
  } catch (e) {
    if (e instanceof PipelineError) {
      for (const [name, value] of Object.entries(e.outputs)) setOutput(name, value);
      await summary.addRaw(e.summary).write().catch(() => void 0);
    }
    setFailed(e.message);
  }
}

// src/main.ts
await run();
process.exit();
