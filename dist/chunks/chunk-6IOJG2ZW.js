import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);

// src/nix-install/conf.ts
function nixConfText(o) {
  const lines = [
    "# Written by rust-bootstrap-nix",
    "experimental-features = nix-command flakes",
    "max-jobs = auto",
    `trusted-users = root ${o.user}`.trimEnd()
  ];
  if (o.singleUser) lines.push("build-users-group =");
  if (o.githubToken && isGithubDotCom(o.serverUrl ?? "https://github.com")) {
    lines.push(`access-tokens = github.com=${o.githubToken}`);
  }
  const extra = (o.extra ?? "").trim();
  if (extra !== "") lines.push(...extra.split("\n").map((l) => l.trimEnd()));
  return `${lines.join("\n")}
`;
}
function isGithubDotCom(serverUrl) {
  try {
    return new URL(serverUrl).hostname.toLowerCase() === "github.com";
  } catch {
    return false;
  }
}
function nixConfProblem(text) {
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const setting = /^[A-Za-z][A-Za-z0-9-]*\s*=/.test(line);
    const include = /^!?include\s+\S+$/.test(line);
    if (!setting && !include) {
      return `Invalid nix-conf input: line ${i + 1} ("${line}") is not a nix.conf setting; it accepts lines of the form name = value`;
    }
  }
  return null;
}
function nixConfigEnv(extra, current = "") {
  const base = "extra-experimental-features = nix-command flakes";
  return [current.trim(), base, extra.trim()].filter((s) => s !== "").join("\n");
}
function nixConfSets(text, name) {
  return text.split("\n").some((l) => new RegExp(`^\\s*(extra-)?${name}\\s*=`).test(l));
}

// src/util/runner-temp.ts
import { tmpdir } from "node:os";
import { join } from "node:path";
function runnerTemp(env) {
  return env.RUNNER_TEMP || tmpdir();
}
var runnerDirs = {
  /** metadata-dir's default. */
  metadata: (env) => join(runnerTemp(env), "rust-bootstrap-nix"),
  /** sccache's cache directory (restored and saved through the Actions cache). */
  sccache: (env) => join(runnerTemp(env), "rust-bootstrap-nix-sccache"),
  /** The Nix binary cache of built steps (restored and saved through the Actions cache). */
  nixBinaryCache: (env) => join(runnerTemp(env), "rust-bootstrap-nix-binary-cache"),
  /** GC roots of the toolchain and the result, so a gc during the job keeps them. */
  gcRoots: (env) => join(runnerTemp(env), "rust-bootstrap-nix-gcroots"),
  /** The flake that realises a Nix toolchain. */
  toolchainFlake: (env) => join(runnerTemp(env), "rust-bootstrap-nix-toolchain"),
  /** Prefixes of per-run private dirs (mkdtemp): raw records, the Nix installer. */
  recordsPrefix: (env) => join(runnerTemp(env), "rbn-records-"),
  nixInstallPrefix: (env) => join(runnerTemp(env), "rbn-nix-install-"),
  /** Private dirs (0700) of a secret's file: the signing key, the builders' SSH key. */
  secretPrefix: (env) => join(runnerTemp(env), "rbn-secret-")
};

export {
  nixConfText,
  nixConfProblem,
  nixConfigEnv,
  nixConfSets,
  runnerTemp,
  runnerDirs
};
