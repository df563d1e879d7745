// The Rust compiler's own bootstrap, replayed by Nix step by step: a real
// rust-lang/rust tree (Debian's rustc-web 1.85 source with vendor/, see
// scripts/fetch-rust-tree.sh), an unmodified x.py, Debian's 1.85 as stage0.
// Each emit runs the whole x.py build (bootstrap, then std or a tool: 2 to 3
// minutes here), so the tests share their trees and runs in order.
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../src/types.js';
import { builtStepIds, nixBuildJson, nixOk } from './support/nix-helpers.js';
import { actionCheckout, readMetadataDir } from './support/run-action.js';
import {
  copyRustTree,
  HOST,
  LLVM_CONFIG,
  replaceFile,
  requireRustTree,
  treeEnv,
  writeTreeConfig,
} from './support/rust-tree.js';
import { capture } from './support/spawn.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

const CLI = join(actionCheckout(), 'dist', 'cli.js');
const SYSROOT_LIB = `build/${HOST}/stage0-sysroot/lib/rustlib/${HOST}/lib`;
const STD = 'python3 x.py build --stage 0 library/std';

interface Run {
  status: number;
  outputs: Record<string, string>;
  log: string;
  plan: Plan;
  metadataDir: string;
  runnerTemp: string;
}

/** One run of the CLI; `runnerTemp` shared with an earlier run is where its kept plan is. */
async function rbn(mode: string, tree: string, command: string, runnerTemp?: string): Promise<Run> {
  const work = tempDir('rbn-xpy-run-');
  const metadataDir = join(work, 'metadata');
  const temp = runnerTemp ?? join(work, 'runner-temp');
  const r = await capture(
    process.execPath,
    [
      CLI,
      mode,
      ...['--source-dir', tree, '--toolchain', 'system', '--command', command],
      ...['--sccache', 'false', '--cache', 'false', '--metadata-dir', metadataDir],
    ],
    { cwd: work, env: treeEnv(temp) },
  );
  const stdout = r.stdout.toString('utf8');
  const outputs: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([a-z-]+)=(.*)$/.exec(line);
    if (m) outputs[m[1]!] = m[2]!;
  }
  const log = `${stdout}\n${r.stderr}`;
  if (r.status !== 0)
    throw new Error(`rust-bootstrap-nix ${mode} exited ${r.status}:\n${log.slice(-4000)}`);
  return {
    status: r.status,
    outputs,
    log,
    plan: readMetadataDir(metadataDir).plan,
    metadataDir,
    runnerTemp: temp,
  };
}

/** Every step's out path, by step id, as the flake evaluates (nothing is built). */
async function stepOutPaths(flake: string): Promise<Record<string, string>> {
  const r = await nixOk([
    'eval',
    '--json',
    '--impure',
    `${flake}#packages.x86_64-linux`,
    '--apply',
    'ps: builtins.mapAttrs (n: p: p.outPath) (removeAttrs ps [ "default" ])',
  ]);
  return JSON.parse(r.stdout.toString('utf8')) as Record<string, string>;
}

/**
 * Whether the two runs recorded different inputs for a step: its command,
 * arguments, directory, the variables it runs with, its sources, or the
 * files a link step places, each with the run's own tree (or the fixed path
 * it ran under) named alike.
 */
function recordedInputsDiffer(a: Run, b: Run): (id: string) => boolean {
  const view = (r: Run) => {
    const md = readMetadataDir(r.metadataDir);
    const dirs = [
      md.plan.source_dir,
      ...md.plan.roots.filter((x) => x.name === 'w').map((x) => x.path),
    ];
    const norm = (v: string): string => dirs.reduce((t, d) => t.split(d).join('@W'), v);
    const records = new Map(md.records.map((x) => [x.id, x]));
    return (id: string): string => {
      const step = md.plan.steps.find((s) => s.id === id)!;
      const rec = records.get(id);
      const env = (step.env_names ?? []).map((n) => `${n}=${rec?.env[n] ?? ''}`);
      return norm(
        JSON.stringify([
          rec?.command ?? null,
          rec?.args ?? null,
          rec?.cwd ?? null,
          env,
          [...step.sources].sort(),
          step.files ?? null,
        ]),
      );
    };
  };
  const va = view(a);
  const vb = view(b);
  return (id) => va(id) !== vb(id);
}

