import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  NixInstallError,
  runStreaming
} from "./chunk-FI4DFNK2.js";
import {
  nixConfText,
  runnerDirs
} from "./chunk-6IOJG2ZW.js";
import {
  require_semver
} from "./chunk-ZV7CJPVL.js";
import {
  HttpClient,
  debug,
  info,
  mkdirP,
  rmRF
} from "./chunk-RQ2LRCDO.js";
import "./chunk-JMLKYJGM.js";
import {
  run,
  tail
} from "./chunk-NZOH6GOL.js";
import {
  __toESM
} from "./chunk-5EWROA6M.js";

// src/nix-install/install.ts
import { existsSync as existsSync2 } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, userInfo } from "node:os";
import path2 from "node:path";

// node_modules/@actions/tool-cache/lib/tool-cache.js
import * as crypto from "crypto";
import * as fs from "fs";

// node_modules/@actions/tool-cache/lib/manifest.js
var semver = __toESM(require_semver(), 1);

// node_modules/@actions/tool-cache/lib/tool-cache.js
import * as path from "path";
var semver2 = __toESM(require_semver(), 1);
import * as stream from "stream";
import * as util from "util";
import { ok } from "assert";

// node_modules/@actions/tool-cache/lib/retry-helper.js
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var RetryHelper = class {
  constructor(maxAttempts, minSeconds, maxSeconds) {
    if (maxAttempts < 1) {
      throw new Error("max attempts should be greater than or equal to 1");
    }
    this.maxAttempts = maxAttempts;
    this.minSeconds = Math.floor(minSeconds);
    this.maxSeconds = Math.floor(maxSeconds);
    if (this.minSeconds > this.maxSeconds) {
      throw new Error("min seconds should be less than or equal to max seconds");
    }
  }
  execute(action, isRetryable) {
    return __awaiter(this, void 0, void 0, function* () {
      let attempt = 1;
      while (attempt < this.maxAttempts) {
        try {
          return yield action();
        } catch (err) {
          if (isRetryable && !isRetryable(err)) {
            throw err;
          }
          info(err.message);
        }
        const seconds = this.getSleepAmount();
        info(`Waiting ${seconds} seconds before trying again`);
        yield this.sleep(seconds);
        attempt++;
      }
      return yield action();
    });
  }
  getSleepAmount() {
    return Math.floor(Math.random() * (this.maxSeconds - this.minSeconds + 1)) + this.minSeconds;
  }
  sleep(seconds) {
    return __awaiter(this, void 0, void 0, function* () {
      return new Promise((resolve) => setTimeout(resolve, seconds * 1e3));
    });
  }
};

// node_modules/@actions/tool-cache/lib/tool-cache.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var HTTPError = class extends Error {
  constructor(httpStatusCode) {
    super(`Unexpected HTTP response: ${httpStatusCode}`);
    this.httpStatusCode = httpStatusCode;
    Object.setPrototypeOf(this, new.target.prototype);
  }
};
var IS_WINDOWS = process.platform === "win32";
var IS_MAC = process.platform === "darwin";
var userAgent = "actions/tool-cache";
function downloadTool(url, dest, auth, headers) {
  return __awaiter2(this, void 0, void 0, function* () {
    dest = dest || path.join(_getTempDirectory(), crypto.randomUUID());
    yield mkdirP(path.dirname(dest));
    debug(`Downloading ${url}`);
    debug(`Destination ${dest}`);
    const maxAttempts = 3;
    const minSeconds = _getGlobal("TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS", 10);
    const maxSeconds = _getGlobal("TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS", 20);
    const retryHelper = new RetryHelper(maxAttempts, minSeconds, maxSeconds);
    return yield retryHelper.execute(() => __awaiter2(this, void 0, void 0, function* () {
      return yield downloadToolAttempt(url, dest || "", auth, headers);
    }), (err) => {
      if (err instanceof HTTPError && err.httpStatusCode) {
        if (err.httpStatusCode < 500 && err.httpStatusCode !== 408 && err.httpStatusCode !== 429) {
          return false;
        }
      }
      return true;
    });
  });
}
function downloadToolAttempt(url, dest, auth, headers) {
  return __awaiter2(this, void 0, void 0, function* () {
    if (fs.existsSync(dest)) {
      throw new Error(`Destination file path ${dest} already exists`);
    }
    const http = new HttpClient(userAgent, [], {
      allowRetries: false
    });
    if (auth) {
      debug("set auth");
      if (headers === void 0) {
        headers = {};
      }
      headers.authorization = auth;
    }
    const response = yield http.get(url, headers);
    if (response.message.statusCode !== 200) {
      const err = new HTTPError(response.message.statusCode);
      debug(`Failed to download from "${url}". Code(${response.message.statusCode}) Message(${response.message.statusMessage})`);
      throw err;
    }
    const pipeline2 = util.promisify(stream.pipeline);
    const responseMessageFactory = _getGlobal("TEST_DOWNLOAD_TOOL_RESPONSE_MESSAGE_FACTORY", () => response.message);
    const readStream = responseMessageFactory();
    let succeeded = false;
    try {
      yield pipeline2(readStream, fs.createWriteStream(dest));
      debug("download complete");
      succeeded = true;
      return dest;
    } finally {
      if (!succeeded) {
        debug("download failed");
        try {
          yield rmRF(dest);
        } catch (err) {
          debug(`Failed to delete '${dest}'. ${err.message}`);
        }
      }
    }
  });
}
function _getTempDirectory() {
  const tempDirectory = process.env["RUNNER_TEMP"] || "";
  ok(tempDirectory, "Expected RUNNER_TEMP to be defined");
  return tempDirectory;
}
function _getGlobal(key, defaultValue) {
  const value = global[key];
  return value !== void 0 ? value : defaultValue;
}

