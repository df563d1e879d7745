// Sets a build up for recording and tidies after it: the wrapper chain
// (recorder -> next wrapper such as sccache -> rustc), a `cargo` shim first
// on PATH, and a forced rebuild so a tree built before still yields every step.

import {
  closeSync,
  constants,
  type Dirent,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { assetsDir } from '../util/assets-dir.js';
import { alive } from '../util/pid.js';
import { runnerDirs, runnerTemp } from '../util/runner-temp.js';
import { MIN_SECRET_LENGTH } from '../util/secrets.js';
import { isTable } from '../util/toml-table.js';
import { walk } from '../util/walk.js';
import { mayAccess, whichIn } from '../util/which.js';

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
  // access(2) says so for an executable file there (EACCES), without running one.
  const check = join(dir, 'exec-check');
  writeFileSync(check, `#!${bash}\nexit 0\n`, { mode: 0o755 });
  const runnable = mayAccess(check, constants.X_OK);
  unlinkSync(check);
  if (!runnable) return recorderDir();
  const shipped = recorderDir();
  // remap/rustc: sccache knows a compiler by its name (rustc-wrapper's remapping behind it).
  for (const name of readdirSync(shipped, { recursive: true, encoding: 'utf8' })) {
    const from = join(shipped, name);
    if (statSync(from).isDirectory()) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    const text = readFileSync(from, 'utf8');
    writeFileSync(join(dir, name), text.replace(/^#!\/usr\/bin\/env bash\n/, `#!${bash}\n`), {
      mode: statSync(from).mode & 0o777,
    });
  }
  return dir;
}

