import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  runnerDirs
} from "./chunk-6IOJG2ZW.js";
import {
  NIX_FEATURES,
  validPaths
} from "./chunk-BVV6BGTK.js";
import {
  run,
  tail
} from "./chunk-NZOH6GOL.js";

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
var run2 = promisify(execFile);
var CALL_TIMEOUT_MS = 6e4;
var DEFAULT_SCCACHE_SIZE = "2G";
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
  const { stdout } = await run2(s.binary, args, {
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

// src/binary-cache/substituter.ts
var SCHEMES = ["file", "http", "https", "s3", "ssh", "ssh-ng"];
function storeUrlProblem(raw) {
  const fix = `give a Nix store URL (${SCHEMES.map((s) => `${s}://`).join(", ")}), e.g. s3://my-bucket?region=eu-west-1, https://cache.example.org or file:///var/cache/nix`;
  if (/\s/.test(raw)) return `contains white space; ${fix}.`;
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/.exec(raw);
  if (!m) return `is not a URL; ${fix}.`;
  const [, scheme, rest] = m;
  if (!SCHEMES.includes(scheme))
    return `has the scheme '${scheme}', which Nix has no binary cache store for; ${fix}.`;
  const [where = "", query = ""] = rest.split("?", 2);
  if (scheme === "file" && !where.startsWith("/"))
    return "is a file:// URL without an absolute path; write file:///absolute/path.";
  if (scheme !== "file" && where === "") return `names no host or bucket; ${fix}.`;
  if (/(^|&)secret-key=/.test(query))
    return "holds secret-key=; give the key's content in binary-cache-secret-key instead (the action writes it to a private file for the push).";
  return null;
}
function keyBytes(raw) {
  const m = /^([^:\s]+):([A-Za-z0-9+/]+={0,2})$/.exec(raw);
  if (!m) return "is not a Nix signing key (name:base64, as `nix key generate-secret` prints it)";
  return { name: m[1], bytes: Buffer.from(m[2], "base64") };
}
function secretKeyProblem(raw) {
  const key = keyBytes(raw);
  if (typeof key === "string")
    return `${key}; generate one with \`nix key generate-secret --key-name <name>\`.`;
  if (key.bytes.length === 32)
    return "is a public key; give the secret key (its public half goes in trusted-public-keys of nix-conf).";
  if (key.bytes.length !== 64)
    return `decodes to ${key.bytes.length} bytes, not the 64 of an ed25519 secret key; give the whole output of \`nix key generate-secret\`.`;
  return null;
}
function publicKeyOf(secretKey) {
  const key = keyBytes(secretKey);
  if (typeof key === "string") throw new Error(`not a signing key: ${key}`);
  return `${key.name}:${key.bytes.subarray(32).toString("base64")}`;
}
function substituterArgs(cache) {
  return [
    "--extra-substituters",
    cache.url,
    ...cache.publicKey ? ["--extra-trusted-public-keys", cache.publicKey] : [],
    "--fallback"
  ];
}
function withParam(url, name, value) {
  return `${url}${url.includes("?") ? "&" : "?"}${name}=${value}`;
}

// src/util/secret-file.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
function writeSecretFile(env, name, content) {
  const dir = mkdtempSync(runnerDirs.secretPrefix(env));
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 384, flag: "wx" });
  return { path, dir };
}
function removeSecretFile(dir) {
  rmSync(dir, { recursive: true, force: true });
}
async function withSecretFile(env, name, content, fn) {
  const file = writeSecretFile(env, name, content);
  try {
    return await fn(file.path);
  } finally {
    removeSecretFile(file.dir);
  }
}

// src/binary-cache/push.ts
import { existsSync } from "node:fs";

