// Resolving toolchains with real Nix (stand-in inputs, offline) and from PATH.

import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { currentNixSystem, NIX_FEATURES, outPathOf } from '../src/nix/cli.js';
import {
  addSysrootToStore,
  resolveSystemToolchain,
  resolveToolchain,
} from '../src/toolchain/resolve.js';
import { parseToolchain } from '../src/toolchain/spec.js';
import { run } from '../src/util/process.js';
import { whichIn } from '../src/util/which.js';
import { nixEnv, nixFlakeDir, overrideArgs } from './fixtures/nix-standins/env.js';
import { NIX_CONFIG, offlineSandboxArgs } from './support/nix-helpers.js';

const checkout = path.resolve('test/fixtures/rust-checkout');
let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'rbn-resolve-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const opts = (name: string) => ({
  nixFlakeDir,
  workDir: path.join(work, name),
  system: currentNixSystem(),
  nixArgs: overrideArgs(),
  env: nixEnv,
});

describe('resolveToolchain through nix/ (stand-ins)', () => {
  test('a channel: nix build --json gives the store path, rustc -vV the rest', async () => {
    const spec = parseToolchain('1.84', {
      sourceDir: work,
      targets: ['wasm32-unknown-unknown'],
    });
    const gcRootDir = path.join(work, 'gcroots');
    const t = await resolveToolchain(spec, { ...opts('channel'), gcRootDir });
    expect(t.toolchain).toMatch(/^\/nix\/store\/[a-z0-9]{32}-rust-default-1\.84\.1$/);
    expect(t).toEqual({
      toolchain: t.toolchain,
      rustc: `${t.toolchain}/bin/rustc`,
      cargo: `${t.toolchain}/bin/cargo`,
      sysroot: t.toolchain,
      version: '1.84.1',
      host: 'x86_64-unknown-linux-gnu',
      verbose: expect.stringContaining('\nrelease: 1.84.1\n'),
    });
    // The extra target reached rust-overlay's override.
    expect(existsSync(`${t.toolchain}/lib/rustlib/wasm32-unknown-unknown/lib`)).toBe(true);
    // A GC root keeps it while the build runs.
    expect(readlinkSync(path.join(gcRootDir, 'toolchain'))).toBe(t.toolchain);
    // The wrapper flake is what the report says it is.
    expect(JSON.parse(readFileSync(path.join(work, 'channel/spec.json'), 'utf8'))).toEqual({
      channel: '1.84',
      profile: 'default',
      components: [],
      targets: ['wasm32-unknown-unknown'],
    });
  });

  test('stage0 of a rust checkout: compiler_version 1.83.0, minimal profile', async () => {
    const spec = parseToolchain('stage0', { sourceDir: checkout });
    const t = await resolveToolchain(spec, opts('stage0'));
    expect(t.toolchain).toMatch(/-rust-minimal-1\.83\.0$/);
    expect(t.version).toBe('1.83.0');
  });

  test('a rust-toolchain.toml is copied into the wrapper and read by the flake', async () => {
    const dir = path.join(work, 'ws');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'rust-toolchain.toml'),
      '[toolchain]\nchannel = "nightly-2025-10-16"\ntargets = ["aarch64-unknown-linux-gnu"]\n',
    );
    const spec = parseToolchain(null, { sourceDir: dir, targets: ['wasm32-unknown-unknown'] });
    const t = await resolveToolchain(spec, opts('file'));
    expect(t.version).toBe('1.92.0-nightly');
    expect(existsSync(path.join(work, 'file/rust-toolchain.toml'))).toBe(true);
    for (const target of ['aarch64-unknown-linux-gnu', 'wasm32-unknown-unknown']) {
      expect(existsSync(`${t.toolchain}/lib/rustlib/${target}/lib`)).toBe(true);
    }
  });

  test('a beta stage0 whose fetched version cannot build src/version fails with the reason', async () => {
    const dir = path.join(work, 'beta-tree');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(
      path.join(dir, 'src/stage0'),
      'compiler_date=2026-07-13\ncompiler_version=beta\n',
    );
    writeFileSync(path.join(dir, 'src/version'), '1.97.0\n');
    const spec = parseToolchain('stage0', { sourceDir: dir });
    await expect(resolveToolchain(spec, opts('beta'))).rejects.toThrow(
      'the stage0 compiler (beta-2026-07-13) is rustc 1.98.0-beta.2, but src/version is 1.97.0: bootstrap builds 1.97.0 only with a 1.96.x or 1.97.x compiler, not 1.98.0-beta.2',
    );
  });

  test('a release the pinned rust-overlay lacks fails with the flake message', async () => {
    const spec = parseToolchain('1.99.0', { sourceDir: work });
    await expect(resolveToolchain(spec, opts('missing'))).rejects.toThrow(
      'rust-bootstrap-nix: the pinned rust-overlay has no stable toolchain `1.99.0`; pick another one or update nix/flake.lock',
    );
    const minor = parseToolchain('1.70', { sourceDir: work });
    await expect(resolveToolchain(minor, opts('missing-minor'))).rejects.toThrow(
      'rust-bootstrap-nix: the pinned rust-overlay has no stable 1.70.x; pick another version or update nix/flake.lock',
    );
  });

  test('outPathOf reads nix build --json', () => {
    expect(
      outPathOf('[{"drvPath":"/nix/store/a.drv","outputs":{"out":"/nix/store/abc-rust"}}]'),
    ).toBe('/nix/store/abc-rust');
    expect(() => outPathOf('[]')).toThrow('nix build --json printed no out path');
  });
});

