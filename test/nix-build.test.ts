// Issue 3, "Done when": the fixture workspace (Debian's crate sources, build
// scripts, proc-macros) run as the runner runs the action, `toolchain: system`,
// `mode: emit-then-build`, then built again by real Nix: the result behaves
// like cargo's, every step builds alone, nothing rebuilds without a change,
// one edited file rebuilds exactly its steps and their dependents, a failing
// step fails the action with one ::error::, and no path of the recording
// machine reaches a derivation.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateFlake } from '../src/nix/generate.js';
import type { Plan, PlanStep } from '../src/types.js';
import {
  builtStepIds,
  deleteGenerated,
  flakeToolchain,
  layoutPath,
  NIX_CONFIG,
  nixBuildJson,
  nixOk,
  nonce,
  saltedTools,
  treeFiles,
  treeSymlinks,
  withDependents,
} from './support/nix-helpers.js';
import {
  ActionJob,
  type Metadata,
  readMetadataDir,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import { baseEnv, copyFixture, removeTempDirs, tempDir } from './support/workspace.js';

const NONCE = nonce();

let ws: string;
let md1: string;
let job1: ActionJob;
let run1: StepRun;
let meta1: Metadata;

function actionRun(
  metadataDir: string,
  mode: string,
  extra: Record<string, string> = {},
): Promise<StepRun> {
  const job = new ActionJob({
    workspace: ws,
    inputs: { 'source-dir': ws, toolchain: 'system', mode, 'metadata-dir': metadataDir, ...extra },
    // A cfg of this run's own: new derivations, so run 1 builds (or takes) every step
    // even on a machine whose store holds the fixture's steps from an earlier run.
    env: { NIX_CONFIG, RUSTFLAGS: `--cfg rbn_nix_build_${NONCE}` },
    merged: true,
  });
  if (!job1) job1 = job;
  jobs.push(job);
  return job.main();
}

/** The Nix section's counts: [built, taken from the recording, reused from the store]. */
function nixCounts(summary: string): [number, number, number] {
  const row = (name: string): number => {
    const m = new RegExp(`\\| ${name} \\| (\\d+) \\|`).exec(summary);
    if (!m) throw new Error(`no row '${name}' in the summary:\n${summary}`);
    return Number(m[1]);
  };
  return [
    row('steps built'),
    row('compiles taken from the recording \\(built once\\)'),
    row('steps reused from the store'),
  ];
}

/** Every job run: each one's post step runs at the end, as the runner runs it (it stops sccache). */
const jobs: ActionJob[] = [];

const stepOf = (plan: Plan, pred: (s: PlanStep) => boolean, what: string): PlanStep => {
  const s = plan.steps.find(pred);
  if (!s) throw new Error(`plan.json has no ${what}`);
  return s;
};

/** Runs a binary the way a user would, in a neutral directory. */
function runBinary(path: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(path, [], { cwd: tempDir('rbn-run-'), env: baseEnv(), encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(async () => {
  for (const job of jobs) await job.post();
  removeTempDirs();
});

beforeAll(async () => {
  ws = copyFixture('rbn-nix-build-');
  md1 = join(tempDir('rbn-md1-'), 'metadata');
  run1 = await actionRun(md1, 'emit-then-build');
  if (run1.exitCode !== 0) throw new Error(`the action failed (${run1.exitCode}):\n${run1.stdout}`);
  meta1 = readMetadataDir(md1);
});

describe('emit-then-build on the fixture workspace', () => {
  test('exits 0 and sets the flake and out-paths outputs', () => {
    expect(run1.exitCode).toBe(0);
    expect(workflowCommands(run1.stdout, 'error')).toEqual([]);
    expect(run1.outputs.flake).toBe(join(md1, 'flake'));
    expect(readFileSync(join(md1, 'flake', 'flake.nix'), 'utf8')).toContain('packages.');
    expect(run1.outputs['out-paths']).toMatch(/^\/nix\/store\/[a-z0-9]{32}-/);
    expect(run1.outputs.steps).toBe(String(meta1.plan.steps.length));
  });

  test('result/target/debug/app prints exactly what the cargo-built app prints', () => {
    const outs = (run1.outputs['out-paths'] ?? '').split(' ').filter(Boolean);
    const results = outs.filter(
      (o) => spawnSync('test', ['-x', join(o, 'target/debug/app')]).status === 0,
    );
    expect(results).toHaveLength(1);
    const cargoBuilt = runBinary(join(ws, 'target', 'debug', 'app'));
    const nixBuilt = runBinary(join(results[0]!, 'target', 'debug', 'app'));
    expect(cargoBuilt.status).toBe(0);
    expect(cargoBuilt.stdout.length).toBeGreaterThan(0);
    expect(nixBuilt).toEqual(cargoBuilt);
  });

  test('summary.md has the Nix section with built, taken and reused steps', () => {
    const summary = readFileSync(join(md1, 'summary.md'), 'utf8');
    expect(run1.summary.trimEnd()).toBe(summary.trimEnd());
    expect(summary).toMatch(/^#+ Nix build$/m);
    const [built, taken, reused] = nixCounts(summary);
    // The numbers are what Nix said it built (the log); build once (the default) took
    // some compiles; every step is one of the three.
    expect(built).toBe(new Set(builtStepIds(run1.stdout, meta1.plan)).size);
    expect(taken).toBeGreaterThan(0);
    expect(built + taken + reused).toBe(meta1.plan.steps.length);
  });

  test("the toolchain's store copy is an input of every step: the sandbox mounts it", async () => {
    const toolchain = flakeToolchain(readFileSync(join(md1, 'flake', 'flake.nix'), 'utf8'));
    const step = meta1.plan.steps.find((s) => s.kind === 'lib')!;
    const system = (
      await nixOk(['eval', '--impure', '--raw', '--expr', 'builtins.currentSystem'])
    ).stdout.toString();
    const drv = (
      await nixOk([
        'eval',
        '--impure',
        '--raw',
        `path:${join(md1, 'flake')}#packages.${system}.${step.id}.drvPath`,
      ])
    ).stdout.toString();
    const shown = JSON.parse((await nixOk(['show-derivation', drv])).stdout.toString()) as Record<
      string,
      { inputSrcs: string[] }
    >;
    expect(shown[drv]!.inputSrcs).toContain(toolchain);
  });

  test('a second nix build of the flake builds no derivation', async () => {
    // As SPEC.md writes it: `nix build <metadata-dir>/flake`.
    const { built, outs } = await nixBuildJson([join(md1, 'flake')]);
    expect(built).toEqual([]);
    expect(outs.join(' ')).toBe(run1.outputs['out-paths']);
  });
});

describe('any step builds alone (every derivation new: salted tools)', () => {
  let salted: string;
  let plan: Plan;

  beforeAll(() => {
    plan = meta1.plan;
    salted = join(tempDir('rbn-salted-'), 'flake');
    const toolchain = flakeToolchain(readFileSync(join(md1, 'flake', 'flake.nix'), 'utf8'));
    generateFlake({
      plan,
      records: meta1.records,
      flakeDir: salted,
      tools: saltedTools(toolchain, NONCE),
    });
  });

  // The salted builds are this suite's alone: take them out of the store again.
  const saltedDrvs: string[] = [];
  afterAll(async () => {
    const copy = await nixOk(['flake', 'metadata', '--json', `path:${salted}`]);
    await deleteGenerated(saltedDrvs, [JSON.parse(copy.stdout.toString('utf8')).path]);
  });

  /** Builds one step alone: it and only steps it reads, transitively, get built. */
  async function buildAlone(step: PlanStep): Promise<string> {
    const { outs, drvs, built, run } = await nixBuildJson([`path:${salted}#${step.id}`]);
    saltedDrvs.unshift(...drvs);
    const ids = builtStepIds(run.stderr, plan);
    expect(ids).toContain(step.id);
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    const needed = new Set<string>();
    const visit = (id: string): void => {
      if (needed.has(id)) return;
      needed.add(id);
      for (const d of byId.get(id)?.deps ?? []) visit(d);
    };
    visit(step.id);
    expect(ids.filter((id) => !needed.has(id))).toEqual([]);
    expect(built.filter((d) => !/-rbn-/.test(d))).toEqual([]);
    expect(treeSymlinks(outs[0]!)).toEqual([]);
    // The action's own flake builds the same step alone too (already in the store from the
    // full build), and the cold rebuild made the same artifacts, byte for byte. Dep-info
    // files are left out: they name the build's own temporary directory; so is
    // nix-support/, which names the (salted, so different) store paths of the deps.
    const [own] = (await nixBuildJson([`path:${join(md1, 'flake')}#${step.id}`])).outs;
    expect(own).not.toBe(outs[0]);
    expect(treeFiles(own!)).toEqual(treeFiles(outs[0]!));
    const artifacts = treeFiles(own!).filter(
      (f) => !f.endsWith('.d') && !f.startsWith('nix-support/'),
    );
    expect(artifacts.length).toBeGreaterThan(0);
    for (const f of artifacts)
      expect({
        f,
        same: readFileSync(join(own!, f)).equals(readFileSync(join(outs[0]!, f))),
      }).toEqual({
        f,
        same: true,
      });
    return outs[0]!;
  }

  test('a build-script run: $out holds its OUT_DIR and its stdout, as cargo wrote them', async () => {
    const step = stepOf(
      plan,
      (s) => s.crate === 'corelib' && s.kind === 'build-script-run',
      'corelib build-script run',
    );
    const out = await buildAlone(step);
    const outDir = step.outputs[0]!;
    const stdout = join(dirname(outDir), 'output');
    const expected = [
      ...treeFiles(outDir).map((f) => `${layoutPath(plan, outDir)}/${f}`),
      layoutPath(plan, stdout),
    ].sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(treeFiles(out)).toEqual(expected);
    for (const f of treeFiles(outDir))
      expect(readFileSync(join(out, layoutPath(plan, outDir), f))).toEqual(
        readFileSync(join(outDir, f)),
      );
    expect(readFileSync(join(out, layoutPath(plan, stdout)), 'utf8')).toBe(
      readFileSync(stdout, 'utf8'),
    );
  });

  /**
   * Exactly the plan's outputs at their layout paths, plus, for a step with
   * library deps, nix-support/rbn-libs: the store paths of the libraries it
   * was built against (its lib deps and theirs), which dependents lay out.
   */
  function expectOutputs(out: string, step: PlanStep): void {
    const libDeps = step.deps.filter((d) =>
      ['lib', 'proc-macro'].includes(plan.steps.find((s) => s.id === d)!.kind),
    );
    const extra = libDeps.length > 0 ? ['nix-support/rbn-libs'] : [];
    expect(treeFiles(out)).toEqual(
      [...step.outputs.map((o) => layoutPath(plan, o)), ...extra].sort(),
    );
    if (libDeps.length > 0) {
      const libs = readFileSync(join(out, 'nix-support/rbn-libs'), 'utf8').trim().split('\n');
      for (const id of libDeps) expect(libs.some((p) => p.endsWith(`-rbn-${id}`))).toBe(true);
    }
  }

  test('a proc-macro: $out holds exactly its outputs', async () => {
    const step = stepOf(
      plan,
      (s) => s.crate === 'macros' && s.kind === 'proc-macro',
      'macros proc-macro',
    );
    const out = await buildAlone(step);
    expect(step.outputs.some((o) => o.endsWith('.so'))).toBe(true);
    expectOutputs(out, step);
  });

  test('a lib reading a build script OUT_DIR (corelib): $out holds exactly its outputs', async () => {
    const step = stepOf(plan, (s) => s.crate === 'corelib' && s.kind === 'lib', 'corelib lib');
    const run = stepOf(
      plan,
      (s) => s.crate === 'corelib' && s.kind === 'build-script-run',
      'corelib run',
    );
    expect(step.deps).toContain(run.id);
    const out = await buildAlone(step);
    expect(step.outputs.some((o) => o.endsWith('.rlib'))).toBe(true);
    expectOutputs(out, step);
    // Its dep-info names the fixed build root, not the builder's directory.
    const depInfo = step.outputs.filter((o) => o.endsWith('.d'));
    expect(depInfo.length).toBeGreaterThan(0);
    for (const rel of depInfo) {
      const text = readFileSync(join(out, layoutPath(plan, rel)), 'utf8');
      expect(text).toMatch(/^\/rbn\/\S+\.(rlib|rmeta|d): /m);
      expect(text).toContain('/rbn/');
      expect(text).not.toMatch(/nix-build-|\/build\/r\//);
    }
  });
});

describe('the generated derivations name no path of the recording machine', () => {
  test('nix show-derivation -r of the default package: only store paths and root names', async () => {
    const r = await nixOk(['show-derivation', '-r', `path:${join(md1, 'flake')}#default`]);
    const text = r.stdout.toString('utf8');
    const shown = JSON.parse(text) as Record<string, { env: Record<string, string> }>;
    // Structured attributes (the step format, src/nix/step-format.ts): all in __json.
    const drvs = Object.values(shown)
      .filter((d) => d.env.__json)
      .map((d) => JSON.parse(d.env.__json!) as Record<string, unknown>);
    const stepDrvs = drvs.filter((d) => String(d.name).startsWith('rbn-'));
    expect(stepDrvs.length).toBe(meta1.plan.steps.length + 1); // and the result
    const forbidden = [
      ws,
      md1,
      job1.runnerTemp,
      '/usr/share/cargo/registry',
      meta1.plan.toolchain.sysroot,
      '/root/.rustup',
      '/root/.cargo',
      ...meta1.plan.roots.map((root) => root.path),
    ];
    for (const f of forbidden)
      expect({ path: f, found: text.includes(f) }).toEqual({ path: f, found: false });
    // Recorded directories arrive as root names, put back by the runner under its own build root.
    const corelib = stepOf(
      meta1.plan,
      (s) => s.crate === 'corelib' && s.kind === 'lib',
      'corelib lib',
    );
    const attrs = drvs.find((d) => d.name === `rbn-${corelib.id}`)!;
    expect(attrs.cwd).toMatch(/^@\{w\}/);
    expect(attrs.command).toMatch(/^@\{@toolchain\}\/.*rustc$/);
  });
});

describe('after editing one source file, only its steps and their dependents build', () => {
  test('corelib/src/text.rs edited, the action run again with a new metadata-dir', async () => {
    const file = join(ws, 'corelib', 'src', 'text.rs');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// edited by nix-build.test.ts ${NONCE}\n`);
    const md2 = join(tempDir('rbn-md2-'), 'metadata');
    const run2 = await actionRun(md2, 'emit-then-build');
    expect(run2.exitCode).toBe(0);
    const plan2 = readMetadataDir(md2).plan;
    // The same build: every step again, under the same ids.
    expect(plan2.steps.map((s) => s.id).sort()).toEqual(meta1.plan.steps.map((s) => s.id).sort());
    const readers = plan2.steps.filter((s) => s.sources.includes(file)).map((s) => s.id);
    expect(readers.length).toBeGreaterThan(0);
    const expected = [...withDependents(plan2, readers)].sort();
    const built = [...new Set(builtStepIds(run2.stdout, plan2))].sort();
    // Each of them built by Nix or taken from the recording (build once), no other step.
    const [nBuilt, taken, reused] = nixCounts(readFileSync(join(md2, 'summary.md'), 'utf8'));
    expect(built.filter((id) => !expected.includes(id))).toEqual([]);
    expect([nBuilt, nBuilt + taken]).toEqual([built.length, expected.length]);
    expect(reused).toBe(plan2.steps.length - expected.length);
  });
});

describe('a step that fails under Nix fails the action', () => {
  test('mode build over an emit whose source no longer compiles: exit 1, one ::error::', async () => {
    // The whole metadata-dir of the first emit, its flake included.
    const md3 = join(tempDir('rbn-md3-'), 'metadata');
    cpSync(md1, md3, { recursive: true });
    const file = join(ws, 'corelib', 'src', 'text.rs');
    const before = readFileSync(file, 'utf8');
    const message = `rbn-broken-${NONCE}`;
    const broken = `${before}\ncompile_error!("${message}");\n`;
    // The source broken where `mode: build` could take it from: the flake's copy, and the
    // recorded path in the workspace (today the flake is generated again from there).
    writeFileSync(join(md3, 'flake', 'sources', layoutPath(meta1.plan, file)), broken);
    writeFileSync(file, broken);
    let run3: StepRun;
    try {
      // The first run's own metadata, vouched for by its plan-digest output.
      run3 = await actionRun(md3, 'build', { 'metadata-digest': run1.outputs['plan-digest']! });
    } finally {
      writeFileSync(file, before);
    }
    const corelib = stepOf(
      meta1.plan,
      (s) => s.crate === 'corelib' && s.kind === 'lib',
      'corelib lib',
    );
    expect(run3.exitCode).toBe(1);
    const errors = workflowCommands(run3.stdout, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(corelib.id);
    // The crate is named on its own, not only inside the step id.
    expect(errors[0]!.split(corelib.id).join('')).toContain('corelib');
    expect(errors[0]).toContain(`error: ${message}`);
  });
});
