// A synthetic recorded build of any size, shaped like a real one, for the
// generator's scale bench: crates in dependency layers, each a lib compile of
// 1-3 source files with at most 8 direct deps (mostly near it in the graph,
// as real crate graphs are), a few with a build script (its compile and its
// run, whose OUT_DIR the lib reads), and rustc / build-script records with
// the argument and environment shapes cargo gives them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvocationRecord, Plan, PlanStep } from '../../src/types.js';

export interface SyntheticBuild {
  plan: Plan;
  records: InvocationRecord[];
  stats: { steps: number; crates: number; sources: number; runs: number; avgDeps: number };
}

/** A small deterministic PRNG (mulberry32), so every bench run builds the same graph. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number): string => n.toString(16).padStart(16, '0');

const CARGO_ENV = (crate: string, dir: string): Record<string, string> => ({
  CARGO: '/usr/bin/cargo',
  CARGO_CRATE_NAME: crate.replace(/-/g, '_'),
  CARGO_MANIFEST_DIR: dir,
  CARGO_MANIFEST_PATH: join(dir, 'Cargo.toml'),
  CARGO_PKG_AUTHORS: 'Synthetic Author <a@example.org>',
  CARGO_PKG_DESCRIPTION: `The ${crate} crate`,
  CARGO_PKG_HOMEPAGE: '',
  CARGO_PKG_LICENSE: 'MIT OR Apache-2.0',
  CARGO_PKG_NAME: crate,
  CARGO_PKG_README: 'README.md',
  CARGO_PKG_REPOSITORY: '',
  CARGO_PKG_RUST_VERSION: '',
  CARGO_PKG_VERSION: '1.0.0',
  CARGO_PKG_VERSION_MAJOR: '1',
  CARGO_PKG_VERSION_MINOR: '0',
  CARGO_PKG_VERSION_PATCH: '0',
  CARGO_PKG_VERSION_PRE: '',
  CARGO_MAKEFLAGS: '-j --jobserver-fds=3,4 --jobserver-auth=3,4',
  HOME: '/root',
  PATH: '/usr/bin:/bin',
  RUSTUP_TOOLCHAIN: 'stable-x86_64-unknown-linux-gnu',
});

/**
 * `steps` plan steps (about: a crate is 1 step, or 3 with a build script) under
 * `dir`: writes the source files there and returns plan and records.
 */
