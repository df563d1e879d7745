import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run,
  watchChild
} from "./chunk-NZOH6GOL.js";

// src/nix-install/detect.ts
import { existsSync } from "node:fs";
import path2 from "node:path";

// src/util/which.ts
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
function whichIn(tool, env = process.env) {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const p = path.join(dir, tool);
    if (isExecutableFile(p)) return p;
  }
  return null;
}
function mayAccess(p, mode) {
  try {
    accessSync(p, mode);
    return true;
  } catch {
    return false;
  }
}
function isExecutableFile(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

// src/nix-install/detect.ts
var NixInstallError = class extends Error {
  name = "NixInstallError";
};
function defaultProfileBins(env = process.env) {
  const home = env.HOME ?? "";
  const state = env.NIX_STATE_HOME ?? (env.XDG_STATE_HOME ? path2.join(env.XDG_STATE_HOME, "nix") : null);
  return [
    "/nix/var/nix/profiles/default/bin",
    ...home ? [path2.join(home, ".nix-profile", "bin")] : [],
    ...state ? [path2.join(state, "profile", "bin")] : [],
    // Determinate Nix links its CLI here.
    "/usr/local/bin"
  ];
}
var DEFAULT_MARKS = ["/nix/receipt.json", "/nix/var/nix/profiles/default"];
async function findNix(opts = {}) {
  const env = opts.env ?? process.env;
  const onPath = whichIn("nix", env);
  if (onPath) {
    const version = await versionOf(onPath, env);
    if (version) return { nix: onPath, bin: path2.dirname(onPath), version, via: "PATH" };
  }
  for (const bin of opts.profileBins ?? defaultProfileBins(env)) {
    const nix = path2.join(bin, "nix");
    if (!existsSync(nix)) continue;
    const version = await versionOf(nix, env);
    if (version) return { nix, bin, version, via: "profile" };
  }
  const marks = (opts.marks ?? DEFAULT_MARKS).filter((m) => existsSync(m));
  if (marks.length > 0) {
    throw new NixInstallError(
      `install-nix: a previous Nix install left ${marks.join(" and ")}, but no working nix was found (looked in ${["PATH", ...opts.profileBins ?? defaultProfileBins(env)].join(", ")}); repair or remove that install (DeterminateSystems: /nix/nix-installer uninstall) before this step`
    );
  }
  return null;
}
async function versionOf(nix, env) {
  try {
    const r = await run(nix, ["--version"], { env });
    if (r.code !== 0) return null;
    return /(\d+\.\d+(?:\.\d+)?\S*)/.exec(r.stdout)?.[1] ?? r.stdout.trim();
  } catch {
    return null;
  }
}

// src/util/run-streaming.ts
import { spawn } from "node:child_process";
var TAIL_BYTES = 256 * 1024;
function runStreaming(argv, opts) {
  const { cwd, env, onOutput, signal } = opts;
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const [program, ...args] = argv;
    const child = spawn(program, args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true
    });
    let tail = "";
    const keep = (chunk) => {
      tail = (tail + chunk.toString("utf8")).slice(-TAIL_BYTES);
    };
    child.stdout.on("data", (c) => {
      keep(c);
      onOutput(c, "stdout");
    });
    child.stderr.on("data", (c) => {
      keep(c);
      onOutput(c, "stderr");
    });
    watchChild(child, signal, {
      close: (code, exitSignal) => resolvePromise({ exitCode: code ?? 1, signal: exitSignal, tail, pid: child.pid ?? null }),
      error: (e) => reject(e.code === "ENOENT" ? new Error(opts.notFound(program)) : e),
      aborted: reject
    });
  });
}

export {
  whichIn,
  mayAccess,
  isExecutableFile,
  NixInstallError,
  defaultProfileBins,
  findNix,
  runStreaming
};
