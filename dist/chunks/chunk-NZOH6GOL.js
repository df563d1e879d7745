import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);

// src/util/process.ts
import { spawn } from "node:child_process";

// src/util/process-group.ts
import { readdirSync, readFileSync } from "node:fs";
var GRACE_MS = 3e3;
var KILL_WAIT_MS = 3e3;
var POLL_MS = 50;
var delay = (ms) => new Promise((r) => setTimeout(r, ms));
function groupMembers(pgid) {
  let pids;
  try {
    pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members = [];
  for (const p of pids) {
    let stat;
    try {
      stat = readFileSync(`/proc/${p}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && fields[0] !== "X" && Number(fields[2]) === pgid)
      members.push(Number(p));
  }
  return members;
}
function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
  }
}
async function drained(pgid, ms) {
  const deadline = Date.now() + ms;
  for (; ; ) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
}
async function stopGroup(pgid, graceMs = GRACE_MS) {
  signalGroup(pgid, "SIGTERM");
  if (await drained(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await drained(pgid, KILL_WAIT_MS);
}
function stopOnAbort(child, signal) {
  let stopping = null;
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const onAbort = () => {
    const pid = child.pid;
    stopping = pid === void 0 ? exited : Promise.all([stopGroup(pid), exited]).then(() => {
    });
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return {
    stopped: () => stopping,
    dispose: () => signal?.removeEventListener("abort", onAbort)
  };
}
function watchChild(child, signal, on) {
  const abort = stopOnAbort(child, signal);
  let settled = false;
  const settle = (finish) => {
    if (settled) return;
    settled = true;
    abort.dispose();
    finish();
  };
  const settleAborted = () => {
    const stopped = abort.stopped();
    if (!stopped) return false;
    void stopped.then(
      () => settle(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        on.aborted(signal?.reason);
      })
    );
    return true;
  };
  child.on("error", (e) => settle(() => on.error(e)));
  child.on("exit", () => settleAborted());
  child.on("close", (code, exitSignal) => {
    if (settleAborted()) return;
    settle(() => on.close(code, exitSignal));
  });
}

// src/util/process.ts
function run(command, args, opts = {}) {
  const { signal } = opts;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === void 0 ? "ignore" : "pipe", "pipe", "pipe"],
      detached: signal !== void 0
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => err.push(b));
    watchChild(child, signal, {
      close: (code) => resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      }),
      error: reject,
      aborted: reject
    });
    if (child.stdin) {
      child.stdin.on("error", () => {
      });
      const chunks = typeof opts.input === "string" || Buffer.isBuffer(opts.input) ? [opts.input] : opts.input;
      for (const c of chunks) child.stdin.write(c);
      child.stdin.end();
    }
  });
}
function tail(text, n = 15) {
  return text.split("\n").filter((l) => l.trim() !== "").slice(-n).join("\n");
}
async function runChecked(command, args, opts = {}) {
  const r = await run(command, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited with ${r.code ?? "a signal"}:
${tail(r.stderr)}`
    );
  }
  return r;
}

export {
  watchChild,
  run,
  tail,
  runChecked
};
