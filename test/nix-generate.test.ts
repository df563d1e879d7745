// mode: build regenerates the flake from metadata-dir alone: a source whose
// recorded path is gone (an uploaded metadata-dir, a cleaned workspace) comes
// from the previous flake's copy, and only when there is none is it an error.
// And the step format (src/nix/step-format.ts) is the one definition the
// generator and the step runner share.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { RootMatcher, TOOLCHAIN_ROOT } from '../src/nix/encode.js';
import { generateFlake } from '../src/nix/generate.js';
import { fileNarHash } from '../src/nix/nar.js';
import {
  encodeRooted,
  resolveRooted,
  rootMark,
  STEP_FORMAT,
  StepWriter,
  withRunnerFormatBlock,
} from '../src/nix/step-format.js';
import { offlineTools } from '../src/nix/tools.js';
import type { InvocationRecord, Plan } from '../src/types.js';
import { REPO_ROOT, removeTempDirs, tempDir } from './support/workspace.js';

afterAll(() => removeTempDirs());

function onePlan(ws: string): { plan: Plan; records: InvocationRecord[] } {
  const id = 'demo-lib-0123456789abcdef';
  const outputs = [`${ws}/target/debug/deps/libdemo-0123456789abcdef.rlib`];
  const plan: Plan = {
    schema_version: 1,
    source_dir: ws,
    target_dirs: [`${ws}/target`],
    roots: [{ name: 'w', path: ws }],
    toolchain: {
      rustc: '/opt/rust/bin/rustc',
      cargo: '/opt/rust/bin/cargo',
      sysroot: '/opt/rust',
      version: '1.95.0',
    },
    steps: [
      {
        id,
        type: 'rust_compiler_invocation',
        crate: 'demo',
        kind: 'lib',
        deps: [],
        outputs,
        sources: [`${ws}/src/lib.rs`],
        env_deps: [],
        cwd: ws,
        duration_ms: 1,
        exit_code: 0,
      },
    ],
    artifacts: [],
  };
  const records: InvocationRecord[] = [
    {
      schema_version: 1,
      id,
      type: 'rust_compiler_invocation',
      command: '/opt/rust/bin/rustc',
      args: ['--crate-name', 'demo', 'src/lib.rs'],
      env: {},
      cwd: ws,
      deps: [],
      outputs,
      exit_code: 0,
      duration_ms: 1,
      start_ms: 0,
    },
  ];
  return { plan, records };
}

test('a regenerated flake takes a vanished source from its previous copy; without one it names the file', () => {
  const base = tempDir('rbn-gen-');
  const ws = join(base, 'ws');
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'src', 'lib.rs'), 'pub fn demo() -> u32 { 7 }\n');
  const { plan, records } = onePlan(ws);
  const flakeDir = join(base, 'md', 'flake');
  const tools = offlineTools('/nix/store/00000000000000000000000000000000-rust');
  generateFlake({ plan, records, flakeDir, tools });

  rmSync(ws, { recursive: true, force: true });
  generateFlake({ plan, records, flakeDir, tools });
  expect(readFileSync(join(flakeDir, 'sources', 'w', 'src', 'lib.rs'), 'utf8')).toBe(
    'pub fn demo() -> u32 { 7 }\n',
  );
  expect(readFileSync(join(flakeDir, 'steps.nix'), 'utf8')).toContain('"w/src/lib.rs"');

  rmSync(flakeDir, { recursive: true, force: true });
  expect(() => generateFlake({ plan, records, flakeDir, tools })).toThrow(/src\/lib\.rs is gone/);
});