export function syntheticBuild(dir: string, steps: number, seed = 1): SyntheticBuild {
  const random = rng(seed);
  const ws = join(dir, 'ws');
  const target = join(ws, 'target');
  const deps = join(target, 'debug', 'deps');
  const sysroot = join(dir, 'sysroot');
  const rustc = join(sysroot, 'bin', 'rustc');
  const planSteps: PlanStep[] = [];
  const records: InvocationRecord[] = [];
  const layers = 10;
  // Crates first, so the step count lands on `steps`: ~4% have a build script.
  const kinds: boolean[] = [];
  for (let n = 0; n < steps; ) {
    const withScript = random() < 0.04 && n + 3 <= steps;
    kinds.push(withScript);
    n += withScript ? 3 : 1;
  }
  const perLayer = Math.ceil(kinds.length / layers);
  const libOf: string[] = [];
  let sources = 0;
  let runs = 0;
  let depTotal = 0;
  let start = 0;
  const record = (
    step: PlanStep,
    command: string,
    args: string[],
    env: Record<string, string>,
  ): void => {
    planSteps.push(step);
    records.push({
      schema_version: 1,
      id: step.id,
      type: step.type as InvocationRecord['type'],
      command,
      args,
      env,
      cwd: step.cwd,
      deps: step.deps,
      outputs: step.outputs,
      exit_code: 0,
      duration_ms: step.duration_ms,
      start_ms: start++,
    });
  };

  kinds.forEach((withScript, c) => {
    const crate = `crate${c}`;
    const name = crate.replace(/-/g, '_');
    const cdir = join(ws, 'crates', crate);
    const h = (k: number): string => hex(c * 4 + k + 1);
    const layer = Math.floor(c / perLayer);
    // Up to 8 direct deps, from earlier layers, mostly near this crate's position.
    const chosen = new Set<number>();
    if (layer > 0) {
      const want = Math.floor(random() * 9);
      for (let k = 0; k < want * 3 && chosen.size < want; k++) {
        const l = Math.max(0, layer - 1 - Math.floor(random() * random() * layer));
        const pos = (c % perLayer) + Math.floor((random() - 0.5) * 40);
        const d = l * perLayer + Math.min(perLayer - 1, Math.max(0, pos));
        if (d < c) chosen.add(d);
      }
    }
    const libDeps = [...chosen].sort((a, b) => a - b).map((d) => libOf[d]!);
    const files = 1 + Math.floor(random() * 3);
    const srcs: string[] = [];
    for (let k = 0; k < files; k++) {
      const rel = k === 0 ? 'src/lib.rs' : `src/m${k}.rs`;
      const p = join(cdir, rel);
      mkdirSync(join(cdir, 'src'), { recursive: true });
      writeFileSync(p, `// ${crate} ${rel}\npub fn f${k}() -> u32 { ${c} }\n`);
      srcs.push(p);
    }
    sources += files;
    const env = CARGO_ENV(crate, cdir);
    const stepDeps = [...libDeps];
    let outDir: string | null = null;
    if (withScript) {
      const bdir = join(target, 'debug', 'build', `${crate}-${h(1)}`);
      const script = join(cdir, 'build.rs');
      writeFileSync(script, `fn main() { println!("cargo:rustc-cfg=has_${name}"); }\n`);
      sources += 1;
      const exe = join(bdir, `build_script_build-${h(1)}`);
      const buildId = `${crate}-build-${h(1)}`;
      record(
        {
          id: buildId,
          type: 'rust_compiler_invocation',
          crate,
          kind: 'build-script',
          deps: [],
          outputs: [exe, `${exe}.d`],
          sources: [script],
          env_deps: [],
          cwd: ws,
          duration_ms: 300,
          exit_code: 0,
        },
        rustc,
        [
          '--crate-name',
          'build_script_build',
          '--edition=2021',
          script,
          '--error-format=json',
          '--json=diagnostic-rendered-ansi,artifacts,future-incompat',
          '--crate-type',
          'bin',
          '--emit=dep-info,link',
          '-C',
          'embed-bitcode=no',
          '-C',
          'debuginfo=2',
          '-C',
          `metadata=${h(1)}`,
          '-C',
          `extra-filename=-${h(1)}`,
          '--out-dir',
          bdir,
          '-L',
          `dependency=${deps}`,
          '--cap-lints',
          'allow',
        ],
        { ...env, CARGO_PRIMARY_PACKAGE: '1' },
      );
      outDir = join(target, 'debug', 'build', `${crate}-${h(2)}`, 'out');
      const runId = `${crate}-run-${h(2)}`;
      record(
        {
          id: runId,
          type: 'build_script_run',
          crate,
          kind: 'build-script-run',
          deps: [buildId],
          outputs: [outDir],
          sources: [script],
          env_deps: [],
          cwd: cdir,
          duration_ms: 50,
          exit_code: 0,
        },
        exe,
        [],
        {
          ...env,
          CARGO_CFG_TARGET_ARCH: 'x86_64',
          CARGO_CFG_TARGET_OS: 'linux',
          CARGO_CFG_TARGET_FAMILY: 'unix',
          CARGO_CFG_TARGET_POINTER_WIDTH: '64',
          CARGO_CFG_TARGET_ENDIAN: 'little',
          CARGO_CFG_TARGET_ENV: 'gnu',
          CARGO_ENCODED_RUSTFLAGS: '',
          DEBUG: 'true',
          HOST: 'x86_64-unknown-linux-gnu',
          NUM_JOBS: '2',
          OPT_LEVEL: '0',
          OUT_DIR: outDir,
          PROFILE: 'debug',
          RUSTC: rustc,
          RUSTDOC: join(sysroot, 'bin', 'rustdoc'),
          RUSTC_LINKER: 'cc',
          TARGET: 'x86_64-unknown-linux-gnu',
        },
      );
      stepDeps.push(runId);
      runs++;
    }
    const libId = `${crate}-lib-${h(3)}`;
    const externs = libDeps.flatMap((d) => {
      const dn = d.replace(/-lib-.*$/, '');
      return ['--extern', `${dn}=${join(deps, `lib${dn}-${d.slice(-16)}.rmeta`)}`];
    });
    depTotal += stepDeps.length;
    record(
      {
        id: libId,
        type: 'rust_compiler_invocation',
        crate,
        kind: 'lib',
        deps: stepDeps,
        outputs: [
          join(deps, `${name}-${h(3)}.d`),
          join(deps, `lib${name}-${h(3)}.rlib`),
          join(deps, `lib${name}-${h(3)}.rmeta`),
        ],
        sources: srcs,
        env_deps: outDir ? ['OUT_DIR'] : [],
        cwd: ws,
        duration_ms: 1000,
        exit_code: 0,
      },
      rustc,
      [
        '--crate-name',
        name,
        '--edition=2021',
        srcs[0]!,
        '--error-format=json',
        '--json=diagnostic-rendered-ansi,artifacts,future-incompat',
        '--crate-type',
        'lib',
        '--emit=dep-info,metadata,link',
        '-C',
        'embed-bitcode=no',
        '-C',
        'debuginfo=2',
        '--check-cfg',
        'cfg(docsrs,test)',
        '--check-cfg',
        'cfg(feature, values("default", "std"))',
        '--cfg',
        'feature="default"',
        '--cfg',
        'feature="std"',
        '-C',
        `metadata=${h(3)}`,
        '-C',
        `extra-filename=-${h(3)}`,
        '--out-dir',
        deps,
        '-C',
        'incremental=/tmp/incremental',
        '-L',
        `dependency=${deps}`,
        ...externs,
        '--cap-lints',
        'allow',
        ...(withScript ? ['--cfg', `has_${name}`] : []),
      ],
      outDir ? { ...env, OUT_DIR: outDir } : env,
    );
    libOf[c] = libId;
  });

  const plan: Plan = {
    schema_version: 1,
    source_dir: ws,
    target_dirs: [target],
    roots: [{ name: 'w', path: ws }],
    toolchain: { rustc, cargo: join(sysroot, 'bin', 'cargo'), sysroot, version: '1.95.0' },
    steps: planSteps,
    artifacts: [],
  };
  return {
    plan,
    records,
    stats: {
      steps: planSteps.length,
      crates: kinds.length,
      sources,
      runs,
      avgDeps: depTotal / kinds.length,
    },
  };
}

