import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  parseInputs,
  runPipeline
} from "./chunks/chunk-7LLZHGOX.js";
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
} from "./chunks/chunk-7JYAATLD.js";

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
    const result = await runPipeline(inputs, {
      log: actionLog(),
      env: process.env,
      output: (chunk, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(chunk)
    });
    for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
    await summary.addRaw(result.summary, true).write();
    if (result.failure) setFailed(result.failure);
  } catch (e) {
    setFailed(e.message);
  }
}

// src/main.ts
await run();
