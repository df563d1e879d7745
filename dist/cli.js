#!/usr/bin/env node
import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  INPUT_DEFAULTS,
  InputError,
  parseInputs,
  runPipeline
} from "./chunks/chunk-DEDDSX45.js";
import {
  stopSccache
} from "./chunks/chunk-TNVBJHXC.js";
import "./chunks/chunk-FBKVHMGM.js";
import "./chunks/chunk-D5O27I4F.js";
import "./chunks/chunk-JFCEKCL2.js";
import "./chunks/chunk-JMLKYJGM.js";
import "./chunks/chunk-QLU3LUZL.js";
import "./chunks/chunk-5EWROA6M.js";

// src/cli-main.ts
var SUBCOMMANDS = { emit: "emit", build: "build", run: "emit-then-build" };
var USAGE = `Usage: rust-bootstrap-nix <emit|build|run> [--<input> value ...]

  emit   run the build once, recording every compiler invocation
  build  build an earlier emit's metadata-dir with Nix
  run    emit, then build

Inputs (as in action.yml): ${Object.keys(INPUT_DEFAULTS).filter((n) => n !== "mode").map((n) => `--${n}`).join(" ")}
`;
var UsageError = class extends Error {
};
function parseArgs(argv) {
  const [sub, ...rest] = argv;
  if (!sub || !(sub in SUBCOMMANDS))
    throw new UsageError(sub ? `unknown command '${sub}'` : "missing command");
  const values = /* @__PURE__ */ new Map();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!(name in INPUT_DEFAULTS) || name === "mode")
      throw new UsageError(`unknown option '--${name}'`);
    const value = eq < 0 ? rest[++i] : arg.slice(eq + 1);
    if (value === void 0) throw new UsageError(`option '--${name}' needs a value`);
    values.set(name, value);
  }
  return { mode: SUBCOMMANDS[sub], values };
}
function terminalLog(stream) {
  const tty = stream.isTTY === true;
  let status = "";
  const clear = () => {
    if (tty && status) stream.write("\r\x1B[K");
  };
  const redraw = () => {
    if (tty && status) stream.write(`\r${status.slice(0, (stream.columns || 80) - 1)}`);
  };
  const line = (text) => {
    clear();
    stream.write(`${text}
`);
    redraw();
  };
  return {
    clear,
    redraw,
    info: (m) => line(m),
    warning: (m) => line(`warning: ${m}`),
    error: (m) => line(`error: ${m}`),
    group: async (title, fn) => {
      line(`==> ${title}`);
      return fn();
    },
    progress: (label, done, total) => {
      const text = `[${label}] ${done}${total ? `/${total}` : ""}`;
      if (tty) {
        clear();
        status = text;
        redraw();
      } else if (done % 25 === 0 && done > 0) {
        stream.write(`${text}
`);
      }
    },
    mask: () => {
    }
    // a terminal has no masking; what the pipeline prints is scrubbed instead
  };
}
async function main(argv, env) {
  if (argv[0] === "--help" || argv[0] === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = terminalLog(process.stderr);
  try {
    const { mode, values } = parseArgs(argv);
    const inputs = parseInputs((name) => name === "mode" ? mode : values.get(name), env);
    const result = await runPipeline(inputs, {
      log,
      env,
      output: (chunk, stream) => {
        log.clear();
        (stream === "stdout" ? process.stdout : process.stderr).write(chunk);
        log.redraw();
      }
    });
    if (result.sccache) await stopSccache(result.sccache, log);
    log.clear();
    for (const [name, value] of Object.entries(result.outputs))
      process.stdout.write(`${name}=${value}
`);
    if (result.failure) {
      log.error(result.failure);
      return 1;
    }
    return 0;
  } catch (e) {
    log.clear();
    if (e instanceof UsageError) {
      process.stderr.write(`rust-bootstrap-nix: ${e.message}

${USAGE}`);
      return 2;
    }
    process.stderr.write(`rust-bootstrap-nix: ${e.message}
`);
    return e instanceof InputError ? 2 : 1;
  }
}

// src/cli.ts
process.exitCode = await main(process.argv.slice(2), process.env);