/** A one-step plan whose toolchain is a Nix store path, as an emit with `toolchain: stable` records it. */
export function onlinePlan(
  ws: string,
  toolchain: string,
): { plan: Plan; records: InvocationRecord[] } {
  const step = {
    id: 'demo-lib-0123456789abcdef',
    type: 'rust_compiler_invocation' as const,
    crate: 'demo',
    kind: 'lib' as const,
    deps: [],
    outputs: [`${ws}/target/debug/deps/libdemo-0123456789abcdef.rlib`],
    sources: [`${ws}/src/lib.rs`],
    env_deps: [],
    cwd: ws,
    duration_ms: 1,
    exit_code: 0,
  };
  const record: InvocationRecord = {
    schema_version: 1,
    id: step.id,
    type: step.type,
    command: `${toolchain}/bin/rustc`,
    args: [
      '--crate-name',
      'demo',
      'src/lib.rs',
      '--crate-type',
      'lib',
      '--out-dir',
      `${ws}/target/debug/deps`,
      '-C',
      'extra-filename=-0123456789abcdef',
    ],
    env: { CARGO_PKG_NAME: 'demo', CARGO: `${toolchain}/bin/cargo`, PATH: '/usr/bin:/bin' },
    cwd: ws,
    deps: [],
    outputs: step.outputs,
    exit_code: 0,
    duration_ms: 1,
    start_ms: 0,
  };
  const plan: Plan = {
    schema_version: 1,
    source_dir: ws,
    target_dirs: [`${ws}/target`],
    roots: [{ name: 'w', path: ws }],
    toolchain: {
      rustc: record.command,
      cargo: `${toolchain}/bin/cargo`,
      sysroot: toolchain,
      version: '1.83.0',
      nix_spec: {
        spec: { channel: '1.83.0', profile: 'minimal', components: [], targets: [] },
        file: null,
      },
    },
    steps: [step],
    artifacts: [],
  };
  return { plan, records: [record] };
}