/** Compiles and runs a program against a sysroot; returns what it printed. */
async function helloWith(sysroot: string): Promise<string> {
  const dir = tempDir('rbn-xpy-hello-');
  const src = join(dir, 'hello.rs');
  appendFileSync(
    src,
    'fn main() { let v: Vec<u64> = (1..=4).map(|x| x * x).collect(); println!("squares {v:?}"); }\n',
  );
  const c = await capture('/usr/bin/rustc', ['--sysroot', sysroot, '-o', join(dir, 'hello'), src], {
    env: { PATH: '/usr/bin:/bin' },
  });
  expect(c.stderr).toBe('');
  expect(c.status).toBe(0);
  const run = await capture(join(dir, 'hello'), []);
  return run.stdout.toString('utf8');
}

const namesIn = (dir: string): string[] => readdirSync(dir).sort();

beforeAll(requireRustTree);

describe('x.py build --stage 0 library/std, on a real rust-lang/rust tree', () => {
  let tree: string;
  let first: Run;

  beforeAll(async () => {
    tree = await copyRustTree(join(tempDir('rbn-xpy-a-'), 'rust'));
    first = await rbn('run', tree, STD);
  });

  it('rebuilds the stage0 sysroot x.py made: the same files, and a program compiled against it runs', async () => {
    const result = first.outputs['out-paths']!;
    expect(result).toMatch(/^\/nix\/store\/[a-z0-9]{32}-rbn-result$/);
    const ours = namesIn(join(result, SYSROOT_LIB)).filter((n) =>
      statSync(join(result, SYSROOT_LIB, n)).isFile(),
    );
    const xpys = namesIn(join(tree, SYSROOT_LIB)).filter((n) =>
      statSync(join(tree, SYSROOT_LIB, n)).isFile(),
    );
    expect(ours).toEqual(xpys);
    expect(ours.some((n) => /^libstd-[0-9a-f]+\.rlib$/.test(n))).toBe(true);
    expect(await helloWith(join(result, `build/${HOST}/stage0-sysroot`))).toBe(
      'squares [1, 4, 9, 16]\n',
    );
  });

  it("records x.py's own cargo calls, the shim's runs, and plans bootstrap's links per stage", () => {
    const { plan } = first;
    const records = readMetadataDir(first.metadataDir).records;
    const cargoCalls = records.filter((r) => r.type === 'cargo_invocation');
    // bootstrap.py builds bootstrap, then bootstrap builds std: both through cargo.
    expect(
      cargoCalls.some(
        (r) =>
          r.args.includes('src/bootstrap/Cargo.toml') ||
          r.args.some((a) => a.endsWith('src/bootstrap/Cargo.toml')),
      ),
    ).toBe(true);
    expect(
      cargoCalls.some((r) =>
        r.args.some((a) => a.endsWith('library/sysroot/Cargo.toml') || a === 'std'),
      ),
    ).toBe(true);
    // Build scripts under x.py run with RUSTC = bootstrap's shim, which another step built.
    const shim = join(tree, 'build/bootstrap/debug/rustc');
    const libcRun = plan.steps.find(
      (s) => s.type === 'build_script_run' && s.crate === 'libc' && s.stage === 0,
    )!;
    expect(
      readMetadataDir(first.metadataDir).records.find((r) => r.id === libcRun.id)!.env.RUSTC,
    ).toBe(shim);
    const shimLink = plan.steps.find((s) => s.type === 'link' && s.outputs.includes(shim))!;
    expect(libcRun.deps).toContain(shimLink.id);
    expect(libcRun.env_names).toEqual(
      expect.arrayContaining([
        'RUSTC',
        'RUSTC_REAL',
        'RUSTC_STAGE',
        'RUSTC_SYSROOT',
        'RUSTC_SNAPSHOT',
      ]),
    );
    expect(libcRun.env_names).not.toContain('RUSTC_WRAPPER_REAL'); // the recorder, not the build
    expect(libcRun.env_names).not.toContain('BOOTSTRAP_PARENT_ID'); // a process id
    // bootstrap's links into the sysroot: one step, after std, at stage 0.
    const sysrootLink = plan.steps.find(
      (s) => s.type === 'link' && s.cwd === join(tree, SYSROOT_LIB),
    )!;
    expect(sysrootLink.stage).toBe(0);
    const std = plan.steps.find(
      (s) => s.type === 'rust_compiler_invocation' && s.crate === 'std' && s.kind === 'lib',
    )!;
    expect(sysrootLink.deps).toContain(std.id);
    expect(sysrootLink.files!.every((f) => f.from?.includes('/deps/'))).toBe(true);
    // The stamp bootstrap wrote (the list of std's files) is kept as bootstrap's own file.
    expect(
      plan.steps.some(
        (s) =>
          s.type === 'link' &&
          s.files!.some((f) => f.from === null && f.path.endsWith('.libstd.stamp')),
      ),
    ).toBe(true);
    const summary = readFileSync(join(first.metadataDir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/### Per stage/);
    expect(summary).toMatch(/\| stage 0 \| \d+ \| \d+ \| [1-9]\d* \| [1-9]\d* \|/);
  });

  it('builds nothing when nix build runs again', async () => {
    const again = await nixBuildJson([join(first.metadataDir, 'flake')], ['--impure']);
    expect(again.outs).toEqual([first.outputs['out-paths']]);
    expect(again.built).toEqual([]);
  });

  // A full emit of the edited copy below: the reused plan's result must be the same.
  let editedElsewhere: Run | undefined;
  const EDITED = ['library/test/src/lib.rs', 'library/panic_abort/src/lib.rs'];

  it('gives the same store paths for a copy elsewhere (bootstrap.toml), and an edit changes at most 4 steps', async () => {
    const other = await copyRustTree(join(tempDir('rbn-xpy-elsewhere-'), 'a', 'deeper', 'tree'), {
      configName: 'bootstrap.toml',
    });
    // A comment in the test crate (std does not read it) and in panic_abort (std links it).
    for (const f of EDITED) {
      const path = join(other, f);
      replaceFile(path, `${readFileSync(path, 'utf8')}\n// an edit\n`);
    }
    const edited = await rbn('run', other, STD);
    editedElsewhere = edited;
    const before = await stepOutPaths(join(first.metadataDir, 'flake'));
    const after = await stepOutPaths(join(edited.metadataDir, 'flake'));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const changed = Object.keys(after)
      .filter((id) => after[id] !== before[id])
      .sort();
    const crateOf = (id: string): string => edited.plan.steps.find((s) => s.id === id)!.crate;
    // panic_abort, std (reads it), and the links that place std and the sysroot.
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThanOrEqual(4);
    expect(changed.map(crateOf)).toEqual(expect.arrayContaining(['panic_abort', 'std']));
    const result = edited.outputs['out-paths']!;
    expect(await helloWith(join(result, `build/${HOST}/stage0-sysroot`))).toBe(
      'squares [1, 4, 9, 16]\n',
    );
  });
  it('runs again in the same runner temp: the kept plan is reused, x.py does not run, nothing builds, the same result', async () => {
    const again = await rbn('run', tree, STD, first.runnerTemp);
    expect(again.log).toMatch(
      /Reusing the earlier plan \(\d+ steps; the build command does not run\): no source file changed\./,
    );
    expect(again.log).not.toMatch(/Build \(recording\)/);
    expect(again.outputs['out-paths']).toBe(first.outputs['out-paths']);
    expect(builtStepIds(again.log, again.plan)).toEqual([]);
    expect(readMetadataDir(again.metadataDir).records.every((r) => r.reused === true)).toBe(true);
  });

  it("after the same edit as the copy elsewhere, the reused plan builds what reads it, and the result is that full emit's", async () => {
    for (const f of EDITED) {
      const path = join(tree, f);
      replaceFile(path, `${readFileSync(path, 'utf8')}\n// an edit\n`);
    }
    const reused = await rbn('run', tree, STD, first.runnerTemp);
    expect(reused.log).toMatch(/Reusing the earlier plan/);
    expect(reused.log).not.toMatch(/Build \(recording\)/);
    expect(reused.plan.reuse!.changed_sources).toEqual([
      join(tree, 'library/panic_abort/src/lib.rs'),
    ]);
    // The copy elsewhere built these very derivations already: Nix builds none outside them.
    const rebuilt = reused.plan.reuse!.rebuilt_steps;
    for (const id of builtStepIds(reused.log, reused.plan)) expect(rebuilt).toContain(id);
    const crateOf = (id: string): string => reused.plan.steps.find((s) => s.id === id)!.crate;
    expect(rebuilt.map(crateOf)).toEqual(expect.arrayContaining(['panic_abort', 'std']));
    expect(rebuilt.length).toBeLessThanOrEqual(4);
    expect(reused.outputs['out-paths']).toBe(editedElsewhere!.outputs['out-paths']);
  });
  it("then x.py build --stage 0 compiler/rustc_llvm there (Debian's LLVM 19): the shared steps keep their store paths, and the C++ wrapper replays byte for byte", async () => {
    // A second full emit in the tree x.py built (a fresh runner temp), now
    // with the compiler's LLVM configured. A step it shares with the copy
    // elsewhere (the same edits) keeps its derivation unless what was
    // recorded for it, or for a step it reads, differs: std, built here as a
    // dependency rather than as the package asked for, loses cargo's
    // CARGO_PRIMARY_PACKAGE, and the steps after it follow.
    writeTreeConfig(tree, { llvm: true });
    const run = await rbn('run', tree, 'python3 x.py build --stage 0 compiler/rustc_llvm');
    expect(run.log).toMatch(/Build \(recording\)/);
    const earlier = editedElsewhere!;
    const before = await stepOutPaths(join(earlier.metadataDir, 'flake'));
    const after = await stepOutPaths(join(run.metadataDir, 'flake'));
    const shared = Object.keys(before).filter((id) => id in after);
    const crateOf = (id: string): string => run.plan.steps.find((s) => s.id === id)!.crate;
    const changed = shared.filter((id) => after[id] !== before[id]);
    const unchanged = shared.filter((id) => after[id] === before[id]);
    expect(unchanged.map(crateOf)).toEqual(expect.arrayContaining(['bootstrap', 'core']));
    const inputsDiffer = recordedInputsDiffer(earlier, run);
    const explained = new Set<string>();
    const explain = (id: string): boolean => {
      if (explained.has(id)) return true;
      const step = run.plan.steps.find((s) => s.id === id)!;
      const yes = inputsDiffer(id) || step.deps.some(explain);
      if (yes) explained.add(id);
      return yes;
    };
    expect(changed.filter((id) => !explain(id))).toEqual([]);
    // llvm-config is read where it lies (it finds LLVM's headers from its own
    // path), pinned by its content: a host file, never copied under the build root.
    const script = run.plan.steps.find(
      (s) => s.type === 'build_script_run' && s.crate === 'rustc_llvm',
    )!;
    expect(script.sources).toContain(LLVM_CONFIG);
    expect(run.plan.roots.filter((r) => r.path.startsWith('/usr/'))).toEqual([]);
    const stepsNix = readFileSync(join(run.metadataDir, 'flake', 'steps.nix'), 'utf8');
    const sum = createHash('sha256').update(readFileSync(LLVM_CONFIG)).digest('hex');
    expect(stepsNix).toContain(`"${LLVM_CONFIG}" = "${sum}";`);

    // The rlib: the same members as x.py's, each object (the C++ wrapper
    // cc-rs built, rustc's codegen unit) byte for byte; only the metadata names paths.
    const rel = `build/${HOST}/stage0-rustc/${HOST}/release/librustc_llvm.rlib`;
    const members = async (rlib: string): Promise<Map<string, Buffer>> => {
      const dir = tempDir('rbn-xpy-ar-');
      const x = await capture('ar', ['x', rlib], { cwd: dir });
      expect(x.status).toBe(0);
      return new Map(namesIn(dir).map((n) => [n, readFileSync(join(dir, n))]));
    };
    const ours = await members(join(run.outputs['out-paths']!, rel));
    const xpys = await members(join(tree, rel));
    expect([...ours.keys()]).toEqual([...xpys.keys()]);
    const objects = [...ours.keys()].filter((n) => n.endsWith('.o'));
    expect(objects).toEqual(expect.arrayContaining([expect.stringMatching(/-PassWrapper\.o$/)]));
    for (const o of objects)
      expect({ o, same: ours.get(o)!.equals(xpys.get(o)!) }).toEqual({ o, same: true });
    const nm = await capture('nm', ['--defined-only', join(run.outputs['out-paths']!, rel)]);
    expect(nm.stdout.toString('utf8')).toMatch(/ T LLVMRustCreateTargetMachine$/m);
  }, 1_800_000); // a full emit (bootstrap, std, rustc_llvm's C++) and its replay: 7 minutes alone here
});

describe('a bootstrap that hands cargo its shim as the compiler (no RUSTC_WRAPPER_REAL)', () => {
  it('records the shim as the command, and the replay runs it from the step that built it', async () => {
    const tree = await copyRustTree(join(tempDir('rbn-xpy-old-'), 'rust'));
    // As bootstraps before RUSTC_WRAPPER_REAL: RUSTC is the shim, and cargo
    // runs the user's RUSTC_WRAPPER (the recorder) with it.
    const cargoRs = join(tree, 'src/bootstrap/src/core/builder/cargo.rs');
    const text = readFileSync(cargoRs, 'utf8');
    const older = text
      .replace(/\n\s*cargo\.env\("RUSTC_WRAPPER", self\.bootstrap_out\.join\("rustc"\)\);/, '')
      .replace(
        /\n\s*if let Some\(existing_wrapper\) = env::var_os\("RUSTC_WRAPPER"\) \{\n[^}]*\}/,
        '',
      );
    expect(older).not.toMatch(/cargo\.env\("RUSTC_WRAPPER/);
    expect(older).not.toMatch(/RUSTC_WRAPPER_REAL/);
    replaceFile(cargoRs, older);
    const run = await rbn('run', tree, STD);
    const records = readMetadataDir(run.metadataDir).records;
    const shim = join(tree, 'build/bootstrap/debug/rustc');
    const std = run.plan.steps.find(
      (s) => s.type === 'rust_compiler_invocation' && s.crate === 'std' && s.kind === 'lib',
    )!;
    expect(records.find((r) => r.id === std.id)!.command).toBe(shim);
    const shimLink = run.plan.steps.find((s) => s.type === 'link' && s.outputs.includes(shim))!;
    expect(std.deps).toContain(shimLink.id);
    const result = run.outputs['out-paths']!;
    expect(namesIn(join(result, SYSROOT_LIB)).filter((n) => n.endsWith('.rlib'))).toEqual(
      namesIn(join(tree, SYSROOT_LIB)).filter((n) => n.endsWith('.rlib')),
    );
    expect(await helloWith(join(result, `build/${HOST}/stage0-sysroot`))).toBe(
      'squares [1, 4, 9, 16]\n',
    );
  });
});

describe('x.py build src/tools/tidy: a bootstrap tool', () => {
  it("puts the tool where x.py put it, and it checks the tree as x.py's own binary does", async () => {
    const tree = await copyRustTree(join(tempDir('rbn-xpy-tidy-'), 'rust'));
    const run = await rbn('run', tree, 'python3 x.py build src/tools/tidy');
    const rel = `build/${HOST}/stage0-tools-bin/rust-tidy`;
    const ours = join(run.outputs['out-paths']!, rel);
    expect(statSync(ours).mode & 0o111).not.toBe(0);
    // Both binaries check the same tree (Debian moved its Cargo.locks aside and
    // pruned vendor/, so tidy finds errors): the same findings, line for line.
    const check = async (tidy: string): Promise<{ status: number; lines: string[] }> => {
      const out = tempDir('rbn-xpy-tidy-out-');
      const r = await capture(tidy, [tree, '/usr/bin/cargo', out, '1'], {
        cwd: tree,
        env: { PATH: '/usr/bin:/bin' },
      });
      const text = `${r.stdout.toString('utf8')}${r.stderr}`;
      // Its findings, one check at a time (jobs = 1): with more, which check's
      // panic the main thread meets first, and so what ran before it, varies.
      const findings = text.split('\n').filter((l) => l.includes('tidy error'));
      return { status: r.status, lines: findings.sort() };
    };
    const mine = await check(ours);
    const xpys = await check(join(tree, rel));
    expect(mine.lines.length).toBeGreaterThan(5);
    expect(mine).toEqual(xpys);
  });
});
