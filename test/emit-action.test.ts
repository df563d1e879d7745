// Issue 2, "Done when": the action run as the runner runs it (node dist/main.js,
// INPUT_* variables, the GITHUB_* files), `toolchain: system`, `mode: emit`, on
// a fresh copy of the fixture workspace (Debian's crate sources: build scripts,
// proc-macros), with a planted secret and a github-token in the job.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../src/metadata/schema.js';
import type { InvocationRecord } from '../src/types.js';
import { Redactor } from '../src/util/secrets.js';
import {
  ActionJob,
  actionYml,
  EMIT_ONLY,
  expectExit,
  type Metadata,
  readMetadataDir,
  recordUnitKey,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import {
  artifactKey,
  artifactKind,
  baseEnv,
  type CargoBuild,
  cargoBuildJson,
  copyFixture,
  filesContaining,
  listFiles,
  removeTempDirs,
  runSync,
  tally,
} from './support/workspace.js';

afterAll(removeTempDirs);

const EXPECTED_APP_LINE =
  '{"name":"report-debug","version":"1.2.3","total":348,"words":["brown","dog","end","fox","jumps","lazy","over","quick","the"]}';

const secret = (prefix: string): string => `${prefix}${randomBytes(20).toString('hex')}`;
const TOKEN = secret('ghs_');
const API_TOKEN = secret('api-');
const RUNTIME_TOKEN = secret('rt-');
const SECRETS = [TOKEN, API_TOKEN, RUNTIME_TOKEN];

const isCompile = (r: InvocationRecord): boolean =>
  r.type === 'rust_compiler_invocation' && r.probe !== true;

function emitJob(ws: string): ActionJob {
  return new ActionJob({
    workspace: ws,
    inputs: { ...EMIT_ONLY },
    githubToken: TOKEN,
    env: {
      MY_API_TOKEN: API_TOKEN,
      ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
      // The token inside another value: the build gets it, no file or log line may.
      REPO_URL: `https://x-access-token:${TOKEN}@github.com/octo/example`,
    },
    merged: true,
  });
}

let ws: string;
let job: ActionJob;
let run: StepRun;
let meta: Metadata;
let cargo: CargoBuild;

beforeAll(async () => {
  ws = copyFixture();
  job = emitJob(ws);
  run = await job.main();
  expectExit(run, 0);
  meta = readMetadataDir(join(job.runnerTemp, 'rust-bootstrap-nix'));
  // cargo's own account of the same workspace: every unit and build script it
  // has, fresh or not (the emit just built them all).
  cargo = await cargoBuildJson(ws);
});

describe('a first emit on a fresh workspace', () => {
  test('exits 0 and writes the metadata files into the default metadata-dir', () => {
    expect(run.exitCode).toBe(0);
    expect(workflowCommands(run.stdout, 'error')).toEqual([]);
    expect(workflowCommands(run.stdout, 'warning')).toEqual([]);
    for (const f of ['invocations.jsonl', 'plan.json', 'config.toml', 'summary.md'])
      expect(existsSync(join(meta.dir, f))).toBe(true);
  });

  test('cargo reports a workspace of the promised size', () => {
    expect(cargo.exitCode).toBe(0);
    expect(cargo.artifacts.length).toBeGreaterThanOrEqual(50);
    expect(cargo.buildScripts.length).toBeGreaterThanOrEqual(12);
    expect(cargo.artifacts.filter((a) => artifactKind(a.target) === 'proc-macro').length).toBe(5);
  });

  test('exactly one non-probe compile record per unit cargo compiled (crate, kind, count)', () => {
    const recorded = tally(meta.records.filter(isCompile).map(recordUnitKey));
    const expected = tally(cargo.artifacts.map(artifactKey));
    expect(recorded).toEqual(expected);
    expect(meta.records.filter(isCompile)).toHaveLength(cargo.artifacts.length);
  });

  test('exactly one build_script_run per build script cargo executed', () => {
    const runs = meta.records.filter((r) => r.type === 'build_script_run');
    expect(tally(runs.map((r) => r.env.OUT_DIR ?? '?'))).toEqual(
      tally(cargo.buildScripts.map((b) => b.out_dir)),
    );
    expect(runs.every((r) => r.probe !== true && r.exit_code === 0)).toBe(true);
  });

  test('every record and the plan are valid against the schemas', () => {
    for (const r of meta.records) expect(validate('record', r)).toEqual([]);
    expect(validate('plan', meta.plan)).toEqual([]);
    // One JSON object per line, nothing else.
    expect(meta.jsonl.endsWith('\n')).toBe(true);
    expect(meta.jsonl.split('\n').filter(Boolean)).toHaveLength(meta.records.length);
  });

  test('ids are unique, deps point at records, and the plan steps are the non-probe compiles and runs and the links, by id', () => {
    const ids = meta.records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const idSet = new Set(ids);
    for (const r of meta.records) for (const d of r.deps) expect(idSet.has(d)).toBe(true);
    const stepIds = meta.plan.steps.map((s) => s.id);
    // cargo's uplifted binary (target/debug/app, a hard link of deps/app-<hash>) is a link step's.
    const links = meta.plan.steps.filter((s) => s.type === 'link');
    expect(links.flatMap((l) => l.files!.map((f) => f.path))).toContain(
      join(meta.plan.target_dirs[0]!, 'debug', 'app'),
    );
    // By id, never in start order: the plan is the same for another interleaving (issue 26).
    expect(stepIds).toEqual(
      [
        ...meta.records
          .filter((r) => r.probe !== true && r.type !== 'cargo_invocation')
          .map((r) => r.id),
        ...links.map((l) => l.id),
      ].sort(),
    );
    const stepSet = new Set(stepIds);
    for (const s of meta.plan.steps) for (const d of s.deps) expect(stepSet.has(d)).toBe(true);
    // The app links corelib, which depends on the macros crate and the build script run.
    const app = meta.plan.steps.find((s) => s.crate === 'app' && s.kind === 'bin');
    const corelib = meta.plan.steps.find((s) => s.crate === 'corelib' && s.kind === 'lib');
    expect(app?.deps).toContain(corelib?.id);
    const corelibRun = meta.plan.steps.find(
      (s) => s.crate === 'corelib' && s.type === 'build_script_run',
    );
    expect(corelib?.deps).toContain(corelibRun?.id);
    expect(corelib?.sources).toEqual(
      expect.arrayContaining([join(ws, 'corelib/src/lib.rs'), join(ws, 'corelib/src/text.rs')]),
    );
    // The run's script names only build.rs in rerun-if-changed but reads data/:
    // it gets the package's files but its Rust sources, none of another package.
    expect(corelibRun?.sources).toEqual([
      join(ws, 'corelib/Cargo.toml'),
      join(ws, 'corelib/build.rs'),
      join(ws, 'corelib/data/squares.count'),
    ]);
    // A registry package's run (Debian's, checked against .cargo-checksum.json) gets its
    // .rs files too: nobody edits them, and a script may look for one (rustix's does).
    const libcRun = meta.plan.steps.find(
      (s) => s.crate === 'libc' && s.type === 'build_script_run',
    );
    expect(libcRun?.sources).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/usr\/share\/cargo\/registry\/libc-[^/]+\/src\/lib\.rs$/),
      ]),
    );
  });

  test('the cargo call is recorded, with the arguments it got', () => {
    const calls = meta.records.filter((r) => r.type === 'cargo_invocation');
    expect(calls.map((r) => r.args)).toEqual([['build']]);
    expect(calls[0]!.cwd).toBe(ws);
  });

  test('probes are marked, never plan steps, and a build script probe names its run', () => {
    const probes = meta.records.filter((r) => r.probe === true);
    expect(probes.length).toBeGreaterThan(0);
    const byId = new Map(meta.records.map((r) => [r.id, r]));
    const stepIds = new Set(meta.plan.steps.map((s) => s.id));
    for (const p of probes) {
      expect(p.type).toBe('rust_compiler_invocation');
      expect(stepIds.has(p.id)).toBe(false);
      if (p.env.OUT_DIR !== undefined) {
        // Run by a build script (it has the script's environment): must name that run.
        expect(p.parent).toBeDefined();
        const parent = byId.get(p.parent!);
        expect(parent?.type).toBe('build_script_run');
        expect(parent?.env.OUT_DIR).toBe(p.env.OUT_DIR);
      } else {
        // cargo's own questions to rustc.
        expect(p.parent).toBeUndefined();
        expect(p.args.includes('-vV') || p.args.some((a) => a.startsWith('--print'))).toBe(true);
      }
    }
    expect(probes.some((p) => p.parent !== undefined)).toBe(true);
    expect(probes.some((p) => p.args.includes('-vV'))).toBe(true);
    for (const r of meta.records.filter((x) => x.probe !== true)) expect(r.parent).toBeUndefined();
  });

  test('each probe is recorded once, as the build ran it (never as a call to the recorder itself)', () => {
    // A build script that runs $RUSTC_WRAPPER $RUSTC (anyhow, thiserror) must not
    // yield a second record whose command is the recorder's own rustc-probe.
    const recorderCalls = meta.records.filter((r) =>
      /\/assets\/recorder\/|\/rbn-records-[^/]+\/bin\//.test(r.command),
    );
    expect(recorderCalls.map((r) => `${r.id}: ${r.command}`)).toEqual([]);
  });

  test('records are in start order and complete', () => {
    const starts = meta.records.map((r) => r.start_ms);
    expect(starts.every((s) => typeof s === 'number')).toBe(true);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i]!).toBeGreaterThanOrEqual(starts[i - 1]!);
    for (const r of meta.records.filter((x) => x.probe !== true)) {
      expect(r.exit_code).toBe(0);
      expect(r.cwd.startsWith('/')).toBe(true);
    }
  });

  test('no secret reaches metadata-dir, the runner files, the workspace or the log', () => {
    expect(filesContaining(meta.dir, SECRETS)).toEqual([]);
    expect(filesContaining(job.runnerTemp, SECRETS)).toEqual([]);
    expect(filesContaining(job.runnerDir, SECRETS)).toEqual([]);
    expect(filesContaining(ws, SECRETS)).toEqual([]);
    // The only mentions are the mask requests @actions/core makes (the runner consumes those
    // lines), one per secret, before anything else is printed.
    const lines = run.stdout.split('\n').filter((l) => SECRETS.some((s) => l.includes(s)));
    expect(lines.sort()).toEqual(SECRETS.map((s) => `::add-mask::${s}`).sort());
    const firstOther = run.stdout.split('\n').findIndex((l) => !l.startsWith('::add-mask::'));
    expect(run.stdout.split('\n').slice(firstOther).join('\n')).not.toContain('::add-mask::');
    for (const r of meta.records)
      for (const name of Object.keys(r.env)) {
        expect(Redactor.isSecretName(name)).toBe(false);
        expect(name.startsWith('ACTIONS_')).toBe(false);
      }
  });

  test('the raw per-call records are gone and the build scripts are back in place', () => {
    expect(readdirSync(job.runnerTemp).filter((n) => n.startsWith('rbn-records-'))).toEqual([]);
    expect(listFiles(join(ws, 'target')).filter((f) => f.includes('.rbn-real'))).toEqual([]);
  });

  test('the binary it built works', () => {
    const app = runSync(join(ws, 'target/debug/app'), [], { env: baseEnv() });
    expect(app.status).toBe(0);
    expect(app.stdout.split('\n')[0]).toBe(EXPECTED_APP_LINE);
    expect(meta.plan.artifacts.map((a) => a.path)).toContain(join(ws, 'target/debug/app'));
  });

  test('outputs are set and agree with the files', () => {
    const o = run.outputs;
    expect(o['metadata-dir']).toBe(meta.dir);
    expect(o.invocations).toBe(String(meta.records.length));
    expect(o.steps).toBe(String(meta.plan.steps.length));
    expect(o.plan).toBe(join(meta.dir, 'plan.json'));
    expect(o['config-toml']).toBe(join(meta.dir, 'config.toml'));
    expect(o.toolchain).toBe('system');
    const sysroot = runSync('rustc', ['--print', 'sysroot']).stdout.trim();
    expect(o.rustc).toBe(join(sysroot, 'bin', 'rustc'));
    expect(readFileSync(o['config-toml']!, 'utf8')).toContain(`rustc = "${o.rustc}"`);
    const links = meta.plan.steps.filter((s) => s.type === 'link').length;
    expect(Number(o.steps)).toBe(cargo.artifacts.length + cargo.buildScripts.length + links);
    // Every output the step set is declared by the action.
    const declared = Object.keys(actionYml(job.actionDir).outputs ?? {});
    expect(Object.keys(o).length).toBeGreaterThan(0);
    for (const name of Object.keys(o)) expect(declared).toContain(name);
  });

  test('summary.md is the job summary', () => {
    const summary = readFileSync(join(meta.dir, 'summary.md'), 'utf8');
    expect(summary).toContain(`| invocations recorded | ${meta.records.length} |`);
    expect(run.summary).toBe(summary);
  });

  test("the build's own output streams inside a log group", () => {
    const lines = run.stdout.split('\n');
    const open = lines.findIndex((l) => l.startsWith('::group::'));
    const close = lines.findIndex((l, i) => i > open && l === '::endgroup::');
    expect(open).toBeGreaterThanOrEqual(0);
    expect(close).toBeGreaterThan(open);
    expect(lines[open]).toContain('cargo build');
    const buildLines = lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => /^\s+(Compiling|Finished) /.test(l));
    expect(buildLines.length).toBeGreaterThanOrEqual(cargo.artifacts.length / 2);
    for (const [, i] of buildLines) {
      expect(i).toBeGreaterThan(open);
      expect(i).toBeLessThan(close);
    }
  });

  test('the post step runs and succeeds', async () => {
    const post = await job.post();
    expect(post.exitCode).toBe(0);
    expect(workflowCommands(post.stdout, 'error')).toEqual([]);
    expect(post.stdout).not.toContain(API_TOKEN);
  });
});

