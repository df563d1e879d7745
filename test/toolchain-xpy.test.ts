// x.py's config additions on a tree shaped like a rust-lang/rust checkout.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'smol-toml';
import { composeConfig, type Table } from '../src/toolchain/config-toml.js';
import {
  BUILD_SECTION_KEYS,
  hoistBuildKeys,
  inspectRustTree,
  isRustTree,
  lastChangeId,
  TOP_LEVEL_KEYS,
  TOP_LEVEL_TABLES,
  type XpyToolchain,
  xpyConfig,
} from '../src/toolchain/xpy.js';

const fixture = path.resolve('test/fixtures/rust-checkout');
const store = '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-rust-minimal-1.83.0';
const toolchain: XpyToolchain = {
  rustc: `${store}/bin/rustc`,
  cargo: `${store}/bin/cargo`,
  version: '1.83.0',
  host: 'x86_64-unknown-linux-gnu',
};
const metadataDir = '/tmp/rbn-metadata';

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'rbn-xpy-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the fixture with some paths removed or added. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = path.join(work, name);
  cpSync(fixture, dir, { recursive: true });
  edit(dir);
  return dir;
}

/** bootstrap.py's lookup: `key = value` lines under a `[section]` header line. */
function bootstrapPyGet(toml: string, key: string, section: string | null): string | null {
  let current: string | null = null;
  for (const line of toml.split('\n')) {
    const header = /^\s*\[(.*)\]\s*$/.exec(line);
    if (header) current = header[1]!;
    const m = new RegExp(`^${key.replace(/[-.]/g, '\\$&')}\\s*=(.*)$`).exec(line);
    if (m && (section === null || current === section)) return m[1]!.trim().replace(/^"|"$/g, '');
  }
  return null;
}

describe('inspectRustTree', () => {
  test('reads the fixture checkout', () => {
    expect(isRustTree(fixture)).toBe(true);
    expect(inspectRustTree(fixture)).toEqual({
      root: fixture,
      sourceVersion: '1.84.0',
      channel: 'beta',
      hasVendor: false,
      // The last entry, as bootstrap's CONFIG_CHANGE_HISTORY.last(), not the largest id.
      latestChangeId: 120593,
      predatesChangeId: false,
      writable: true,
    });
  });

  test('a missing src/ci/channel is an error naming the file', () => {
    const dir = variant('no-channel', (d) => rmSync(path.join(d, 'src/ci/channel')));
    expect(() => inspectRustTree(dir)).toThrow(
      `${dir}/src/ci/channel is missing: bootstrap reads the release channel (stable, beta, nightly or dev) from it; restore it from the checkout (git checkout -- src/ci/channel)`,
    );
  });

  test('src/ci/channel must hold a channel', () => {
    const dir = variant('odd-channel', (d) =>
      cpSync(path.join(d, 'src/version'), path.join(d, 'src/ci/channel')),
    );
    expect(() => inspectRustTree(dir)).toThrow(
      `${dir}/src/ci/channel holds "1.84.0"; bootstrap expects stable, beta, nightly or dev`,
    );
  });

  test('vendor/ is noticed', () => {
    const dir = variant('vendored', (d) =>
      mkdirSync(path.join(d, 'vendor/serde'), { recursive: true }),
    );
    expect(inspectRustTree(dir).hasVendor).toBe(true);
  });

  test('lastChangeId needs the history table', () => {
    expect(lastChangeId('pub change_id: usize,')).toBeNull();
    expect(
      lastChangeId(
        'CONFIG_CHANGE_HISTORY = [ChangeInfo { change_id: 7 }, ChangeInfo { change_id: 3 }]',
      ),
    ).toBe(3);
  });
});