test("a registry, git or vendored crate's sources are linked into the flake, every other file copied: an edit in place leaves the snapshot", () => {
  const base = tempDir('rbn-gen-');
  const ws = join(base, 'ws');
  const crate = join(base, 'registry', 'dep-1.0.0'); // cargo unpacked it: .cargo-ok
  const sibling = join(base, 'sibling'); // a path dependency outside the tree: the user's
  const vendored = join(ws, 'vendor', 'vdep-2.0.0');
  const files: Record<string, string> = {
    [join(ws, 'src', 'lib.rs')]: 'pub fn demo() -> u32 { 7 }\n',
    [join(crate, '.cargo-ok')]: '{"v":1}',
    [join(crate, 'src', 'lib.rs')]: 'pub fn dep() -> u32 { 1 }\n',
    [join(sibling, 'src', 'lib.rs')]: 'pub fn sibling() -> u32 { 3 }\n',
    [join(vendored, '.cargo-checksum.json')]: '{"files":{},"package":null}\n',
    [join(vendored, 'src', 'inner', 'mod.rs')]: 'pub fn vdep() -> u32 { 2 }\n',
    // Not in a vendored crate: no .cargo-checksum.json above it inside the tree.
    [join(ws, 'vendor', 'loose.rs')]: 'pub fn loose() {}\n',
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  const { plan, records } = onePlan(ws);
  plan.roots.push({ name: 'x/dep-1.0.0', path: crate }, { name: 'x/sibling', path: sibling });
  plan.steps[0]!.sources = Object.keys(files).filter((p) => p.endsWith('.rs'));
  const flakeDir = join(base, 'md', 'flake');
  const tools = offlineTools('/nix/store/00000000000000000000000000000000-rust');
  generateFlake({ plan, records, flakeDir, tools });

  const inFlake = (rel: string): string => join(flakeDir, 'sources', rel);
  const linked = (rel: string, from: string): boolean =>
    statSync(inFlake(rel)).ino === statSync(from).ino;
  expect(linked('x/dep-1.0.0/src/lib.rs', join(crate, 'src', 'lib.rs'))).toBe(true);
  expect(
    linked('w/vendor/vdep-2.0.0/src/inner/mod.rs', join(vendored, 'src', 'inner', 'mod.rs')),
  ).toBe(true);
  expect(linked('w/src/lib.rs', join(ws, 'src', 'lib.rs'))).toBe(false);
  expect(linked('x/sibling/src/lib.rs', join(sibling, 'src', 'lib.rs'))).toBe(false);
  expect(linked('w/vendor/loose.rs', join(ws, 'vendor', 'loose.rs'))).toBe(false);
  appendFileSync(join(ws, 'src', 'lib.rs'), '// edited in place\n');
  appendFileSync(join(sibling, 'src', 'lib.rs'), '// edited in place\n');
  expect(readFileSync(inFlake('w/src/lib.rs'), 'utf8')).toBe('pub fn demo() -> u32 { 7 }\n');
  expect(readFileSync(inFlake('x/sibling/src/lib.rs'), 'utf8')).toBe(
    'pub fn sibling() -> u32 { 3 }\n',
  );
  const steps = readFileSync(join(flakeDir, 'steps.nix'), 'utf8');
  for (const rel of [
    'x/dep-1.0.0/src/lib.rs',
    'w/vendor/vdep-2.0.0/src/inner/mod.rs',
    'w/src/lib.rs',
    'x/sibling/src/lib.rs',
  ])
    expect(steps).toContain(JSON.stringify(fileNarHash(inFlake(rel))));

  // Regenerated with the tree gone: the old flake's copies are linked into the new one.
  const before = statSync(inFlake('w/src/lib.rs')).ino;
  rmSync(ws, { recursive: true, force: true });
  generateFlake({ plan, records, flakeDir, tools });
  expect(statSync(inFlake('w/src/lib.rs')).ino).toBe(before);
});

// ---- the step format: one definition -------------------------------------------------------

const RUNNER = join(REPO_ROOT, 'src', 'assets', 'nix', 'step-runner.sh');
const LIB = join(REPO_ROOT, 'src', 'assets', 'nix', 'lib.nix');

describe('the step format', () => {
  const runner = readFileSync(RUNNER, 'utf8');

  test("the runner's step format block is the one step-format.ts renders (npm run step-format)", () => {
    expect(withRunnerFormatBlock(runner)).toBe(runner);
  });

  test('the runner uses every attribute of the format; lib.nix sets the ones it owns, structured', () => {
    const body = runner.slice(runner.indexOf('# <<< step format'));
    for (const name of Object.keys(STEP_FORMAT))
      expect({ name, used: new RegExp(`\\$\\{?!?#?${name}\\b`).test(body) }).toEqual({
        name,
        used: true,
      });
    const lib = readFileSync(LIB, 'utf8');
    expect(lib).toContain('__structuredAttrs = true;');
    for (const [name, field] of Object.entries(STEP_FORMAT))
      expect({ name, inLib: new RegExp(`\\b${name} = `).test(lib) }).toEqual({
        name,
        inLib: 'setBy' in field || name === 'kind',
      });
  });

  test('a step in the format: readable names, roots as @{root}, empty values left out', () => {
    const m = new RootMatcher([
      { name: 'w', path: '/home/me/ws' },
      { name: TOOLCHAIN_ROOT, path: '/opt/rust' },
    ]);
    const w = new StepWriter(m)
      .text('kind', 'compile')
      .rootedText('command', '/opt/rust/bin/rustc')
      .rootedText('cwd', '/home/me/ws')
      .rootedList('arguments', ['--out-dir', '/home/me/ws/target/debug/deps', 'a"b'])
      .rootedList('environment', ['CARGO_MANIFEST_DIR=/home/me/ws', 'X='])
      .map('sources', [['w/src/lib.rs', '/nix/store/x-lib.rs']])
      .list('makeDirs', [])
      .text('stdoutFile', '');
    expect(w.lines()).toEqual([
      'kind = "compile";',
      'command = "@{@toolchain}/bin/rustc";',
      'cwd = "@{w}";',
      'arguments = [ "--out-dir" "@{w}/target/debug/deps" "a\\"b" ];',
      'environment = [ "CARGO_MANIFEST_DIR=@{w}" "X=" ];',
      'sources = { "w/src/lib.rs" = "/nix/store/x-lib.rs"; };',
    ]);
  });

  test('a step whose own strings hold @{ gets a mark none of them holds', () => {
    const m = new RootMatcher([{ name: 'w', path: '/ws' }]);
    const lines = new StepWriter(m)
      .rootedList('arguments', ['@{w}', '/ws/a', 'x@@{'])
      .rootedText('cwd', '/ws')
      .lines();
    expect(lines).toEqual([
      'rootMark = "@@@{";',
      'cwd = "@@@{w}";',
      'arguments = [ "@{w}" "@@@{w}/a" "x@@{" ];',
    ]);
    expect(rootMark(['a', 'b'])).toBe('@{');
    expect(rootMark(['a@{', 'b'])).toBe('@@{');
  });

  test("the runner's resolve puts back exactly what the generator encoded, byte for byte", () => {
    const start = runner.indexOf('resolve() {');
    const fn = runner.slice(start, runner.indexOf('\n}\n', start) + 3);
    const top = '/tmp/nix-build-x/r';
    const toolchain = '/nix/store/00000000000000000000000000000000-rust';
    const dir = tempDir('rbn-resolve-');
    writeFileSync(
      join(dir, 'resolve.sh'),
      `${fn}\ntop=${top} toolchain=${toolchain}\nwhile IFS= read -r -d '' rootMark && IFS= read -r -d '' text; do resolve "$text"; printf '%s\\0' "$REPLY"; done\n`,
    );
    const roots = ['w', 't-2', 'x/reg-1.0.0', TOOLCHAIN_ROOT];
    const part = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('@', '@{', '@@{', '{', '}', '@{w}', '@@{w}', '}@', '${', '\\', "'", '\n'),
    );
    const parts = fc
      .array(fc.tuple(fc.array(part, { maxLength: 3 }), fc.constantFrom(...roots)), {
        maxLength: 4,
      })
      .chain((pairs) =>
        fc.array(part, { maxLength: 3 }).map((tail) => {
          const out: string[] = [];
          for (const [lit, root] of pairs) out.push(lit.join('').replace(/\0/g, ''), root);
          out.push(tail.join('').replace(/\0/g, ''));
          return out;
        }),
      );
    fc.assert(
      fc.property(fc.array(parts, { minLength: 50, maxLength: 50 }), (batch) => {
        const encoded = batch.map((p) => {
          const mark = rootMark(p.filter((_, j) => j % 2 === 0));
          return { mark, text: encodeRooted(p, mark) };
        });
        const input = Buffer.concat(encoded.map((e) => Buffer.from(`${e.mark}\0${e.text}\0`)));
        const r = spawnSync('bash', [join(dir, 'resolve.sh')], { input });
        expect(r.status).toBe(0);
        const got = r.stdout.toString('utf8').split('\0').slice(0, -1);
        const root = (n: string): string => (n === TOOLCHAIN_ROOT ? toolchain : `${top}/${n}`);
        const want = batch.map((p) => p.map((x, j) => (j % 2 ? root(x) : x)).join(''));
        expect(got).toEqual(want);
        expect(encoded.map((e) => resolveRooted(e.text, e.mark, root))).toEqual(want);
      }),
      { numRuns: 40 },
    );
  });

  test('the same plan recorded in another directory gives the same flake, byte for byte', () => {
    const flakes = ['one', 'other/place'].map((where) => {
      const ws = join(tempDir('rbn-gen-same-'), where, 'ws');
      mkdirSync(join(ws, 'src'), { recursive: true });
      writeFileSync(join(ws, 'src', 'lib.rs'), 'pub fn demo() {}\n');
      const { plan, records } = onePlan(ws);
      records[0]!.args.push('--out-dir', `${ws}/target/debug/deps`, `-Ldependency=${ws}/target`);
      records[0]!.env = { CARGO_MANIFEST_DIR: ws, CARGO_PKG_NAME: 'demo' };
      plan.steps[0]!.env_names = ['CARGO_MANIFEST_DIR', 'CARGO_PKG_NAME'];
      const flakeDir = join(ws, '..', 'flake');
      generateFlake({ plan, records, flakeDir, tools: offlineTools('/nix/store/x-rust') });
      const steps = readFileSync(join(flakeDir, 'steps.nix'), 'utf8');
      expect(steps).not.toContain(ws);
      return steps;
    });
    expect(flakes[1]).toBe(flakes[0]);
    expect(flakes[0]).toContain(
      'environment = [ "CARGO_MANIFEST_DIR=@{w}" "CARGO_PKG_NAME=demo" ];',
    );
  });
});

