#!/usr/bin/env node
import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  CancelledError,
  INPUT_DEFAULTS,
  InputError,
  SECRET_INPUTS,
  abortSignalName,
  cleanupTimedOut,
  exitCodeFor,
  memoryState,
  parseInputs,
  processEnvironment,
  runPipeline,
  watchSignals
} from "./chunks/chunk-OQQJSLPC.js";
import {
  finishNixRun
} from "./chunks/chunk-OXZJAZ7G.js";
import {
  stopSccache
} from "./chunks/chunk-CNTKYGR7.js";
import "./chunks/chunk-FI4DFNK2.js";
import "./chunks/chunk-6IOJG2ZW.js";
import "./chunks/chunk-GP5C5PCR.js";
import {
  readHandover
} from "./chunks/chunk-DHZPW5VN.js";
import "./chunks/chunk-ZV7CJPVL.js";
import "./chunks/chunk-3HT2ELI7.js";
import "./chunks/chunk-RQSC4JGL.js";
import "./chunks/chunk-RQ2LRCDO.js";
import "./chunks/chunk-JMLKYJGM.js";
import {
  assetsDir
} from "./chunks/chunk-7FX4F3PX.js";
import "./chunks/chunk-BVV6BGTK.js";
import "./chunks/chunk-NZOH6GOL.js";
import "./chunks/chunk-5EWROA6M.js";

