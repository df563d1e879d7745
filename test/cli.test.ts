// The CLI: the same pipeline and files as the action, a progress display on a
// terminal and plain lines otherwise; exit 0 on success, 1 on a failed build,
// 2 on bad usage.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../src/metadata/schema.js';
import { actionCheckout, readMetadataDir, recordUnitKey } from './support/run-action.js';
import { capture } from './support/spawn.js';
import {
  artifactKey,
  baseEnv,
  cargoBuildJson,
  copyFixture,
  filesContaining,
  removeTempDirs,
  tally,
  tempDir,
  tinyCrate,
} from './support/workspace.js';

afterAll(removeTempDirs);

const CLI = join(actionCheckout(), 'dist', 'cli.js');
const METADATA_FILES = ['config.toml', 'invocations.jsonl', 'plan.json', 'summary.md'];
const API_TOKEN = `api-${randomBytes(20).toString('hex')}`;

interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

async function cli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const r = await capture(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? tempDir('rbn-cli-cwd-'),
    // A RUNNER_TEMP of its own: the CLI's default (the system temp dir) would keep its GC roots.
    env: { RUNNER_TEMP: tempDir('rbn-cli-temp-'), ...(opts.env ?? baseEnv()) },
  });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
}

/** One word for `sh -c` (what `script -c` runs): single-quoted. */
const shellWord = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI under a pseudo-terminal (util-linux `script`); both streams come back as one. */
function cliOnTerminal(args: string[], env: Record<string, string>): Promise<CliRun> {
  const command = [process.execPath, CLI, ...args].map(shellWord).join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: tempDir('rbn-cli-tty-'),
      env: { ...env, SHELL: '/bin/sh', TERM: 'xterm', COLUMNS: '120' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({
        status: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: '',
      }),
    );
  });
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** `name=value` lines the CLI prints for the outputs. */
function outputsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    // What a terminal shows: the status line is redrawn and cleared (\r ESC[K) on
    // the line these start on, so only the text after the last \r remains.
    const line = (raw.replace(/\r$/, '').split('\r').at(-1) ?? '').replace(ANSI, '');
    const m = /^([a-z-]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** A small package with a build script, a library and a binary: quick to build. */
function smallCrate(files: Record<string, string> = {}): string {
  return tinyCrate(join(tempDir('rbn-cli-crate-'), 'tiny'), {
    'build.rs':
      'fn main() {\n    let out = std::env::var("OUT_DIR").unwrap();\n    std::fs::write(format!("{out}/gen.rs"), "pub const N: u32 = 7;").unwrap();\n}\n',
    'src/lib.rs': 'include!(concat!(env!("OUT_DIR"), "/gen.rs"));\n',
    'src/main.rs': 'fn main() {\n    println!("{}", tiny::N);\n}\n',
    ...files,
  });
}

describe('on a terminal, on the fixture workspace', () => {
  let ws: string;
  let metadataDir: string;
  let run: CliRun;

  beforeAll(async () => {
    ws = copyFixture('rbn-cli-ws-');
    metadataDir = join(tempDir('rbn-cli-meta-'), 'meta');
    run = await cliOnTerminal(
      ['emit', '--source-dir', ws, '--toolchain', 'system', '--metadata-dir', metadataDir],
      baseEnv({ MY_API_TOKEN: API_TOKEN }),
    );
  });

  test('exits 0 and draws a [recording] status line with carriage returns', () => {
    expect(run.status).toBe(0);
    const counts = [...run.stdout.matchAll(/\r\[recording\] (\d+)/g)].map((m) => Number(m[1]));
    expect(counts.length).toBeGreaterThan(0);
    for (let i = 1; i < counts.length; i++)
      expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
    // The status line is cleared before the final lines.
    expect(run.stdout).toContain('\r\x1b[K');
  });

  test('writes the same files as the action, records matching what cargo compiled', async () => {
    expect(readdirSync(metadataDir).sort()).toEqual(expect.arrayContaining(METADATA_FILES));
    const meta = readMetadataDir(metadataDir);
    for (const r of meta.records) expect(validate('record', r)).toEqual([]);
    expect(validate('plan', meta.plan)).toEqual([]);
    const cargo = await cargoBuildJson(ws);
    expect(cargo.exitCode).toBe(0);
    expect(cargo.artifacts.length).toBeGreaterThan(0);
    expect(cargo.buildScripts.length).toBeGreaterThan(0);
    expect(
      tally(
        meta.records
          .filter((r) => r.type === 'rust_compiler_invocation' && r.probe !== true)
          .map(recordUnitKey),
      ),
    ).toEqual(tally(cargo.artifacts.map(artifactKey)));
    expect(meta.records.filter((r) => r.type === 'build_script_run')).toHaveLength(
      cargo.buildScripts.length,
    );
    const outputs = outputsOf(run.stdout);
    expect(outputs.invocations).toBe(String(meta.records.length));
    expect(outputs.steps).toBe(String(meta.plan.steps.length));
    expect(outputs['metadata-dir']).toBe(metadataDir);
    expect(outputs.plan).toBe(join(metadataDir, 'plan.json'));
  });

  test('no secret in the files or on the terminal', () => {
    expect(filesContaining(metadataDir, [API_TOKEN])).toEqual([]);
    expect(run.stdout).not.toContain(API_TOKEN);
  });
});

describe('plain lines when not on a terminal', () => {
  test('emit: exit 0, the files, outputs as name=value lines, no terminal control', async () => {
    const ws = smallCrate();
    const metadataDir = join(tempDir('rbn-cli-meta-'), 'meta');
    const run = await cli([
      'emit',
      '--source-dir',
      ws,
      '--toolchain',
      'system',
      '--metadata-dir',
      metadataDir,
    ]);
    expect(run.status).toBe(0);
    expect(readdirSync(metadataDir).sort()).toEqual(expect.arrayContaining(METADATA_FILES));
    const meta = readMetadataDir(metadataDir);
    for (const r of meta.records) expect(validate('record', r)).toEqual([]);
    expect(validate('plan', meta.plan)).toEqual([]);
    expect(meta.plan.steps.map((s) => `${s.crate} ${s.kind}`).sort()).toEqual([
      'debug link', // target/debug/tiny, cargo's copy of deps/tiny-<hash>
      'tiny bin',
      'tiny build-script',
      'tiny build-script-run',
      'tiny lib',
    ]);
    const outputs = outputsOf(run.stdout);
    expect(outputs).toMatchObject({
      'metadata-dir': metadataDir,
      invocations: String(meta.records.length),
      steps: '5', // lib, bin, build script, its run, and the link step of cargo's copy of the bin
      toolchain: 'system',
    });
    expect(run.stdout + run.stderr).not.toContain('\r');
    expect(run.stdout + run.stderr).not.toContain(String.fromCharCode(27));
    // The build's own output is there, as plain lines.
    expect(run.stderr).toMatch(/Compiling tiny v0\.1\.0/);
  });

  test('a relative --source-dir is relative to the working directory', async () => {
    const ws = smallCrate();
    const metadataDir = join(tempDir('rbn-cli-meta-'), 'meta');
    const run = await cli(
      ['emit', '--source-dir=.', '--toolchain=system', `--metadata-dir=${metadataDir}`],
      { cwd: ws },
    );
    expect(run.status).toBe(0);
    expect(readMetadataDir(metadataDir).plan.source_dir).toBe(ws);
  });

  test('a failing build exits 1 and names the crate and the error', async () => {
    const ws = smallCrate({ 'src/lib.rs': 'compile_error!("planted cli failure");\n' });
    const metadataDir = join(tempDir('rbn-cli-meta-'), 'meta');
    const run = await cli([
      'emit',
      '--source-dir',
      ws,
      '--toolchain',
      'system',
      '--metadata-dir',
      metadataDir,
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/error: .*'tiny'.*error: planted cli failure/);
    const meta = readMetadataDir(metadataDir);
    for (const r of meta.records) expect(validate('record', r)).toEqual([]);
    expect(meta.records.some((r) => r.exit_code !== 0 && r.exit_code !== null)).toBe(true);
  });
});

describe('bad usage exits 2 with the usage text', () => {
  test.each([
    [[]],
    [['frobnicate']],
    [['emit', '--no-such-option', 'x']],
    [['emit', '--mode', 'emit']],
    [['emit', '--source-dir']],
    [['emit', 'stray-argument']],
  ])('%j', async (args) => {
    const run = await cli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: rust-bootstrap-nix <emit|build|run|publish>');
    expect(run.stdout).toBe('');
  });

  test('a bad input value exits 2, names the input, and writes nothing', async () => {
    const metadataDir = join(tempDir('rbn-cli-meta-'), 'meta');
    const run = await cli([
      'emit',
      '--source-dir',
      '/no/such/dir',
      '--toolchain',
      'system',
      '--metadata-dir',
      metadataDir,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Input 'source-dir'");
    expect(existsSync(metadataDir)).toBe(false);
  });

  test('--help prints the usage and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: rust-bootstrap-nix <emit|build|run|publish>');
  });
});
