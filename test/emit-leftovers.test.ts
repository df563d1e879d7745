// What an emit killed outright (SIGKILL) leaves behind, and how the next one
// puts it right before its build (src/emit/recorder.ts cleanLeftovers): the
// real build scripts kept as `*.rbn-real` beside the recorder's shims, in
// cargo's and x.py's target layouts, and the records dirs of dead emits; a
// live emit's shims and records are left alone. And the rustc wrapper itself
// (the real script, the real rustc): a stale `.rbn-real` beside a freshly
// compiled build script no longer keeps that script from being recorded.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cleanLeftovers, recorderDir, restoreBuildScripts } from '../src/emit/recorder.js';
import { baseEnv, removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

/** A pid that is no process any more: a child that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync('true');
  if (!r.pid) throw new Error('could not run true');
  return r.pid;
}

/** A records dir as prepareRecording makes one, owned by `pid` (no pid file with null). */
function recordsDir(temp: string, pid: number | null): string {
  const dir = join(temp, `rbn-records-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  if (pid !== null) writeFileSync(join(dir, 'pid'), String(pid));
  return dir;
}

/** The shim the rustc wrapper writes (same lines), pointing its runs at `records`. */
function shimText(bin: string, records: string): string {
  const name = bin.slice(bin.lastIndexOf('/') + 1);
  return `#!/usr/bin/bash\n# rust-bootstrap-nix: records this build script run (see ${name}.rbn-real).\nr=${bin}.rbn-real\nd=${records}/bin\nif [ -n "\${RBN_RECORD_DIR:-}" ] && [ -x "$d/build-script-run" ]; then exec "$d/build-script-run" "$r" "$@"; fi\nexec "$r" "$@"\n`;
}

/**
 * A compiled build script under `unitDir` as an interrupted emit leaves it:
 * `build_script_build-<hash>` is the shim, cargo's `build-script-build` a hard
 * link to it, the real binary beside them as `.rbn-real`.
 */
function interrupted(unitDir: string, records: string): { bin: string; link: string } {
  mkdirSync(unitDir, { recursive: true });
  const hash = unitDir.slice(unitDir.lastIndexOf('-') + 1);
  const bin = join(unitDir, `build_script_build-${hash}`);
  const link = join(unitDir, 'build-script-build');
  writeFileSync(`${bin}.rbn-real`, `\x7fELF real ${hash}`, { mode: 0o755 });
  writeFileSync(bin, shimText(bin, records), { mode: 0o755 });
  linkSync(bin, link);
  return { bin, link };
}

/**
 * cargo's compile of a build script (`build_script_build-0123456789abcdef` in
 * `unit`) through the real rustc wrapper, recording into `records`; `first`
 * goes first on PATH.
 */
function compileBuildScript(buildRs: string, unit: string, records: string, first?: string) {
  const env = baseEnv({ RBN_RECORD_DIR: records, RBN_NEXT_WRAPPER: '' });
  if (first) env.PATH = `${first}:${env.PATH}`;
  return spawnSync(
    join(recorderDir(), 'rustc-wrapper'),
    [
      'rustc',
      '--crate-name',
      'build_script_build',
      '--edition=2021',
      buildRs,
      '--crate-type',
      'bin',
      '-C',
      'extra-filename=-0123456789abcdef',
      '--out-dir',
      unit,
    ],
    { env, encoding: 'utf8' },
  );
}

function expectPutBack(s: { bin: string; link: string }): void {
  expect(existsSync(`${s.bin}.rbn-real`)).toBe(false);
  expect(readFileSync(s.bin, 'utf8')).toMatch(/^\x7fELF real /);
  expect(statSync(s.link).ino).toBe(statSync(s.bin).ino);
}

test("cargo's and x.py's layouts: the real build scripts go back over the shims, links re-made, the dead emit's records dir goes", () => {
  const temp = tempDir('rbn-leftovers-temp-');
  const dead = recordsDir(temp, deadPid());
  const cargoTarget = tempDir('rbn-leftovers-target-');
  const xpyBuild = tempDir('rbn-leftovers-xpy-');
  const scripts = [
    interrupted(join(cargoTarget, 'debug', 'build', 'alpha-0123456789abcdef'), dead),
    interrupted(
      join(cargoTarget, 'x86_64-unknown-linux-gnu', 'release', 'build', 'beta-1111111111111111'),
      dead,
    ),
    interrupted(
      join(
        xpyBuild,
        'x86_64-unknown-linux-gnu',
        'stage0-rustc',
        'x86_64-unknown-linux-gnu',
        'release',
        'build',
        'gamma-2222222222222222',
      ),
      dead,
    ),
    interrupted(join(xpyBuild, 'bootstrap', 'debug', 'build', 'delta-3333333333333333'), dead),
  ];
  expect(cleanLeftovers([cargoTarget, xpyBuild], temp)).toEqual({
    buildScripts: 4,
    recordDirs: 1,
  });
  for (const s of scripts) expectPutBack(s);
  expect(existsSync(dead)).toBe(false);
  // Nothing left: a second look changes nothing.
  expect(cleanLeftovers([cargoTarget, xpyBuild], temp)).toEqual({ buildScripts: 0, recordDirs: 0 });
});

test('a kept copy beside a binary cargo compiled since is stale: it goes, the binary stays', () => {
  const temp = tempDir('rbn-leftovers-temp-');
  const target = tempDir('rbn-leftovers-target-');
  const unit = join(target, 'debug', 'build', 'alpha-0123456789abcdef');
  mkdirSync(unit, { recursive: true });
  const bin = join(unit, 'build_script_build-0123456789abcdef');
  writeFileSync(bin, '\x7fELF newer', { mode: 0o755 });
  writeFileSync(`${bin}.rbn-real`, '\x7fELF older', { mode: 0o755 });
  expect(cleanLeftovers([target], temp)).toEqual({ buildScripts: 1, recordDirs: 0 });
  expect(readdirSync(unit)).toEqual(['build_script_build-0123456789abcdef']);
  expect(readFileSync(bin, 'utf8')).toBe('\x7fELF newer');
});

test("a live emit's shims and records dir are left alone; so is a records dir without an owner", () => {
  const temp = tempDir('rbn-leftovers-temp-');
  const live = recordsDir(temp, process.pid);
  const unknown = recordsDir(temp, null);
  const target = tempDir('rbn-leftovers-target-');
  const s = interrupted(join(target, 'debug', 'build', 'alpha-0123456789abcdef'), live);
  expect(cleanLeftovers([target], temp)).toEqual({ buildScripts: 0, recordDirs: 0 });
  expect(existsSync(`${s.bin}.rbn-real`)).toBe(true);
  expect(existsSync(live) && existsSync(unknown)).toBe(true);
  // Its own emit puts them back at its end (by its shims list).
  writeFileSync(join(live, 'shims'), `${s.bin}\0`);
  expect(restoreBuildScripts(live)).toEqual([]);
  expectPutBack(s);
});

test('the rustc wrapper records a build script compiled beside a stale .rbn-real; its shim is one cleanLeftovers knows', () => {
  const temp = tempDir('rbn-leftovers-temp-');
  const records = recordsDir(temp, null);
  const src = writeTree(tempDir('rbn-leftovers-src-'), {
    'build.rs': 'fn main() {\n    println!("cargo:rustc-env=FROM_BUILD=1");\n}\n',
  });
  const unit = join(tempDir('rbn-leftovers-target-'), 'debug', 'build', 'alpha-0123456789abcdef');
  mkdirSync(unit, { recursive: true });
  const bin = join(unit, 'build_script_build-0123456789abcdef');
  writeFileSync(`${bin}.rbn-real`, 'stale, from a killed emit', { mode: 0o755 });
  const r = compileBuildScript(join(src, 'build.rs'), unit, records);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  // Recorded: the fresh binary kept, a shim in its place, listed for restoring.
  expect(readFileSync(bin, 'utf8')).toMatch(
    /^#!.*\n# rust-bootstrap-nix: records this build script run/,
  );
  expect(readFileSync(`${bin}.rbn-real`).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  expect(readFileSync(join(records, 'shims'), 'utf8')).toBe(`${bin}\0`);
  expect(readdirSync(records).filter((n) => n.endsWith('.rec'))).toHaveLength(1);
  // Its emit killed: the next emit knows the shim for one of a dead emit and puts the binary back.
  writeFileSync(join(records, 'pid'), String(deadPid()));
  expect(cleanLeftovers([join(unit, '..', '..', '..')], temp)).toEqual({
    buildScripts: 1,
    recordDirs: 1,
  });
  expect(readFileSync(bin).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  expect(existsSync(`${bin}.rbn-real`)).toBe(false);
});

test.each(['ln', 'chmod', 'mv'])(
  'the rustc wrapper killed just before its `%s` (swapping in a shim): its emit puts the real binary back, nothing else is left',
  (command) => {
    const temp = tempDir('rbn-leftovers-temp-');
    const records = recordsDir(temp, null);
    const src = writeTree(tempDir('rbn-leftovers-src-'), { 'build.rs': 'fn main() {}\n' });
    const unit = join(tempDir('rbn-leftovers-target-'), 'debug', 'build', 'alpha-0123456789abcdef');
    mkdirSync(unit, { recursive: true });
    const bin = join(unit, 'build_script_build-0123456789abcdef');
    // The command, first on PATH, kills the wrapper that runs it (as SIGKILL would, there).
    const stubs = writeTree(tempDir('rbn-leftovers-stubs-'), {
      [command]: '#!/bin/sh\nkill -KILL "$PPID"\n',
    });
    spawnSync('chmod', ['+x', join(stubs, command)]);
    const r = compileBuildScript(join(src, 'build.rs'), unit, records, stubs);
    expect(r.signal).toBe('SIGKILL');
    expect(restoreBuildScripts(records)).toEqual([]);
    expect(readdirSync(unit)).toEqual(['build_script_build-0123456789abcdef']);
    expect(readFileSync(bin).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  },
);
