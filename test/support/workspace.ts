// Real workspaces for tests and the bench: fresh copies of the fixture (a
// 3-member cargo workspace over Debian's crate sources), tiny throwaway
// crates, and cargo's own account of a build (`--message-format=json`).
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'workspace');

/** PATH with rustup's bin dir (real cargo and rustc) present, as on the runner. */
export function toolPath(base = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'): string {
  const cargoBin = join(
    process.env.CARGO_HOME ?? join(process.env.HOME ?? '/root', '.cargo'),
    'bin',
  );
  const parts = base.split(delimiter).filter(Boolean);
  if (!parts.includes(cargoBin) && existsSync(cargoBin)) parts.unshift(cargoBin);
  return parts.join(delimiter);
}

/** The cargo the tests compare against: the one on PATH (rustup's /root/.cargo/bin/cargo here). */
export function cargoBin(): string {
  for (const dir of toolPath().split(delimiter)) {
    const p = join(dir, 'cargo');
    if (existsSync(p)) return p;
  }
  throw new Error('cargo not found on PATH');
}

/** A minimal environment for builds the tests start themselves. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: toolPath() };
  for (const k of [
    'HOME',
    'USER',
    'LANG',
    'TMPDIR',
    'RUSTUP_HOME',
    'CARGO_HOME',
    'RUSTUP_TOOLCHAIN',
  ]) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return { ...env, ...extra };
}

const created: string[] = [];

/** A fresh directory under the system temp dir, removed by removeTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/**
 * Removes every directory tempDir() made in this process (fixture copies hold
 * a few hundred MB of target each); `afterAll(removeTempDirs)`. RBN_KEEP_TEMP=1 keeps them.
 */
export function removeTempDirs(): void {
  if (process.env.RBN_KEEP_TEMP === '1') return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh copy of the fixture (without any target dir a developer's build left there). */
export function copyFixture(prefix = 'rbn-ws-'): string {
  const dest = join(tempDir(prefix), 'workspace');
  const skip = join(FIXTURE, 'target');
  cpSync(FIXTURE, dest, {
    recursive: true,
    filter: (src) => src !== skip && !src.startsWith(`${skip}/`),
  });
  return dest;
}

/** Writes `files` (relative path -> content) under `dir`; a `#!` file becomes executable. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content, { mode: content.startsWith('#!') ? 0o755 : 0o644 });
  }
  return dir;
}

/** Every regular file under `dir` (recursively), as absolute paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) out.push(p);
    }
  };
  if (existsSync(dir)) visit(dir);
  return out.sort();
}

/** Files under `dir` whose bytes contain any of `needles` (relative paths). */
export function filesContaining(dir: string, needles: readonly string[]): string[] {
  const bufs = needles.filter(Boolean).map((n) => Buffer.from(n));
  return listFiles(dir)
    .filter((f) => {
      if (statSync(f).size === 0) return false;
      const data = readFileSync(f);
      return bufs.some((b) => data.includes(b));
    })
    .map((f) => relative(dir, f));
}

// ---- cargo's own account of a build -----------------------------------------------------

export interface CargoTarget {
  name: string;
  kind: string[];
  crate_types: string[];
}

export interface CompilerArtifact {
  reason: 'compiler-artifact';
  package_id: string;
  manifest_path: string;
  target: CargoTarget;
  fresh: boolean;
  filenames: string[];
  executable: string | null;
}

export interface BuildScriptExecuted {
  reason: 'build-script-executed';
  package_id: string;
  out_dir: string;
}

export interface CargoBuild {
  exitCode: number;
  artifacts: CompilerArtifact[];
  buildScripts: BuildScriptExecuted[];
  stderr: string;
  wallMs: number;
}

/** The unit kind as the tests compare it: lib, bin, proc-macro or build-script. */
export type UnitKind = 'lib' | 'bin' | 'proc-macro' | 'build-script' | 'other';

export function artifactKind(t: CargoTarget): UnitKind {
  if (t.kind.includes('custom-build')) return 'build-script';
  if (t.kind.includes('proc-macro')) return 'proc-macro';
  if (t.kind.includes('bin')) return 'bin';
  if (t.kind.some((k) => ['lib', 'rlib', 'dylib', 'cdylib', 'staticlib'].includes(k))) return 'lib';
  return 'other';
}

/** `manifest-dir crate-name kind` of a unit cargo reported (build scripts: `build_script_build`). */
export function artifactKey(a: CompilerArtifact): string {
  return `${dirname(a.manifest_path)} ${a.target.name.replace(/-/g, '_')} ${artifactKind(a.target)}`;
}

/** Runs `cargo build --message-format=json` in `dir` and collects what cargo reports. */
export function cargoBuildJson(
  dir: string,
  opts: { env?: Record<string, string>; args?: string[]; cargo?: string } = {},
): Promise<CargoBuild> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(
      opts.cargo ?? cargoBin(),
      ['build', '--message-format=json', ...(opts.args ?? [])],
      { cwd: dir, env: opts.env ?? baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const artifacts: CompilerArtifact[] = [];
      const buildScripts: BuildScriptExecuted[] = [];
      for (const line of Buffer.concat(out).toString('utf8').split('\n')) {
        if (!line.startsWith('{')) continue;
        const msg = JSON.parse(line) as { reason: string };
        if (msg.reason === 'compiler-artifact') artifacts.push(msg as CompilerArtifact);
        if (msg.reason === 'build-script-executed') buildScripts.push(msg as BuildScriptExecuted);
      }
      resolvePromise({
        exitCode: code ?? 1,
        artifacts,
        buildScripts,
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs,
      });
    });
  });
}

/** Runs a program to completion (no shell), returning its status and output. */
export function runSync(
  program: string,
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(program, args, {
    cwd: opts.cwd,
    env: opts.env ?? baseEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Counts occurrences of each string. */
export function tally(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
}

/** A tiny cargo package with no dependencies outside itself: fast to build. */
export function tinyCrate(dir: string, files: Record<string, string> = {}): string {
  return writeTree(dir, {
    'Cargo.toml': '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n',
    'src/main.rs': 'fn main() {\n    println!("tiny");\n}\n',
    ...files,
  });
}
