import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  actionEnvironment,
  actionLog,
  actionState
} from "./chunks/chunk-QYE2KKWI.js";
import {
  CancelledError,
  PipelineError,
  abortSignalName,
  cleanupTimedOut,
  parseInputs,
  runPipeline,
  watchSignals
} from "./chunks/chunk-OQQJSLPC.js";
import {
  stopSccache
} from "./chunks/chunk-CNTKYGR7.js";
import "./chunks/chunk-FI4DFNK2.js";
import "./chunks/chunk-6IOJG2ZW.js";
import {
  rememberSccache
} from "./chunks/chunk-DHZPW5VN.js";
import "./chunks/chunk-3HT2ELI7.js";
import {
  getInput,
  setFailed,
  setOutput,
  summary
} from "./chunks/chunk-RQ2LRCDO.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-7FX4F3PX.js";
import "./chunks/chunk-BVV6BGTK.js";
import "./chunks/chunk-NZOH6GOL.js";
import "./chunks/chunk-5EWROA6M.js";

// src/host/line-start.ts
function lineStart(streams) {
  const open = { stdout: false, stderr: false };
  return {
    write(chunk, stream) {
      if (chunk.length === 0) return;
      streams[stream].write(chunk);
      open[stream] = chunk[chunk.length - 1] !== 10;
    },
    end() {
      for (const s of ["stdout", "stderr"])
        if (open[s]) {
          streams[s].write("\n");
          open[s] = false;
        }
    }
  };
}

// src/host/action-main.ts
async function writeJobSummary(text) {
  await summary.addRaw(text).write().catch(() => void 0);
}
async function run() {
  const lines = lineStart(process);
  const log = actionLog(lines.end);
  const watch = watchSignals({
    note: (m) => log.info(m),
    onTimeout: (sig) => {
      lines.end();
      setFailed(cleanupTimedOut(sig));
      process.exit(1);
    }
  });
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
    log.mask(inputs.githubToken);
    const state = actionState();
    result = await runPipeline(inputs, {
      log,
      env: process.env,
      state,
      job: actionEnvironment(),
      output: lines.write,
      signal: watch.signal
    });
    if (result.sccache) rememberSccache(state, result.sccache);
    await stopIfCancelled("writing the job summary");
    await summary.addRaw(result.summary).write();
    const { publishReports } = await import("./chunks/publish-reports-DMVG2I42.js");
    const { artifactId } = await publishReports(inputs, result, process.env, log);
    await stopIfCancelled("publishing the reports");
    if (artifactId !== null) result.outputs["artifact-id"] = String(artifactId);
    for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
    lines.end();
    if (result.failure) setFailed(result.failure);
  } catch (e) {
    if (e instanceof CancelledError && e.summary) await writeJobSummary(e.summary);
    if (e instanceof PipelineError) {
      for (const [name, value] of Object.entries(e.outputs)) setOutput(name, value);
      await writeJobSummary(e.summary);
    }
    lines.end();
    setFailed(e.message);
  } finally {
    watch.dispose();
  }
}

// src/main.ts
await run();
process.exit();
