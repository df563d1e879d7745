// Issue 12: a run reuses the earlier plan instead of running cargo, when
// nothing that decides the graph changed, and falls back to a full emit on
// anything doubtful. The CLI (dist/cli.js, as a user runs it) on a small real
// workspace: `shared`, a library with a build script that reads data.txt and
// SHARED_FLAVOR, used by two binaries `a` and `b`; real cargo, real Nix.
// Every run builds the same checkout path with the same RUNNER_TEMP (where
// the plan is kept, beside the Nix binary cache), as on a hosted runner.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { validate } from '../src/metadata/schema.js';
import { compareGraphInputs, type GraphContext, graphInputsOf } from '../src/plan/graph-inputs.js';
import type { InvocationRecord, Plan } from '../src/types.js';
import { builtStepIds, forgetWithDerivations, NIX_CONFIG, nonce } from './support/nix-helpers.js';
import { baseEnv, REPO_ROOT, removeTempDirs, tempDir, writeTree } from './support/workspace.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const RUN_TIMEOUT_MS = 10 * 60_000;
const NONCE = nonce();

const root = tempDir('rbn-reuse-');
const WS = join(root, 'ws');
const PRISTINE = join(root, 'pristine');
const RUNNER_TEMP = join(root, 'temp');
const KEPT = join(RUNNER_TEMP, 'rust-bootstrap-nix-binary-cache');
const KEPT_AFTER_RUN1 = join(root, 'kept-after-run-1');

const LIB = `// ${NONCE}
include!(concat!(env!("OUT_DIR"), "/data.rs"));
pub fn greet(who: &str) -> String {
    format!("{DATA} {who} ({FLAVOR})")
}
`;

function writeWorkspace(dir: string): void {
  const bin = (name: string) => ({
    [`${name}/Cargo.toml`]: `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nshared = { path = "../shared" }\n`,
    [`${name}/src/main.rs`]: `fn main() { println!("{}", shared::greet("${name}")); }\n`,
  });
  writeTree(dir, {
    'Cargo.toml': '[workspace]\nmembers = ["shared", "a", "b"]\nresolver = "2"\n',
    'shared/Cargo.toml': '[package]\nname = "shared"\nversion = "0.1.0"\nedition = "2021"\n',
    'shared/build.rs': `fn main() {
    println!("cargo:rerun-if-changed=data.txt");
    println!("cargo:rerun-if-env-changed=SHARED_FLAVOR");
    let data = std::fs::read_to_string("data.txt").unwrap();
    let flavor = std::env::var("SHARED_FLAVOR").unwrap_or_else(|_| "plain".into());
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{out}/data.rs"), format!("pub const DATA: &str = {:?};\\npub const FLAVOR: &str = {:?};\\n", data.trim(), flavor)).unwrap();
}
`,
    'shared/data.txt': 'hello\n',
    'shared/src/lib.rs': LIB,
    ...bin('a'),
    ...bin('b'),
  });
}

interface Run {
  status: number | null;
  log: string;
  outputs: Record<string, string>;
  plan: Plan | null;
  records: InvocationRecord[];
  summary: string;
  /** What a built binary prints. */
  prints: (bin: string) => string;
}

let count = 0;

