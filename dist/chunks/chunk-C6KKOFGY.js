import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  runnerDirs
} from "./chunk-MRZUZBOL.js";

// src/sccache/server.ts
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { promisify } from "node:util";

// src/sccache/stats.ts
function stats(compileRequests, hits, misses, notCacheable) {
  const cacheable = hits + misses;
  return {
    compileRequests,
    hits,
    misses,
    cacheable,
    notCacheable,
    hitRate: cacheable > 0 ? hits / cacheable : null
  };
}
var num = (v) => typeof v === "number" && Number.isFinite(v) ? v : 0;
function perLanguage(v) {
  const counts = v?.counts;
  return counts ? Object.values(counts).reduce((sum, n) => sum + num(n), 0) : num(v);
}
function parseJsonStats(text) {
  const root = JSON.parse(text);
  const s = root.stats;
  if (!s || typeof s !== "object") throw new Error('sccache JSON stats have no "stats" object');
  return stats(
    num(s.compile_requests),
    perLanguage(s.cache_hits),
    perLanguage(s.cache_misses),
    num(s.requests_not_cacheable) + num(s.non_cacheable_compilations) + perLanguage(s.cache_errors)
  );
}
function parseTextStats(text) {
  const rows = /* @__PURE__ */ new Map();
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z][A-Za-z -]*?)\s{2,}(\d+)\s*$/.exec(line.trimEnd());
    if (m) rows.set(m[1].toLowerCase(), Number(m[2]));
  }
  if (!rows.has("cache hits") || !rows.has("cache misses")) {
    throw new Error('sccache stats text has no "Cache hits"/"Cache misses" rows');
  }
  const row = (name) => rows.get(name) ?? 0;
  return stats(
    row("compile requests"),
    row("cache hits"),
    row("cache misses"),
    row("non-cacheable calls") + row("non-cacheable compilations") + row("cache errors")
  );
}

// src/sccache/server.ts
var run = promisify(execFile);
var CALL_TIMEOUT_MS = 6e4;
var DEFAULT_SCCACHE_SIZE = "2G";
var STATE_NAME = "rbn-sccache";
function defaultSccacheDir(env = process.env) {
  return runnerDirs.sccache(env);
}
async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string")
    throw new Error("sccache: could not pick a free port");
  return address.port;
}
async function sccache(s, args) {
  const { stdout } = await run(s.binary, args, {
    env: { ...process.env, ...s.env },
    timeout: CALL_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024
  });
  return stdout;
}
async function startSccache(opts) {
  const dir = opts.dir ?? defaultSccacheDir();
  await mkdir(dir, { recursive: true });
  const s = {
    binary: opts.binary,
    dir,
    env: {
      SCCACHE_DIR: dir,
      SCCACHE_CACHE_SIZE: opts.cacheSize ?? DEFAULT_SCCACHE_SIZE,
      SCCACHE_SERVER_PORT: String(opts.port ?? await freePort()),
      // Never exit during a long build (the default is 10 idle minutes); the post step stops it.
      SCCACHE_IDLE_TIMEOUT: "0",
      // Should the server die mid-build, compile without it rather than fail the build.
      SCCACHE_IGNORE_SERVER_IO_ERROR: "1"
    }
  };
  let startError = null;
  await sccache(s, ["--start-server"]).catch((e) => {
    startError = e;
  });
  try {
    await sccache(s, ["--zero-stats"]);
  } catch (e) {
    throw new Error(`sccache: ${s.binary} --start-server failed: ${failure(startError ?? e)}`);
  }
  return s;
}
function failure(e) {
  return e.stderr?.trim() || (e instanceof Error ? e.message : String(e));
}
function sccacheBuildEnv(s) {
  return { ...s.env, CARGO_INCREMENTAL: "0" };
}
async function readSccacheStats(s) {
  try {
    return parseJsonStats(await sccache(s, ["--show-stats", "--stats-format=json"]));
  } catch {
    return parseTextStats(await sccache(s, ["--show-stats"]));
  }
}
function listening(s) {
  const port = Number(s.env.SCCACHE_SERVER_PORT);
  if (!Number.isInteger(port) || port <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(5e3, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
async function stopSccache(s, log) {
  if (!await listening(s)) {
    log.info("sccache: the server is stopped already");
    return;
  }
  try {
    await sccache(s, ["--stop-server"]);
  } catch (e) {
    log.warning(`sccache: could not stop the server: ${failure(e)}`);
  }
}
function rememberSccache(state, s) {
  state.save(STATE_NAME, JSON.stringify(s));
}
function recallSccache(state) {
  const raw = state.load(STATE_NAME);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw);
    return typeof s.binary === "string" && typeof s.dir === "string" && s.env ? s : null;
  } catch {
    return null;
  }
}

export {
  defaultSccacheDir,
  startSccache,
  sccacheBuildEnv,
  readSccacheStats,
  stopSccache,
  rememberSccache,
  recallSccache
};
