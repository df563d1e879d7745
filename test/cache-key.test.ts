import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { cacheKeys, compileEnv, type KeyInputs, runnerPlatform } from '../src/actions-cache/key.js';
import { findCargoLocks, toolchainIdentity } from '../src/actions-cache/key-inputs.js';

const base: KeyInputs = {
  prefix: 'rust-bootstrap-nix-v1',
  name: 'sccache',
  os: 'Linux',
  arch: 'X64',
  system: 'x86_64-linux',
  toolchain: {
    rustcVersion: 'rustc 1.95.0\nhost: x86_64-unknown-linux-gnu\n',
    storePath: '/nix/store/abc-rust-1.95.0',
  },
  cargoLocks: [{ path: 'Cargo.lock', content: 'version = 4\n' }],
  config: '[build]\nrustc = "/nix/store/abc-rust-1.95.0/bin/rustc"\n',
  env: { PATH: '/usr/bin', HOME: '/root' },
};
const keys = (over: Partial<KeyInputs>) => cacheKeys({ ...base, ...over });

test('the key spells out prefix, cache, OS, arch and Nix system, then two digests', () => {
  const { key, restoreKeys } = cacheKeys(base);
  expect(key).toMatch(
    /^rust-bootstrap-nix-v1-sccache-Linux-X64-x86_64-linux-[0-9a-f]{12}-[0-9a-f]{16}$/,
  );
  expect(restoreKeys).toEqual([
    key.slice(0, key.lastIndexOf('-') + 1),
    'rust-bootstrap-nix-v1-sccache-Linux-X64-x86_64-linux-',
  ]);
  expect(key.startsWith(restoreKeys[0]!)).toBe(true);
  expect(restoreKeys[0]!.startsWith(restoreKeys[1]!)).toBe(true);
});

test('only variables that change compiles change the key', () => {
  const same = [
    { PATH: '/other' },
    { HOME: '/home/x' },
    { CARGO_TARGET_DIR: '/tmp/t' },
    { CARGO_REGISTRY_TOKEN: 'secret' },
    // Secret by name (secrets.ts), even under a prefix that changes compiles: never hashed.
    { TARGET_GH_PAT: 'pat-value' },
    { CC_AUTH_HEADER: 'Bearer x' },
    { RUST_LOG: 'debug' },
    { GITHUB_SHA: 'abc' },
  ];
  for (const env of same)
    expect(keys({ env: { ...base.env, ...env } }).key).toBe(cacheKeys(base).key);
  const changing = [
    { RUSTFLAGS: '-Ctarget-cpu=native' },
    { CARGO_ENCODED_RUSTFLAGS: '-Copt-level=1' },
    { RUSTC_BOOTSTRAP: '1' },
    { CARGO_PROFILE_DEV_OPT_LEVEL: '1' },
    { CARGO_BUILD_TARGET: 'aarch64-unknown-linux-gnu' },
    { CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER: 'clang' },
    { CC: 'clang' },
    { CXX: 'clang++' },
    { CFLAGS: '-O3' },
    { CC_x86_64_unknown_linux_gnu: 'gcc-12' },
    { TARGET_CC: 'clang' },
  ];
  const seen = new Set([cacheKeys(base).key]);
  for (const env of changing) {
    const k = keys({ env: { ...base.env, ...env } });
    expect(seen.has(k.key)).toBe(false);
    seen.add(k.key);
    // Same toolchain: the first fallback still finds the old entry.
    expect(k.restoreKeys[0]).toBe(cacheKeys(base).restoreKeys[0]);
  }
  expect(
    compileEnv({ RUSTFLAGS: '-g', PATH: '/bin', CC: 'cc', CARGO_REGISTRIES_X_TOKEN: 't' }),
  ).toEqual([
    ['CC', 'cc'],
    ['RUSTFLAGS', '-g'],
  ]);
});

test('Cargo.lock and config change the last digest; lock order does not matter', () => {
  const two = [
    { path: 'Cargo.lock', content: 'a' },
    { path: 'src/bootstrap/Cargo.lock', content: 'b' },
  ];
  expect(keys({ cargoLocks: two }).key).toBe(keys({ cargoLocks: [...two].reverse() }).key);
  for (const changed of [
    keys({ cargoLocks: [{ path: 'Cargo.lock', content: 'version = 3\n' }] }),
    keys({ config: '' }),
  ]) {
    expect(changed.key).not.toBe(cacheKeys(base).key);
    expect(changed.restoreKeys).toEqual(cacheKeys(base).restoreKeys);
  }
});

