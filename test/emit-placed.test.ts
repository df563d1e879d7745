// What the build placed itself (emit/placed.ts), found by what files are and
// never by their names; and which variables a step keeps (plan/step-env.ts).
// The real-tree tests (xpy-real.test.ts) prove both on x.py; these pin the rules.
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPlaced, type Producer } from '../src/emit/placed.js';
import { stageOf } from '../src/emit/stage.js';
import { computeRoots, unalias } from '../src/plan/roots.js';
import { stepEnvNames } from '../src/plan/step-env.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

function write(path: string, content: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('findPlaced', () => {
  const t = join(tempDir('rbn-placed-'), 'build');
  const deps = join(t, 'host/stage0-std/release/deps');
  const lib = write(join(deps, 'libstd-1234.rlib'), 'std rlib bytes');
  const so = write(join(deps, 'libstd-1234.so'), 'std dylib bytes');
  const core = write(join(deps, 'libcore-99.rlib'), 'core rlib bytes');
  const outDir = join(t, 'host/stage0-std/release/build/std-77/out');
  write(join(outDir, 'gen.rs'), 'generated');
  write(join(t, 'host/stage0-std/release/build/std-77/output'), 'cargo:rustc-cfg=x\n');
  const sysroot = join(t, 'host/stage0-sysroot/lib/rustlib/host/lib');
  mkdirSync(join(sysroot, 'self-contained'), { recursive: true });
  linkSync(lib, join(sysroot, 'libstd-1234.rlib')); // a hard link
  write(join(sysroot, 'libstd-1234.so'), 'std dylib bytes'); // a byte-identical copy
  write(join(sysroot, 'unrelated.txt'), 'std rlib bytez'); // same size, other bytes
  const stamp = write(join(t, 'host/stage0-std/release/.libstd.stamp'), `t${lib}\0t${so}\0`);
  const release = join(t, 'host/stage0-std/release');
  linkSync(lib, join(release, 'libstd.rlib')); // cargo's uplifted copy
  const depInfo = write(
    join(release, 'libstd.d'),
    `${join(release, 'libstd.rlib')}: /src/lib.rs\n`,
  );
  write(join(t, 'host/stage0-std/release/.fingerprint/std-1234/lib-std.json'), `{"path":"${lib}"}`);
  write(join(t, 'host/.rustc_info.json'), '{"rustc": "/usr/bin/rustc"}');
  mkdirSync(join(t, 'tmp/empty'), { recursive: true });
  const producers: Producer[] = [
    { id: 'std', files: [lib, so], dirs: [], endUs: 2000, stage: 0 },
    { id: 'core', files: [core], dirs: [], endUs: 1000, stage: 0 },
    { id: 'std-run', files: [], dirs: [outDir], endUs: 500, stage: 0 },
  ];
  const groups = findPlaced(producers, [t]);

  it('a hard link or a byte-identical copy of a step output is a copy; other bytes are not', () => {
    const g = groups.find((x) => x.dir === sysroot)!;
    expect(g.files).toEqual([
      { path: join(sysroot, 'libstd-1234.rlib'), from: lib },
      { path: join(sysroot, 'libstd-1234.so'), from: so },
    ]);
    expect(g.deps).toEqual(['std']);
    expect(g.readyUs).toBe(2000);
    expect(g.emptyDirs).toEqual([join(sysroot, 'self-contained')]);
    expect(g.stage).toBe(0);
    expect(g.id).toMatch(/^link-host_lib-[0-9a-f]{8}$/);
  });

  it('a small file naming step outputs by path is a stamp; bookkeeping and step dirs are not looked at', () => {
    const g = groups.find((x) => x.files.some((f) => f.path === stamp))!;
    expect(g.files).toEqual([
      { path: stamp, from: null },
      { path: depInfo, from: null }, // names the uplifted copy, colon and all
      { path: join(release, 'libstd.rlib'), from: lib },
    ]);
    expect(g.deps).toEqual(['std']);
    const all = groups.flatMap((x) => x.files.map((f) => f.path));
    expect(all.some((p) => p.includes('.fingerprint') || p.includes('/deps/'))).toBe(false);
    expect(all.some((p) => p.endsWith('.rustc_info.json') || p.endsWith('/output'))).toBe(false);
    // An empty directory alone makes no link step.
    expect(groups.some((x) => x.dir.endsWith('/tmp'))).toBe(false);
  });

  it('ids are stable across trees: they hash the place inside the build dir, not the path', () => {
    const t2 = join(tempDir('rbn-placed-other-'), 'x', 'build');
    const lib2 = write(join(t2, 'host/stage0-std/release/deps/libstd-1234.rlib'), 'std rlib bytes');
    mkdirSync(join(t2, 'host/stage0-sysroot/lib/rustlib/host/lib'), { recursive: true });
    linkSync(lib2, join(t2, 'host/stage0-sysroot/lib/rustlib/host/lib/libstd-1234.rlib'));
    const again = findPlaced([{ id: 'std', files: [lib2], dirs: [], endUs: 1, stage: 0 }], [t2]);
    expect(again.map((g) => g.id)).toEqual([groups.find((x) => x.dir === sysroot)!.id]);
  });

  it('a copy of bytes two steps wrote is credited to the same step whatever order they ran in', () => {
    const t3 = join(tempDir('rbn-placed-twice-'), 'build');
    const a = write(join(t3, 'a/deps/liba.rlib'), 'the same bytes');
    const b = write(join(t3, 'b/deps/libb.rlib'), 'the same bytes');
    write(join(t3, 'sysroot/lib/libx.rlib'), 'the same bytes');
    const ran: Producer[] = [
      { id: 'b-lib', files: [b], dirs: [], endUs: 1, stage: null },
      { id: 'a-lib', files: [a], dirs: [], endUs: 2, stage: null },
    ];
    const one = findPlaced(ran, [t3]);
    expect(findPlaced([...ran].reverse(), [t3])).toEqual(one);
    expect(one.map((g) => g.deps)).toEqual([['a-lib']]);
  });
});

describe('stageOf', () => {
  it.each([
    ['/host/stage0-std/host/release/deps/libstd.rlib', 0],
    ['/host/stage1-rustc/host/release/deps/librustc_driver.so', 1],
    ['/host/stage2/lib/librustc.so', 2],
    ['/bootstrap/debug/deps/bootstrap-12', null],
    ['/host/stage0x/deps/a', null],
  ])('%s is stage %s', (path, stage) => {
    expect(stageOf(path)).toBe(stage);
  });

  it("falls back to the shim's RUSTC_STAGE", () => {
    expect(stageOf('/elsewhere/a', { RUSTC_STAGE: '1' })).toBe(1);
  });
});

describe('stepEnvNames', () => {
  const ctx = {
    buildEnv: { PATH: '/usr/bin', LANG: 'C', RUSTFLAGS: '', CI: 'true' },
    recorderPaths: ['/tmp/rbn-records-abc'],
    pids: [4242],
  };

  it('keeps what cargo or bootstrap set, drops the host, the recorder and process ids', () => {
    const env = {
      PATH: '/tmp/rbn-records-abc/bin:/usr/bin',
      LANG: 'C',
      CI: 'true',
      RUSTC_REAL: '/usr/bin/rustc',
      RUSTC_STAGE: '0',
      RUSTC_WRAPPER_REAL: '/tmp/rbn-records-abc/bin/rustc-wrapper',
      BOOTSTRAP_PARENT_ID: '4242',
      CARGO_PKG_NAME: 'std',
      CARGO_MAKEFLAGS: '--jobserver-fds=3,4',
      CARGO_TARGET_DIR: '/a/build',
      MAKEFLAGS: '-j2',
      RBN_RECORD_DIR: '/tmp/rbn-records-abc',
      HOME: '/root',
    };
    expect(stepEnvNames('rust_compiler_invocation', env, [], ctx)).toEqual([
      'CARGO_PKG_NAME',
      'RUSTC_REAL',
      'RUSTC_STAGE',
    ]);
  });

  it('a declared variable is kept whatever it is; a build script gets its cargo variables even when unchanged', () => {
    const env = { CI: 'true', RUSTC: '/usr/bin/rustc', TARGET: 'x86_64-unknown-linux-gnu' };
    const same = { ...ctx, buildEnv: { ...env } };
    expect(stepEnvNames('rust_compiler_invocation', env, ['CI'], same)).toEqual(['CI']);
    expect(stepEnvNames('build_script_run', env, [], same)).toEqual(['RUSTC', 'TARGET']);
  });

  it("a build script's NUM_JOBS (cargo's -j) is the host's: the runner sets Nix's cores", () => {
    const env = { NUM_JOBS: '2', TARGET: 'x86_64-unknown-linux-gnu' };
    expect(stepEnvNames('build_script_run', env, [], ctx)).toEqual(['TARGET']);
  });

  it('without the build environment (a plan from before it was kept) only the fixed rules apply', () => {
    const env = { RUSTC_REAL: '/usr/bin/rustc', CARGO_PKG_NAME: 'a', OUT_DIR: '/o' };
    expect(
      stepEnvNames('rust_compiler_invocation', env, [], {
        buildEnv: null,
        recorderPaths: [],
        pids: [],
      }),
    ).toEqual(['CARGO_PKG_NAME', 'OUT_DIR']);
  });
});

describe('unalias', () => {
  const aliases = [{ alias: '/tmp/fixed', path: '/real/tree' }];
  it.each([
    ['/tmp/fixed/src/bootstrap/Cargo.toml', '/real/tree/src/bootstrap/Cargo.toml'],
    ['--manifest-path=/tmp/fixed/x.py', '--manifest-path=/real/tree/x.py'],
    ['/tmp/fixed:/tmp/fixed/a', '/real/tree:/real/tree/a'],
    ['/tmp/fixed2/a', '/tmp/fixed2/a'], // another name
    ['x/tmp/fixed', 'x/tmp/fixed'],
  ])('%s -> %s (the same pattern, called again and again)', (value, want) => {
    expect(unalias(value, aliases)).toBe(want);
    expect(unalias(value, aliases)).toBe(want);
  });
});

describe('computeRoots', () => {
  it('two packages of one name get the same names whatever order their steps ran in', () => {
    const dirs = ['/reg/b/serde', '/reg/a/serde', '/reg/a/serde/sub', '/reg/quote'];
    const one = computeRoots('/ws', ['/ws/target'], dirs);
    expect(computeRoots('/ws', ['/ws/target'], [...dirs].reverse())).toEqual(one);
    expect(one).toEqual([
      { name: 'w', path: '/ws' },
      { name: 'x/quote', path: '/reg/quote' },
      { name: 'x/serde', path: '/reg/a/serde' },
      { name: 'x/serde-2', path: '/reg/b/serde' },
    ]);
  });
});
