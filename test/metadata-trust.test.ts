// Issue 22: `mode: build` over metadata the action did not write. The action
// run as the runner runs it (node dist/main.js), the system toolchain and
// real Nix, on a tiny crate with a build script. One emit; then each
// tampering an attacker could ship in a metadata artifact (an added root, an
// absolute source, a `..` source, a symlink out of the tree, the checkout's
// .git/config, a record that runs `/bin/sh -c`) is built with `trust-metadata:
// true`, so that the confinement, not the digest, is what refuses it: each
// fails in seconds with one ::error:: naming metadata-dir, and the planted
// secret is in no file of the metadata dir, the runner's temp dir or any new
// store path. Then the integrity check itself (plan-digest / metadata-digest,
// the second opt-in for signing), and two emits whose build script names
// .git/config and $CARGO_HOME/credentials.toml: no byte of either is kept.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InvocationRecord, Plan } from '../src/types.js';
import { NIX_CONFIG } from './support/nix-helpers.js';
import {
  ActionJob,
  expectExit,
  readMetadataDir,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import { jobPath } from './support/tiny-job.js';
import { filesContaining, removeTempDirs, tempDir, tinyCrate } from './support/workspace.js';

afterAll(removeTempDirs);

const SECRET = `planted-${randomBytes(16).toString('hex')}`;
const root = tempDir('rbn-trust-');
const outside = join(root, 'outside');
const secretFile = join(outside, 'secret.txt');
const ws = join(root, 'ws');

const BUILD_RS = 'fn main() {\n    println!("cargo:rerun-if-changed=build.rs");\n}\n';

function job(workspace: string, metadataDir: string, inputs: Record<string, string>, env = {}) {
  return new ActionJob({
    workspace,
    inputs: {
      'source-dir': workspace,
      toolchain: 'system',
      'metadata-dir': metadataDir,
      cache: 'false',
      sccache: 'false',
      'upload-artifact': 'false',
      'check-run': 'false',
      ...inputs,
    },
    env: { NIX_CONFIG, PATH: jobPath(), ...env },
    merged: true,
  });
}

const storePaths = (): Set<string> => new Set(readdirSync('/nix/store'));

/** New store paths (since `before`) holding `needle` in any file. */
function storePathsHolding(before: Set<string>, needle: string): string[] {
  const fresh = [...storePaths()].filter((p) => !before.has(p) && !p.endsWith('.lock'));
  return fresh.filter((p) => {
    const r = spawnSync('grep', ['-rlaF', needle, join('/nix/store', p)], { encoding: 'utf8' });
    return r.status === 0;
  });
}

let emitted: string;
let digest: string;

beforeAll(async () => {
  mkdirSync(outside, { recursive: true });
  writeFileSync(secretFile, `${SECRET}\n`);
  tinyCrate(ws, { 'build.rs': BUILD_RS });
  // What actions/checkout leaves in .git/config by default.
  execFileSync('git', ['init', '--quiet', ws]);
  writeFileSync(
    join(ws, '.git', 'config'),
    `${readFileSync(join(ws, '.git', 'config'), 'utf8')}[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`,
  );
  emitted = join(root, 'emitted');
  mkdirSync(emitted);
  const run = await job(ws, emitted, { mode: 'emit' }).main();
  expectExit(run, 0);
  digest = run.outputs['plan-digest']!;
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  // After the emit: the tree itself may hold a link out of it, which a plan could name.
  symlinkSync(secretFile, join(ws, 'src', 'leak.txt'));
}, 120_000);

/** A copy of the emit's metadata, as it was. */
function copied(): string {
  const dir = join(tempDir('rbn-trust-meta-'), 'meta');
  cpSync(emitted, dir, { recursive: true });
  return dir;
}

/** A copy of the emit's metadata, edited as an attacker would. */
function tampered(edit: (plan: Plan, records: InvocationRecord[]) => void): string {
  const dir = copied();
  const { plan, records } = readMetadataDir(dir);
  edit(plan, records);
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
  writeFileSync(
    join(dir, 'invocations.jsonl'),
    records.map((r) => `${JSON.stringify(r)}\n`).join(''),
  );
  return dir;
}

const compileOf = (plan: Plan) => plan.steps.find((s) => s.kind === 'bin')!;

const TAMPERINGS: [string, (plan: Plan, records: InvocationRecord[]) => void][] = [
  [
    'an added root and a source under it',
    (plan) => {
      plan.roots.push({ name: 'x/evil', path: outside });
      compileOf(plan).sources.push(secretFile);
    },
  ],
  ['an absolute source elsewhere', (plan) => void compileOf(plan).sources.push(secretFile)],
  [
    "a '..' source",
    (plan) => void compileOf(plan).sources.push(join(ws, '..', 'outside', 'secret.txt')),
  ],
  [
    'a symlink out of the tree',
    (plan) => void compileOf(plan).sources.push(join(ws, 'src', 'leak.txt')),
  ],
  [
    "the checkout's .git/config",
    (plan) => void compileOf(plan).sources.push(join(ws, '.git', 'config')),
  ],
  [
    'a record whose command is /bin/sh -c',
    (plan, records) => {
      const step = compileOf(plan);
      const r = records.find((x) => x.id === step.id)!;
      r.command = '/bin/sh';
      r.args = [
        '-c',
        `mkdir -p ${dirname(step.outputs[0]!)}; cat ${secretFile} > ${step.outputs[0]}`,
      ];
    },
  ],
];

describe.each(TAMPERINGS)('mode build refuses %s', (_what, edit) => {
  let meta: string;
  let run: StepRun;
  let buildJob: ActionJob;
  let before: Set<string>;
  let ms: number;

  beforeAll(async () => {
    meta = tampered(edit);
    before = storePaths();
    buildJob = job(ws, meta, { mode: 'build', 'trust-metadata': 'true' });
    const started = Date.now();
    run = await buildJob.main();
    ms = Date.now() - started;
  }, 120_000);

  test('in seconds, with one ::error:: naming metadata-dir', () => {
    expectExit(run, 1);
    const errors = workflowCommands(run.stdout, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("Input 'metadata-dir'");
    expect(ms).toBeLessThan(15_000);
  });

  test('the secret is in no file of the metadata dir, the runner temp dir or a new store path', () => {
    expect(run.stdout).not.toContain(SECRET);
    expect(filesContaining(meta, [SECRET])).toEqual([]);
    expect(filesContaining(buildJob.runnerTemp, [SECRET])).toEqual([]);
    expect(storePathsHolding(before, SECRET)).toEqual([]);
  });
});

describe('the integrity check', () => {
  test('metadata-digest verifies the emit; a changed plan.json fails it, naming metadata-digest', async () => {
    const edited = tampered((plan) => void compileOf(plan).sources.push(secretFile));
    const r = await job(ws, edited, { mode: 'build', 'metadata-digest': digest }).main();
    expectExit(r, 1);
    const errors = workflowCommands(r.stdout, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Input 'metadata-digest': metadata-dir .* does not hold the emit/);
  }, 60_000);

  test('without metadata-digest or trust-metadata, mode build refuses to start', async () => {
    const r = await job(
      ws,
      tampered(() => {}),
      { mode: 'build' },
    ).main();
    expectExit(r, 1);
    expect(workflowCommands(r.stdout, 'error')[0]).toMatch(
      /Input 'metadata-digest': is empty, so metadata-dir .* cannot be verified/,
    );
  }, 60_000);

  test('trust-metadata: true never signs into a binary cache: that takes sign-and-publish', async () => {
    const r = await job(
      ws,
      tampered(() => {}),
      {
        mode: 'build',
        'trust-metadata': 'true',
        'binary-cache': `file://${join(root, 'cache')}`,
        'binary-cache-secret-key': `test-1:${randomBytes(64).toString('base64')}`,
      },
    ).main();
    expectExit(r, 1);
    expect(workflowCommands(r.stdout, 'error')[0]).toMatch(
      /Input 'trust-metadata': is 'true'.*never with binary-cache-secret-key/,
    );
  }, 60_000);

  test('the emit digest given back builds, and mode build reports the same plan-digest', async () => {
    const r = await job(ws, copied(), { mode: 'build', 'metadata-digest': digest }).main();
    expectExit(r, 0);
    expect(r.outputs['plan-digest']).toBe(digest);
    expect(r.outputs['out-paths']).toMatch(/^\/nix\/store\//);
  }, 180_000);
});

describe('an emit never keeps .git/ or a credential file as a source', () => {
  const CRED = `cred-${randomBytes(16).toString('hex')}`;
  const GIT = `git-${randomBytes(16).toString('hex')}`;
  let run: StepRun;
  let meta: string;
  let before: Set<string>;
  let emitJob: ActionJob;

  beforeAll(async () => {
    const home = tempDir('rbn-trust-home-');
    const cargoHome = join(home, '.cargo');
    mkdirSync(cargoHome);
    writeFileSync(join(cargoHome, 'credentials.toml'), `[registry]\ntoken = "${CRED}"\n`);
    const tree = tinyCrate(join(tempDir('rbn-trust-ws2-'), 'ws'), {
      'build.rs': [
        'fn main() {',
        '    println!("cargo:rerun-if-changed=.git/config");',
        '    if let Ok(home) = std::env::var("CARGO_HOME") {',
        '        let cred = format!("{home}/credentials.toml");',
        '        let _ = std::fs::read(&cred);',
        '        println!("cargo:rerun-if-changed={cred}");',
        '    }',
        '}',
        '',
      ].join('\n'),
    });
    execFileSync('git', ['init', '--quiet', tree]);
    writeFileSync(
      join(tree, '.git', 'config'),
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${GIT}\n`,
    );
    meta = join(tempDir('rbn-trust-meta2-'), 'meta');
    mkdirSync(meta);
    before = storePaths();
    emitJob = job(tree, meta, { mode: 'emit-then-build' }, { HOME: home, CARGO_HOME: cargoHome });
    run = await emitJob.main();
  }, 180_000);

  test('the build works, and neither file is a source', () => {
    expectExit(run, 0);
    const sources = readMetadataDir(meta).plan.steps.flatMap((s) => s.sources);
    expect(sources.filter((s) => s.includes('.git') || s.includes('credentials'))).toEqual([]);
    expect(run.stdout).toMatch(/Left 2 file\(s\) the build read out of the plan's sources/);
  });

  test('no byte of them is in the metadata, the runner temp dir or the store', () => {
    expect(filesContaining(meta, [CRED, GIT])).toEqual([]);
    expect(filesContaining(emitJob.runnerTemp, [CRED, GIT])).toEqual([]);
    expect(storePathsHolding(before, CRED)).toEqual([]);
    expect(storePathsHolding(before, GIT)).toEqual([]);
  });
});

test('a source holding a token fails generation, naming the file and never the value', async () => {
  const token = `ghp_${randomBytes(18).toString('hex')}`;
  const tree = tinyCrate(join(tempDir('rbn-trust-ws3-'), 'ws'), {
    'src/main.rs':
      'const NOTE: &str = include_str!("note.txt");\nfn main() {\n    println!("{NOTE}");\n}\n',
    'src/note.txt': `deploy with ${token}\n`,
  });
  const meta = join(tempDir('rbn-trust-meta3-'), 'meta');
  mkdirSync(meta);
  const before = storePaths();
  const r = await job(tree, meta, { mode: 'emit-then-build' }).main();
  expectExit(r, 1);
  const errors = workflowCommands(r.stdout, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(`source ${join(tree, 'src', 'note.txt')}`);
  expect(errors[0]).toContain('looks like a secret');
  expect(r.stdout).not.toContain(token);
  expect(filesContaining(join(meta), [token])).toEqual([]);
  expect(storePathsHolding(before, token)).toEqual([]);
}, 180_000);
