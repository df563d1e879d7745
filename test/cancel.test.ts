// Issue 10, "an interrupted run leaves nothing behind": the action's main
// step run as the runner runs it (node dist/main.js, a child process), on a
// tiny workspace with four build scripts, signalled the way the runner
// signals a cancelled job (SIGINT, SIGTERM to the node process alone):
//   (i)   SIGTERM while a build script runs (one waits at a gate, so the
//         moment is hit exactly; the recorder's shims are in place),
//   (ii)  SIGINT right after a build script ran,
//   (iii) SIGTERM during `nix build` (emit-then-build, real Nix 2.8 offline),
// each with sccache on. Every time: the step ends within seconds with one
// ::error::, the target dir holds no shim, RUNNER_TEMP no record dir, no
// process of the run is left (sccache's server included), summary.md says
// where it stopped, and the next emit in the same tree records every build
// script. Then a main step killed with SIGKILL (nothing of it runs its
// cleanup): the next emit finds what it left, says so once, and is complete.
// Last, the CLI under SIGINT: exit 130, one error line.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NIX_CONFIG, signingKeyPair } from './support/nix-helpers.js';
import {
  ActionJob,
  actionCheckout,
  expectExit,
  readMetadataDir,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import {
  baseEnv,
  cargoBuildJson,
  listFiles,
  removeTempDirs,
  tempDir,
  writeTree,
} from './support/workspace.js';

afterAll(removeTempDirs);

/** Build-script runs of the workspace below, by cargo's own count (`build-script-executed`). */
let cargoRuns = 0;

beforeAll(async () => {
  const cargo = await cargoBuildJson(workspace());
  expect(cargo.exitCode).toBe(0);
  cargoRuns = cargo.buildScripts.length;
  expect(cargoRuns).toBe(4);
});

/** Generous: a cancelled step takes a few seconds (SIGKILL comes 3 s after SIGTERM). */
const EXIT_BOUND_MS = 25_000;

/**
 * A build script that generates a constant; with RBN_TEST_GATE naming a
 * directory it writes `<gate>/done-<name>` when finished, and `alpha`'s
 * writes `<gate>/started-alpha` (its pid) and waits for `<gate>/go`. Replayed
 * in Nix's sandbox, which has no such directory, `alpha`'s holds until stopped.
 */
function buildRs(name: string, gated: boolean): string {
  return `use std::{env, fs, path::Path, thread, time::{Duration, Instant}};
fn main() {
    println!("cargo:rerun-if-env-changed=RBN_TEST_GATE");
    let out = env::var("OUT_DIR").unwrap();
    fs::write(Path::new(&out).join("gen.rs"), "pub const ${name.toUpperCase()}: u32 = ${name.length};").unwrap();
    let gate = match env::var("RBN_TEST_GATE") { Ok(g) => g, _ => return };
    let gate = Path::new(&gate);
    if !gate.is_dir() {
        if ${gated} { thread::sleep(Duration::from_secs(300)); }
        return;
    }
    if ${gated} {
        fs::write(gate.join("started-${name}"), std::process::id().to_string()).unwrap();
        let t = Instant::now();
        while !gate.join("go").exists() && t.elapsed() < Duration::from_secs(300) {
            thread::sleep(Duration::from_millis(20));
        }
    }
    fs::write(gate.join("done-${name}"), "").unwrap();
}
`;
}

function lib(name: string, gated = false): Record<string, string> {
  return {
    [`${name}/Cargo.toml`]: `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n`,
    [`${name}/build.rs`]: buildRs(name, gated),
    [`${name}/src/lib.rs`]: 'include!(concat!(env!("OUT_DIR"), "/gen.rs"));\n',
  };
}

/** app (a binary with its own build script) over alpha (gated), beta and gamma. */
function workspace(): string {
  return writeTree(join(tempDir('rbn-cancel-ws-'), 'ws'), {
    'Cargo.toml': '[workspace]\nmembers = ["app", "alpha", "beta", "gamma"]\nresolver = "2"\n',
    ...lib('alpha', true),
    ...lib('beta'),
    ...lib('gamma'),
    'app/Cargo.toml':
      '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nalpha = { path = "../alpha" }\nbeta = { path = "../beta" }\ngamma = { path = "../gamma" }\n',
    'app/build.rs': buildRs('app', false),
    'app/src/main.rs':
      'include!(concat!(env!("OUT_DIR"), "/gen.rs"));\nfn main() {\n    println!("{}", alpha::ALPHA + beta::BETA + gamma::GAMMA + APP);\n}\n',
  });
}

// ---- processes ------------------------------------------------------------------------

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(p), ppid: Number(f[1]), state: f[0]!, cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Live processes (zombies aside: PID 1 here may never reap them) started with `needle` in their environment. */
function processesWithEnv(needle: string): Proc[] {
  return processes().filter((p) => {
    if (p.state === 'Z' || p.pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(needle);
    } catch {
      return false;
    }
  });
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value; fails with `what` (and the step's log) after two minutes. */
async function until<T>(
  what: string,
  check: () => T | null | undefined | false,
  log: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; end of the log:\n${log().slice(-4000)}`);
    await delay(25);
  }
}

// ---- the scenario ------------------------------------------------------------------------

interface Moment {
  ws: string;
  gate: string;
  job: ActionJob;
  step: { pid: number; log(): string };
}

interface Cancelled {
  ws: string;
  job: ActionJob;
  gate: string;
  run: StepRun;
  /** From the signal to the step's exit. */
  ms: number;
  /** Processes of the run still alive after the step ended (their environment has its RUNNER_TEMP). */
  leftProcesses: Proc[];
}

function newJob(ws: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const gate = join(tempDir('rbn-cancel-gate-'), 'gate');
  mkdirSync(gate);
  const job = new ActionJob({
    workspace: ws,
    inputs: {
      'source-dir': ws,
      toolchain: 'system',
      cache: 'false',
      'upload-artifact': 'false',
      'check-run': 'false',
      ...inputs,
    },
    env: { RBN_TEST_GATE: gate, ...env },
  });
  return { job, gate };
}

/** Starts the main step, waits for `moment`, sends `signal` to node alone (as the runner does). */
async function cancelAt(opts: {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  signal: NodeJS.Signals;
  /** Before the step starts (e.g. open the gate). */
  before?: (gate: string) => void;
  /** Resolves at the moment to signal. */
  moment: (m: Moment) => Promise<unknown>;
}): Promise<Cancelled> {
  const ws = workspace();
  const { job, gate } = newJob(ws, opts.inputs, opts.env);
  opts.before?.(gate);
  const step = job.startMain();
  await opts.moment({ ws, gate, job, step });
  const sent = performance.now();
  process.kill(step.pid, opts.signal);
  const run = await step.done;
  const ms = performance.now() - sent;
  // A moment for anything orphaned to show up as still running.
  await delay(200);
  return {
    ws,
    job,
    gate,
    run,
    ms,
    leftProcesses: processesWithEnv(`RUNNER_TEMP=${job.runnerTemp}`),
  };
}

/** Paths under `dir` (recursively) whose name passes `pick`; a dir that vanishes meanwhile is skipped. */
function findNames(dir: string, pick: (name: string) => boolean): string[] {
  const found: string[] = [];
  const visit = (d: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (pick(e.name)) found.push(p);
      if (e.isDirectory()) visit(p);
    }
  };
  visit(dir);
  return found;
}

/** What the recorder leaves in a target dir while it works: kept build scripts, fingerprints moved aside. */
const recorderLeftovers = (target: string): string[] =>
  findNames(target, (n) => n.endsWith('.rbn-real') || n.includes('.rbn-stale-'));

/** cargo's `build-script-build` files: the real binary (no shim), hard-linked to its hashed name. */
function buildScriptLinks(target: string): { path: string; shim: boolean; linked: boolean }[] {
  return listFiles(target)
    .filter((f) => f.endsWith('/build-script-build'))
    .map((f) => {
      const dir = f.slice(0, f.lastIndexOf('/'));
      const ino = statSync(f).ino;
      const linked = readdirSync(dir).some(
        (n) => n.startsWith('build_script_build-') && statSync(join(dir, n)).ino === ino,
      );
      return { path: f, shim: readFileSync(f).subarray(0, 2).toString() === '#!', linked };
    });
}

const errors = (log: string): string[] => workflowCommands(log, 'error');

function expectCleanedUp(c: Cancelled, signal: string, stage: RegExp): void {
  expect(c.run.signal).toBeNull(); // it exited by itself, after its cleanup
  expect(c.run.exitCode).toBe(1);
  expect(c.ms).toBeLessThan(EXIT_BOUND_MS);
  const errs = errors(c.run.stdout);
  expect(errs).toHaveLength(1);
  expect(errs[0]).toMatch(new RegExp(`^Cancelled \\(${signal}\\) while `));
  expect(errs[0]).toMatch(stage);
  expect(c.run.stdout).toContain(`${signal} received: stopping the build and cleaning up.`);
  const target = join(c.ws, 'target');
  expect(recorderLeftovers(target).filter((p) => p.endsWith('.rbn-real'))).toEqual([]);
  for (const l of buildScriptLinks(target)) expect(l).toMatchObject({ shim: false, linked: true });
  expect(readdirSync(c.job.runnerTemp).filter((n) => n.startsWith('rbn-records-'))).toEqual([]);
  expect(c.leftProcesses.map((p) => `${p.pid} ${p.cmdline}`)).toEqual([]);
  const summary = readFileSync(join(c.job.runnerTemp, 'rust-bootstrap-nix', 'summary.md'), 'utf8');
  expect(summary).toContain('## rust-bootstrap-nix: cancelled');
  expect(summary).toContain(`by ${signal} while`);
}

/** The post step the runner runs after a cancelled main step: it ends on its own, quietly. */
async function expectPostHarmless(job: ActionJob): Promise<void> {
  const post = await job.post();
  expectExit(post, 0);
  expect(post.signal).toBeNull();
  expect(errors(post.stdout)).toEqual([]);
  expect(workflowCommands(post.stdout, 'warning')).toEqual([]);
}

/**
 * The next emit in the same tree and job (the gate open; `mode: emit`), and
 * its post step: every build script is recorded, and nothing of the job runs
 * afterwards.
 */
async function expectNextEmitComplete(c: {
  ws: string;
  job: ActionJob;
  gate: string;
}): Promise<StepRun> {
  writeFileSync(join(c.gate, 'go'), '');
  const run = await c.job.main({ mode: 'emit' });
  expectExit(run, 0);
  await expectPostHarmless(c.job); // stops the sccache server, if the emit started one
  expect(processesWithEnv(`RUNNER_TEMP=${c.job.runnerTemp}`)).toEqual([]);
  const meta = readMetadataDir(join(c.job.runnerTemp, 'rust-bootstrap-nix'));
  expect(meta.records.filter((r) => r.type === 'build_script_run')).toHaveLength(cargoRuns);
  expect(recorderLeftovers(join(c.ws, 'target'))).toEqual([]);
  return run;
}

/** Polls for alpha's build script at its gate: its pid. */
const atGate = (m: Moment): Promise<number> =>
  until(
    "alpha's build script at the gate",
    () => {
      const f = join(m.gate, 'started-alpha');
      return existsSync(f) && Number(readFileSync(f, 'utf8'));
    },
    m.step.log,
  );

test('(i) SIGTERM while a build script runs: stopped, put back, one ::error::; the next emit is complete', async () => {
  let scriptPid = 0;
  let shims: string[] = [];
  const c = await cancelAt({
    inputs: { mode: 'emit', sccache: 'true' },
    signal: 'SIGTERM',
    moment: async (m) => {
      scriptPid = await atGate(m);
      shims = findNames(join(m.ws, 'target'), (n) => n.endsWith('.rbn-real'));
    },
  });
  expect(shims.length).toBeGreaterThan(0); // the recorder's shims were in place
  expectCleanedUp(c, 'SIGTERM', /while the recorded build \(/);
  expect(c.run.stdout).toMatch(/sccache/);
  // The build script at the gate was stopped, never let through.
  expect(existsSync(join(c.gate, 'done-alpha'))).toBe(false);
  expect(processes().find((p) => p.pid === scriptPid && p.state !== 'Z')).toBeUndefined();
  await expectPostHarmless(c.job);
  await expectNextEmitComplete(c);
});

test('(ii) SIGINT right after a build script ran: the same; the next emit is complete', async () => {
  const c = await cancelAt({
    inputs: { mode: 'emit', sccache: 'true' },
    signal: 'SIGINT',
    before: (gate) => writeFileSync(join(gate, 'go'), ''),
    moment: (m) =>
      until(
        'a build script to finish',
        () => readdirSync(m.gate).some((n) => n.startsWith('done-')),
        m.step.log,
      ),
  });
  expectCleanedUp(c, 'SIGINT', /while the recorded build \(/);
  await expectPostHarmless(c.job);
  await expectNextEmitComplete(c);
});

// With build once (the default), the first `nix build` of the flake is its first
// round (the build scripts' runs, compared with the recorded ones): the stage named.
test('(iii) SIGTERM during the Nix build (emit-then-build): nix stopped, one ::error::; the next emit is complete', async () => {
  const salt = `rbn_cancel_${randomBytes(4).toString('hex')}`;
  let flakeDir = '';
  const c = await cancelAt({
    inputs: { mode: 'emit-then-build', sccache: 'true' },
    // A new --cfg: every step derivation is new, so Nix has work to do.
    env: { NIX_CONFIG, RUSTFLAGS: `--cfg ${salt} --check-cfg cfg(${salt})` },
    signal: 'SIGTERM',
    before: (gate) => writeFileSync(join(gate, 'go'), ''),
    moment: (m) => {
      flakeDir = join(m.job.runnerTemp, 'rust-bootstrap-nix', 'flake');
      return until(
        '`nix build` of the generated flake',
        () =>
          processes().find(
            (p) =>
              p.ppid === m.step.pid &&
              p.state !== 'Z' &&
              / build /.test(p.cmdline) &&
              // A round's steps are one --expr over the flake (getFlake "path:<dir>").
              p.cmdline.includes(`path:${flakeDir}`),
          ),
        m.step.log,
      );
    },
  });
  expectCleanedUp(c, 'SIGTERM', /while taking the recording's compiles as their steps' outputs;/);
  expect(errors(c.run.stdout)[0]).toContain("Nix's processes stopped");
  // Nothing of Nix's is left working on the flake.
  expect(processes().filter((p) => p.state !== 'Z' && p.cmdline.includes(flakeDir))).toEqual([]);
  // The emit before it had finished: its records are there and complete.
  const meta = readMetadataDir(join(c.job.runnerTemp, 'rust-bootstrap-nix'));
  expect(meta.records.filter((r) => r.type === 'build_script_run')).toHaveLength(cargoRuns);
  await expectPostHarmless(c.job);
  await expectNextEmitComplete(c);
});

test('(iv) SIGTERM during the Nix build with a binary cache: the post step signs and pushes the steps that finished', async () => {
  const salt = `rbn_cancel_${randomBytes(4).toString('hex')}`;
  const cacheDir = join(tempDir('rbn-cancel-cache-'), 'cache');
  const key = signingKeyPair(`rbn-cancel-${salt}`);
  const c = await cancelAt({
    inputs: {
      mode: 'emit-then-build',
      sccache: 'false',
      'binary-cache': `file://${cacheDir}`,
      'binary-cache-secret-key': key.secret,
    },
    env: { NIX_CONFIG, RUSTFLAGS: `--cfg ${salt} --check-cfg cfg(${salt})` },
    signal: 'SIGTERM',
    moment: async (m) => {
      // The emit waits at alpha's gate: let it through.
      await until(
        "the emit at alpha's gate",
        () => existsSync(join(m.gate, 'started-alpha')),
        m.step.log,
      );
      writeFileSync(join(m.gate, 'go'), '');
      // The replay of alpha's build script (which the sandbox keeps from the gate) holds:
      // its compile, and the steps that do not need it, finished before.
      await until(
        "the replay of alpha's build script under Nix",
        () =>
          processes().find(
            (p) =>
              p.state !== 'Z' &&
              /\/build\/alpha-[0-9a-f]+\/build[-_]script[-_]build/.test(p.cmdline) &&
              p.cmdline.startsWith('/build/'),
          ),
        m.step.log,
      );
      await delay(500);
    },
  });
  expectCleanedUp(c, 'SIGTERM', /while the Nix build;/);
  expect(c.run.stdout).toMatch(
    /The build was cancelled; the post step pushes the \d+ steps it finished/,
  );
  const post = await c.job.post();
  expectExit(post, 0);
  expect(workflowCommands(post.stdout, 'warning')).toEqual([]);
  expect(post.stdout).toMatch(/Pushed [1-9]\d* steps the stopped build finished/);
  const narinfos = readdirSync(cacheDir).filter((f) => f.endsWith('.narinfo'));
  const names = narinfos.map(
    (f) => /^StorePath: (\S+)$/m.exec(readFileSync(join(cacheDir, f), 'utf8'))![1]!,
  );
  // alpha's build script, compiled before the replay that was stopped, is there; the replay is not.
  expect(names.some((p) => /-rbn-alpha-build-/.test(p))).toBe(true);
  expect(names.some((p) => /-rbn-alpha-run-/.test(p))).toBe(false);
  for (const f of narinfos)
    expect(readFileSync(join(cacheDir, f), 'utf8')).toMatch(/^Sig: rbn-cancel-/m);
  writeFileSync(join(c.gate, 'go'), '');
});

