import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  actionEnvironment,
  actionLog,
  actionState
} from "./chunks/chunk-R3UDTXD2.js";
import {
  PipelineError,
  parseInputs,
  runPipeline
} from "./chunks/chunk-BG5KWFOH.js";
import {
  rememberSccache
} from "./chunks/chunk-CKPEMP4S.js";
import "./chunks/chunk-FBKVHMGM.js";
import "./chunks/chunk-KOALFGAM.js";
import {
  getInput,
  setFailed,
  setOutput,
  summary
} from "./chunks/chunk-YO2OA22A.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-QLU3LUZL.js";
import "./chunks/chunk-5EWROA6M.js";

// src/run.ts
async function run() {
  try {
    const inputs = parseInputs((name) => getInput(name));
    const log = actionLog();
    log.mask(inputs.githubToken);
    const state = actionState();
    const result = await runPipeline(inputs, {
      log,
      env: process.env,
      state,
      job: actionEnvironment(),
      output: (chunk, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(chunk)
    });
    if (result.sccache) rememberSccache(state, result.sccache);
    await summary.addRaw(result.summary).write();
    const { publishReports } = await import("./chunks/report-VJGVJJ7Z.js");
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