// src/host/cli-args.ts
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs as parseArgv } from "node:util";
var PROGRAM = "rust-bootstrap-nix";
var SUBCOMMANDS = {
  emit: {
    mode: "emit",
    summary: "run the build once, recording every compiler invocation",
    about: "Runs the build once under the recorder and writes, to --metadata-dir, every compiler invocation (invocations.jsonl), the plan (plan.json), the config.toml used and summary.md."
  },
  build: {
    mode: "build",
    summary: "build an earlier emit's metadata-dir with Nix",
    about: "Generates a Nix flake from an earlier emit's --metadata-dir (one derivation per step) and builds it with Nix; the build's own inputs (command, toolchain, config) are those the emit recorded."
  },
  run: {
    mode: "emit-then-build",
    summary: "emit, then build",
    about: "Records the build (as `emit` does), then generates the Nix flake and builds it with Nix (as `build` does)."
  },
  // Reads the earlier run as mode build does, and pushes its flake as it is.
  publish: {
    mode: "build",
    summary: "push an earlier run's flake to a lattice branch",
    about: "Commits the flake an earlier `build` or `run` generated in --metadata-dir (with its config.toml, plan.json and invocations.jsonl) to the next lattice branch of --publish-remote (a remote of the checkout in --source-dir, or a git URL) and pushes it, without building it again; nothing is pushed when the newest branch already holds the same flake."
  }
};
var FLAG_INPUTS = Object.keys(INPUT_DEFAULTS).filter((n) => n !== "mode");
var SECRET_INPUT_NAMES = Object.keys(SECRET_INPUTS);
var secretEnvName = (name) => `RUST_BOOTSTRAP_NIX_${name.toUpperCase().replaceAll("-", "_")}`;
var USAGE = `Usage: ${PROGRAM} <emit|build|run|publish> [--<input> <value> ...]
       ${PROGRAM} <emit|build|run|publish> --help

${Object.entries(SUBCOMMANDS).map(([name, sub]) => `  ${name.padEnd(7)} ${sub.summary}`).join("\n")}

Inputs (as in action.yml, as --name value or --name=value): ${FLAG_INPUTS.map((n) => `--${n}`).join(" ")}
Secrets may come from the environment instead: ${SECRET_INPUT_NAMES.map(secretEnvName).join(", ")}.
Run '${PROGRAM} <emit|build|run|publish> --help' for what each input means.
`;
var UsageError = class extends Error {
};
function cliInputValue(values, name, env) {
  const given = values.get(name);
  if (given !== void 0) return given;
  return SECRET_INPUT_NAMES.includes(name) ? env[secretEnvName(name)] || void 0 : void 0;
}
var isSubcommand = (s) => s !== void 0 && Object.hasOwn(SUBCOMMANDS, s);
function parseCommandLine(argv) {
  const { tokens } = parseArgv({
    args: [...argv],
    options: {
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(FLAG_INPUTS.map((n) => [n, { type: "string" }]))
    },
    allowPositionals: true,
    strict: false,
    // the tokens are checked below, with messages that name the flag
    tokens: true
  });
  const positionals = tokens.filter((t) => t.kind === "positional").map((t) => t.value);
  if (positionals[0] === "help" && positionals.length <= 2) {
    const sub2 = positionals[1];
    if (sub2 !== void 0 && !isSubcommand(sub2)) throw new UsageError(`unknown command '${sub2}'`);
    return { kind: "help", subcommand: sub2 ?? null };
  }
  const [sub, ...stray] = positionals;
  const help = tokens.some((t) => t.kind === "option" && t.name === "help");
  if (sub !== void 0 && !isSubcommand(sub)) throw new UsageError(`unknown command '${sub}'`);
  if (help) return { kind: "help", subcommand: sub ?? null };
  if (sub === void 0) throw new UsageError("missing command");
  const values = /* @__PURE__ */ new Map();
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    const flag = t.rawName;
    if (t.name === "mode")
      throw new UsageError(
        `unknown option '${flag}': the subcommand (emit, build, run, publish) is the mode`
      );
    if (!FLAG_INPUTS.includes(t.name))
      throw new UsageError(`unknown option '${flag}'`);
    if (t.value === void 0) throw new UsageError(`option '${flag}' needs a value`);
    if (!t.inlineValue && t.value.startsWith("-") && t.value !== "-")
      throw new UsageError(
        `option '${flag}' needs a value (for one starting with '-', write ${flag}=${t.value})`
      );
    values.set(t.name, t.value);
  }
  if (stray.length) throw new UsageError(`unexpected argument '${stray[0]}'`);
  return { kind: "run", subcommand: sub, mode: SUBCOMMANDS[sub].mode, values };
}
async function inputDocs() {
  let described = {};
  try {
    const text = readFileSync(join(dirname(dirname(assetsDir())), "action.yml"), "utf8");
    const yaml = await import("./chunks/dist-TNZQRHYR.js");
    const parsed = (yaml.default ?? yaml).parse(text);
    described = parsed?.inputs ?? {};
  } catch {
  }
  const names = [
    ...Object.keys(described).filter(
      (n) => FLAG_INPUTS.includes(n)
    ),
    ...FLAG_INPUTS.filter((n) => !Object.hasOwn(described, n))
  ];
  return names.map((name) => {
    const d = described[name]?.description;
    return {
      name,
      description: typeof d === "string" ? d.replace(/\s+/g, " ").trim() : "",
      default: INPUT_DEFAULTS[name]
    };
  });
}
function wrap(text, indent, width = 80) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}${l}`).join("\n");
}
function subcommandHelp(sub, docs) {
  const inputs = docs.map((d) => {
    const flag = `  --${d.name} <value>`;
    const dflt = d.default ? `(default: ${d.default})` : "";
    const head = !dflt ? flag : `${flag}  ${dflt}`.length <= 80 ? `${flag}  ${dflt}` : `${flag}
      ${dflt}`;
    return d.description ? `${head}
${wrap(d.description, "      ")}` : head;
  });
  return `Usage: ${PROGRAM} ${sub} [--<input> <value> ...]

${wrap(SUBCOMMANDS[sub].about, "")}

Inputs (as in action.yml; --name value or --name=value):
${inputs.join("\n")}