function cli(args: string[] = [], env: Record<string, string> = {}): Run {
  const md = join(root, `md-${++count}`);
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'run',
      '--source-dir',
      WS,
      '--toolchain',
      'system',
      '--metadata-dir',
      md,
      '--cache',
      'false',
      ...args,
    ],
    { env: baseEnv({ NIX_CONFIG, RUNNER_TEMP, ...env }), encoding: 'utf8', cwd: root },
  );
  const outputs = Object.fromEntries(
    r.stdout
      .split('\n')
      .map((l) => /^([a-z-]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
  const read = (f: string): string | null =>
    existsSync(join(md, f)) ? readFileSync(join(md, f), 'utf8') : null;
  const result = (outputs['out-paths'] ?? '').split(' ')[0] ?? '';
  return {
    status: r.status,
    log: `${r.stdout}\n${r.stderr}`,
    outputs,
    plan: read('plan.json') ? (JSON.parse(read('plan.json')!) as Plan) : null,
    records: (read('invocations.jsonl') ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as InvocationRecord),
    summary: read('summary.md') ?? '',
    prints: (bin) =>
      spawnSync(join(result, 'target', 'debug', bin), { encoding: 'utf8' }).stdout.trim(),
  };
}

/** The checkout and the kept plan as run 1 left them, before each scenario. */
function reset(): void {
  rmSync(WS, { recursive: true, force: true });
  cpSync(PRISTINE, WS, { recursive: true });
  rmSync(KEPT, { recursive: true, force: true });
  cpSync(KEPT_AFTER_RUN1, KEPT, { recursive: true });
}

const edit = (rel: string, f: (text: string) => string): void =>
  writeFileSync(join(WS, rel), f(readFileSync(join(WS, rel), 'utf8')));

const REUSED = /Reusing the earlier plan/;
const cargoRan = (): boolean => existsSync(join(WS, 'target'));
const stepId = (plan: Plan, crate: string, kind: string): string =>
  plan.steps.find((s) => s.crate === crate && s.kind === kind)!.id;

let run1: Run;

beforeAll(() => {
  writeWorkspace(PRISTINE);
  cpSync(PRISTINE, WS, { recursive: true });
  run1 = cli();
  if (run1.status !== 0) throw new Error(`run 1 failed:\n${run1.log}`);
  cpSync(KEPT, KEPT_AFTER_RUN1, { recursive: true });
  // The lockfile cargo wrote is part of the checkout from now on, as in a repository that commits it.
  cpSync(join(WS, 'Cargo.lock'), join(PRISTINE, 'Cargo.lock'));
}, RUN_TIMEOUT_MS);

afterAll(() => removeTempDirs());

describe('run 1, a full emit-then-build', () => {
  test('keeps its plan beside the Nix binary cache, and says nothing of reuse', () => {
    expect(run1.log).not.toMatch(REUSED);
    expect(existsSync(join(KEPT, 'rbn-plan', 'graph-inputs.json'))).toBe(true);
    expect(run1.records.some((r) => r.reused)).toBe(false);
    expect(run1.plan?.reuse).toBeUndefined();
    expect(run1.prints('a')).toBe('hello a (plain)');
  });
});

describe('the earlier plan reused: cargo does not run', () => {
  test(
    'nothing changed: no cargo, no step built, the same result, complete metadata marked reused',
    () => {
      reset();
      const r = cli();
      expect(r.status).toBe(0);
      expect(r.log).toMatch(REUSED);
      expect(cargoRan()).toBe(false);
      expect(builtStepIds(r.log, r.plan!)).toEqual([]);
      expect(r.outputs['out-paths']).toBe(run1.outputs['out-paths']);
      expect(r.plan!.reuse).toEqual({ changed_sources: [], rebuilt_steps: [] });
      expect(validate('plan', r.plan)).toEqual([]);
      expect(r.records).toHaveLength(run1.records.length);
      for (const rec of r.records) {
        expect(rec.reused).toBe(true);
        expect(validate('record', rec)).toEqual([]);
      }
      expect(r.plan!.steps.map((s) => s.id)).toEqual(run1.plan!.steps.map((s) => s.id));
      expect(r.summary).toMatch(/### Plan reuse/);
      expect(r.summary).toMatch(/\| steps built again \| 0 \|/);
      expect(r.outputs.steps).toBe(run1.outputs.steps);
    },
    RUN_TIMEOUT_MS,
  );

  test(
    "one source of the library both binaries use edited: exactly its step and the steps after it build, and the result is a full emit's, store path for store path",
    () => {
      reset();
      edit('shared/src/lib.rs', (t) => t.replace('{DATA} {who}', '{DATA}, {who}'));
      const r = cli();
      expect(r.status).toBe(0);
      expect(r.log).toMatch(REUSED);
      expect(cargoRan()).toBe(false);
      const plan = r.plan!;
      const expected = [
        stepId(plan, 'shared', 'lib'),
        stepId(plan, 'a', 'bin'),
        stepId(plan, 'b', 'bin'),
        plan.steps.find((s) => s.type === 'link')!.id,
      ].sort();
      expect(plan.reuse!.changed_sources).toEqual([join(WS, 'shared/src/lib.rs')]);
      expect([...plan.reuse!.rebuilt_steps].sort()).toEqual(expected);
      expect(builtStepIds(r.log, plan).sort()).toEqual(expected);
      expect(r.prints('a')).toBe('hello, a (plain)');
      expect(r.prints('b')).toBe('hello, b (plain)');
      expect(r.summary).toMatch(/\| steps built again \| 4 \|/);

      // The same tree through a full emit (cargo runs) gives the same store paths.
      const full = cli(['--reuse-plan', 'false']);
      expect(full.status).toBe(0);
      expect(full.log).not.toMatch(REUSED);
      expect(cargoRan()).toBe(true);
      expect(full.outputs['out-paths']).toBe(r.outputs['out-paths']);
      expect(builtStepIds(full.log, full.plan!)).toEqual([]);
      // Compiles that ran side by side may start in another order.
      const strip = (p: Plan) =>
        p.steps.map(({ duration_ms: _, ...s }) => s).sort((x, y) => (x.id < y.id ? -1 : 1));
      expect(strip(full.plan!)).toEqual(strip(plan));
    },
    RUN_TIMEOUT_MS,
  );
});

describe('what decides the graph changed: a full emit, and its result', () => {
  const declined = (r: Run, what: string) => {
    expect(r.status).toBe(0);
    expect(r.log).not.toMatch(REUSED);
    expect(r.log).toContain(`Running a full emit: what decides the build graph changed: ${what}`);
    expect(cargoRan()).toBe(true);
    expect(r.records.some((x) => x.reused)).toBe(false);
    expect(r.summary).toContain(
      `The build ran in full: what decides the build graph changed: ${what}`,
    );
  };

  test(
    'a file a build script reads (rerun-if-changed)',
    () => {
      reset();
      writeFileSync(join(WS, 'shared/data.txt'), 'howdy\n');
      const r = cli();
      declined(r, 'file shared/data.txt');
      expect(r.prints('a')).toBe('howdy a (plain)');
    },
    RUN_TIMEOUT_MS,
  );

  test(
    'a variable a build script reads (rerun-if-env-changed)',
    () => {
      reset();
      const r = cli([], { SHARED_FLAVOR: 'spicy' });
      declined(r, 'variable SHARED_FLAVOR');
      expect(r.prints('b')).toBe('hello b (spicy)');
    },
    RUN_TIMEOUT_MS,
  );

  test(
    'a manifest (Cargo.toml)',
    () => {
      reset();
      edit('a/Cargo.toml', (t) => t.replace('edition', 'description = "the a tool"\nedition'));
      declined(cli(), 'file a/Cargo.toml');
    },
    RUN_TIMEOUT_MS,
  );

  test(
    'a build script',
    () => {
      reset();
      edit('shared/build.rs', (t) => t.replace('"plain"', '"vanilla"'));
      const r = cli();
      declined(r, 'file shared/build.rs');
      expect(r.prints('a')).toBe('hello a (vanilla)');
    },
    RUN_TIMEOUT_MS,
  );

  test(
    'a target cargo discovers on its own (a new src/bin/ file)',
    () => {
      reset();
      writeTree(WS, { 'a/src/bin/extra.rs': 'fn main() { println!("extra"); }\n' });
      const r = cli();
      declined(r, 'targets of a');
      expect(r.prints('extra')).toBe('extra');
    },
    RUN_TIMEOUT_MS,
  );
});

describe('the earlier plan tried and given up: a full emit', () => {
  test(
    'a new `mod`: the step reads a file the plan does not list, fails under Nix, and the full emit builds it',
    () => {
      reset();
      writeTree(WS, { 'shared/src/extra.rs': 'pub const EXTRA: &str = "!";\n' });
      edit('shared/src/lib.rs', (t) =>
        `${t}mod extra;\n`
          .replace('format!("{DATA}', 'format!("{}{DATA}')
          .replace(')")', ')", extra::EXTRA)'),
      );
      const r = cli();
      expect(r.status).toBe(0);
      expect(r.log).toMatch(REUSED);
      expect(r.log.match(/Falling back to a full emit: /g)).toHaveLength(1);
      expect(r.log).toMatch(
        /Falling back to a full emit: the earlier plan's build failed under Nix \(Step 'shared-lib-[0-9a-f]+' \(crate 'shared', lib\): error\[E0583\]: file not found for module `extra`/,
      );
      expect(cargoRan()).toBe(true);
      expect(r.records.some((x) => x.reused)).toBe(false);
      expect(r.plan!.reuse).toBeUndefined();
      expect(r.summary).toMatch(/The earlier plan was tried and given up/);
      expect(r.prints('a')).toBe('!hello a (plain)');
    },
    RUN_TIMEOUT_MS,
  );

  test(
    'a source that no longer compiles: the fallback runs cargo, which reports the error',
    () => {
      reset();
      edit('shared/src/lib.rs', (t) => t.replace('format!', 'formaat!'));
      const r = cli();
      expect(r.status).toBe(1);
      expect(r.log).toMatch(/Falling back to a full emit: /);
      expect(cargoRan()).toBe(true);
      expect(r.log).toMatch(/Compiling crate 'shared' failed: .*formaat/);
    },
    RUN_TIMEOUT_MS,
  );

  test(
    'a kept plan that is damaged is not used',
    () => {
      reset();
      writeFileSync(join(KEPT, 'rbn-plan', 'plan.json'), '{"schema_version": 1');
      const r = cli();
      expect(r.status).toBe(0);
      expect(r.log).toMatch(/Running a full emit: the earlier plan could not be read/);
      expect(cargoRan()).toBe(true);
      expect(r.outputs['out-paths']).toBe(run1.outputs['out-paths']);
    },
    RUN_TIMEOUT_MS,
  );
});

describe('graph inputs, compared without a build', () => {
  // Run 1's plan, against the tree after each change.
  const context = (over: Partial<GraphContext> = {}): GraphContext => ({
    sourceDir: WS,
    command: ['cargo', 'build'],
    configToml: '',
    toolchain: 'system',
    env: { CARGO_HOME: join(root, 'cargo-home') },
    ...over,
  });
  const changes = (change: () => void, over: Partial<GraphContext> = {}) => {
    reset();
    const before = graphInputsOf(run1.plan!, context());
    change();
    return compareGraphInputs(before, graphInputsOf(run1.plan!, context(over)));
  };

  test.each([
    ['Cargo.lock', () => edit('Cargo.lock', (t) => `${t}\n`), 'file Cargo.lock'],
    [
      '.cargo/config.toml in the tree',
      () => writeTree(WS, { '.cargo/config.toml': '[build]\nrustflags = ["-Copt-level=1"]\n' }),
      'file ./.cargo/config.toml',
    ],
    [
      'a cargo config in CARGO_HOME',
      () => writeTree(join(root, 'cargo-home'), { 'config.toml': '[net]\noffline = true\n' }),
      `file ${join(root, 'cargo-home', 'config.toml')}`,
    ],
    [
      'rust-toolchain.toml',
      () => writeTree(WS, { 'rust-toolchain.toml': '[toolchain]\nchannel = "stable"\n' }),
      'file rust-toolchain.toml',
    ],
    [
      'a new workspace member by glob (a Cargo.toml anywhere)',
      () => writeTree(WS, { 'c/Cargo.toml': '[package]\nname = "c"\n' }),
      'file c/Cargo.toml',
    ],
  ])('%s', (_what, change, name) => {
    const c = changes(change);
    expect(c.graph).toContain(name);
    rmSync(join(root, 'cargo-home'), { recursive: true, force: true });
  });

  test('the command, config.toml, the toolchain and RUSTFLAGS', () => {
    const over: [Partial<GraphContext>, string][] = [
      [{ command: ['cargo', 'build', '--release'] }, 'command'],
      [{ configToml: '[rust]\ndebug = true\n' }, 'config.toml'],
      [{ toolchain: 'another rustc' }, 'toolchain'],
      [
        { env: { CARGO_HOME: join(root, 'cargo-home'), RUSTFLAGS: '-Cdebuginfo=0' } },
        'variable RUSTFLAGS',
      ],
    ];
    for (const [o, name] of over) expect(changes(() => {}, o).graph).toEqual([name]);
  });

  test('a plain source edit is a source change, not a graph change; a removed source is gone', () => {
    const edited = changes(() => edit('b/src/main.rs', (t) => `${t}\n`));
    expect(edited).toEqual({ graph: [], sources: [join(WS, 'b/src/main.rs')], gone: [] });
    const removed = changes(() => rmSync(join(WS, 'shared/src/lib.rs')));
    expect(removed.gone).toEqual([join(WS, 'shared/src/lib.rs')]);
    expect(removed.graph).toEqual(['targets of shared']);
  });

  test('values of variables are kept only as hashes', () => {
    reset();
    const g = graphInputsOf(run1.plan!, context({ env: { RUSTFLAGS: '--cfg planted_value_xyz' } }));
    expect(JSON.stringify(g)).not.toContain('planted_value_xyz');
  });
});

describe('the system toolchain, copied into the store only when a step builds', () => {
  // A private toolchain (rustup's, hard-linked, plus a file of its own): its
  // store copy is this test's alone, so deleting it disturbs nothing else.
  const TC = join(root, 'toolchain');
  const env = (): Record<string, string> => ({
    PATH: `${join(TC, 'bin')}:${baseEnv().PATH}`,
  });
  const lastBuild = () =>
    JSON.parse(readFileSync(join(KEPT, 'rbn-plan', 'last-build.json'), 'utf8')) as {
      toolchainCopy: { storePath: string } | null;
    };
  const inStore = (p: string): boolean =>
    spawnSync('nix-store', ['--check-validity', p], { env: baseEnv() }).status === 0;

  test(
    'nothing changed: not copied; an edit: copied again and built',
    () => {
      const rustup = join(process.env.RUSTUP_HOME ?? '/root/.rustup', 'toolchains');
      const stable = readdirSync(rustup).find((d) => d.startsWith('stable-'))!;
      mkdirSync(TC, { recursive: true });
      for (const d of ['bin', 'lib'])
        expect(spawnSync('cp', ['-al', join(rustup, stable, d), join(TC, d)]).status).toBe(0);
      writeFileSync(join(TC, 'lib', `rbn-test-${NONCE}`), NONCE);

      reset();
      // Another toolchain decides the graph: a full emit, which copies it.
      const first = cli([], env());
      expect(first.status).toBe(0);
      expect(first.log).toMatch(
        /Running a full emit: what decides the build graph changed: .*toolchain/,
      );
      const copy = lastBuild().toolchainCopy!.storePath;
      expect(copy).toMatch(/^\/nix\/store\/[a-z0-9]{32}-rust-toolchain-system$/);
      expect(inStore(copy)).toBe(true);
      // A fresh runner's store: the copy is gone.
      rmSync(join(RUNNER_TEMP, 'rust-bootstrap-nix-gcroots', 'rust-toolchain-system'));
      expect(forgetWithDerivations(copy)).toBe(true);
      expect(inStore(copy)).toBe(false);

      const same = cli([], env());
      expect(same.status).toBe(0);
      expect(same.log).toMatch(REUSED);
      expect(same.log).toContain('the system toolchain is not copied into the Nix store');
      expect(builtStepIds(same.log, same.plan!)).toEqual([]);
      expect(same.outputs['out-paths']).toBe(first.outputs['out-paths']);
      expect(inStore(copy)).toBe(false);

      edit('shared/src/lib.rs', (t) => t.replace('{DATA} {who}', '{DATA}; {who}'));
      const edited = cli([], env());
      expect(edited.status).toBe(0);
      expect(edited.log).toMatch(REUSED);
      expect(edited.log).not.toContain('not copied');
      expect(inStore(copy)).toBe(true);
      expect(lastBuild().toolchainCopy!.storePath).toBe(copy);
      expect(builtStepIds(edited.log, edited.plan!)).toHaveLength(4);
      expect(edited.prints('a')).toBe('hello; a (plain)');
    },
    3 * RUN_TIMEOUT_MS,
  );
});
