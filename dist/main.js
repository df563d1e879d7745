import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  actionLog
} from "./chunks/chunk-HZLGERII.js";
import {
  CancelledError,
  abortSignalName,
  cleanupTimedOut,
  parseInputs,
  runPipeline,
  watchSignals
} from "./chunks/chunk-246OWLOE.js";
import {
  rememberSccache,
  stopSccache
} from "./chunks/chunk-47I5LDIZ.js";
import "./chunks/chunk-2DLBR2HC.js";
import "./chunks/chunk-D5O27I4F.js";
import {
  getInput,
  info,
  setFailed,
  setOutput,
  setSecret,
  summary
} from "./chunks/chunk-JFCEKCL2.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-QY6KTKWH.js";
import "./chunks/chunk-5EWROA6M.js";

// src/run.ts
async function run() {
  const watch = watchSignals({
    note: (m) => info(m),
    onTimeout: (sig) => {
      setFailed(cleanupTimedOut(sig));
      process.exit(1);
    }
  });
  const log = actionLog();
  let result = null;
  const stopIfCancelled = async (stage) => {
    if (!watch.signal.aborted) return;
    if (result?.sccache) await stopSccache(result.sccache, log);
    throw new CancelledError(
      abortSignalName(watch.signal),
      stage,
      result?.sccache ? ["sccache stopped"] : []
    );
  };
  try {
    const inputs = parseInputs((name) => getInput(name));
    if (inputs.githubToken) setSecret(inputs.githubToken);
    result = await runPipeline(inputs, {
      log,
      env: process.env,
      output: (chunk, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(chunk),
      signal: watch.signal
    });
    if (result.sccache) rememberSccache(result.sccache);
    await stopIfCancelled("writing the job summary");
    await summary.addRaw(result.summary).write();
    const { publishReports } = await import("./chunks/report-OJUM7W4R.js");
    const { artifactId } = await publishReports(inputs, result, process.env, log);
    await stopIfCancelled("publishing the reports");
    if (artifactId !== null) result.outputs["artifact-id"] = String(artifactId);
    for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
    if (result.failure) setFailed(result.failure);
  } catch (e) {
    if (e instanceof CancelledError) {
      if (e.summary)
        await summary.addRaw(e.summary).write().catch(() => {
        });
      setFailed(e.message);
      return;
    }
    setFailed(e.message);
  } finally {
    watch.dispose();
  }
}

// src/main.ts
await run();
process.exit();