// src/util/compile-error.ts
var ESC = String.fromCharCode(27);
var BEL = String.fromCharCode(7);
var ANSI = new RegExp(
  `${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?|${ESC}[@-_]?|[\\x00-\\x08\\x0b-\\x1f\\x7f]`,
  "g"
);
function stripAnsi(text) {
  return text.replace(ANSI, "");
}
function firstCompileError(output) {
  const plain = stripAnsi(output);
  const message = plain.split("\n").find(
    (l) => /^error(\[E\d+\])?: /.test(l) && !/^error: (could not compile|aborting due to)/.test(l)
  ) ?? null;
  const crate = /could not compile `([^`]+)`/.exec(plain)?.[1] ?? null;
  return { crate, message: message?.trim() ?? null };
}

// src/nix/log-json.ts
var LVL_INFO = 3;
var ACT_BUILD = 105;
var ACT_COPY_PATH = 100;
var ACT_SUBSTITUTE = 108;
var ACT_BUILDS = 104;
var RES_PROGRESS = 105;
function nixJsonLog() {
  const builds = /* @__PURE__ */ new Map();
  let buildsActivity = null;
  return (line) => {
    if (!line.startsWith("@nix ")) return line ? { text: line } : null;
    let e;
    try {
      e = JSON.parse(line.slice(5));
    } catch {
      return { text: line };
    }
    switch (e.action) {
      case "msg":
        return (e.level ?? 0) <= LVL_INFO && typeof e.msg === "string" ? { text: stripAnsi(e.msg) } : null;
      case "start": {
        const out = {};
        if ((e.level ?? 0) <= LVL_INFO && e.text) out.text = `${stripAnsi(e.text)}...`;
        if (e.type === ACT_BUILD && typeof e.fields?.[0] === "string" && e.id !== void 0) {
          builds.set(e.id, e.fields[0]);
          out.buildStarted = e.fields[0];
          out.machine = typeof e.fields[1] === "string" ? e.fields[1] : "";
        }
        if (e.type === ACT_SUBSTITUTE && typeof e.fields?.[0] === "string")
          out.substituting = e.fields[0];
        if (e.type === ACT_COPY_PATH && typeof e.fields?.[0] === "string" && typeof e.fields[2] === "string")
          out.copying = { path: e.fields[0], to: e.fields[2] };
        if (e.type === ACT_BUILDS && e.id !== void 0) buildsActivity = e.id;
        return out;
      }
      case "stop": {
        const drv = e.id === void 0 ? void 0 : builds.get(e.id);
        if (drv === void 0) return null;
        builds.delete(e.id);
        return { buildStopped: drv };
      }
      case "result": {
        if (e.id !== buildsActivity || e.type !== RES_PROGRESS) return null;
        const [done, expected, running, failed] = (e.fields ?? []).map(Number);
        if (![done, expected, running, failed].every((n) => Number.isInteger(n))) return null;
        return { builds: { done, expected, running, failed } };
      }
      default:
        return null;
    }
  };
}

// src/binary-cache/push.ts
async function pushToCache(o) {
  if (o.paths.length === 0) return { ok: true, copied: [], error: null };
  const r = await withSecretFile(
    o.env,
    "signing-key",
    o.secretKey,
    (keyFile) => run(
      "nix",
      [
        ...NIX_FEATURES,
        "copy",
        "--log-format",
        "internal-json",
        "--to",
        withParam(o.url, "secret-key", keyFile),
        ...o.paths
      ],
      { env: o.env, signal: o.signal }
    )
  );
  const decode = nixJsonLog();
  const copied = [];
  const said = [];
  for (const line of r.stderr.split("\n")) {
    const e = decode(line);
    if (e?.copying && e.copying.to !== "local") copied.push(e.copying.path);
    if (e?.text) said.push(e.text);
  }
  return r.code === 0 ? { ok: true, copied, error: null } : { ok: false, copied, error: tail(said.join("\n"), 5) };
}
async function builtOutputs(drvs, env) {
  const present = drvs.filter((d) => existsSync(d));
  if (present.length === 0) return [];
  const r = await run("nix-store", ["--query", "--outputs", ...present], { env });
  if (r.code !== 0) return [];
  return validPaths(
    r.stdout.split("\n").filter((p) => p.startsWith("/nix/store/")),
    env
  );
}

export {
  storeUrlProblem,
  secretKeyProblem,
  publicKeyOf,
  substituterArgs,
  defaultSccacheDir,
  startSccache,
  sccacheBuildEnv,
  readSccacheStats,
  stopSccache,
  writeSecretFile,
  removeSecretFile,
  stripAnsi,
  firstCompileError,
  nixJsonLog,
  pushToCache,
  builtOutputs
};
