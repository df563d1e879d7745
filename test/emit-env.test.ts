// The environment the recorded build runs in: the recorder in place,
// RUST_BOOTSTRAP_CONFIG set, the job's own variables kept as they were (a
// secret-named one too: the build may need it; only files and the log never
// hold it), and neither the Actions runtime nor the token's value handed to
// the build. A short value never costs the build a variable.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import {
  ActionJob,
  EMIT_ONLY,
  expectExit,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import { filesContaining, removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

const TOKEN = `ghs_${randomBytes(20).toString('hex')}`;
const API_TOKEN = `api-${randomBytes(20).toString('hex')}`;

/** Runs the action with a build command that dumps the environment it got. */
async function buildEnv(
  githubToken: string,
  env: Record<string, string>,
  inputs: Record<string, string> = {},
): Promise<{ run: StepRun; seen: Map<string, string>; shebang: string; config: string }> {
  const ws = writeTree(join(tempDir('rbn-env-'), 'ws'), {
    // The command is a script (never a shell line).
    'dump-env.sh':
      '#!/bin/sh\nhead -n 1 "$RUSTC_WRAPPER" > wrapper-shebang\ncp "$RUST_BOOTSTRAP_CONFIG" seen-config.toml\nexec env -0 > "$1"\n',
  });
  const job = new ActionJob({
    workspace: ws,
    inputs: { ...EMIT_ONLY, command: './dump-env.sh seen-env', ...inputs },
    githubToken,
    env,
    merged: true,
  });
  const run = await job.main();
  expectExit(run, 0);
  const seen = new Map(
    readFileSync(join(ws, 'seen-env'), 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const),
  );
  return {
    run,
    seen,
    shebang: readFileSync(join(ws, 'wrapper-shebang'), 'utf8'),
    config: readFileSync(join(ws, 'seen-config.toml'), 'utf8'),
  };
}

let seen: Map<string, string>;
let run: StepRun;
let shebang: string;
let config: string;

beforeAll(async () => {
  ({ run, seen, shebang, config } = await buildEnv(TOKEN, {
    MY_API_TOKEN: API_TOKEN,
    ACTIONS_RUNTIME_TOKEN: `rt-${randomBytes(8).toString('hex')}`,
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.invalid/',
    EMPTY_VAR: '',
    CARGO_TERM_COLOR: 'never',
    RUSTFLAGS: '-C debuginfo=1',
    // Secret by name, with values that other variables hold too (CI=true is the runner's).
    SORT_KEY: '1',
    CACHE_KEY: 'true',
    RUST_BACKTRACE: '1',
  }));
});

test('the recorder is in place: a private copy whose #! names bash', () => {
  expectExit(run, 0);
  // A private copy (gone after the run) whose #! names bash itself, not env.
  const wrapper = seen.get('RUSTC_WRAPPER') ?? '';
  expect(wrapper).toMatch(/\/rbn-records-[^/]+\/bin\/rustc-wrapper$/);
  expect(seen.get('PATH')?.split(':')[0]).toBe(dirname(wrapper));
  expect(existsSync(wrapper)).toBe(false);
  expect(shebang).toMatch(/^#!\/\S*\/bash\n$/);
});

test("RUST_BOOTSTRAP_CONFIG is metadata-dir's config.toml with [build] cargo through the recorder", () => {
  // x.py runs the cargo its config names, so that is where the recorder's shim goes.
  const wrapperDir = dirname(seen.get('RUSTC_WRAPPER') ?? '');
  expect(seen.get('RUST_BOOTSTRAP_CONFIG')).toBe(join(dirname(wrapperDir), 'config.toml'));
  const written = parseToml(readFileSync(run.outputs['config-toml'] ?? '', 'utf8'));
  const build = written.build as Record<string, unknown>;
  expect(build.cargo).toBe(run.outputs.cargo);
  expect(parseToml(config)).toEqual({
    ...written,
    build: { ...build, cargo: join(wrapperDir, 'cargo') },
  });
});

test("the job's own variables reach the build unchanged, empty ones included", () => {
  expect(seen.get('CARGO_TERM_COLOR')).toBe('never');
  expect(seen.get('RUSTFLAGS')).toBe('-C debuginfo=1');
  expect(seen.get('HOME')).toBe(process.env.HOME);
  expect(seen.get('EMPTY_VAR')).toBe('');
});

test('neither the token, an Actions runtime variable nor an input reaches the build', () => {
  expect([...seen.keys()].filter((k) => k.startsWith('ACTIONS_'))).toEqual([]);
  expect([...seen.keys()].filter((k) => k.startsWith('INPUT_'))).toEqual([]);
  for (const [name, value] of seen) expect(`${name}=${value}`).not.toContain(TOKEN);
});

test('a secret-named variable reaches the build (a registry token, say), never a file or the log', () => {
  expect(seen.get('MY_API_TOKEN')).toBe(API_TOKEN);
  expect(filesContaining(run.outputs['metadata-dir']!, [API_TOKEN])).toEqual([]);
  expect(
    run.stdout.split('\n').filter((l) => l.includes(API_TOKEN) && !l.startsWith('::add-mask::')),
  ).toEqual([]);
});

test('short values of secret-named variables never drop other variables', () => {
  expect(seen.get('CI')).toBe('true');
  expect(seen.get('RUST_BACKTRACE')).toBe('1');
  expect(seen.get('SORT_KEY')).toBe('1');
  expect(seen.get('CACHE_KEY')).toBe('true');
});

test('without a github-token (the CLI, a fork), empty variables still reach the build', async () => {
  const { seen: noToken } = await buildEnv('', { EMPTY_VAR: '', RUSTC_BOOTSTRAP: '' });
  expect(noToken.get('EMPTY_VAR')).toBe('');
  expect(noToken.get('RUSTC_BOOTSTRAP')).toBe('');
});

test('a RUNNER_TEMP that does not exist yet (a fresh self-hosted runner) is made', async () => {
  const missing = join(tempDir('rbn-temp-'), 'not', 'yet');
  const { seen } = await buildEnv('', { RUNNER_TEMP: missing });
  expect(seen.get('RUNNER_TEMP')).toBe(missing);
  expect(existsSync(missing)).toBe(true);
});

test('a RUNNER_TEMP mounted noexec: the shipped recorder scripts are used instead', async () => {
  const mnt = tempDir('rbn-noexec-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'noexec,size=16m', 'tmpfs', mnt], {
    encoding: 'utf8',
  });
  // The tests run as root (scripts/setup-machine.sh installs with apt-get), so mount works.
  expect(mounted.stderr).toBe('');
  try {
    const { run: r, seen: s } = await buildEnv('', { RUNNER_TEMP: mnt });
    expectExit(r, 0);
    expect(s.get('RUSTC_WRAPPER')).toMatch(/\/assets\/recorder\/rustc-wrapper$/);
  } finally {
    spawnSync('umount', [mnt]);
  }
});

test('components with toolchain: system: the build runs, and a warning says they are ignored', async () => {
  expect(workflowCommands(run.stdout, 'warning')).toEqual([]);
  const { run: withComponents } = await buildEnv('', {}, { components: 'rust-src' });
  expect(workflowCommands(withComponents.stdout, 'warning')).toEqual([
    'components (rust-src) are ignored with toolchain: system; add them with rustup instead',
  ]);
});