/** Proxies that refuse every connection (curl reads the lower-case http_proxy only). */
const OFFLINE_PROXY = {
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  no_proxy: '',
  NO_PROXY: '',
};

describe('resolveToolchain through the real pinned inputs, offline', () => {
  test('fails with the download that failed and the fix, without Nix retry chatter', async () => {
    const spec = parseToolchain('stable', { sourceDir: work });
    // Offline arranged, not assumed: Nix's curl goes through a proxy on a
    // loopback port nothing listens on, so the download fails with network too.
    const failure = resolveToolchain(spec, {
      ...opts('offline'),
      nixArgs: [],
      env: { ...nixEnv, ...OFFLINE_PROXY },
    });
    await expect(failure).rejects.toThrow(
      /failed:\nunable to download 'https:\/\/[^']+'[^\n]*\nNix could not fetch a flake input or a binary: the runner needs network access to GitHub and cache\.nixos\.org \(offline, use `toolchain: system`\)\.$/,
    );
    await expect(failure).rejects.not.toThrow(/retrying|Added input/);
  });
});

describe('toolchain: system', () => {
  test('rustc and cargo are the sysroot binaries, not rustup proxies', async () => {
    const t = await resolveSystemToolchain();
    expect(t.toolchain).toBe('system');
    expect(t.rustc).toBe(path.join(t.sysroot, 'bin', 'rustc'));
    expect(t.cargo).toBe(path.join(t.sysroot, 'bin', 'cargo'));
    expect(lstatSync(t.rustc).isSymbolicLink()).toBe(false);
    expect(t.version).toMatch(/^1\.\d+\.\d+/);
    expect(t.host).toBe('x86_64-unknown-linux-gnu');
    const onPath = whichIn('rustc');
    expect(onPath).not.toBeNull();
  });

  test('no rustc on PATH is a clear error', async () => {
    await expect(
      resolveSystemToolchain({ env: { ...process.env, PATH: '/nonexistent' } }),
    ).rejects.toThrow('toolchain: system, but there is no rustc on PATH');
  });

  test('its sysroot goes into the store (bin/ and lib/) and Nix build users can run it', async () => {
    const t = await resolveSystemToolchain();
    const gcRootDir = path.join(work, 'sysroot-roots');
    const started = Date.now();
    const s = await addSysrootToStore(t.sysroot, {
      gcRootDir,
      name: `rust-sysroot-${t.version}`,
      env: nixEnv,
    });
    const seconds = (Date.now() - started) / 1000;
    const du = await run('du', ['-sb', s.storePath]);
    console.log(
      `addSysrootToStore: ${s.storePath} (${Math.round(Number(du.stdout.split('\t')[0]) / 1e6)} MB) in ${seconds.toFixed(1)} s`,
    );
    expect(s.storePath).toMatch(/^\/nix\/store\/[a-z0-9]{32}-rust-sysroot-/);
    expect((await run('ls', [s.storePath])).stdout.trim().split('\n')).toEqual(['bin', 'lib']);
    expect(readlinkSync(path.join(gcRootDir, `rust-sysroot-${t.version}`))).toBe(s.storePath);
    // A sandboxed build has no /root (nor would build users enter it); the store copy,
    // an input of the build, it can run. /bin/sh and the libraries as offline steps get them.
    const sandboxed = { ...nixEnv, NIX_CONFIG: NIX_CONFIG };
    const build = async (rustc: string) =>
      run(
        'nix',
        [
          ...NIX_FEATURES,
          'build',
          '--json',
          '--no-link',
          '--impure',
          ...offlineSandboxArgs(),
          '--expr',
          `derivation { name = "rustc-version"; system = "${currentNixSystem()}"; builder = "/bin/sh"; args = [ "-c" "${rustc} --version > $out" ]; nonce = "${Date.now()}"; }`,
        ],
        { env: sandboxed },
      );
    const ok = await build(`\${builtins.storePath "${s.storePath}"}/bin/rustc`);
    expect(ok.code).toBe(0);
    const direct = await run(t.rustc, ['--version']);
    expect(readFileSync(outPathOf(ok.stdout), 'utf8')).toBe(direct.stdout);
    if (t.sysroot.startsWith('/root/')) {
      const denied = await build(t.rustc);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(/Permission denied|No such file or directory|not found/);
    }
  });
});