export function prepareRecording(opts: RecordingOptions): RecordingSetup {
  // Raw records live in a private temp dir, never under metadata-dir, and go once read.
  // A self-hosted runner's RUNNER_TEMP may not exist yet.
  mkdirSync(runnerTemp(opts.baseEnv), { recursive: true });
  const recordDir = mkdtempSync(runnerDirs.recordsPrefix(opts.baseEnv));
  // Its owner: a later emit removes the dir only once this process is gone (see cleanLeftovers).
  writeFileSync(join(recordDir, OWNER_FILE), String(process.pid));
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

const STALE = '.fingerprint.rbn-stale-';
/** Directories never searched for fingerprints or build scripts: cargo's own outputs, big and flat. */
const NOT_SEARCHED = ['deps', 'build', 'incremental', 'examples', '.git'];

/**
 * Cargo skips units whose fingerprints are fresh, so an emit in a tree built
 * before would miss them. Moving the fingerprints aside makes cargo run every
 * unit again (sccache keeps that cheap); nothing else in the target dir goes.
 * The move is a rename; the old fingerprints are deleted in the background
 * while the build runs (the returned promise settles when they are gone).
 * Cargo never reads a `.fingerprint.rbn-stale-*` dir, so one an interrupted
 * emit left half-deleted is harmless until the next emit deletes it
 * (`leftover` counts those).
 */
export function resetFingerprints(targetDirs: readonly string[]): {
  count: number;
  leftover: number;
  removed: Promise<void>;
} {
  const stale: string[] = [];
  let leftover = 0;
  const entry = (e: Dirent, p: string, depth: number): boolean => {
    if (!e.isDirectory()) return false;
    if (e.name === '.fingerprint') {
      const aside = `${p}.rbn-stale-${process.pid}-${Date.now().toString(36)}-${stale.length}`;
      renameSync(p, aside);
      stale.push(aside);
      return false;
    }
    if (e.name.startsWith(STALE)) {
      stale.push(p); // left by an emit that was interrupted
      leftover++;
      return false;
    }
    return depth < 4 && !NOT_SEARCHED.includes(e.name);
  };
  for (const t of targetDirs) walk(t, { entry });
  const removed = Promise.all(stale.map((p) => rm(p, { recursive: true, force: true }))).then(
    () => undefined,
  );
  return { count: stale.length - leftover, leftover, removed };
}

export const REAL_SUFFIX = '.rbn-real';
/** A shim the wrapper is writing, renamed over the binary once whole. */
const SHIM_TEMP_SUFFIX = '.rbn-shim';
/** The second line of every shim the rustc wrapper writes. */
const SHIM_MARK = '# rust-bootstrap-nix: records this build script run';
const OWNER_FILE = 'pid';

/** The start of a file (a shim is a few hundred bytes), or null when it cannot be read. */
function head(path: string, bytes = 4096): string | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      return buf.subarray(0, readSync(fd, buf, 0, bytes, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** The recorder's shim text, or null when `bin` is anything else (cargo's own binary). */
function shimText(bin: string): string | null {
  const text = head(bin);
  return text?.startsWith('#!') && text.includes(SHIM_MARK) ? text : null;
}

/** Whether a records dir's owner (an emit) is alive; unknown owners count as alive. */
function ownerAlive(recordDir: string): boolean {
  let pid = Number.NaN;
  try {
    pid = Number(readFileSync(join(recordDir, OWNER_FILE), 'utf8'));
  } catch {
    return true; // no pid file: not ours to judge (an older version, or still being made)
  }
  return !Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid);
}

/**
 * Puts one build script back: the real binary over the shim, and cargo's
 * hard links to the shim (`build-script-build`) made to the real one again.
 * A shim that is no longer there (cargo compiled the script anew) leaves the
 * kept binary stale: it goes. Returns whether anything was changed.
 */
function restoreBuildScript(bin: string): boolean {
  const real = `${bin}${REAL_SUFFIX}`;
  rmSync(`${bin}${SHIM_TEMP_SUFFIX}`, { force: true }); // the wrapper stopped before renaming it
  if (!existsSync(real)) return false;
  const shim = statSync(bin, { throwIfNoEntry: false });
  // Not a shim: the real binary itself (the wrapper stopped before the shim went in), or a new compile.
  if (shim && !shimText(bin)) {
    rmSync(real, { force: true });
    return true;
  }
  const links = shim
    ? readdirSync(dirname(bin))
        .map((n) => join(dirname(bin), n))
        .filter((p) => p !== bin && statSync(p, { throwIfNoEntry: false })?.ino === shim.ino)
    : [];
  renameSync(real, bin);
  for (const l of links) {
    unlinkSync(l);
    linkSync(bin, l);
  }
  return true;
}

/**
 * Puts the real build scripts back where the recorder left shims, so the
 * target dir is as cargo would have left it (cargo's `build-script-build`
 * hard link included). Every script is tried; the paths that could not be
 * put back are returned.
 */
export function restoreBuildScripts(recordDir: string): string[] {
  const list = join(recordDir, 'shims');
  if (!existsSync(list)) return [];
  const failed: string[] = [];
  for (const bin of readFileSync(list, 'utf8').split('\0').filter(Boolean)) {
    try {
      restoreBuildScript(bin);
    } catch {
      failed.push(bin);
    }
  }
  return failed;
}

/**
 * `<pkg>-<hash>/build_script_build-<hash>.rbn-real` files under the target
 * dirs: in every `build` dir (cargo's `<profile>/build`, `<triple>/<profile>/build`,
 * x.py's `<host>/stage<n>-<part>/<triple>/<profile>/build`), searched as deep as
 * resetFingerprints searches.
 */
function findKeptBuildScripts(targetDirs: readonly string[]): string[] {
  const found: string[] = [];
  const entry = (e: Dirent, p: string, depth: number): boolean => {
    if (!e.isDirectory()) return false;
    if (e.name !== 'build')
      return depth < 4 && !NOT_SEARCHED.includes(e.name) && !e.name.startsWith('.fingerprint');
    for (const unit of readdirSync(p, { withFileTypes: true })) {
      if (!unit.isDirectory()) continue;
      let files: string[];
      try {
        files = readdirSync(join(p, unit.name));
      } catch {
        continue;
      }
      for (const f of files)
        if (f.endsWith(REAL_SUFFIX))
          found.push(join(p, unit.name, f.slice(0, -REAL_SUFFIX.length)));
    }
    return false;
  };
  for (const t of targetDirs) walk(t, { entry });
  return found;
}

/** The records dir a shim sends its runs to (its `d=` line names `<records dir>/bin`), if any. */
function shimRecordDir(text: string): string | null {
  const d = /^d=(.*)$/m.exec(text)?.[1];
  if (!d?.endsWith('/bin')) return null;
  const dir = dirname(d.replace(/\\(.)/g, '$1'));
  return /\/rbn-records-[^/]+$/.test(dir) ? dir : null;
}

export interface Leftovers {
  /** Build scripts put back (or stale kept copies removed). */
  buildScripts: number;
  /** Records dirs of emits that are gone. */
  recordDirs: number;
}

/**
 * What an emit killed outright (SIGKILL, a lost machine) left behind, put
 * right before the next build: shims with the real build script beside them
 * as `*.rbn-real` (the wrapper would otherwise leave those scripts
 * unrecorded), and `rbn-records-*` dirs in `tempDir` whose owner is dead. A
 * live emit's shims and records (its pid is in its records dir) are never
 * touched. Stale fingerprints are resetFingerprints' part.
 */
export function cleanLeftovers(targetDirs: readonly string[], tempDir: string): Leftovers {
  let buildScripts = 0;
  for (const bin of findKeptBuildScripts(targetDirs)) {
    const text = shimText(bin);
    const owner = text ? shimRecordDir(text) : null;
    if (owner && existsSync(owner) && ownerAlive(owner)) continue;
    try {
      if (restoreBuildScript(bin)) buildScripts++;
    } catch {
      // left as it is: the wrapper replaces a stale copy when cargo compiles the script again
    }
  }
  let recordDirs = 0;
  let names: string[] = [];
  try {
    names = readdirSync(tempDir).filter((n) => n.startsWith('rbn-records-'));
  } catch {
    // no temp dir yet
  }
  for (const n of names) {
    const dir = join(tempDir, n);
    if (ownerAlive(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    recordDirs++;
  }
  return { buildScripts, recordDirs };
}

export function cleanupRecording(recordDir: string): void {
  rmSync(recordDir, { recursive: true, force: true });
}
