// The nix/ flake, evaluated by real Nix against the stand-ins for nixpkgs and rust-overlay.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NIX_FEATURES } from '../src/nix/cli.js';
import { run } from '../src/util/process.js';
import { nixEnv, nixFlakeDir, overrideArgs } from './fixtures/nix-standins/env.js';

const systems = ['x86_64-linux', 'aarch64-linux'] as const;
const hosts = {
  'x86_64-linux': 'x86_64-unknown-linux-gnu',
  'aarch64-linux': 'aarch64-unknown-linux-gnu',
};

// Every spec form the action sends (see src/toolchain/spec.ts flakeSpec).
const specs: Record<string, Record<string, unknown>> = {
  stable: { channel: 'stable' },
  beta: { channel: 'beta' },
  nightly: { channel: 'nightly' },
  exact: { channel: '1.83.0', profile: 'minimal' },
  minor: { channel: '1.84' },
  datedNightly: { channel: 'nightly-2025-10-16' },
  datedBeta: { channel: 'beta-2025-10-16', profile: 'complete' },
  extras: {
    channel: 'stable',
    components: ['rust-src', 'llvm-tools'],
    targets: ['wasm32-unknown-unknown', 'aarch64-unknown-linux-gnu'],
  },
  tomlFile: {
    toolchainFile: 'rust-toolchain.toml',
    components: ['miri', 'rust-src'],
    targets: ['x86_64-unknown-linux-musl'],
  },
  legacyFile: { toolchainFile: 'rust-toolchain', profile: 'minimal' },
  empty: {},
};

