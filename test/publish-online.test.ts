// A published online flake (a Nix toolchain, tools from the action's nix/
// flake) names no path of the machine that generated it: the nix/ flake
// travels in the branch and its pinned inputs become the flake's own, locked
// by nix/'s flake.lock. Offline, nix/ is locked to the stand-ins of nixpkgs
// and rust-overlay (the lock's originals stay GitHub's, as in the real one);
// the branch, fetched from a bare repository with the lock as it is
// (`--no-update-lock-file`), evaluates to exactly the derivation the
// generated flake gives with the same inputs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryState, processEnvironment } from '../src/host/ports.js';
import { parseInputs } from '../src/inputs.js';
import { memoryLog } from '../src/log.js';
import { generateFlake } from '../src/nix/generate.js';
import { onlineTools } from '../src/nix/tools.js';
import type { StageContext } from '../src/pipeline/context.js';
import { publishFlake, publishTarget } from '../src/stages/publish.js';
import { Redactor } from '../src/util/secrets.js';
import { nixEnv, overrideArgs, standins } from './fixtures/nix-standins/env.js';
import { NIX_FEATURES } from './support/nix-helpers.js';
import { onlinePlan } from './support/nix-synthetic.js';
import { REPO_ROOT, removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

const nix = (...args: string[]): string =>
  execFileSync('nix', [...NIX_FEATURES, ...args], {
    env: nixEnv,
    encoding: 'utf8',
    cwd: tempDir('rbn-online-cwd-'),
  }).trim();

const STEP = 'demo-lib-0123456789abcdef';

test('the published branch evaluates, from git with its own lock, to the generated flake’s derivation', async () => {
  const root = tempDir('rbn-publish-online-');
  // The action's nix/ flake, locked to the stand-ins.
  const nixDir = join(root, 'nix');
  cpSync(join(REPO_ROOT, 'nix'), nixDir, { recursive: true });
  nix('flake', 'lock', nixDir, ...overrideArgs(''));
  const ws = join(root, 'ws');
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'src', 'lib.rs'), 'pub fn demo() {}\n');
  writeFileSync(join(ws, 'Cargo.toml'), '[package]\nname = "demo"\nversion = "0.1.0"\n');
  const { plan, records } = onlinePlan(
    ws,
    '/nix/store/00000000000000000000000000000000-rust-1.83.0',
  );
  const metadataDir = join(root, 'meta');
  mkdirSync(metadataDir);
  writeFileSync(join(metadataDir, 'plan.json'), JSON.stringify(plan));
  const flakeDir = join(metadataDir, 'flake');
  generateFlake({
    plan,
    records,
    flakeDir,
    tools: onlineTools(nixDir, plan.toolchain.nix_spec!.spec as never, null, 'x86_64-linux'),
  });
  const remote = join(root, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', remote]);

  const inputs = parseInputs(
    (name) =>
      ({
        'source-dir': ws,
        'metadata-dir': metadataDir,
        mode: 'build',
        publish: 'true',
        'publish-remote': remote,
      })[name as string],
    {},
    root,
  );
  const log = memoryLog();
  const ctx: StageContext = {
    log,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    state: memoryState(),
    job: processEnvironment({}),
    output: () => {},
    redactor: new Redactor([]),
    progress: { stage: '', entered: [] },
  };
  const published = await publishFlake(
    inputs,
    await publishTarget(inputs, ctx),
    { plan, flakeDir, nixFlakeDir: nixDir },
    ctx,
  );
  expect(published.branch).toBe('lattice/demo-rust-1.83.0/x86_64/phase0/step1');

  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', published.branch], {
    cwd: remote,
    encoding: 'utf8',
  });
  expect(files).toContain('rust-bootstrap-nix/flake.nix');
  expect(files).toContain('rust-bootstrap-nix/lib/toolchain.nix');
  const show = (path: string): string =>
    execFileSync('git', ['show', `${published.branch}:${path}`], { cwd: remote, encoding: 'utf8' });
  // Nothing of this machine: no path: input, no directory of the run.
  expect(show('flake.nix')).not.toContain('path:');
  expect(show('flake.nix')).not.toContain(root);
  expect(show('flake.nix')).toContain('nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";');
  expect(show('flake.nix')).toContain('rust-overlay.inputs.nixpkgs.follows = "nixpkgs";');
  expect(show('flake.lock')).toContain(standins); // this machine's lock of nix/, as it was

  const attr = `packages.x86_64-linux.${STEP}.drvPath`;
  const fromBranch = nix('eval', '--raw', '--no-update-lock-file', `${published.flakeRef}#${attr}`);
  const generated = nix('eval', '--raw', ...overrideArgs(), `path:${flakeDir}#${attr}`);
  expect(fromBranch).toMatch(/^\/nix\/store\/[a-z0-9]{32}-rbn-demo-lib-/);
  expect(fromBranch).toBe(generated);
});