test('SIGKILL while a build script runs: the next emit cleans up what was left, says so once, and is complete', async () => {
  const ws = workspace();
  const { job, gate } = newJob(ws, { mode: 'emit', sccache: 'false' });
  const step = job.startMain();
  await atGate({ ws, gate, job, step });
  // Killed outright: no handler runs. The runner then kills what is left of the job's processes.
  process.kill(step.pid, 'SIGKILL');
  await step.done;
  for (const p of processesWithEnv(`RUNNER_TEMP=${job.runnerTemp}`)) process.kill(p.pid, 'SIGKILL');
  await until('the killed build to be gone', () =>
    processesWithEnv(`RUNNER_TEMP=${job.runnerTemp}`).length === 0 ? true : null,
  );
  const target = join(ws, 'target');
  const kept = findNames(target, (n) => n.endsWith('.rbn-real'));
  expect(kept.length).toBeGreaterThan(0);
  const recordDirs = readdirSync(job.runnerTemp).filter((n) => n.startsWith('rbn-records-'));
  expect(recordDirs).toHaveLength(1);
  // Fingerprints an interrupted emit had moved aside, half deleted.
  const stale = join(target, 'debug', '.fingerprint.rbn-stale-1-x-0');
  mkdirSync(join(stale, 'unit-0123'), { recursive: true });
  writeFileSync(join(stale, 'unit-0123', 'lib-unit'), '0123');

  const run = await expectNextEmitComplete({ ws, job, gate });
  const cleaned = run.stdout.split('\n').filter((l) => l.includes('Cleaned up after an emit'));
  expect(cleaned).toEqual([
    `Cleaned up after an emit that was killed: ${kept.length} build script(s) put back in place of their recording shims, 1 record dir(s) removed, 1 old fingerprint dir(s) removed.`,
  ]);
  expect(readdirSync(job.runnerTemp).filter((n) => n.startsWith('rbn-records-'))).toEqual([]);
  expect(existsSync(stale)).toBe(false);
  for (const l of buildScriptLinks(target)) expect(l).toMatchObject({ shim: false, linked: true });
});

