import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  bootstrapCompilerProblem,
  channelProblem,
  flakeSpec,
  parseToolchain,
  TOOLCHAIN_ACCEPTS,
  type ToolchainSpec,
} from '../src/toolchain/spec.js';

const checkout = path.resolve('test/fixtures/rust-checkout');
const root = mkdtempSync(path.join(tmpdir(), 'rbn-spec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A directory with the given files (path -> content). */
function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const empty = tree('empty', {});
const betaTree = tree('beta-stage0', {
  'x.py': '',
  'src/stage0': 'compiler_date=2026-07-13\ncompiler_version=beta\n',
  'src/version': '1.99.0\n',
});
const jsonTree = tree('json-stage0', {
  'src/stage0.json': JSON.stringify({ compiler: { date: '2023-08-24', version: '1.72.0' } }),
  'src/version': '1.73.0\n',
});
const oldCompiler = tree('old-compiler', {
  'src/stage0': 'compiler_date=2024-09-05\ncompiler_version=1.81.0\n',
  'src/version': '1.84.0\n',
});
const undatedBeta = tree('undated-beta', {
  'src/stage0': 'compiler_version=beta\n',
  'src/version': '1.84.0\n',
});
const noVersion = tree('no-version', { 'src/stage0': 'compiler_version=1.83.0\n' });
const oddCompiler = tree('odd-compiler', {
  'src/stage0': 'compiler_version=1.83\ncompiler_date=2024-11-28\n',
  'src/version': '1.84.0\n',
});
const files = tree('files', {
  'full/rust-toolchain.toml':
    '[toolchain]\nchannel = "1.83.0"\ncomponents = ["rustfmt", "rust-src"]\ntargets = ["wasm32-unknown-unknown"]\nprofile = "minimal"\n',
  'legacy/rust-toolchain': 'nightly-2025-10-16\n',
  'path/rust-toolchain.toml': '[toolchain]\npath = "/opt/rust"\n',
  'typo/rust-toolchain.toml': '[toolchain]\nchannel = "stabel"\n',
  'broken/rust-toolchain.toml': '[toolchain\nchannel = "stable"\n',
  'notable/rust-toolchain.toml': 'channel = "stable"\n',
  'profile/rust-toolchain.toml': '[toolchain]\nchannel = "stable"\nprofile = "full"\n',
  'dir/keep': '',
});
const autoToml = tree('auto-toml', {
  'Cargo.toml': '[workspace]\n',
  'rust-toolchain.toml': '[toolchain]\nchannel = "beta-2025-10-16"\ncomponents = ["clippy"]\n',
});
const autoBoth = tree('auto-both', {
  'rust-toolchain': '1.82.0\n',
  'rust-toolchain.toml': '[toolchain]\nchannel = "1.83.0"\n',
});
const autoBroken = tree('auto-broken', {
  'x.py': '',
  'src/stage0': 'compiler_version=1.80.0\n',
  'src/version': '1.84.0\n',
});

interface Case {
  name: string;
  value: string | null;
  sourceDir?: string;
  cwd?: string;
  targets?: string[];
  components?: string[];
  want?: Partial<Record<string, unknown>>;
  error?: string;
}

const accepts = `It accepts ${TOOLCHAIN_ACCEPTS}`;
const nix = (channel: string, extra: Partial<Record<string, unknown>> = {}) => ({
  kind: 'nix',
  origin: 'channel',
  channel,
  profile: 'default',
  components: [],
  targets: [],
  ...extra,
});

const cases: Case[] = [
  // valid
  { name: 'stable', value: 'stable', want: nix('stable') },
  { name: 'beta', value: 'beta', want: nix('beta') },
  { name: 'nightly', value: 'nightly', want: nix('nightly') },
  { name: 'exact version', value: '1.83.0', want: nix('1.83.0') },
  { name: 'minor version (newest patch)', value: '1.83', want: nix('1.83') },
  { name: 'dated nightly', value: 'nightly-2025-10-16', want: nix('nightly-2025-10-16') },
  { name: 'dated beta', value: 'beta-2025-10-16', want: nix('beta-2025-10-16') },
  { name: 'surrounding blanks', value: '  1.83.0\n', want: nix('1.83.0') },
  {
    name: 'inputs targets/components, deduplicated',
    value: 'stable',
    targets: ['wasm32-unknown-unknown', 'wasm32-unknown-unknown'],
    components: ['rust-src', 'llvm-tools'],
    want: nix('stable', {
      targets: ['wasm32-unknown-unknown'],
      components: ['rust-src', 'llvm-tools'],
    }),
  },
  { name: 'system', value: 'system', want: { kind: 'system', targets: [], warnings: [] } },
  {
    name: 'system ignores components, with a warning',
    value: 'system',
    components: ['rust-src'],
    want: {
      kind: 'system',
      components: [],
      warnings: [
        'components (rust-src) are ignored with toolchain: system; add them with rustup instead',
      ],
    },
  },
  {
    name: 'stage0 with a stable compiler',
    value: 'stage0',
    sourceDir: checkout,
    want: {
      kind: 'nix',
      origin: 'stage0',
      channel: '1.83.0',
      profile: 'minimal',
      stage0: {
        compilerVersion: '1.83.0',
        compilerDate: '2024-11-28',
        sourceVersion: '1.84.0',
        file: path.join(checkout, 'src/stage0'),
      },
    },
  },
  {
    name: 'stage0 with a dated beta',
    value: 'stage0',
    sourceDir: betaTree,
    want: { origin: 'stage0', channel: 'beta-2026-07-13', profile: 'minimal' },
  },
  {
    name: 'stage0.json of older trees',
    value: 'stage0',
    sourceDir: jsonTree,
    want: { origin: 'stage0', channel: '1.72.0' },
  },
  {
    name: 'rust-toolchain.toml merged with the inputs',
    value: path.join(files, 'full/rust-toolchain.toml'),
    targets: ['aarch64-unknown-linux-gnu'],
    components: ['rust-src', 'miri'],
    want: {
      origin: 'file',
      channel: '1.83.0',
      profile: 'minimal',
      components: ['rustfmt', 'rust-src', 'miri'],
      targets: ['wasm32-unknown-unknown', 'aarch64-unknown-linux-gnu'],
      file: path.join(files, 'full/rust-toolchain.toml'),
    },
  },
  {
    name: 'legacy one-line rust-toolchain',
    value: path.join(files, 'legacy/rust-toolchain'),
    want: { origin: 'file', channel: 'nightly-2025-10-16', profile: 'default' },
  },
  {
    name: 'relative path resolves against cwd',
    value: 'legacy/rust-toolchain',
    cwd: files,
    want: { origin: 'file', file: path.join(files, 'legacy/rust-toolchain') },
  },
  {
    name: 'auto: stage0 in a rust checkout',
    value: null,
    sourceDir: checkout,
    want: { origin: 'stage0', channel: '1.83.0' },
  },
  {
    name: 'auto: the workspace rust-toolchain.toml',
    value: null,
    sourceDir: autoToml,
    want: { origin: 'file', channel: 'beta-2025-10-16', components: ['clippy'] },
  },
  {
    name: 'auto: rust-toolchain wins over rust-toolchain.toml (as in rustup)',
    value: '',
    sourceDir: autoBoth,
    want: { origin: 'file', channel: '1.82.0', file: path.join(autoBoth, 'rust-toolchain') },
  },
  { name: 'auto: stable otherwise', value: null, sourceDir: empty, want: nix('stable') },
  { name: 'the word auto', value: 'auto', sourceDir: empty, want: nix('stable') },

  // invalid
  {
    name: 'four-part version',
    value: '1.83.0.1',
    error: `Invalid toolchain input "1.83.0.1": a version is MAJOR.MINOR or MAJOR.MINOR.PATCH, without pre-release or build suffixes. ${accepts}`,
  },
  {
    name: 'pre-release version',
    value: '1.83.0-beta.1',
    error: `Invalid toolchain input "1.83.0-beta.1": a version is MAJOR.MINOR or MAJOR.MINOR.PATCH, without pre-release or build suffixes. ${accepts}`,
  },
  {
    name: 'major version 2',
    value: '2.0.0',
    error: `Invalid toolchain input "2.0.0": Rust versions start with 1. (got major version 2). ${accepts}`,
  },
  {
    name: 'dated stable',
    value: 'stable-2025-10-16',
    error: `Invalid toolchain input "stable-2025-10-16": stable releases have no date; use a version such as 1.83.0. ${accepts}`,
  },
  {
    name: 'impossible date',
    value: 'nightly-2025-02-30',
    error: `Invalid toolchain input "nightly-2025-02-30": 2025-02-30 is not a calendar date. ${accepts}`,
  },
  {
    name: 'short year',
    value: 'nightly-25-10-16',
    error: `Invalid toolchain input "nightly-25-10-16": a dated channel is nightly-YYYY-MM-DD or beta-YYYY-MM-DD. ${accepts}`,
  },
  {
    name: 'host triple suffix on a version',
    value: '1.83.0-x86_64-unknown-linux-gnu',
    error: `Invalid toolchain input "1.83.0-x86_64-unknown-linux-gnu": a host triple in the name (x86_64-unknown-linux-gnu) is not supported; the host is the runner's, so use 1.83.0. ${accepts}`,
  },
  {
    name: 'host triple suffix on a channel',
    value: 'stable-aarch64-unknown-linux-gnu',
    error: `Invalid toolchain input "stable-aarch64-unknown-linux-gnu": a host triple in the name (aarch64-unknown-linux-gnu) is not supported; the host is the runner's, so use stable. ${accepts}`,
  },
  {
    name: 'unknown word',
    value: 'latest',
    error: `Invalid toolchain input "latest": it is not a channel, a version, stage0, system or an existing file path. It accepts stable, beta, nightly, a version (1.83.0, or 1.83 for its newest patch release), nightly-YYYY-MM-DD, beta-YYYY-MM-DD, stage0, system, or a path to a rust-toolchain or rust-toolchain.toml file`,
  },
  {
    name: 'missing toolchain file',
    value: './missing/rust-toolchain.toml',
    cwd: files,
    error: `Invalid toolchain input "./missing/rust-toolchain.toml": the file ${files}/missing/rust-toolchain.toml does not exist. ${accepts}`,
  },
  {
    name: 'a directory, not a file',
    value: `${files}/dir/`,
    error: `Invalid toolchain input "${files}/dir/": ${files}/dir is not a file. ${accepts}`,
  },
  {
    name: 'toolchain file with path',
    value: path.join(files, 'path/rust-toolchain.toml'),
    error: `Invalid toolchain input "${files}/path/rust-toolchain.toml": ${files}/path/rust-toolchain.toml sets toolchain.path, which is not supported; use toolchain: system instead. ${accepts}`,
  },
  {
    name: 'toolchain file with a misspelt channel',
    value: path.join(files, 'typo/rust-toolchain.toml'),
    error: `Invalid toolchain input "${files}/typo/rust-toolchain.toml": ${files}/typo/rust-toolchain.toml sets channel "stabel": it is not a channel, a version, stage0, system or an existing file path. ${accepts}`,
  },
  {
    name: 'toolchain file that is not TOML',
    value: path.join(files, 'broken/rust-toolchain.toml'),
    error: `Invalid toolchain input "${files}/broken/rust-toolchain.toml": ${files}/broken/rust-toolchain.toml is neither a one-word channel nor valid TOML (Invalid TOML document: illegal character in key). ${accepts}`,
  },
  {
    name: 'toolchain file without [toolchain]',
    value: path.join(files, 'notable/rust-toolchain.toml'),
    error: `Invalid toolchain input "${files}/notable/rust-toolchain.toml": ${files}/notable/rust-toolchain.toml has no [toolchain] table. ${accepts}`,
  },
  {
    name: 'toolchain file with an unknown profile',
    value: path.join(files, 'profile/rust-toolchain.toml'),
    error: `Invalid toolchain input "${files}/profile/rust-toolchain.toml": ${files}/profile/rust-toolchain.toml: toolchain.profile must be minimal, default or complete. ${accepts}`,
  },
  {
    name: 'stage0 without src/stage0',
    value: 'stage0',
    sourceDir: empty,
    error: `Invalid toolchain input "stage0": ${empty}/src/stage0 does not exist, so there is no stage0 compiler to use. ${accepts}`,
  },
  {
    name: 'stage0 compiler too old for src/version',
    value: 'stage0',
    sourceDir: oldCompiler,
    error: `Invalid toolchain input "stage0": ${oldCompiler}/src/stage0 names compiler 1.81.0 but src/version is 1.84.0; bootstrap builds 1.84.0 only with a 1.83.x or 1.84.x compiler, not 1.81.0. ${accepts}`,
  },
  {
    name: 'stage0 beta without a date',
    value: 'stage0',
    sourceDir: undatedBeta,
    error: `Invalid toolchain input "stage0": ${undatedBeta}/src/stage0 has compiler_version=beta but no compiler_date. ${accepts}`,
  },
  {
    name: 'stage0 without src/version',
    value: 'stage0',
    sourceDir: noVersion,
    error: `Invalid toolchain input "stage0": ${noVersion}/src/version does not exist; bootstrap reads the version it builds from it. ${accepts}`,
  },
  {
    name: 'stage0 with a two-part compiler_version',
    value: 'stage0',
    sourceDir: oddCompiler,
    error: `Invalid toolchain input "stage0": ${oddCompiler}/src/stage0 has compiler_version=1.83; expected beta, nightly or X.Y.Z. ${accepts}`,
  },
  {
    name: 'auto on a tree with a bad stage0',
    value: null,
    sourceDir: autoBroken,
    error: `Invalid toolchain input (auto: stage0 of ${autoBroken}): ${autoBroken}/src/stage0 names compiler 1.80.0 but src/version is 1.84.0; bootstrap builds 1.84.0 only with a 1.83.x or 1.84.x compiler, not 1.80.0. Set toolchain to one of ${TOOLCHAIN_ACCEPTS}`,
  },
  {
    name: 'a malformed target',
    value: 'stable',
    targets: ['x86 64'],
    error: 'Invalid targets input "x86 64": it accepts target triples',
  },
  {
    name: 'a malformed component',
    value: 'stable',
    components: ['Rust_Src'],
    error:
      'Invalid components input "Rust_Src": it accepts rust-overlay component names such as rust-src or llvm-tools',
  },
];

describe('parseToolchain', () => {
  test('the table has at least 20 specs, valid and invalid', () => {
    expect(cases.filter((c) => c.want).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(20);
  });

  test.each(cases)('$name', (c) => {
    const run = (): ToolchainSpec =>
      parseToolchain(c.value, {
        sourceDir: c.sourceDir ?? empty,
        cwd: c.cwd ?? root,
        targets: c.targets,
        components: c.components,
      });
    if (c.error !== undefined) {
      expect(run).toThrow(c.error);
      try {
        run();
      } catch (e) {
        expect((e as Error).message).toBe(c.error);
        expect((e as Error).message).not.toContain('\n');
      }
    } else {
      expect(run()).toMatchObject(c.want!);
    }
  });
});

describe('helpers', () => {
  test('bootstrap accepts the same or the previous minor version', () => {
    expect(bootstrapCompilerProblem('1.84.0', '1.83.0')).toBeNull();
    expect(bootstrapCompilerProblem('1.84.0', '1.84.1')).toBeNull();
    expect(bootstrapCompilerProblem('1.84.0', '1.84.0-beta.3')).toBeNull();
    expect(bootstrapCompilerProblem('1.84.0', '1.85.0')).toBe(
      'bootstrap builds 1.84.0 only with a 1.83.x or 1.84.x compiler, not 1.85.0',
    );
    expect(bootstrapCompilerProblem('1.84.0', '1.82.0')).not.toBeNull();
  });

  test('channelProblem is null exactly for channels rust-overlay serves', () => {
    for (const ok of ['stable', 'beta', 'nightly', '1.0', '1.83.0', 'beta-2024-02-29']) {
      expect(channelProblem(ok)).toBeNull();
    }
    for (const bad of ['stage0', 'system', '01.83.0', 'beta-2023-02-29', '']) {
      expect(channelProblem(bad)).not.toBeNull();
    }
  });

  test('flakeSpec hands the flake the file or the channel', () => {
    const file = parseToolchain(path.join(files, 'full/rust-toolchain.toml'), {
      sourceDir: empty,
      targets: ['x'],
    });
    if (file.kind !== 'nix') throw new Error('expected nix');
    expect(flakeSpec(file, 'rust-toolchain.toml')).toEqual({
      profile: 'minimal',
      components: ['rustfmt', 'rust-src'],
      targets: ['wasm32-unknown-unknown', 'x'],
      toolchainFile: 'rust-toolchain.toml',
    });
    const channel = parseToolchain('1.83', { sourceDir: empty });
    if (channel.kind !== 'nix') throw new Error('expected nix');
    expect(flakeSpec(channel)).toEqual({
      channel: '1.83',
      profile: 'default',
      components: [],
      targets: [],
    });
  });
});
