import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  nixConfigEnv,
  runStreaming,
  runnerDirs
} from "./chunk-4BPFUA7E.js";
import {
  NIX_FEATURES,
  validPaths
} from "./chunk-YKKBAL7R.js";
import {
  run,
  tail
} from "./chunk-EEQGCHXH.js";

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

// src/compile-error.ts
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

// src/nix/trust.ts
function refusedByDaemon(line) {
  const subst = /ignoring untrusted substituter '([^']+)'/.exec(line);
  if (subst) return `substituter '${subst[1]}'`;
  const setting = /ignoring the (?:client-specified|user-specified) setting '([^']+)', because it is a restricted setting/.exec(
    line
  );
  return setting ? `setting '${setting[1]}'` : null;
}
function untrustedFix(refused, sandboxPaths = []) {
  const sandbox = refused.some((r) => /^setting '(extra-)?sandbox-paths'$/.test(r));
  return [
    `The Nix daemon ignored the ${refused.join(", the ")} for this user, who is not trusted: a binary cache goes unused, remote builders do not build${sandbox ? ", or the steps cannot run the host's tools in the sandbox" : ""}.`,
    "Add `trusted-users = <the runner's user>` to the machine's /etc/nix/nix.conf (a Nix installed by this action has it),",
    sandbox && sandboxPaths.length ? `or \`extra-sandbox-paths = ${sandboxPaths.join(" ")}\` for the host tools,` : null,
    "or for a binary cache `extra-trusted-substituters = <its URL>` with its key in `extra-trusted-public-keys`, and restart nix-daemon."
  ].filter((l) => l !== null).join(" ");
}