// src/nix-install/install.ts
var NIX_VERSION = "2.35.1";
var installerUrl = (version = NIX_VERSION) => `https://releases.nixos.org/nix/nix-${version}/install`;
async function installNix(o) {
  if (o.githubToken) o.log.mask(o.githubToken);
  const env = o.env ?? process.env;
  const url = o.url ?? installerUrl();
  await checkReachable(url, o.timeoutMs ?? 1e4, o.attempts ?? 2);
  const dir = await mkdtemp(
    o.tempDir ? path2.join(o.tempDir, "rbn-nix-install-") : runnerDirs.nixInstallPrefix(env)
  );
  try {
    const script = await downloadTool(url, path2.join(dir, "install"));
    const daemon = existsSync2("/run/systemd/system");
    const conf = path2.join(dir, "nix.conf");
    await writeFile(
      conf,
      nixConfText({
        user: userInfo().username,
        githubToken: o.githubToken,
        serverUrl: o.serverUrl ?? env.GITHUB_SERVER_URL,
        extra: o.nixConf,
        singleUser: !daemon
      }),
      { mode: 384 }
    );
    const args = [script, "--no-channel-add"];
    if (daemon) {
      args.push("--daemon", "--nix-extra-conf-file", conf);
      args.push("--daemon-user-count", String(availableParallelism() * 2));
    } else {
      args.push("--no-daemon");
      await placeNixConf(conf, env);
    }
    o.log.info(`Installing Nix ${NIX_VERSION} (${daemon ? "multi-user" : "single-user"})`);
    await chmod(script, 493);
    const r = await runStreaming(["sh", ...args], {
      cwd: process.cwd(),
      env,
      onOutput: (chunk, stream2) => (stream2 === "stdout" ? process.stdout : process.stderr).write(chunk),
      notFound: (p) => `install-nix: '${p}' was not found to run the Nix installer with`,
      signal: o.signal
    });
    if (r.exitCode !== 0) {
      throw new NixInstallError(
        `install-nix: the Nix installer failed (exit ${r.signal ?? r.exitCode}):
${tail(r.tail)}`
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return exportEnvironment(env, o.job);
}
async function checkReachable(url, timeoutMs, attempts) {
  const client = new HttpClient("rust-bootstrap-nix", [], {
    socketTimeout: timeoutMs,
    allowRetries: false
  });
  let last = "";
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await withDeadline(client.head(url), timeoutMs);
      res.message.resume();
      const status = res.message.statusCode ?? 0;
      if (status >= 200 && status < 400) return;
      last = `HTTP ${status}`;
      if (status < 500 && status !== 408 && status !== 429) break;
    } catch (e) {
      last = e.message;
    }
    if (i + 1 < attempts) await sleep(2e3);
  }
  client.dispose();
  throw new NixInstallError(
    `install-nix: cannot download the Nix installer from ${url} (${last}); this runner seems to have no network access. Install Nix before this step (install-nix: auto then uses it) or set install-nix: false where Nix is present`
  );
}
function exportEnvironment(env, job) {
  const home = env.HOME ?? userInfo().homedir;
  const userProfile = path2.join(home, ".nix-profile");
  job.exportVariable("NIX_PROFILES", `/nix/var/nix/profiles/default ${userProfile}`);
  if (!env.NIX_SSL_CERT_FILE) {
    const cert = [
      "/etc/ssl/certs/ca-certificates.crt",
      "/etc/pki/tls/certs/ca-bundle.crt",
      "/nix/var/nix/profiles/default/etc/ssl/certs/ca-bundle.crt"
    ].find((p) => existsSync2(p));
    if (cert) job.exportVariable("NIX_SSL_CERT_FILE", cert);
  }
  if (!env.TMPDIR && env.RUNNER_TEMP) job.exportVariable("TMPDIR", env.RUNNER_TEMP);
  job.addPath(path2.join(userProfile, "bin"));
  job.addPath("/nix/var/nix/profiles/default/bin");
  const bin = existsSync2("/nix/var/nix/profiles/default/bin/nix") ? "/nix/var/nix/profiles/default/bin" : path2.join(userProfile, "bin");
  return run(path2.join(bin, "nix"), ["--version"]).then((r) => ({
    nix: path2.join(bin, "nix"),
    bin,
    version: r.stdout.trim().split(" ").pop() ?? ""
  }));
}
function withDeadline(p, ms) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms / 1e3} s`)), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      }
    );
  });
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
async function placeNixConf(conf, env) {
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const cmd = [...sudo, "install", "-D", "-m", "0644", conf, "/etc/nix/nix.conf"];
  const r = await run(cmd[0], cmd.slice(1), { env });
  if (r.code !== 0) {
    throw new NixInstallError(`install-nix: cannot write /etc/nix/nix.conf: ${r.stderr.trim()}`);
  }
}
export {
  NIX_VERSION,
  checkReachable,
  installNix,
  installerUrl
};
