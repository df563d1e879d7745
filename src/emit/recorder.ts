// Sets a build up for recording and tidies after it: the wrapper chain
// (recorder -> next wrapper such as sccache -> rustc), a `cargo` shim first
// on PATH, and a forced rebuild so a tree built before still yields every step.

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { assetsDir } from '../assets-dir.js';
import { MIN_SECRET_LENGTH } from '../secrets.js';
import { whichIn } from '../toolchain/resolve.js';
import { isTable } from '../toolchain/xpy.js';

export function recorderDir(): string {
  return join(assetsDir(), 'recorder');
}

export interface RecordingSetup {
  recordDir: string;
  env: NodeJS.ProcessEnv;
}

export interface RecordingOptions {
  baseEnv: NodeJS.ProcessEnv;
  rustc: string;
  cargo: string;
  /** Runs between the recorder and rustc (sccache); the user's own RUSTC_WRAPPER otherwise. */
  nextWrapper: string | null;
  /**
   * Values no variable of the build's environment may hold (the github token:
   * secrets.ts withheldFromBuild). A short value never drops anything.
   */
  withheld: readonly string[];
  extraEnv: Record<string, string>;
  /** The config.toml written for the build (x.py finds it through RUST_BOOTSTRAP_CONFIG). */
  bootstrapConfig?: string;
}

/**
 * The recorder scripts, copied into `dir` with bash's absolute path in their
 * `#!` line: cargo starts one per compile, and `#!/usr/bin/env bash` costs an
 * extra exec and PATH search each time (about 0.9 ms of a 3 ms call). Where
 * no bash is on PATH the shipped scripts run as they are.
 */
function installRecorder(dir: string, env: NodeJS.ProcessEnv): string {
  const bash = whichIn('bash', env);
  if (!bash) return recorderDir();
  mkdirSync(dir);
  // A temp dir mounted noexec (hardened self-hosted machines) cannot hold them.
  const check = join(dir, 'exec-check');
  writeFileSync(check, `#!${bash}\nexit 0\n`, { mode: 0o755 });
  if (spawnSync(check, { stdio: 'ignore' }).status !== 0) return recorderDir();
  unlinkSync(check);
  const shipped = recorderDir();
  for (const name of readdirSync(shipped)) {
    const text = readFileSync(join(shipped, name), 'utf8');
    writeFileSync(join(dir, name), text.replace(/^#!\/usr\/bin\/env bash\n/, `#!${bash}\n`), {
      mode: statSync(join(shipped, name)).mode & 0o777,
    });
  }
  return dir;
}

export function prepareRecording(opts: RecordingOptions): RecordingSetup {
  // Raw records live in a private temp dir, never under metadata-dir, and go once read.
  const temp = opts.baseEnv.RUNNER_TEMP || tmpdir();
  mkdirSync(temp, { recursive: true }); // a self-hosted runner's RUNNER_TEMP may not exist yet
  const recordDir = mkdtempSync(join(temp, 'rbn-records-'));
  // In the same private dir (only *.rec and *.end files are records), gone with it.
  const dir = installRecorder(join(recordDir, 'bin'), opts.baseEnv);
  const env: NodeJS.ProcessEnv = {};
  const withheld = new Set(opts.withheld.filter((v) => v.length >= MIN_SECRET_LENGTH));
  for (const [k, v] of Object.entries(opts.baseEnv)) {
    if (v === undefined) continue;
    if (k.startsWith('ACTIONS_') || k.startsWith('INPUT_') || withheld.has(v)) continue;
    env[k] = v;
  }
  const next = opts.nextWrapper ?? opts.baseEnv.RUSTC_WRAPPER ?? '';
  Object.assign(env, opts.extraEnv, {
    RBN_RECORD_DIR: recordDir,
    RBN_REAL_CARGO: opts.cargo,
    RBN_NEXT_WRAPPER: next,
    RUSTC_WRAPPER: join(dir, 'rustc-wrapper'),
    RUSTC: opts.rustc,
    CARGO: opts.cargo,
    PATH: `${dir}:${opts.baseEnv.PATH ?? ''}`,
  });
  if (opts.bootstrapConfig)
    env.RUST_BOOTSTRAP_CONFIG = recordingConfig(opts.bootstrapConfig, opts.cargo, dir, recordDir);
  return { recordDir, env };
}

/**
 * x.py's bootstrap runs the cargo its config names, by absolute path, so the
 * `cargo` shim on PATH never sees those calls. The recording run gets a
 * private copy of the config whose `[build] cargo` is the shim (which runs
 * the real one); metadata-dir's config.toml keeps the toolchain's cargo. A
 * cargo of the user's own choosing (the `config` input) is left alone.
 */
function recordingConfig(path: string, cargo: string, dir: string, recordDir: string): string {
  const config = parseToml(readFileSync(path, 'utf8'));
  const build = config.build;
  if (!isTable(build) || build.cargo !== cargo) return path;
  const copy = join(recordDir, 'config.toml');
  writeFileSync(copy, stringifyToml({ ...config, build: { ...build, cargo: join(dir, 'cargo') } }));
  return copy;
}

/**
 * Cargo skips units whose fingerprints are fresh, so an emit in a tree built
 * before would miss them. Moving the fingerprints aside makes cargo run every
 * unit again (sccache keeps that cheap); nothing else in the target dir goes.
 * The move is a rename; the old fingerprints are deleted in the background
 * while the build runs (the returned promise settles when they are gone).
 */
export function resetFingerprints(targetDirs: readonly string[]): {
  count: number;
  removed: Promise<void>;
} {
  const stale: string[] = [];
  const visit = (d: string, depth: number): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = join(d, e.name);
      if (e.name === '.fingerprint') {
        const aside = `${p}.rbn-stale-${process.pid}-${stale.length}`;
        renameSync(p, aside);
        stale.push(aside);
      } else if (e.name.startsWith('.fingerprint.rbn-stale-')) {
        stale.push(p); // left by an emit that was interrupted
      } else if (
        depth < 4 &&
        !['deps', 'build', 'incremental', 'examples', '.git'].includes(e.name)
      ) {
        visit(p, depth + 1);
      }
    }
  };
  for (const t of targetDirs) visit(t, 0);
  const removed = Promise.all(stale.map((p) => rm(p, { recursive: true, force: true }))).then(
    () => undefined,
  );
  return { count: stale.length, removed };
}

/**
 * Puts the real build scripts back where the recorder left shims, so the
 * target dir is as cargo would have left it (cargo's `build-script-build`
 * hard link included).
 */
export function restoreBuildScripts(recordDir: string): void {
  const list = join(recordDir, 'shims');
  if (!existsSync(list)) return;
  for (const bin of readFileSync(list, 'utf8').split('\0').filter(Boolean)) {
    const real = `${bin}.rbn-real`;
    if (!existsSync(real)) continue;
    const shim = statSync(bin);
    const links = readdirSync(dirname(bin))
      .map((n) => join(dirname(bin), n))
      .filter((p) => p !== bin && statSync(p).ino === shim.ino);
    renameSync(real, bin);
    for (const l of links) {
      unlinkSync(l);
      linkSync(bin, l);
    }
  }
}

export function cleanupRecording(recordDir: string): void {
  rmSync(recordDir, { recursive: true, force: true });
}