// src/nix/undeclared-read.ts
import { statSync } from "node:fs";
import { join, normalize } from "node:path";
var BUILD_ROOT = /^(?:\/build|\/tmp\/nix-build-[^/]+)\/r\/([^/]+)\/(.+)$|^\/rbn\/([^/]+)\/(.+)$/;
var PATH_TOKEN = /\/[^\s'"`:,;()<>[\]{}]+/g;
var NOT_FOUND = /No such file or directory|os error 2\b|NotFound/;
function undeclaredReads(log, step, roots) {
  const missing = NOT_FOUND.test(log);
  if (!missing) return { files: [], byHostPath: [], missing };
  const declared = new Set(step.sources);
  const rootPath = new Map(roots.map((r) => [r.name, r.path]));
  const under = (p) => roots.some((r) => p.startsWith(`${r.path}/`));
  const files = /* @__PURE__ */ new Set();
  const byHostPath = /* @__PURE__ */ new Set();
  for (const [token] of log.matchAll(PATH_TOKEN)) {
    const m = BUILD_ROOT.exec(token);
    const root = m && rootPath.get(m[1] ?? m[3]);
    const host = normalize(root ? join(root, m[2] ?? m[4]) : token);
    if (!under(host)) continue;
    if (declared.has(host)) {
      if (!root) byHostPath.add(host);
    } else if (statSync(host, { throwIfNoEntry: false })?.isFile()) files.add(host);
  }
  return { files: [...files].sort(), byHostPath: [...byHostPath].sort(), missing };
}
function undeclaredReadNote(read) {
  if (!read.missing) return null;
  const why = "each step sees only the files it declared (a build script declares what it reads with `cargo:rerun-if-changed=<path>`)";
  const notes = [];
  if (read.files.length)
    notes.push(
      `It read ${read.files.join(", ")}, which ${read.files.length > 1 ? "are" : "is"} not in its inputs: ${why}.`
    );
  if (read.byHostPath.length)
    notes.push(
      `It read ${read.byHostPath.join(", ")} by the path the build had on the host: a step has its files in a build root of its own (read them from \`CARGO_MANIFEST_DIR\` or \`OUT_DIR\`).`
    );
  return notes.length ? notes.join(" ") : `A file it opened was not there; if it is one the build has, it is not in the step's inputs: ${why}.`;
}

// src/nix/build.ts
var GENERATED_FLAKE_ARGS = ["--impure"];
var BUILDING = /building '\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv'/g;
var FAILED = /builder for '(\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv)' failed/;
var STEP_DRV = /^\/nix\/store\/[a-z0-9]{32}-rbn-(.+)\.drv$/;
var STEP_OUT = /^\/nix\/store\/[a-z0-9]{32}-rbn-(.+)$/;
function stepIdOfOut(path) {
  return STEP_OUT.exec(path)?.[1] ?? null;
}
var TAIL_CHARS = 256 * 1024;
function buildProgress(total, seen, withResult, final = false) {
  if (!final && seen.expected === null) return { done: 0, detail: "evaluating" };
  const { expected } = seen;
  const toBuild = expected === null ? seen.started : Math.min(total, Math.max(seen.started, expected - (withResult && expected > 0 ? 1 : 0)));
  const reused = total - toBuild;
  const running = final ? 0 : seen.started - seen.finished - seen.failed;
  const detail = [
    `${seen.finished} built`,
    `${reused} reused`,
    ...running > 0 ? [`${running} building`] : [],
    ...seen.failed > 0 ? [`${seen.failed} failed`] : []
  ].join(" \xB7 ");
  return { done: seen.finished + reused, detail };
}
function logTail(log, lines = 20) {
  const rendered = [];
  const plain = [];
  for (const line of log.split("\n")) {
    if (line.startsWith("{")) {
      try {
        const msg = JSON.parse(line);
        if (msg.rendered && msg.level !== "warning")
          rendered.push(stripAnsi(msg.rendered).trimEnd());
        continue;
      } catch {
      }
    }
    if (line.trim()) plain.push(stripAnsi(line));
  }
  const chosen = rendered.length ? rendered.join("\n").split("\n") : plain;
  return chosen.slice(-lines).join("\n");
}
function sandboxPathArgs(paths) {
  return paths.length ? ["--option", "extra-sandbox-paths", paths.join(" ")] : [];
}
async function nixBuild(opts, log) {
  const nix = opts.nix ?? "nix";
  const started = Date.now();
  const built = /* @__PURE__ */ new Set();
  const stepIds = new Set(opts.steps.map((s) => s.id));
  const stepOf = (drv) => {
    const id = STEP_DRV.exec(drv)?.[1];
    return id !== void 0 && stepIds.has(id) ? id : null;
  };
  const decode = nixJsonLog();
  const finished = /* @__PURE__ */ new Map();
  const failed = /* @__PURE__ */ new Set();
  const machineOf = /* @__PURE__ */ new Map();
  const substituting = /* @__PURE__ */ new Set();
  const untrusted = /* @__PURE__ */ new Set();
  let expected = 0;
  let building = false;
  let settled = false;
  let tail2 = "";
  let pending = "";
  let stdout = "";
  const argv = [
    nix,
    ...NIX_FEATURES,
    "build",
    ...GENERATED_FLAKE_ARGS,
    "--json",
    "--log-format",
    "internal-json",
    "--out-link",
    opts.outLink,
    ...opts.maxJobs === null ? [] : ["--max-jobs", opts.maxJobs ?? "auto"],
    "--keep-going",
    ...sandboxPathArgs(opts.sandboxPaths ?? []),
    ...opts.nixArgs ?? [],
    `path:${opts.flakeDir}#${opts.attr ?? "default"}`
  ];
  const report = (final) => {
    const seen = {
      started: built.size,
      finished: [...finished.keys()].filter((id) => !failed.has(id)).length,
      failed: failed.size,
      expected: building ? expected : null
    };
    const withResult = (opts.attr ?? "default") === "default";
    const { done, detail } = buildProgress(opts.steps.length, seen, withResult, final);
    log.progress("nix build", done, opts.steps.length, detail);
  };
  const result = await log.group(`Nix build: ${opts.steps.length} steps`, async () => {
    const run3 = await runStreaming(argv, {
      cwd: opts.flakeDir,
      env: opts.env,
      signal: opts.signal,
      notFound: () => "Nix is not on PATH; set 'install-nix: true' (or auto) so the action installs it.",
      onOutput: (chunk, stream) => {
        if (stream === "stdout") {
          stdout += chunk.toString("utf8");
          return;
        }
        const text = pending + chunk.toString("utf8");
        const cut = text.lastIndexOf("\n");
        pending = text.slice(cut + 1);
        const shown = [];
        for (const line of text.slice(0, cut + 1).split("\n")) {
          const event = decode(line);
          if (!event) continue;
          if (event.text !== void 0) {
            shown.push(event.text);
            for (const m of event.text.matchAll(BUILDING)) if (stepIds.has(m[1])) built.add(m[1]);
            const f = FAILED.exec(event.text)?.[2];
            if (f !== void 0 && stepIds.has(f)) failed.add(f);
            const refused = refusedByDaemon(event.text);
            if (refused) untrusted.add(refused);
          }
          const startedId = event.buildStarted && stepOf(event.buildStarted);
          if (startedId && !machineOf.has(startedId)) machineOf.set(startedId, event.machine ?? "");
          const subst = event.substituting && stepIdOfOut(event.substituting);
          if (subst && stepIds.has(subst)) substituting.add(subst);
          const stopped = event.buildStopped && stepOf(event.buildStopped);
          if (stopped) {
            finished.set(stopped, event.buildStopped);
            opts.onStepBuilt?.(event.buildStopped);
          }
          if (event.buildStarted) building = true;
          if (event.builds && !settled) expected = event.builds.expected;
          if (event.buildStopped) settled = true;
        }
        if (shown.length) {
          const lines = shown.join("\n");
          tail2 = `${tail2}${lines}
`.slice(-TAIL_CHARS);
          log.info(lines);
        }
        report(false);
      }
    });
    report(true);
    return run3;
  });
  const ms = Date.now() - started;
  const machines = {};
  for (const id of built) {
    const m = machineOf.get(id) ?? "";
    machines[m] = (machines[m] ?? 0) + 1;
  }
  const counts = {
    built: [...built],
    reused: opts.steps.length - built.size,
    // A substitution Nix gave up (a refused entry) is followed by a build of the step.
    substituted: [...substituting].filter((id) => !built.has(id)),
    machines,
    builtDrvs: [...finished].filter(([id]) => !failed.has(id)).map(([, drv]) => drv),
    untrusted: [...untrusted],
    ms
  };
  if (result.exitCode === 0) {
    const outPaths = JSON.parse(stdout).flatMap(
      (r) => Object.values(r.outputs)
    );
    return { ok: true, outPaths, ...counts, failure: null, failedStep: null };
  }
  return {
    ok: false,
    outPaths: [],
    ...counts,
    ...await describeFailure(nix, tail2 + pending, opts)
  };
}
async function describeFailure(nix, output, opts) {
  const m = FAILED.exec(output);
  if (!m) return { failure: `nix build failed:
${logTail(output, 15)}`, failedStep: null };
  const [, drv, id] = m;
  const step = opts.steps.find((s) => s.id === id);
  const stepLog = await run(nix, [...NIX_FEATURES, "log", drv], {
    env: opts.env,
    signal: opts.signal
  });
  const whole = stripAnsi(stepLog.code === 0 ? stepLog.stdout : output);
  const tail2 = logTail(whole);
  const note = step ? undeclaredReadNote(undeclaredReads(whole, step, opts.roots ?? [])) : null;
  const error = tail2.split("\n").find((l) => /^error(\[E\d+\])?:/.test(l.trim()))?.trim() ?? note;
  const label = `Step '${id}' (crate '${step?.crate ?? "?"}', ${step?.kind ?? "step"})`;
  return {
    failure: `${label} failed under Nix:${note ? ` ${note}` : ""}
${tail2}`,
    failedStep: { label, error }
  };
}

// src/nix/cache-push.ts
import { existsSync } from "node:fs";

// src/util/secret-file.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join as join2 } from "node:path";
function writeSecretFile(env, name, content) {
  const dir = mkdtempSync(runnerDirs.secretPrefix(env));
  const path = join2(dir, name);
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

// src/nix/substituter.ts
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

// src/nix/cache-push.ts
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

// src/stages/nix-cache.ts
var PUSH_STATE = "rbn-binary-cache-push";
var SSH_KEY_STATE = "rbn-builders-ssh-key";
function binaryCacheOf(inputs) {
  if (!inputs.binaryCache) return null;
  return {
    url: inputs.binaryCache,
    publicKey: inputs.binaryCacheSecretKey ? publicKeyOf(inputs.binaryCacheSecretKey) : null
  };
}
function cacheBuildArgs(inputs) {
  const cache = binaryCacheOf(inputs);
  return cache ? substituterArgs(cache) : [];
}
function stepCount(paths, steps) {
  const ids = new Set(steps.map((s) => s.id));
  return paths.filter((p) => ids.has(stepIdOfOut(p) ?? "")).length;
}
async function afterBuild(inputs, built, steps, nixEnv, state, log, signal) {
  const url = inputs.binaryCache;
  if (!url) return null;
  const use = { url, pushed: null, deferred: 0, pushError: null };
  const key = inputs.binaryCacheSecretKey;
  if (!key) return use;
  if (!built.ok) {
    use.deferred = deferPush(inputs, built.builtDrvs, state, log, "failed");
    return use;
  }
  const r = await log.group(
    `Pushing the steps to the binary cache ${url}`,
    () => pushToCache({ url, secretKey: key, paths: built.outPaths, env: nixEnv, signal })
  );
  use.pushed = stepCount(r.copied, steps);
  if (!r.ok) {
    use.pushError = r.error;
    log.warning(
      `Pushing to the binary cache ${url} failed (${use.pushed} steps got there); the build is not affected:
${r.error}`
    );
  } else log.info(`Pushed ${use.pushed} steps (${r.copied.length} store paths) to ${url}.`);
  return use;
}
function deferPush(inputs, drvs, state, log, how) {
  if (!inputs.binaryCache || !inputs.binaryCacheSecretKey || drvs.length === 0) return 0;
  state.save(PUSH_STATE, JSON.stringify({ drvs }));
  log.info(
    `The build ${how}; the post step pushes the ${drvs.length} steps it finished to the binary cache.`
  );
  return drvs.length;
}
async function finishNixRun(o, state, log) {
  const env = { ...o.env, NIX_CONFIG: nixConfigEnv(o.nixConf, o.env.NIX_CONFIG) };
  const keyDir = state.load(SSH_KEY_STATE);
  if (keyDir) removeSecretFile(keyDir);
  const raw = state.load(PUSH_STATE);
  if (!raw || !o.binaryCache || !o.secretKey) return;
  try {
    const { drvs } = JSON.parse(raw);
    const paths = await builtOutputs(drvs, env);
    const r = await pushToCache({ url: o.binaryCache, secretKey: o.secretKey, paths, env });
    const steps = r.copied.filter((p) => paths.includes(p)).length;
    if (r.ok) log.info(`Pushed ${steps} steps the stopped build finished to ${o.binaryCache}.`);
    else
      log.warning(
        `Pushing the stopped build's finished steps to ${o.binaryCache} failed:
${r.error}`
      );
  } catch (e) {
    log.warning(`Pushing the stopped build's finished steps failed: ${e.message}`);
  }
}

export {
  storeUrlProblem,
  secretKeyProblem,
  defaultSccacheDir,
  startSccache,
  sccacheBuildEnv,
  readSccacheStats,
  stopSccache,
  rememberSccache,
  recallSccache,
  firstCompileError,
  untrustedFix,
  buildProgress,
  nixBuild,
  writeSecretFile,
  SSH_KEY_STATE,
  cacheBuildArgs,
  afterBuild,
  deferPush,
  finishNixRun
};