test('another toolchain changes the toolchain digest: only the platform fallback is shared', () => {
  const other = keys({ toolchain: { ...base.toolchain, rustcVersion: 'rustc 1.96.0\n' } });
  const path = keys({ toolchain: { ...base.toolchain, storePath: '/nix/store/def-rust-1.95.0' } });
  for (const k of [other, path]) {
    expect(k.key.startsWith(cacheKeys(base).restoreKeys[0]!)).toBe(false);
    expect(k.restoreKeys[1]).toBe(cacheKeys(base).restoreKeys[1]);
  }
});

test('matrix legs never share a key or a fallback', () => {
  const leg = fc.record({
    name: fc.constantFrom('sccache', 'nix-binary-cache'),
    os: fc.constantFrom('Linux', 'macOS'),
    arch: fc.constantFrom('X64', 'ARM64'),
    system: fc.constantFrom('x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'),
    rustcVersion: fc.constantFrom('rustc 1.95.0', 'rustc 1.96.0-nightly', 'rustc 1.94.1'),
  });
  fc.assert(
    fc.property(leg, leg, (a, b) => {
      const platformDiffers =
        a.name !== b.name || a.os !== b.os || a.arch !== b.arch || a.system !== b.system;
      const toolchainDiffers = a.rustcVersion !== b.rustcVersion;
      fc.pre(platformDiffers || toolchainDiffers);
      const ka = keys({ ...a, toolchain: { rustcVersion: a.rustcVersion, storePath: 's' } });
      const kb = keys({ ...b, toolchain: { rustcVersion: b.rustcVersion, storePath: 's' } });
      expect(ka.key).not.toBe(kb.key);
      // A leg's fallbacks may only reach entries of the same platform, and the first only the same toolchain.
      expect(kb.key.startsWith(ka.restoreKeys[0]!)).toBe(false);
      expect(kb.key.startsWith(ka.restoreKeys[1]!)).toBe(!platformDiffers);
    }),
  );
});

test('keys stay valid for the cache service: no commas or spaces, well under 512 characters', () => {
  const k = keys({ prefix: 'my, prefix', system: 'x86_64 linux' });
  expect(k.key).toMatch(/^my_prefix-sccache-Linux-X64-x86_64_linux-/);
  for (const s of [k.key, ...k.restoreKeys]) expect(s).not.toMatch(/[,\s]/);
  expect(k.key.length).toBeLessThan(512);
});

test('runner.os and runner.arch: from the runner, else named as the runner names them', () => {
  expect(runnerPlatform({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'ARM64' }, 'linux', 'x64')).toEqual({
    os: 'Linux',
    arch: 'ARM64',
  });
  expect(runnerPlatform({}, 'linux', 'x64')).toEqual({ os: 'Linux', arch: 'X64' });
  expect(runnerPlatform({}, 'darwin', 'arm64')).toEqual({ os: 'macOS', arch: 'ARM64' });
});

test('findCargoLocks finds the lockfiles of a bootstrap-like tree and skips build output', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rbn-locks-'));
  try {
    const put = (rel: string, content = rel) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), content);
    };
    put('Cargo.lock');
    put('library/Cargo.lock');
    put('src/bootstrap/Cargo.lock');
    put('target/debug/Cargo.lock');
    put('build/x86_64-unknown-linux-gnu/Cargo.lock');
    put('out/CACHEDIR.TAG');
    put('out/Cargo.lock');
    put('a/b/c/d/e/Cargo.lock');
    const locks = await findCargoLocks(root);
    expect(locks.map((l) => l.path)).toEqual([
      'Cargo.lock',
      'library/Cargo.lock',
      'src/bootstrap/Cargo.lock',
    ]);
    expect(locks[1]!.content).toBe('library/Cargo.lock');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('toolchainIdentity runs the real rustc -vV', async () => {
  const t = await toolchainIdentity('rustc', 'system');
  expect(t.rustcVersion).toMatch(/^rustc \d+\.\d+\.\d+/);
  expect(t.rustcVersion).toMatch(/\nhost: /);
  expect(t.storePath).toBe('system:rustc');
});
