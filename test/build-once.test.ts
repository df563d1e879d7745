// Build once (src/build-once/), with the real CLI, cargo, rustc and Nix in
// the sandbox:
//   - the NAR of a tree, as this project writes it, is the one `nix-store --dump` writes;
//   - the fixture workspace (build scripts, proc-macros, real crates): every compile is
//     taken from the recording, Nix runs only the build scripts (and the links), and
//     `nix build --rebuild` of every taken step, built for real in the sandbox, gives
//     the same bytes (Nix compares them and fails on any difference);
//   - a build script that writes the time: its run under Nix differs from the recorded
//     one, so the compile that reads it (and the binary after it) is built by Nix, and
//     the summary names that run; its own compile is still taken;
//   - the host-path scan finds any root of this machine in an output's bytes, at the
//     buffer's edges too, and nothing else;
//   - `build-once: false` builds every step under Nix.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { HostLayout } from '../src/build-once/outputs.js';
import { fetchedPaths } from '../src/build-once/store.js';
import { type NarNode, narOf } from '../src/nix/nar.js';
import type { Plan } from '../src/types.js';
import { runCli } from './support/cli-run.js';
import { builtStepIds, nixOk, nonce, offlineSandboxArgs } from './support/nix-helpers.js';
import { copyFixture, removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

/** No sccache, no Actions cache: what is measured is the recording and Nix. */
const QUIET = ['--sccache', 'false', '--cache', 'false'];
const ONCE = ['--build-once', 'true'];

const TAKEN = 'compiles taken from the recording (built once)';

/** A row of summary.md's tables. */
function row(meta: string, name: string): string | undefined {
  const line = readFileSync(join(meta, 'summary.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`| ${name} |`));
  return line?.split('|')[2]?.trim();
}

const summary = (meta: string): string => readFileSync(join(meta, 'summary.md'), 'utf8');

function planOf(meta: string): Plan {
  return JSON.parse(readFileSync(join(meta, 'plan.json'), 'utf8')) as Plan;
}

describe("an output's bytes scanned for this machine's roots", () => {
  const layout = new HostLayout([
    { name: 'w', path: '/tmp/rbn-scan/ws' },
    { name: 'x/serde-1.0.1', path: '/usr/share/cargo/registry/serde-1.0.1' },
    { name: 'x/syn-2.0.1', path: '/usr/share/cargo/registry/syn-2.0.1' },
    { name: 'a', path: '/ab' },
  ]);
  it.each([
    ['/usr/share/cargo/registry/syn-2.0.1/src/lib.rs', '/usr/share/cargo/registry/syn-2.0.1'],
    ['\0\0/usr/share/cargo/registry/serde-1.0.1', '/usr/share/cargo/registry/serde-1.0.1'],
    ['x/tmp/rbn-scan/ws/target', '/tmp/rbn-scan/ws'],
    ['see /ab.', '/ab'],
  ])('finds the root in %j', (text, root) => {
    expect(layout.hostPathIn(Buffer.from(text))).toBe(root);
  });
  it.each([
    '/usr/share/cargo/registry/syn-2.0',
    '/usr/share/cargo/registry/other-1.0/src',
    '/rbn/x/syn-2.0.1/src/lib.rs',
    '/tmp/rbn-scan/w',
    '/a',
    '',
  ])('finds none in %j', (text) => {
    expect(layout.hostPathIn(Buffer.from(text))).toBeNull();
  });
});

describe('what nix build --dry-run will fetch', () => {
  it('is the paths under its fetch lines, not those it will build', () => {
    const a = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-rbn-a-lib-1';
    const b = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-rbn-b-lib-2';
    const d = '/nix/store/dddddddddddddddddddddddddddddddd-rbn-c-bin-3.drv';
    expect(
      fetchedPaths(
        `this derivation will be built:\n  ${d}\nthese 2 paths will be fetched (0.10 MiB download, 0.52 MiB unpacked):\n  ${a}\n  ${b}\n`,
      ),
    ).toEqual([a, b]);
    expect(
      fetchedPaths(`this path will be fetched (0.01 MiB download, 0.02 MiB unpacked):\n  ${a}\n`),
    ).toEqual([a]);
    expect(fetchedPaths(`these 1 derivations will be built:\n  ${d}\n`)).toEqual([]);
  });
});

describe('a NAR written here', () => {
  it('is the one nix-store --dump writes of the same tree', () => {
    const dir = join(tempDir('rbn-nar-'), 't');
    writeTree(dir, {
      'b/lib.rlib': 'x'.repeat(13),
      'a.d': '',
      'B/run': '#!/bin/sh\necho hi\n',
      'nix-support/rbn-libs': '/nix/store/a\n',
    });
    const file = (p: string, executable = false): NarNode => ({
      kind: 'file',
      bytes: readFileSync(join(dir, p)),
      executable,
    });
    const d = (entries: Record<string, NarNode>): NarNode => ({
      kind: 'dir',
      entries: new Map(Object.entries(entries)),
    });
    // Given in another order than Nix's: the writer sorts by bytes ('B' before 'a').
    const tree = d({
      'nix-support': d({ 'rbn-libs': file('nix-support/rbn-libs') }),
      b: d({ 'lib.rlib': file('b/lib.rlib') }),
      'a.d': file('a.d'),
      B: d({ run: file('B/run', true) }),
    });
    const ours = Buffer.concat(narOf(tree).chunks);
    const nix = execFileSync('nix-store', ['--dump', dir]);
    expect(ours.equals(nix)).toBe(true);
  });
});

describe('the fixture workspace built once', () => {
  const ws = copyFixture('rbn-once-');
  const meta = join(ws, '..', 'metadata');
  // New derivations: no earlier run can have built them (the --cfg reaches every step).
  const env = { RUSTFLAGS: `--cfg rbn_once_${nonce()}` };
  let out = '';

  it('takes every compile from the recording; Nix runs the build scripts and the links', async () => {
    const r = await runCli(
      [
        'run',
        '--source-dir',
        ws,
        '--toolchain',
        'system',
        '--metadata-dir',
        meta,
        ...QUIET,
        ...ONCE,
      ],
      { cwd: ws, env: env },
    );
    out = r.out;
    expect(r.status).toBe(0);
    const plan = planOf(meta);
    const compiles = plan.steps.filter((s) => s.type === 'rust_compiler_invocation');
    expect(compiles.length).toBeGreaterThan(50);
    expect(row(meta, TAKEN)).toBe(String(compiles.length));
    const built = new Set(builtStepIds(out, plan));
    for (const c of compiles) expect(built.has(c.id)).toBe(false);
    for (const s of plan.steps.filter((s) => s.type === 'build_script_run'))
      expect(built.has(s.id)).toBe(true);
    expect(summary(meta)).toContain('Every compile was taken from the recording.');
    // Where the time went: the recording and build once among the stages, each with a time.
    const times = summary(meta).split(/^### Time by stage$/m)[1] ?? '';
    expect(times).toMatch(/^\| the recorded build \(cargo build\) \| [\d.]+ s \|$/m);
    expect(times).toMatch(
      /^\| taking the recording's compiles as their steps' outputs \| [\d.]+ s \|$/m,
    );
    const app = execFileSync(join(r.outputs['out-paths']!, 'target/debug/app'), {
      encoding: 'utf8',
    });
    expect(app.length).toBeGreaterThan(0);
  }, 600_000);

  it('each taken step, built again by Nix in the sandbox, has the same bytes (nix build --rebuild)', async () => {
    const plan = planOf(meta);
    const ids = plan.steps.filter((s) => s.type === 'rust_compiler_invocation').map((s) => s.id);
    const flake = join(meta, 'flake');
    const r = await nixOk([
      'build',
      '--impure',
      '--no-link',
      '--rebuild',
      '--keep-going',
      ...offlineSandboxArgs(),
      ...ids.map((id) => `path:${flake}#${id}`),
    ]);
    // --rebuild builds each one again and fails on any byte that differs.
    expect(r.stderr.match(/checking outputs of/g)?.length).toBe(ids.length);
  }, 900_000);
});

describe('a build script that writes the time', () => {
  const root = tempDir('rbn-once-nd-');
  const ws = join(root, 'ws');
  writeTree(ws, {
    'Cargo.toml': '[workspace]\nmembers = ["stamp", "app"]\nresolver = "2"\n',
    'stamp/Cargo.toml': '[package]\nname = "stamp"\nversion = "0.1.0"\nedition = "2021"\n',
    // A new build script each run: no earlier run on this machine built these steps.
    'stamp/build.rs': `// ${nonce()}
use std::time::{SystemTime, UNIX_EPOCH};
fn main() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{out}/stamp.rs"), format!("pub const STAMP: u128 = {now};\\n")).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
`,
    'stamp/src/lib.rs': 'include!(concat!(env!("OUT_DIR"), "/stamp.rs"));\n',
    'app/Cargo.toml':
      '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nstamp = { path = "../stamp" }\n',
    'app/src/main.rs': 'fn main() {\n    println!("{}", stamp::STAMP);\n}\n',
  });
  const meta = join(root, 'metadata');

  it('is run again by Nix, differs, and the compiles that read it are built by Nix; the summary names it', async () => {
    const r = await runCli(
      [
        'run',
        '--source-dir',
        ws,
        '--toolchain',
        'system',
        '--metadata-dir',
        meta,
        ...QUIET,
        ...ONCE,
      ],
      { cwd: ws, env: {} },
    );
    expect(r.status).toBe(0);
    const plan = planOf(meta);
    const id = (pattern: RegExp): string => plan.steps.find((s) => pattern.test(s.id))!.id;
    const run = id(/^stamp-run-/);
    const script = id(/^stamp-build-/);
    const built = new Set(builtStepIds(r.out, plan));
    expect(built.has(run)).toBe(true);
    expect(built.has(id(/^stamp-lib-/))).toBe(true);
    expect(built.has(id(/^app-bin-/))).toBe(true);
    // The build script's own compile does not read the run: taken.
    expect(built.has(script)).toBe(false);
    expect(row(meta, TAKEN)).toBe('1');
    expect(summary(meta)).toMatch(
      new RegExp(
        `their compiles were built by Nix\\): \`${run}\` \\(w/target/debug/build/[^ ]+/out/stamp.rs differs\\)`,
      ),
    );
    expect(summary(meta)).toContain('2 more compile(s) read one of those, so Nix built them too.');
    // The result is Nix's own build: its binary prints the time Nix's run wrote, not the recording's.
    const printed = execFileSync(join(r.outputs['out-paths']!, 'target/debug/app'), {
      encoding: 'utf8',
    }).trim();
    const recorded = execFileSync(join(ws, 'target/debug/app'), { encoding: 'utf8' }).trim();
    expect(printed).not.toBe(recorded);
  }, 600_000);

  it('with build-once false, every step is built under Nix', async () => {
    writeFileSync(
      join(ws, 'stamp/src/lib.rs'),
      `// ${nonce()}\ninclude!(concat!(env!("OUT_DIR"), "/stamp.rs"));\n`,
    );
    const r = await runCli(
      [
        'run',
        '--source-dir',
        ws,
        '--toolchain',
        'system',
        '--metadata-dir',
        meta,
        ...QUIET,
        '--build-once',
        'false',
        '--reuse-plan',
        'false',
      ],
      {
        cwd: ws,
        env: { RUSTFLAGS: `--cfg rbn_${nonce()}` },
      },
    );
    expect(r.status).toBe(0);
    expect(row(meta, TAKEN)).toBeUndefined();
    const plan = planOf(meta);
    expect(new Set(builtStepIds(r.out, plan)).size).toBe(plan.steps.length);
  }, 600_000);
});