test('the CLI under SIGINT: exit 130 after its cleanup, one error line', async () => {
  const ws = workspace();
  const gate = join(tempDir('rbn-cancel-gate-'), 'gate');
  mkdirSync(gate);
  const temp = tempDir('rbn-cancel-cli-temp-');
  const metadataDir = join(temp, 'meta');
  const cli = join(actionCheckout(), 'dist', 'cli.js');
  const child = spawn(
    process.execPath,
    [
      cli,
      'emit',
      '--source-dir',
      ws,
      '--toolchain',
      'system',
      '--sccache',
      'false',
      '--cache',
      'false',
      '--metadata-dir',
      metadataDir,
    ],
    { env: baseEnv({ RUNNER_TEMP: temp, RBN_TEST_GATE: gate }), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  await until(
    "alpha's build script at the gate",
    () => existsSync(join(gate, 'started-alpha')),
    () => stderr,
  );
  const sent = performance.now();
  child.kill('SIGINT');
  const end = await exited;
  expect(performance.now() - sent).toBeLessThan(EXIT_BOUND_MS);
  expect(end).toEqual({ code: 130, signal: null });
  const lines = stderr.split('\n').filter((l) => l.startsWith('rust-bootstrap-nix:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^rust-bootstrap-nix: Cancelled \(SIGINT\) while the recorded build \(cargo build\)/,
  );
  expect(stderr).not.toMatch(/^(error|warning): /m);
  expect(recorderLeftovers(join(ws, 'target')).filter((p) => p.endsWith('.rbn-real'))).toEqual([]);
  expect(readdirSync(temp).filter((n) => n.startsWith('rbn-records-'))).toEqual([]);
  expect(processesWithEnv(`RUNNER_TEMP=${temp}`)).toEqual([]);
  expect(readFileSync(join(metadataDir, 'summary.md'), 'utf8')).toContain('by SIGINT while');
});