// ---- sources: each its own store path, found by its NAR hash --------------------------------

describe("a source's NAR hash", () => {
  test('is the hash Nix computes for the file (sizes around the 8-byte padding, binary, executable)', () => {
    const dir = tempDir('rbn-nar-');
    const files: [string, Buffer, number][] = [
      ['empty', Buffer.alloc(0), 0o644],
      ['one', Buffer.from('x'), 0o644],
      ['eight', Buffer.from('12345678'), 0o644],
      ['nine', Buffer.from('123456789'), 0o644],
      ['binary', Buffer.from([0, 255, 10, 0, 13, 36, 123]), 0o600],
      ['script', Buffer.from('#!/bin/sh\necho hi\n'), 0o755],
      ['owner-exec-only', Buffer.from('x\n'), 0o700],
    ];
    for (const [name, bytes, mode] of files) {
      const p = join(dir, name);
      writeFileSync(p, bytes, { mode });
      const nix = spawnSync(
        'nix',
        ['--extra-experimental-features', 'nix-command', 'hash', 'path', '--type', 'sha256', p],
        { encoding: 'utf8' },
      );
      expect(nix.status).toBe(0);
      expect({ name, hash: fileNarHash(p) }).toEqual({ name, hash: nix.stdout.trim() });
    }
  });

  test('the generated flake gives it to builtins.path for every source', () => {
    const ws = join(tempDir('rbn-nar-ws-'), 'ws');
    mkdirSync(join(ws, 'src'), { recursive: true });
    writeFileSync(join(ws, 'src', 'lib.rs'), 'pub fn demo() -> u32 { 7 }\n');
    const { plan, records } = onePlan(ws);
    const flakeDir = join(tempDir('rbn-nar-flake-'), 'flake');
    generateFlake({ plan, records, flakeDir, tools: offlineTools('/nix/store/x-rust') });
    const line = readFileSync(join(flakeDir, 'steps.nix'), 'utf8')
      .split('\n')
      .find((l) => l.includes(' = src '));
    expect(line).toBe(
      `  s0 = src "w/src/lib.rs" "lib.rs" "${fileNarHash(join(flakeDir, 'sources', 'w', 'src', 'lib.rs'))}";`,
    );
  });
});
