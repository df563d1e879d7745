import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  parseInputs,
  rememberSccache,
  runPipeline
} from "./chunk-VRDCEUYE.js";
import {
  error,
  getInput,
  group,
  info,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-JFCEKCL2.js";

// src/run.ts
function actionLog() {
  return {
    info: (m) => info(m),
    warning: (m) => warning(m),
    error: (m) => error(m),
    group: (title, fn) => group(title, fn),
    progress: () => {
    }
    // the build's own output is the progress in a job log
  };
}
async function run() {
  try {
    const inputs = parseInputs((name) => getInput(name));
    if (inputs.githubToken) setSecret(inputs.githubToken);
    const log = actionLog();
    const result = await runPipeline(inputs, {
      log,
      env: process.env,
      output: (chunk, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(chunk)
    });
    if (result.sccache) rememberSccache(result.sccache);
    await summary.addRaw(result.summary).write();
    const { publishReports } = await import("./report-Z3AUKZSW.js");
    const { artifactId } = await publishReports(inputs, result, process.env, log);
    if (artifactId !== null) result.outputs["artifact-id"] = String(artifactId);
    for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
    if (result.failure) setFailed(result.failure);
  } catch (e) {
    setFailed(e.message);
  }
}

export {
  actionLog,
  run
};
