// A bad input fails the step, run as the runner runs it, with one ::error::
// line naming the input, exit 1, and nothing half-written: no metadata-dir,
// no outputs, no job summary. A good one the runner cannot meet is reported
// in summary.md and the job summary as well.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NIX_CONFIG } from './support/nix-helpers.js';
import { ActionJob, EMIT_ONLY, expectExit, workflowCommands } from './support/run-action.js';
import { removeTempDirs, tempDir, tinyCrate } from './support/workspace.js';

afterAll(removeTempDirs);

const ws = tinyCrate(join(tempDir('rbn-badinputs-'), 'ws'));

const VALID = { ...EMIT_ONLY, 'metadata-dir': 'meta' };

async function expectInputFailure(
  name: string,
  inputs: Record<string, string>,
  accepts: RegExp,
): Promise<void> {
  const metadataDir = join(tempDir('rbn-badinput-meta-'), 'meta');
  const job = new ActionJob({
    workspace: ws,
    inputs: { ...VALID, 'metadata-dir': metadataDir, ...inputs },
    merged: true,
  });
  const run = await job.main();
  expectExit(run, 1);
  const errors = workflowCommands(run.stdout, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(new RegExp(`^Input '${name}': `));
  expect(errors[0]).toMatch(accepts);
  expect(existsSync(metadataDir)).toBe(false);
  expect(run.outputs).toEqual({});
  expect(run.summary).toBe('');
}

test.each([
  ['mode', { mode: 'record' }, /emit, build, emit-then-build/],
  ['install-nix', { 'install-nix': 'sometimes' }, /auto, true, false/],
  ['sccache', { sccache: 'yes' }, /true or false/],
  ['cache', { cache: 'enabled' }, /true or false/],
  ['upload-artifact', { 'upload-artifact': '0' }, /true or false/],
  ['source-dir', { 'source-dir': 'no/such/dir' }, /does not exist/],
  ['config-template', { 'config-template': 'no-such.toml' }, /does not exist/],
  ['command', { command: 'cargo build | tee build.log' }, /'\|'/],
  ['command', { command: 'cargo build; cargo test' }, /';'/],
  ['command', { command: 'cargo build > build.log' }, /'>'/],
  ['config', { config: '[build\nrustc = ' }, /not valid TOML/],
  ['config', { config: 'build = { jobs = 2 }\nbuild = 3' }, /not valid TOML/],
  ['toolchain', { toolchain: 'no such toolchain!' }, /stable.*system/],
  ['toolchain', { toolchain: './missing/rust-toolchain.toml' }, /rust-toolchain/],
])('%s: %j', async (name, inputs, accepts) => {
  await expectInputFailure(name, inputs, accepts);
});

test('command with an unbalanced quote', async () => {
  await expectInputFailure('command', { command: 'cargo "build' }, /quote/i);
});

test('a config-template that is not TOML', async () => {
  const dir = tinyCrate(join(tempDir('rbn-badtemplate-'), 'ws'), { 'bad.toml': 'rustc = \n' });
  const metadataDir = join(tempDir('rbn-badinput-meta-'), 'meta');
  const job = new ActionJob({
    workspace: dir,
    inputs: { ...VALID, 'metadata-dir': metadataDir, 'config-template': 'bad.toml' },
    merged: true,
  });
  const run = await job.main();
  expectExit(run, 1);
  const errors = workflowCommands(run.stdout, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^Input 'config-template': .*not valid TOML/);
  expect(existsSync(metadataDir)).toBe(false);
});

test('mode build without an earlier emit in metadata-dir', async () => {
  await expectInputFailure('metadata-dir', { mode: 'build' }, /plan\.json/);
});

test('a command whose program does not exist', async () => {
  await expectInputFailure('command', { command: 'no-such-program-rbn build' }, /not found/);
});

test('a Nix toolchain on a runner without network: one error naming the input and the fix', async () => {
  const metadataDir = join(tempDir('rbn-offline-meta-'), 'meta');
  const job = new ActionJob({
    workspace: ws,
    inputs: { ...VALID, 'metadata-dir': metadataDir, toolchain: 'stable' },
    // No network, arranged: Nix's curl goes through proxies on a loopback port
    // nothing listens on (curl reads the lower-case http_proxy only).
    env: {
      NIX_CONFIG,
      http_proxy: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      no_proxy: '',
      NO_PROXY: '',
    },
    merged: true,
  });
  const run = await job.main();
  expectExit(run, 1);
  const errors = workflowCommands(run.stdout, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(
    /^toolchain 'stable' could not be realised: nix build \S+ failed:\nunable to download 'https:\/\/[^']+'.*\n.*network access.*`toolchain: system`/,
  );
  expect(errors[0]).not.toMatch(/retrying/);
  // The inputs were good: the failure is reported in summary.md and the job summary.
  expect(run.summary).toMatch(
    /failed \(emit\)[\s\S]*\(resolving the toolchain\): toolchain 'stable' could not be realised/,
  );
  expect(readFileSync(join(metadataDir, 'summary.md'), 'utf8')).toBe(run.summary);
});
