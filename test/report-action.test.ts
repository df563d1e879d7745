// The reports as the runner runs the action (node dist/main.js): the
// metadata artifact through the real @actions/artifact client against a
// loopback artifact service, and the PR check run against the loopback
// fake of the REST API. Neither may ever fail the step.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ArtifactServer, startArtifactServer } from './support/artifact-server.js';
import { type GitHubApi, startGitHubApi } from './support/github-api.js';
import { ActionJob, EMIT_ONLY, expectExit, workflowCommands } from './support/run-action.js';
import { removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(() => removeTempDirs());

/** A tree whose build is a script: the reports need a finished run, not a Rust build. */
function workspace(): string {
  return writeTree(join(tempDir('rbn-report-'), 'ws'), { 'build.sh': '#!/bin/sh\necho built\n' });
}

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  visit(dir);
  return out;
}

describe('the metadata artifact', () => {
  let server: ArtifactServer;
  beforeAll(async () => {
    server = await startArtifactServer();
  });
  afterAll(() => server.close());

  test('metadata-dir is uploaded as rust-bootstrap-nix-<system>, its files byte for byte, and artifact-id is set', async () => {
    const job = new ActionJob({
      workspace: workspace(),
      inputs: { ...EMIT_ONLY, command: './build.sh', 'upload-artifact': 'true' },
      env: { ...server.env, GITHUB_SERVER_URL: 'https://github.com' },
    });
    const run = await job.main();
    expectExit(run, 0);
    expect(server.artifacts).toHaveLength(1);
    const artifact = server.artifacts[0]!;
    expect(artifact.name).toMatch(/^rust-bootstrap-nix-(x86_64|aarch64)-linux$/);
    expect(run.outputs['artifact-id']).toBe(String(artifact.id));
    const scratch = tempDir('rbn-artifact-');
    writeFileSync(join(scratch, 'a.zip'), artifact.blob!);
    execFileSync('unzip', ['-q', join(scratch, 'a.zip'), '-d', join(scratch, 'out')]);
    const metadataDir = run.outputs['metadata-dir']!;
    const uploaded = filesUnder(join(scratch, 'out'));
    const local = filesUnder(metadataDir);
    expect([...uploaded.keys()].sort()).toEqual([...local.keys()].sort());
    for (const [name, bytes] of local) expect(uploaded.get(name)!.equals(bytes)).toBe(true);
    expect([...local.keys()]).toEqual(
      expect.arrayContaining(['invocations.jsonl', 'plan.json', 'config.toml', 'summary.md']),
    );
  });

  test('with the artifact service down the step warns once and passes', async () => {
    const down = await startArtifactServer();
    await down.close();
    const job = new ActionJob({
      workspace: workspace(),
      inputs: { ...EMIT_ONLY, command: './build.sh', 'upload-artifact': 'true' },
      env: { ...down.env, GITHUB_SERVER_URL: 'https://github.com' },
    });
    const run = await job.main();
    expectExit(run, 0);
    const warnings = workflowCommands(run.stdout, 'warning').filter((w) =>
      w.includes('rust-bootstrap-nix-'),
    );
    expect(warnings).toHaveLength(1);
    expect(workflowCommands(run.stdout, 'error')).toEqual([]);
    expect(run.outputs['artifact-id']).toBeUndefined();
  });
});

describe('the check run on a pull request', () => {
  let api: GitHubApi;
  beforeAll(async () => {
    api = await startGitHubApi();
  });
  afterAll(() => api.close());

  function pullRequestEnv(): Record<string, string> {
    const event = join(tempDir('rbn-event-'), 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: { number: 7, head: { sha: 'c0ffee0000000000000000000000000000000001' } },
        repository: { name: 'demo', owner: { login: 'octo' } },
      }),
    );
    return {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: 'octo/demo',
      GITHUB_API_URL: api.url,
    };
  }

  test('the summary is published as a check run named per system on the head commit', async () => {
    const job = new ActionJob({
      workspace: workspace(),
      inputs: { ...EMIT_ONLY, command: './build.sh', 'check-run': 'true' },
      env: pullRequestEnv(),
      githubToken: 'ghs_checkrunsecret0000000000',
    });
    const run = await job.main();
    expectExit(run, 0);
    expect(api.checkRuns).toHaveLength(1);
    const check = api.checkRuns[0]!;
    expect(check.name).toMatch(/^rust-bootstrap-nix \((x86_64|aarch64)-linux\)$/);
    expect(check.head_sha).toBe('c0ffee0000000000000000000000000000000001');
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(check.output.summary).toBe(
      readFileSync(join(run.outputs['metadata-dir']!, 'summary.md'), 'utf8'),
    );
  });

  test('a token without checks: write gives a warning and the step passes', async () => {
    api.handle((req) =>
      req.method === 'POST'
        ? { status: 403, body: { message: 'Resource not accessible by integration' } }
        : undefined,
    );
    const job = new ActionJob({
      workspace: workspace(),
      inputs: { ...EMIT_ONLY, command: './build.sh', 'check-run': 'true' },
      env: pullRequestEnv(),
      githubToken: 'ghs_readonlytoken00000000000',
    });
    const run = await job.main();
    api.handle(undefined);
    expectExit(run, 0);
    expect(workflowCommands(run.stdout, 'warning').some((w) => w.includes('checks: write'))).toBe(
      true,
    );
    expect(workflowCommands(run.stdout, 'error')).toEqual([]);
  });
});
