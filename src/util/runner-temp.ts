// Every directory the action keeps under RUNNER_TEMP (the system temp dir
// outside Actions), in one place: the runner empties RUNNER_TEMP after each
// job, so none of these outlive it except through the caches.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** RUNNER_TEMP, else the system temp dir. */
export function runnerTemp(env: Env): string {
  return env.RUNNER_TEMP || tmpdir();
}

export const runnerDirs = {
  /** metadata-dir's default. */
  metadata: (env: Env) => join(runnerTemp(env), 'rust-bootstrap-nix'),
  /** sccache's cache directory (restored and saved through the Actions cache). */
  sccache: (env: Env) => join(runnerTemp(env), 'rust-bootstrap-nix-sccache'),
  /** The Nix binary cache of built steps (restored and saved through the Actions cache). */
  nixBinaryCache: (env: Env) => join(runnerTemp(env), 'rust-bootstrap-nix-binary-cache'),
  /** GC roots of the toolchain and the result, so a gc during the job keeps them. */
  gcRoots: (env: Env) => join(runnerTemp(env), 'rust-bootstrap-nix-gcroots'),
  /** The flake that realises a Nix toolchain. */
  toolchainFlake: (env: Env) => join(runnerTemp(env), 'rust-bootstrap-nix-toolchain'),
  /** Prefixes of per-run private dirs (mkdtemp): raw records, the Nix installer. */
  recordsPrefix: (env: Env) => join(runnerTemp(env), 'rbn-records-'),
  nixInstallPrefix: (env: Env) => join(runnerTemp(env), 'rbn-nix-install-'),
  /** Private dirs (0700) of a secret's file: the signing key, the builders' SSH key. */
  secretPrefix: (env: Env) => join(runnerTemp(env), 'rbn-secret-'),
};
