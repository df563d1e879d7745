// The lattice's names and references, as pure functions: branch templates
// checked and filled in, step numbers found among a remote's branches, the
// default component, arch and phase, the flake reference of a pushed branch,
// the credentials git gets, and a lock's inputs as flake.nix declares them.

import {
  archOf,
  branchTemplateProblem,
  DEFAULT_BRANCH_TEMPLATE,
  defaultComponent,
  phaseOf,
  renderBranch,
  stepsOf,
} from '../src/publish/lattice.js';
import { inputsOfLock, originalUrl } from '../src/publish/portable.js';
import { credentialEnv, flakeRefOf, withoutUserinfo } from '../src/publish/remote.js';
import type { Plan, PlanStep } from '../src/types.js';
import { removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

const point = { component: 'logscan-rust-1.95.0', arch: 'x86_64', phase: 0 };

test('the default template fills in every part', () => {
  expect(renderBranch(DEFAULT_BRANCH_TEMPLATE, point, 3)).toBe(
    'lattice/logscan-rust-1.95.0/x86_64/phase0/step3',
  );
  expect(branchTemplateProblem(DEFAULT_BRANCH_TEMPLATE)).toBeNull();
  expect(branchTemplateProblem('snapshots/{arch}-{step}')).toBeNull();
});

test.each([
  ['lattice/{component}', /\{step\} exactly once/],
  ['a/{step}/b/{step}', /\{step\} exactly once/],
  ['x/{version}/{step}', /unknown placeholder \{version\}/],
  ['x/{step}.lock', /ends with \.lock/],
  ['/x/{step}', /starts or ends with \//],
  ['x//{step}', /empty part/],
  ['x/{step}~1', /~/],
])('template %j is refused', (template, why) => {
  expect(branchTemplateProblem(template)).toMatch(why);
});

test("steps are this point's only: other arches, phases, components and strays do not count", () => {
  const branches = [
    'main',
    'lattice/logscan-rust-1.95.0/x86_64/phase0/step1',
    'lattice/logscan-rust-1.95.0/x86_64/phase0/step12',
    'lattice/logscan-rust-1.95.0/x86_64/phase0/step2',
    'lattice/logscan-rust-1.95.0/x86_64/phase0/step02',
    'lattice/logscan-rust-1.95.0/x86_64/phase0/step3x',
    'lattice/logscan-rust-1.95.0/aarch64/phase0/step40',
    'lattice/logscan-rust-1.95.0/x86_64/phase1/step50',
    'lattice/logscanXrust-1.95.0/x86_64/phase0/step60',
  ];
  expect(stepsOf(DEFAULT_BRANCH_TEMPLATE, point, branches)).toEqual([1, 2, 12]);
});

const step = (stage: number | null | undefined): PlanStep =>
  ({ id: `s${stage}`, stage }) as unknown as PlanStep;

test('arch from the Nix system; phase the highest x.py stage, 0 for cargo', () => {
  expect(archOf('x86_64-linux')).toBe('x86_64');
  expect(archOf('aarch64-linux')).toBe('aarch64');
  expect(phaseOf({ steps: [step(undefined), step(null)] } as Plan)).toBe(0);
  expect(phaseOf({ steps: [step(0), step(1), step(0), step(null)] } as Plan)).toBe(1);
});

test("the default component: the root package's name, else the tree's, -rust-, the version", () => {
  const plan = (dir: string, version: string): Plan =>
    ({ source_dir: dir, toolchain: { version } }) as Plan;
  const root = tempDir('rbn-names-');
  const pkg = writeTree(`${root}/ws`, { 'Cargo.toml': '[package]\nname = "logscan"\n' });
  const virtual = writeTree(`${root}/rust`, { 'Cargo.toml': '[workspace]\nmembers = []\n' });
  expect(defaultComponent(plan(pkg, '1.95.0'))).toBe('logscan-rust-1.95.0');
  expect(defaultComponent(plan(virtual, '1.96.0-nightly'))).toBe('rust-rust-1.96.0-nightly');
  expect(defaultComponent(plan(`${root}/gone`, 'rustc 1.83.0 (90b35a623 2024-11-26)'))).toBe(
    'gone-rust-1.83.0',
  );
});

test.each([
  ['https://github.com/owner/repo.git', 'github:owner/repo/lattice/a/step1'],
  ['https://x-access-token:abc@github.com/owner/repo', 'github:owner/repo/lattice/a/step1'],
  ['git@github.com:owner/repo.git', 'github:owner/repo/lattice/a/step1'],
  ['ssh://git@github.com/owner/repo', 'github:owner/repo/lattice/a/step1'],
  ['/srv/git/lattice.git', 'git+file:///srv/git/lattice.git?ref=lattice/a/step1'],
  ['file:///srv/git/lattice.git', 'git+file:///srv/git/lattice.git?ref=lattice/a/step1'],
  ['https://u:pw@git.example.com/r.git', 'git+https://git.example.com/r.git?ref=lattice/a/step1'],
  [
    'git@git.example.com:team/r.git',
    'git+ssh://git@git.example.com/team/r.git?ref=lattice/a/step1',
  ],
])('flake ref of %s', (url, ref) => {
  expect(flakeRefOf({ url, shown: withoutUserinfo(url) }, 'lattice/a/step1')).toBe(ref);
});

test('the token goes to git as an extraheader for the remote’s origin, in environment variables only', () => {
  const token = 'ghs_0123456789abcdefghijklmnopqrstuvwxyz';
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  expect(credentialEnv('https://github.com/o/r', token, {})).toEqual({
    env: {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
    },
    secret: basic,
  });
  // After the configuration the environment already gives git.
  expect(credentialEnv('https://github.com/o/r', token, { GIT_CONFIG_COUNT: '2' }).env).toEqual({
    GIT_CONFIG_COUNT: '3',
    GIT_CONFIG_KEY_2: 'http.https://github.com/.extraheader',
    GIT_CONFIG_VALUE_2: `AUTHORIZATION: basic ${basic}`,
  });
  // Nothing for a path, ssh, or without a token.
  expect(credentialEnv('/srv/git/r.git', token, {})).toEqual({ env: {}, secret: null });
  expect(credentialEnv('git@github.com:o/r.git', token, {})).toEqual({ env: {}, secret: null });
  expect(credentialEnv('https://github.com/o/r', '', {})).toEqual({ env: {}, secret: null });
});

test("a lock's root inputs as flake.nix declares them, follows included", () => {
  const lock = {
    root: 'root',
    nodes: {
      root: { inputs: { nixpkgs: 'nixpkgs', 'rust-overlay': 'rust-overlay' } },
      nixpkgs: {
        original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixpkgs-unstable' },
      },
      'rust-overlay': {
        inputs: { nixpkgs: ['nixpkgs'] },
        original: { type: 'github', owner: 'oxalica', repo: 'rust-overlay' },
      },
    },
  };
  expect(inputsOfLock(lock)).toEqual({
    nixpkgs: { url: 'github:NixOS/nixpkgs/nixpkgs-unstable', follows: {} },
    'rust-overlay': { url: 'github:oxalica/rust-overlay', follows: { nixpkgs: 'nixpkgs' } },
  });
  expect(originalUrl({ type: 'path', path: '/x/y' })).toBe('path:/x/y');
  expect(originalUrl({ type: 'git', url: 'https://h/r.git', ref: 'main' })).toBe(
    'git+https://h/r.git?ref=main',
  );
  expect(originalUrl({ type: 'indirect', id: 'nixpkgs' })).toBe('flake:nixpkgs');
  expect(() => originalUrl({ type: 'mercurial' })).toThrow(/type 'mercurial'/);
});
