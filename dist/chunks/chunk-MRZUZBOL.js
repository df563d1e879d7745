import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);

// src/runner-temp.ts
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
  nixInstallPrefix: (env) => join(runnerTemp(env), "rbn-nix-install-")
};

export {
  runnerTemp,
  runnerDirs
};