// [set, key (the release chosen), profile, extensions, targets, name]
const expected: Record<string, [string, string, string, string[], string[], string]> = {
  stable: ['stable', '1.84.1', 'default', [], [], 'rust-default-1.84.1'],
  beta: ['beta', '2026-07-13', 'default', [], [], 'rust-default-1.98.0-beta.2'],
  nightly: ['nightly', '2026-08-20', 'default', [], [], 'rust-default-1.99.0-nightly'],
  exact: ['stable', '1.83.0', 'minimal', [], [], 'rust-minimal-1.83.0'],
  minor: ['stable', '1.84.1', 'default', [], [], 'rust-default-1.84.1'],
  datedNightly: ['nightly', '2025-10-16', 'default', [], [], 'rust-default-1.92.0-nightly'],
  datedBeta: ['beta', '2025-10-16', 'complete', [], [], 'rust-complete-1.91.0-beta.7'],
  extras: [
    'stable',
    '1.84.1',
    'default',
    ['rust-src', 'llvm-tools'],
    ['wasm32-unknown-unknown', 'aarch64-unknown-linux-gnu'],
    'rust-default-1.84.1',
  ],
  tomlFile: [
    'stable',
    '1.83.0',
    'minimal',
    ['rustfmt', 'rust-src', 'miri'],
    ['wasm32-unknown-unknown', 'x86_64-unknown-linux-musl'],
    'rust-minimal-1.83.0',
  ],
  legacyFile: ['nightly', '2025-10-16', 'minimal', [], [], 'rust-minimal-1.92.0-nightly'],
  empty: ['stable', '1.84.1', 'default', [], [], 'rust-default-1.84.1'],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rbn-flake-'));
  writeFileSync(
    path.join(dir, 'rust-toolchain.toml'),
    '[toolchain]\nchannel = "1.83.0"\nprofile = "minimal"\ncomponents = ["rustfmt", "rust-src"]\ntargets = ["wasm32-unknown-unknown"]\n',
  );
  writeFileSync(path.join(dir, 'rust-toolchain'), 'nightly-2025-10-16\n');
  writeFileSync(path.join(dir, 'specs.json'), JSON.stringify(specs));
  writeFileSync(
    path.join(dir, 'flake.nix'),
    `{
  inputs.rust-bootstrap-nix.url = "path:${nixFlakeDir}";
  outputs = { self, rust-bootstrap-nix }:
    let
      rbn = rust-bootstrap-nix;
      specs = builtins.mapAttrs
        (n: s: s // (if s ? toolchainFile then { toolchainFile = ./. + "/\${s.toolchainFile}"; } else { }))
        (builtins.fromJSON (builtins.readFile ./specs.json));
      describe = t: {
        inherit (t) name profile extensions targets channelSet channelKey rustHost;
        selection = t.rustBootstrapNix;
        isDerivation = t.type == "derivation";
      };
      forSystems = f: builtins.listToAttrs (map (system: { name = system; value = f system; }) rbn.lib.systems);
    in {
      matrix = forSystems (system:
        builtins.mapAttrs (n: spec: describe (rbn.lib.toolchainFor { inherit system spec; })) specs);
      viaLegacyPackages = forSystems (system: describe (rbn.legacyPackages.\${system}.toolchainFor { channel = "1.84"; }));
      packages = forSystems (system: builtins.mapAttrs (n: p: p.name) rbn.packages.\${system});
      shells = forSystems (system:
        let d = rbn.devShells.\${system}.default; in {
          inherit (d) name shellHook;
          isDerivation = d.type == "derivation";
          packages = map (p: p.name) d.packages;
        });
      tools = forSystems (system: {
        names = builtins.attrNames rbn.sandboxTools.\${system};
        drvs = builtins.all (p: p.type == "derivation") (builtins.attrValues rbn.sandboxTools.\${system});
      });
      # What a generated online step looks like: only store paths go in.
      step = forSystems (system:
        let env = rbn.lib.onlineEnvFor { inherit system; spec = { channel = "1.83.0"; }; }; in
        derivation {
          name = "step";
          inherit system;
          builder = env.shell;
          args = [ "-c" "rustc --version > $out" ];
          PATH = env.path;
        });
    };
}
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function nixJson(attr: string): Promise<unknown> {
  const r = await run(
    'nix',
    [
      ...NIX_FEATURES,
      'eval',
      '--json',
      '--no-write-lock-file',
      `path:${dir}#${attr}`,
      ...overrideArgs(),
    ],
    { env: nixEnv },
  );
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('nix/ flake against the stand-ins', () => {
  test('nix/flake.lock pins github inputs by rev and narHash', async () => {
    const r = await run(
      'nix',
      [...NIX_FEATURES, 'flake', 'metadata', '--json', `path:${nixFlakeDir}`],
      {
        env: nixEnv,
      },
    );
    expect(r.code).toBe(0);
    const nodes = JSON.parse(r.stdout).locks.nodes;
    for (const [name, owner] of [
      ['nixpkgs', 'NixOS'],
      ['rust-overlay', 'oxalica'],
    ]) {
      expect(nodes[name!].locked).toMatchObject({ type: 'github', owner, repo: name });
      expect(nodes[name!].locked.rev).toMatch(/^[0-9a-f]{40}$/);
      expect(nodes[name!].locked.narHash).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
      expect(nodes[name!].locked.lastModified).toBeGreaterThan(1.7e9);
    }
    expect(nodes['rust-overlay'].inputs).toEqual({ nixpkgs: ['nixpkgs'] });
  });

  test('toolchain selection for every spec form, on both systems', async () => {
    const matrix = (await nixJson('matrix')) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    for (const system of systems) {
      for (const [spec, [set, key, profile, extensions, targets, drvName]] of Object.entries(
        expected,
      )) {
        const got = matrix[system]![spec]!;
        expect({ spec, ...got }).toEqual({
          spec,
          ...{
            name: drvName,
            profile,
            extensions,
            targets,
            channelSet: set,
            channelKey: key,
            rustHost: hosts[system],
            isDerivation: true,
          },
          // `latest` stays `latest` in the selection: rust-overlay resolves it.
          selection: expect.objectContaining({
            set,
            key: ['stable', 'beta', 'nightly', 'extras', 'empty'].includes(spec) ? 'latest' : key,
            profile,
            components: extensions,
            targets,
          }),
        });
      }
    }
  });

  test('legacyPackages.<system>.toolchainFor and packages.<system>', async () => {
    const via = (await nixJson('viaLegacyPackages')) as Record<string, Record<string, unknown>>;
    const pkgs = (await nixJson('packages')) as Record<string, Record<string, string>>;
    for (const system of systems) {
      expect(via[system]).toMatchObject({ channelKey: '1.84.1', rustHost: hosts[system] });
      expect(pkgs[system]).toEqual({
        default: 'rust-default-1.84.1',
        stable: 'rust-default-1.84.1',
        beta: 'rust-default-1.98.0-beta.2',
        nightly: 'rust-default-1.99.0-nightly',
        sccache: 'sccache',
        'sandbox-tools': 'rust-bootstrap-nix-sandbox-tools',
      });
    }
  });

  test('devShells.<system>.default: toolchain, tools, isolated HOME and CARGO_HOME', async () => {
    const shells = (await nixJson('shells')) as Record<string, Record<string, unknown>>;
    for (const system of systems) {
      const s = shells[system]!;
      expect(s.isDerivation).toBe(true);
      expect(s.packages).toEqual([
        'rust-default-1.84.1',
        'python3',
        'git',
        'curl',
        'which',
        'sccache',
        'cmake',
        'ninja',
        'pkg-config',
        'binutils',
      ]);
      expect(s.shellHook).toContain('export HOME="$(mktemp -d');
      expect(s.shellHook).toContain('export CARGO_HOME="$HOME/.cargo"');
    }
  });

  test('sandboxTools.<system>: shell, coreutils, C toolchain', async () => {
    const tools = (await nixJson('tools')) as Record<string, { names: string[]; drvs: boolean }>;
    for (const system of systems) {
      expect(tools[system]!.drvs).toBe(true);
      expect(tools[system]!.names).toEqual(
        expect.arrayContaining([
          'bash',
          'coreutils',
          'cc',
          'bintools',
          'findutils',
          'gnused',
          'gnugrep',
        ]),
      );
    }
  });

  test('an online step built on lib.onlineEnvFor references only store paths', async () => {
    for (const system of systems) {
      const r = await run(
        'nix',
        [
          ...NIX_FEATURES,
          'show-derivation',
          '--no-write-lock-file',
          `path:${dir}#step.${system}`,
          ...overrideArgs(),
        ],
        { env: nixEnv },
      );
      expect(r.code).toBe(0);
      const drv = Object.values(JSON.parse(r.stdout))[0] as {
        builder: string;
        env: Record<string, string>;
        inputDrvs: Record<string, unknown>;
        inputSrcs: string[];
        system: string;
      };
      expect(drv.system).toBe(system);
      expect(drv.builder).toMatch(/^\/nix\/store\/[a-z0-9]{32}-bash\/bin\/bash$/);
      const entries = drv.env.PATH!.split(':');
      expect(entries.length).toBeGreaterThan(5);
      for (const p of entries) expect(p).toMatch(/^\/nix\/store\/[a-z0-9]{32}-[^/]+\/bin$/);
      expect(entries[0]).toMatch(/rust-default-1\.83\.0\/bin$/);
      for (const p of [...Object.keys(drv.inputDrvs), ...drv.inputSrcs]) {
        expect(p).toMatch(/^\/nix\/store\//);
      }
    }
  });
});