Exit status: 0 done, 1 the build failed, 2 bad usage or a bad input, 130 on
SIGINT (Ctrl-C), 143 on SIGTERM, once the run has cleaned up after itself.
On a terminal, the build's output scrolls above one status line; NO_COLOR
turns colours off.
`;
}

// src/host/terminal.ts
import { StringDecoder } from "node:string_decoder";
var FRAME_MS = 100;
var HOLD_MS = 1e3;
var HOLD_CHARS = 64 * 1024;
var PLAIN_PROGRESS_MS = 1e4;
var ESC = "\x1B";
var CLEAR_LINE = `\r${ESC}[K`;
function formatElapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1e3));
  const pad = (n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor(s % 3600 / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
function progressText(s) {
  const count = s.total ? `${s.done}/${s.total} steps` : `${s.done} done`;
  return [`[${s.label}] ${count}`, ...s.detail ? [s.detail] : []].join(" \xB7 ");
}
function truncate(text, width) {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join("") : `${chars.slice(0, width - 1).join("")}\u2026`;
}
function terminalLog(opts) {
  const { err, out, env } = opts;
  const now = opts.now ?? Date.now;
  const interactive = err.isTTY === true && env.TERM !== "dumb";
  const color = interactive && !env.NO_COLOR;
  const sgr = (code, text, reset) => color ? `${ESC}[${code}m${text}${ESC}[${reset}m` : text;
  const sharedScreen = interactive && out.isTTY === true;
  const lineOf = (s) => s === "stderr" || sharedScreen ? "err" : "out";
  const midLine = { err: false, out: false };
  const held = { stdout: "", stderr: "" };
  const holdTimers = {};
  const decoders = {
    stdout: new StringDecoder("utf8"),
    stderr: new StringDecoder("utf8")
  };
  let status = null;
  let shown = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawTimer = null;
  let ticker = null;
  let depth = 0;
  const groupStarts = [];
  let printed = null;
  const width = () => {
    const cols = err.columns || Number(env.COLUMNS) || 80;
    return Math.max(10, cols - 1);
  };
  const hide = () => {
    if (shown) err.write(CLEAR_LINE);
    shown = false;
  };
  const paint = (text) => {
    const cut = text.indexOf(" \xB7 ");
    return cut < 0 ? text : `${text.slice(0, cut)}${sgr("2", text.slice(cut), "22")}`;
  };
  const fullText = (s) => `${progressText(s)} \xB7 ${formatElapsed(now() - s.since)}`;
  const draw = () => {
    if (!interactive || !status || midLine.err) return;
    err.write(`\r${paint(truncate(fullText(status), width()))}${ESC}[K`);
    shown = true;
    lastDraw = now();
  };
  const scheduleDraw = () => {
    if (!interactive || !status) return;
    const wait = FRAME_MS - (now() - lastDraw);
    if (drawTimer && wait > 0) return;
    if (drawTimer) clearTimeout(drawTimer);
    drawTimer = null;
    if (wait <= 0) {
      draw();
      return;
    }
    drawTimer = setTimeout(() => {
      drawTimer = null;
      draw();
    }, wait);
    drawTimer.unref();
  };
  const emit = (s, text) => {
    if (!text) return;
    const line = lineOf(s);
    if (line === "err") hide();
    (s === "stdout" ? out : err).write(text);
    midLine[line] = !text.endsWith("\n");
    if (line === "err") scheduleDraw();
  };
  const release = (s) => {
    clearTimeout(holdTimers[s]);
    delete holdTimers[s];
    const text = held[s];
    held[s] = "";
    emit(s, text);
  };
  const ownLine = (line, text, stream = err) => {
    if (line === "err") hide();
    if (midLine[line]) stream.write("\n");
    midLine[line] = false;
    stream.write(`${text}
`);
    scheduleDraw();
  };
  const printProgress = (s) => {
    ownLine("err", paint(fullText(s)));
    printed = { text: progressText(s), at: now() };
  };
  const endStatus = () => {
    if (!status) return;
    const last = status;
    status = null;
    if (ticker) clearInterval(ticker);
    if (drawTimer) clearTimeout(drawTimer);
    ticker = null;
    drawTimer = null;
    if (interactive || printed?.text !== progressText(last)) printProgress(last);
    printed = null;
  };
  return {
    interactive,
    info: (m) => ownLine("err", m),
    warning: (m) => ownLine("err", `${sgr("33", "warning:", "39")} ${m}`),
    error: (m) => ownLine("err", `${sgr("31", "error:", "39")} ${m}`),
    line: (text) => ownLine("err", text),
    result: (text) => ownLine(lineOf("stdout"), text, out),
    group: async (title, fn) => {
      ownLine("err", `${sgr("34", "==>", "39")} ${sgr("1", title, "22")}`);
      const level = ++depth;
      groupStarts[level - 1] = now();
      try {
        return await fn();
      } finally {
        depth = level - 1;
        if (status && status.depth >= level) endStatus();
      }
    },
    progress: (label, done, total, detail) => {
      if (status && status.label !== label) endStatus();
      const since = status?.since ?? (depth > 0 ? groupStarts[depth - 1] : now());
      status = { label, done, total, detail, since, depth };
      if (!interactive) {
        const text = progressText(status);
        const due = !printed || now() - printed.at >= PLAIN_PROGRESS_MS;
        if (due && printed?.text !== text) printProgress(status);
        return;
      }
      scheduleDraw();
      if (!ticker) {
        ticker = setInterval(scheduleDraw, 1e3);
        ticker.unref();
      }
    },
    mask: () => {
    },
    // a terminal has no masking; what the pipeline prints is scrubbed instead
    output: (chunk, s) => {
      const text = held[s] + (typeof chunk === "string" ? chunk : decoders[s].write(chunk));
      const cut = text.lastIndexOf("\n") + 1;
      held[s] = text.slice(cut);
      emit(s, text.slice(0, cut));
      if (!held[s] || held[s].length >= HOLD_CHARS) release(s);
      else if (!holdTimers[s]) {
        holdTimers[s] = setTimeout(() => release(s), HOLD_MS);
        holdTimers[s].unref();
      }
    },
    finish: () => {
      for (const s of ["stdout", "stderr"]) {
        held[s] += decoders[s].end();
        release(s);
      }
      endStatus();
      hide();
      for (const line of ["err", "out"]) {
        if (midLine[line]) (line === "err" ? err : out).write("\n");
        midLine[line] = false;
      }
    }
  };
}

// src/host/cli-main.ts
async function main(argv, env, io = { out: process.stdout, err: process.stderr }) {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err.write(`${PROGRAM}: ${e.message}

${USAGE}`);
    return 2;
  }
  if (command.kind === "help") {
    io.out.write(
      command.subcommand ? subcommandHelp(command.subcommand, await inputDocs()) : USAGE
    );
    return 0;
  }
  const { mode, values, subcommand } = command;
  const only = subcommand === "publish" ? "publish" : null;
  if (only) values.set("publish", "true");
  const log = terminalLog({ err: io.err, out: io.out, env });
  const errorLine = (message) => {
    log.finish();
    log.line(`${PROGRAM}: ${message}`);
  };
  const watch = watchSignals({
    note: (m) => log.info(m),
    onTimeout: (sig) => {
      errorLine(cleanupTimedOut(sig));
      process.exit(exitCodeFor(sig));
    }
  });
  const state = memoryState();
  let finish = null;
  try {
    const inputs = parseInputs(
      (name) => name === "mode" ? mode : cliInputValue(values, name, env),
      env
    );
    finish = () => finishNixRun(readHandover(state), inputs.binaryCacheSecretKey ?? "", env, log);
    const result = await runPipeline(
      inputs,
      {
        log,
        env,
        state,
        job: processEnvironment(env),
        // no later steps, and no workflow command on a terminal
        output: (chunk, stream) => log.output(chunk, stream),
        signal: watch.signal
      },
      only
    );
    if (result.sccache) await stopSccache(result.sccache, log);
    if (watch.signal.aborted)
      throw new CancelledError(
        abortSignalName(watch.signal),
        "finishing",
        result.sccache ? ["sccache stopped"] : []
      );
    log.finish();
    for (const [name, value] of Object.entries(result.outputs)) log.result(`${name}=${value}`);
    if (result.failure) {
      log.error(result.failure);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof CancelledError) {
      errorLine(e.message);
      return exitCodeFor(e.signal);
    }
    errorLine(e.message);
    return e instanceof InputError ? 2 : 1;
  } finally {
    await finish?.();
    log.finish();
    watch.dispose();
  }
}

// src/cli.ts
process.exitCode = await main(process.argv.slice(2), process.env);