describe('a second emit in the already built tree', () => {
  let second: StepRun;
  let meta2: Metadata;
  let job2: ActionJob;

  beforeAll(async () => {
    job2 = emitJob(ws);
    second = await job2.main();
    meta2 = readMetadataDir(join(job2.runnerTemp, 'rust-bootstrap-nix'));
  });

  test('yields the complete plan again, with the same step ids', () => {
    expectExit(second, 0);
    expect(meta2.plan.steps.map((s) => s.id).sort()).toEqual(
      meta.plan.steps.map((s) => s.id).sort(),
    );
    expect(tally(meta2.records.filter(isCompile).map(recordUnitKey))).toEqual(
      tally(cargo.artifacts.map(artifactKey)),
    );
    expect(meta2.records.filter((r) => r.type === 'build_script_run')).toHaveLength(
      cargo.buildScripts.length,
    );
    for (const r of meta2.records) expect(validate('record', r)).toEqual([]);
    expect(validate('plan', meta2.plan)).toEqual([]);
    expect(second.outputs.steps).toBe(run.outputs.steps);
  });

  test('leaves the tree as cargo would: still fresh, the binary still works', async () => {
    const after = await cargoBuildJson(ws);
    expect(after.exitCode).toBe(0);
    // Every unit is reported (fresh ones too), so the filter below has something to check.
    expect(after.artifacts).toHaveLength(cargo.artifacts.length);
    expect(after.artifacts.filter((a) => !a.fresh).map((a) => a.target.name)).toEqual([]);
    const app = runSync(join(ws, 'target/debug/app'), []);
    expect(app.stdout.split('\n')[0]).toBe(EXPECTED_APP_LINE);
    expect(filesContaining(meta2.dir, SECRETS)).toEqual([]);
  });
});
