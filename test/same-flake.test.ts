// Issue 26: two full emits of the same tree write the same flake, byte for
// byte, however their compiles interleaved; publishing both leaves one commit
// on the remote. The fixture workspace (a git checkout whose origin is a bare
// repository) is run twice with `cargo build -j2`, each compile held back by a
// random sleep (a RUSTC_WRAPPER, which the recorder runs after itself), so the
// two runs start their compiles in other orders. Real cargo, real Nix, real git.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostSandboxPaths } from '../src/nix/tools.js';
import { type GraphInputs, graphDigest } from '../src/plan/graph-inputs.js';
import { type SnapshotInfo, snapshotFiles } from '../src/publish/snapshot-files.js';
import type { InvocationRecord, Plan } from '../src/types.js';
import { type CliRun, runCli } from './support/cli-run.js';
import { copyFixture, removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

const root = tempDir('rbn-same-');
const ORIGIN = join(root, 'origin.git');
const SHUFFLE = join(root, 'shuffle');

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** Every file under `dir` (links followed) to a hash of its bytes: what "byte for byte" compares. */
function contents(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const path = join(dir, rel);
    if (statSync(path).isDirectory()) Object.assign(out, contents(dir, rel));
    else out[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

interface Run {
  cli: CliRun;
  meta: string;
  runnerTemp: string;
  plan: Plan;
  records: InvocationRecord[];
}

const runs: Run[] = [];
let ws: string;

/** A full emit (no caches, no kept plan), built with Nix and published to ORIGIN. */
async function fullRun(): Promise<Run> {
  const meta = join(tempDir('rbn-same-meta-'), 'meta');
  const runnerTemp = tempDir('rbn-same-temp-');
  const cli = await runCli(
    [
      'run',
      '--source-dir',
      ws,
      '--toolchain',
      'system',
      '--command',
      'cargo build -j2',
      '--sccache',
      'false',
      '--cache',
      'false',
      '--reuse-plan',
      'false',
      '--metadata-dir',
      meta,
      '--publish',
      'true',
    ],
    { cwd: root, env: { RUNNER_TEMP: runnerTemp, RUSTC_WRAPPER: SHUFFLE } },
  );
  if (cli.status !== 0) throw new Error(`the run failed (${cli.status}):\n${cli.out}`);
  const records = readFileSync(join(meta, 'invocations.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as InvocationRecord);
  const plan = JSON.parse(readFileSync(join(meta, 'plan.json'), 'utf8')) as Plan;
  return { cli, meta, runnerTemp, plan, records };
}

/** What the run kept for the next one (beside the Nix binary cache in RUNNER_TEMP). */
function kept(run: Run, file: string): unknown {
  const dir = join(run.runnerTemp, 'rust-bootstrap-nix-binary-cache', 'rbn-plan');
  return JSON.parse(readFileSync(join(dir, file), 'utf8'));
}

/** The steps in the order their compiles started (invocations.jsonl is in start order). */
const startOrder = (run: Run): string[] => {
  const steps = new Set(run.plan.steps.map((s) => s.id));
  return run.records.filter((r) => steps.has(r.id)).map((r) => r.id);
};

beforeAll(async () => {
  ws = copyFixture('rbn-same-ws-');
  // 0 to 255 ms before each rustc: the -j2 compiles start in another order each run.
  writeFileSync(
    SHUFFLE,
    '#!/bin/sh\nn=$(od -An -N1 -tu1 /dev/urandom | tr -d " ")\nsleep "0.$(printf %03d "$n")"\nexec "$@"\n',
    { mode: 0o755 },
  );
  git(root, 'init', '--quiet', '--bare', ORIGIN);
  git(ws, 'init', '--quiet');
  writeFileSync(join(ws, '.gitignore'), 'target/\n');
  git(ws, 'add', '-A');
  git(ws, 'commit', '--quiet', '-m', 'fixture');
  git(ws, 'remote', 'add', 'origin', ORIGIN);
  runs.push(await fullRun());
  runs.push(await fullRun());
});

describe('two full emits of the same tree', () => {
  test('started their compiles in other orders (what the test varies)', () => {
    const [one, two] = runs.map(startOrder);
    expect(one!.length).toBeGreaterThan(20);
    expect([...two!].sort()).toEqual([...one!].sort());
    expect(two).not.toEqual(one);
  });

  test('write the same flake, byte for byte: every file of it', () => {
    const [one, two] = runs.map((r) => contents(join(r.meta, 'flake')));
    expect(Object.keys(one!)).toEqual(expect.arrayContaining(['flake.nix', 'steps.nix']));
    expect(Object.keys(one!).some((f) => f.startsWith('sources/'))).toBe(true);
    expect(two).toEqual(one);
  });

  test('write the same plan but for durations: steps by id, roots in one order', () => {
    const [one, two] = runs.map((r) => ({
      ...r.plan,
      steps: r.plan.steps.map(({ duration_ms: _, ...s }) => s),
    }));
    expect(two).toEqual(one);
    const ids = one!.steps.map((s) => s.id);
    expect(ids).toEqual([...ids].sort());
  });

  test('keep the same plan-reuse digest and flake digest for the next run', () => {
    const [one, two] = runs.map((r) => ({
      graph: graphDigest(kept(r, 'graph-inputs.json') as GraphInputs),
      flake: (kept(r, 'last-build.json') as { flakeDigest: string }).flakeDigest,
    }));
    expect(two).toEqual(one);
  });
});

describe('publishing both', () => {
  test('pushes one commit: the second run finds the first step holding its flake', () => {
    const [first, again] = runs.map((r) => r.cli);
    const branch = first!.outputs['published-branch']!;
    expect(branch).toMatch(/\/phase0\/step1$/);
    expect(again!.outputs['published-branch']).toBe(branch);
    expect(again!.outputs['published-commit']).toBe(first!.outputs['published-commit']);
    expect(again!.out).toContain('already holds this flake: nothing to push');
    expect(git(ORIGIN, 'rev-list', '--all').split('\n')).toEqual([
      first!.outputs['published-commit'],
    ]);
  });

  test("the branch's README names no path of either run, and both runs write the same one", () => {
    const branch = runs[0]!.cli.outputs['published-branch']!;
    const readme = git(ORIGIN, 'show', `${branch}:README.md`);
    for (const r of runs)
      for (const path of [r.meta, r.runnerTemp, ws]) expect(readme).not.toContain(path);
    const info = (plan: Plan): SnapshotInfo => ({
      component: 'c',
      system: 'x86_64-linux',
      phase: 0,
      sourceCommit: null,
      plan,
      branch,
      flakeRef: 'ref',
      sandboxPaths: hostSandboxPaths(null),
    });
    const [one, two] = runs.map(
      (r) => snapshotFiles(r.meta, info(r.plan)).find((f) => f.name === 'README.md')!.content,
    );
    expect(two).toBe(one);
  });
});
