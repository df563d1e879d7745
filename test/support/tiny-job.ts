// The smallest real build for the binary-cache and remote-builder tests: a
// cargo package with a path dependency and a build script (5 plan steps: a
// lib, a build script's compile and run, the bin, the link), run through
// the action (`toolchain: system`, `emit-then-build`, no Actions cache, no
// sccache) with a salt in RUSTFLAGS so that every step derivation is new.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../src/types.js';
import { NIX_CONFIG, nonce } from './nix-helpers.js';
import { ActionJob, type JobOptions } from './run-action.js';
import { runSync, toolPath, writeTree } from './workspace.js';

export function tinyWorkspace(dir: string): string {
  return writeTree(dir, {
    'Cargo.toml':
      '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntinylib = { path = "tinylib" }\n',
    'tinylib/Cargo.toml': '[package]\nname = "tinylib"\nversion = "0.1.0"\nedition = "2021"\n',
    'tinylib/src/lib.rs': 'pub fn n() -> u32 {\n    7\n}\n',
    'build.rs':
      'fn main() {\n    let out = std::env::var("OUT_DIR").unwrap();\n    std::fs::write(format!("{out}/gen.rs"), "pub const GEN: u32 = 35;\\n").unwrap();\n}\n',
    'src/main.rs':
      'include!(concat!(env!("OUT_DIR"), "/gen.rs"));\nfn main() {\n    println!("tiny {} {}", tinylib::n(), GEN);\n}\n',
  });
}

/** What the tiny build prints. */
export const TINY_OUTPUT = 'tiny 7 35\n';

/**
 * PATH for the job: Debian's cargo and rustc first where installed (a
 * toolchain under /usr is used in place, so a remote builder needs no copy of
 * it), else the runner's (rustup's, which the action adds to the store).
 */
export function jobPath(): string {
  const debian = existsSync('/usr/bin/cargo') && existsSync('/usr/bin/rustc');
  return debian ? `/usr/bin:/bin:${toolPath()}` : toolPath();
}

/** A job of the tiny build; `salt` makes its steps new derivations. */
export function tinyJob(
  workspace: string,
  metadataDir: string,
  salt: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  opts: Partial<JobOptions> = {},
): ActionJob {
  return new ActionJob({
    workspace,
    inputs: {
      'source-dir': workspace,
      toolchain: 'system',
      mode: 'emit-then-build',
      'metadata-dir': metadataDir,
      cache: 'false',
      sccache: 'false',
      'upload-artifact': 'false',
      'check-run': 'false',
      ...inputs,
    },
    env: {
      NIX_CONFIG,
      PATH: jobPath(),
      RUSTFLAGS: `--cfg rbn_${salt} --check-cfg cfg(rbn_${salt})`,
      ...env,
    },
    merged: true,
    ...opts,
  });
}

export const newSalt = (): string => `t${nonce()}`;

/** The step outputs (`rbn-<step id>`) and the result in the closure of `outPaths`. */
export function stepOutputPaths(outPaths: readonly string[], plan: Plan): string[] {
  const names = new Set([...plan.steps.map((s) => `rbn-${s.id}`), 'rbn-result']);
  const q = runSync('nix-store', ['-qR', ...outPaths]);
  if (q.status !== 0) throw new Error(`nix-store -qR failed:\n${q.stderr}`);
  return q.stdout
    .split('\n')
    .filter((p) => names.has(p.replace(/^\/nix\/store\/[a-z0-9]{32}-/, '')));
}

/** Ends a job (its RUNNER_TEMP, with the result's GC root, removed) and deletes `paths` with `nix store delete`. */
export function forgetOutputs(runnerTemp: string | null, paths: readonly string[]): void {
  if (runnerTemp) rmSync(runnerTemp, { recursive: true, force: true });
  const r = runSync('nix', [
    '--extra-experimental-features',
    'nix-command flakes',
    'store',
    'delete',
    ...paths,
  ]);
  if (r.status !== 0) throw new Error(`nix store delete failed (${r.status}):\n${r.stderr}`);
}

/** Which of `paths` are valid in the store. */
export function validIn(paths: readonly string[]): string[] {
  return paths.filter((p) => runSync('nix-store', ['--check-validity', p]).status === 0);
}

/** The step of `plan` a store path `/nix/store/<hash>-rbn-<id>` is the output of. */
export function stepIdOf(path: string): string {
  return path.replace(/^\/nix\/store\/[a-z0-9]{32}-rbn-/, '');
}

export function resultBinary(outPath: string): string {
  return join(outPath, 'target', 'debug', 'tiny');
}