describe('xpyConfig', () => {
  test('a hand-written template with rustc/cargo/vendor at the top level', () => {
    const tree = inspectRustTree(fixture);
    const template = parse(readFileSync(path.join(fixture, 'config.old.toml'), 'utf8'));
    const { config, warnings } = xpyConfig(
      tree,
      toolchain,
      ['wasm32-unknown-unknown'],
      metadataDir,
      template,
    );
    expect(config).toEqual({
      build: {
        build: 'x86_64-unknown-linux-gnu',
        host: ['x86_64-unknown-linux-gnu'],
        target: ['x86_64-unknown-linux-gnu', 'wasm32-unknown-unknown'],
        rustc: toolchain.rustc,
        cargo: toolchain.cargo,
      },
    });
    expect(warnings).toEqual([
      `the config template's build.rustc (/usr/local/bin/rustc) is replaced by ${toolchain.rustc}`,
      `the config template's build.cargo (/usr/local/bin/cargo) is replaced by ${toolchain.cargo}`,
    ]);

    // What the product's writer does with it: hoist, merge ours over, write TOML.
    const hoisted = hoistBuildKeys(template);
    expect(hoisted.moved).toEqual(['rustc', 'cargo', 'vendor']);
    const written = composeConfig({
      template: hoisted.doc,
      extra: config as unknown as Table,
      rustc: toolchain.rustc,
      cargo: toolchain.cargo,
      inline: '',
    });
    const doc = parse(written) as Record<string, Record<string, unknown>>;

    // Every key is where bootstrap's parser (serde, deny_unknown_fields) reads it.
    for (const key of Object.keys(doc)) {
      expect([...TOP_LEVEL_KEYS, ...TOP_LEVEL_TABLES]).toContain(key);
    }
    for (const key of Object.keys(doc.build!)) expect(BUILD_SECTION_KEYS).toContain(key);
    // And where bootstrap.py's line scanner finds them.
    expect(bootstrapPyGet(written, 'rustc', 'build')).toBe(toolchain.rustc);
    expect(bootstrapPyGet(written, 'cargo', 'build')).toBe(toolchain.cargo);
    expect(bootstrapPyGet(written, 'vendor', 'build')).toBe('true');
    expect(bootstrapPyGet(written, 'build', 'build')).toBe('x86_64-unknown-linux-gnu');
    // Every other part of the template is kept as it was.
    expect(doc['change-id']).toBe(115898);
    expect(doc.profile).toBe('compiler');
    expect(doc.llvm).toEqual({ 'download-ci-llvm': true, ninja: true });
    expect(doc.rust).toEqual({ debug: true, channel: 'dev' });
    expect(doc.target).toEqual({ 'x86_64-unknown-linux-gnu': { cc: 'cc', linker: 'cc' } });
  });

  test('no template: change-id is the tree latest; vendor/ turns vendoring on', () => {
    const dir = variant('vendored2', (d) => mkdirSync(path.join(d, 'vendor'), { recursive: true }));
    const { config, warnings } = xpyConfig(inspectRustTree(dir), toolchain, [], metadataDir);
    expect(config).toEqual({
      'change-id': 120593,
      build: {
        build: 'x86_64-unknown-linux-gnu',
        host: ['x86_64-unknown-linux-gnu'],
        target: ['x86_64-unknown-linux-gnu'],
        rustc: toolchain.rustc,
        cargo: toolchain.cargo,
        vendor: true,
      },
    });
    expect(warnings).toEqual([]);
  });

  test('the template keeps its own vendor, build-dir, host and target (ours are added)', () => {
    const dir = variant('vendored3', (d) => mkdirSync(path.join(d, 'vendor'), { recursive: true }));
    const template = {
      build: {
        vendor: false,
        'build-dir': '/scratch/build',
        host: ['x86_64-unknown-linux-gnu'],
        target: ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu'],
      },
    };
    const tree = { ...inspectRustTree(dir), writable: false };
    const { config } = xpyConfig(
      tree,
      toolchain,
      ['wasm32-unknown-unknown'],
      metadataDir,
      template,
    );
    expect(config.build).toEqual({
      build: 'x86_64-unknown-linux-gnu',
      host: ['x86_64-unknown-linux-gnu'],
      target: ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'wasm32-unknown-unknown'],
      rustc: toolchain.rustc,
      cargo: toolchain.cargo,
    });
  });

  test('a read-only tree builds under the metadata dir', () => {
    const tree = { ...inspectRustTree(fixture), writable: false };
    const { config, warnings } = xpyConfig(tree, toolchain, [], metadataDir);
    expect(config.build['build-dir']).toBe('/tmp/rbn-metadata/x.py-build');
    expect(warnings).toEqual([
      `${fixture} is read-only; x.py writes its build directory to /tmp/rbn-metadata/x.py-build`,
    ]);
  });

  test('unknown latest change-id: "ignore", and why', () => {
    const dir = variant('no-bootstrap', (d) =>
      rmSync(path.join(d, 'src/bootstrap'), { recursive: true }),
    );
    const { config, warnings } = xpyConfig(inspectRustTree(dir), toolchain, [], metadataDir);
    expect(config['change-id']).toBe('ignore');
    expect(warnings).toEqual([
      'the latest change-id is unknown (src/bootstrap/src/utils/change_tracker.rs has none); writing change-id = "ignore", which bootstrap accepts since 2025 and which silences its config-change notices',
    ]);
  });

  test('a bootstrap older than change-id gets none', () => {
    const dir = variant('old-bootstrap', (d) =>
      rmSync(path.join(d, 'src/bootstrap/src/utils/change_tracker.rs')),
    );
    const { config, warnings } = xpyConfig(inspectRustTree(dir), toolchain, [], metadataDir);
    expect(config['change-id']).toBeUndefined();
    expect(warnings).toEqual([
      'this bootstrap predates change-id (no src/bootstrap/src/utils/change_tracker.rs), so none is written',
    ]);
  });

  test('a toolchain bootstrap would reject is an error before x.py runs', () => {
    expect(() =>
      xpyConfig(inspectRustTree(fixture), { ...toolchain, version: '1.86.0' }, [], metadataDir),
    ).toThrow(
      "the toolchain's rustc 1.86.0 cannot build this tree (src/version 1.84.0): bootstrap builds 1.84.0 only with a 1.83.x or 1.84.x compiler, not 1.86.0; use toolchain: stage0",
    );
  });
});

describe('hoistBuildKeys', () => {
  test('moves build keys, keeps sections, lets an explicit [build] win', () => {
    const { doc, moved } = hoistBuildKeys({
      'change-id': 'ignore',
      build: { rustc: '/explicit/rustc' },
      rustc: '/top/rustc',
      target: ['x86_64-unknown-linux-gnu'],
      'build-dir': 'out',
      llvm: { ninja: false },
    });
    expect(moved).toEqual(['rustc', 'target', 'build-dir']);
    expect(doc).toEqual({
      'change-id': 'ignore',
      llvm: { ninja: false },
      build: { rustc: '/explicit/rustc', target: ['x86_64-unknown-linux-gnu'], 'build-dir': 'out' },
    });
  });

  test('a top-level build triple string moves; [target.<triple>] tables stay', () => {
    const { doc } = hoistBuildKeys({
      build: 'aarch64-unknown-linux-gnu',
      target: { 'aarch64-unknown-linux-gnu': { cc: 'cc' } },
    });
    expect(doc).toEqual({
      target: { 'aarch64-unknown-linux-gnu': { cc: 'cc' } },
      build: { build: 'aarch64-unknown-linux-gnu' },
    });
  });
});
