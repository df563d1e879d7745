// config.toml: the template first (top-level [build] keys moved under [build],
// with a warning; everything else kept), then [build] rustc/cargo set to the
// toolchain, then the inline `config` input merged last. The build finds it
// through RUST_BOOTSTRAP_CONFIG.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { InputError } from '../src/inputs.js';
import { composeConfig, mergeToml, readTemplate } from '../src/toolchain/config-toml.js';
import { ActionJob, EMIT_ONLY, expectExit, workflowCommands } from './support/run-action.js';
import { removeTempDirs, runSync, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

const RUSTC = '/opt/toolchain/bin/rustc';
const CARGO = '/opt/toolchain/bin/cargo';

const TEMPLATE = `# A hand-written config, as found in the wild.
profile = "compiler"
change-id = 123456
rustc = "/usr/local/bin/rustc"
cargo = "/usr/local/bin/cargo"
vendor = true
build = "x86_64-unknown-linux-gnu"

[llvm]
download-ci-llvm = false
ninja = false
targets = "X86;AArch64"

[rust]
channel = "nightly"
debug-assertions = true
codegen-units = 4

[target.x86_64-unknown-linux-gnu]
cc = "clang"
linker = "clang"

[dist]
compression-formats = ["xz"]
`;

function template(text: string): string {
  const p = join(tempDir('rbn-config-'), 'config.old.toml');
  writeFileSync(p, text);
  return p;
}

describe('the template', () => {
  const path = template(TEMPLATE);
  const { table, warnings } = readTemplate(path);

  test('top-level build keys move under [build], with one warning naming them', () => {
    const build = table.build as Record<string, unknown>;
    expect(build).toEqual({
      rustc: '/usr/local/bin/rustc',
      cargo: '/usr/local/bin/cargo',
      vendor: true,
      build: 'x86_64-unknown-linux-gnu',
    });
    for (const key of ['rustc', 'cargo', 'vendor']) expect(key in table).toBe(false);
    expect(warnings).toHaveLength(1);
    for (const key of ['rustc', 'cargo', 'vendor', 'build'])
      expect(warnings[0]).toContain(`'${key}'`);
    expect(warnings[0]).toContain(path);
    expect(warnings[0]).toContain('[build]');
  });

  test('keys bootstrap reads at the top level stay there; every section is kept verbatim', () => {
    const original = parse(TEMPLATE) as Record<string, unknown>;
    expect(table.profile).toBe('compiler');
    expect(table['change-id']).toBe(123456);
    for (const section of ['llvm', 'rust', 'target', 'dist'])
      expect(table[section]).toEqual(original[section]);
  });

  test('a key already under [build] wins over the same key at the top level', () => {
    const { table: t } = readTemplate(template('jobs = 2\n[build]\njobs = 8\n'));
    expect(t.build).toEqual({ jobs: 8 });
    expect('jobs' in t).toBe(false);
  });

  test('nothing to move: no warning, the document unchanged', () => {
    const text = '[build]\nrustc = "/x"\n[rust]\nlld = true\n';
    const r = readTemplate(template(text));
    expect(r.warnings).toEqual([]);
    expect(r.table).toEqual(parse(text));
  });

  test('a template that is not TOML names the config-template input', () => {
    expect(() => readTemplate(template('rustc = \n'))).toThrow(InputError);
    let error: unknown = null;
    try {
      readTemplate(template('[build\n'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('config-template');
  });
});

describe('the composed config.toml', () => {
  const { table } = readTemplate(template(TEMPLATE));
  const inline =
    '[rust]\nchannel = "dev"\n[build]\njobs = 3\ncargo = "/inline/cargo"\n[new]\nx = 1\n';
  const text = composeConfig({ template: table, rustc: RUSTC, cargo: CARGO, inline });
  const out = parse(text) as Record<string, Record<string, unknown>>;

  test('[build] rustc and cargo point at the toolchain, over the template', () => {
    expect(out.build!.rustc).toBe(RUSTC);
    expect(out.build!.vendor).toBe(true);
    expect(out.build!.build).toBe('x86_64-unknown-linux-gnu');
  });

  test('the inline config is merged last: it overrides, and keeps what it does not name', () => {
    expect(out.rust).toEqual({ channel: 'dev', 'debug-assertions': true, 'codegen-units': 4 });
    expect(out.build!.jobs).toBe(3);
    expect(out.build!.cargo).toBe('/inline/cargo');
    expect(out.new).toEqual({ x: 1 });
  });

  test('no [build] key is left at the top level; the other sections survive', () => {
    for (const key of ['rustc', 'cargo', 'vendor']) expect(key in out).toBe(false);
    expect(out.llvm).toEqual({ 'download-ci-llvm': false, ninja: false, targets: 'X86;AArch64' });
    expect(out.target).toEqual({ 'x86_64-unknown-linux-gnu': { cc: 'clang', linker: 'clang' } });
    expect((out as Record<string, unknown>).profile).toBe('compiler');
  });

  test('without a template or inline config: just [build] rustc and cargo', () => {
    const t = composeConfig({ template: null, rustc: RUSTC, cargo: CARGO, inline: '  \n' });
    expect(parse(t)).toEqual({ build: { rustc: RUSTC, cargo: CARGO } });
  });

  test('an inline config that is not TOML names the config input', () => {
    let error: unknown = null;
    try {
      composeConfig({ template: null, rustc: RUSTC, cargo: CARGO, inline: '[rust\n' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('config');
  });

  test('mergeToml merges tables key by key and replaces everything else', () => {
    expect(
      mergeToml({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: { f: 1 } }, d: { g: 2 } }),
    ).toEqual({ a: { b: 1, c: [3], e: { f: 1 } }, d: { g: 2 } });
  });
});

describe('in the action', () => {
  // A build command that is a script (the command never runs through a shell):
  // it keeps the config RUST_BOOTSTRAP_CONFIG gave it.
  const SCRIPT = '#!/bin/sh\ncat "$RUST_BOOTSTRAP_CONFIG" > "$1"\n';

  /** What the build read: the written config, with [build] cargo through the recorder's shim. */
  function expectSeenConfig(ws: string, written: Record<string, unknown>): void {
    const seen = parse(readFileSync(join(ws, 'seen-config'), 'utf8'));
    const build = written.build as Record<string, unknown>;
    expect(seen).toEqual({
      ...written,
      build: { ...build, cargo: expect.stringMatching(/\/rbn-records-[^/]+\/bin\/cargo$/) },
    });
  }

  async function runWith(files: Record<string, string>, inputs: Record<string, string>) {
    const ws = writeTree(join(tempDir('rbn-config-action-'), 'ws'), {
      'report-config.sh': SCRIPT,
      ...files,
    });
    const metadataDir = join(tempDir('rbn-config-meta-'), 'meta');
    const job = new ActionJob({
      workspace: ws,
      inputs: {
        ...EMIT_ONLY,
        'metadata-dir': metadataDir,
        command: './report-config.sh seen-config',
        ...inputs,
      },
      merged: true,
    });
    const run = await job.main();
    return { ws, run, metadataDir };
  }

  const sysroot = runSync('rustc', ['--print', 'sysroot']).stdout.trim();

  test('source-dir/config.toml is the template; the build gets the result', async () => {
    const { ws, run, metadataDir } = await runWith(
      { 'config.toml': 'rustc = "/usr/local/bin/rustc"\n[llvm]\nninja = false\n' },
      { config: '[rust]\nchannel = "dev"' },
    );
    expectExit(run, 0);
    const configPath = join(metadataDir, 'config.toml');
    expect(run.outputs['config-toml']).toBe(configPath);
    const config = parse(readFileSync(configPath, 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(config).toEqual({
      build: { rustc: join(sysroot, 'bin', 'rustc'), cargo: join(sysroot, 'bin', 'cargo') },
      llvm: { ninja: false },
      rust: { channel: 'dev' },
    });
    expectSeenConfig(ws, config);
    const warnings = workflowCommands(run.stdout, 'warning');
    expect(warnings.filter((w) => w.includes("moved top-level 'rustc'"))).toHaveLength(1);
  });

  test('config-template (relative to source-dir) replaces source-dir/config.toml', async () => {
    const { ws, run, metadataDir } = await runWith(
      {
        'config.toml': '[llvm]\nninja = true\n',
        'cfg/old.toml': '[rust]\nlld = true\n',
      },
      { 'config-template': 'cfg/old.toml' },
    );
    expectExit(run, 0);
    const config = parse(readFileSync(join(metadataDir, 'config.toml'), 'utf8'));
    expect(config).toEqual({
      build: { rustc: join(sysroot, 'bin', 'rustc'), cargo: join(sysroot, 'bin', 'cargo') },
      rust: { lld: true },
    });
    expectSeenConfig(ws, config);
    expect(workflowCommands(run.stdout, 'warning')).toEqual([]);
  });

  test('source-dir/bootstrap.toml, which x.py reads before config.toml, is the template when both exist', async () => {
    const { ws, run, metadataDir } = await runWith(
      {
        'bootstrap.toml': '[rust]\nchannel = "nightly"\n',
        'config.toml': '[llvm]\nninja = true\n',
      },
      {},
    );
    expectExit(run, 0);
    const config = parse(readFileSync(join(metadataDir, 'config.toml'), 'utf8'));
    expect(config).toEqual({
      build: { rustc: join(sysroot, 'bin', 'rustc'), cargo: join(sysroot, 'bin', 'cargo') },
      rust: { channel: 'nightly' },
    });
    expectSeenConfig(ws, config);
  });

  test("a template's relative include paths name the same files from the written config", async () => {
    const { ws, run, metadataDir } = await runWith(
      {
        'cfg/base.toml': 'include = ["extra.toml", "../shared.toml", "/etc/rbn-abs.toml"]\n',
        'cfg/extra.toml': '[rust]\nlld = true\n',
        'shared.toml': '[llvm]\nninja = true\n',
      },
      { 'config-template': 'cfg/base.toml' },
    );
    expectExit(run, 0);
    const config = parse(readFileSync(join(metadataDir, 'config.toml'), 'utf8'));
    // Bootstrap joins each entry to the directory of the file naming it.
    expect(config.include).toEqual([
      join(ws, 'cfg/extra.toml'),
      join(ws, 'shared.toml'),
      '/etc/rbn-abs.toml',
    ]);
    expectSeenConfig(ws, config);
  });
});
