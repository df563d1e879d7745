// The check run, published by the real Octokit from @actions/github against a
// loopback fake of the REST API, served under /api/v3 as on GitHub Enterprise
// Server, from a pull_request event as the runner provides it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as github from '@actions/github';
import { memoryLog } from '../src/log.js';
import {
  type Annotation,
  type CheckRunReport,
  checkRunTitle,
  failedStepAnnotations,
  type GitHubContext,
  publishCheckRun,
} from '../src/report/check-run.js';
import { type GitHubApi, startGitHubApi } from './support/github-api.js';

const HEAD = '0123456789abcdef0123456789abcdef01234567';
const ENV_KEYS = ['GITHUB_EVENT_PATH', 'GITHUB_EVENT_NAME', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
let api: GitHubApi;
let scratch: string;

beforeEach(async () => {
  api = await startGitHubApi({ prefix: '/api/v3' });
  scratch = mkdtempSync(join(tmpdir(), 'rbn-check-'));
});

afterEach(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

/**
 * The context a step of that event sees: the runner's environment and event
 * file, read by @actions/github's own Context class (github.context itself
 * was read once, when the module loaded).
 */
function eventContext(eventName: string, payload: object): GitHubContext {
  const eventPath = join(scratch, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  Object.assign(process.env, {
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REPOSITORY: 'octo-org/rust-app',
    GITHUB_API_URL: api.url,
  });
  const Context = github.context.constructor as new () => typeof github.context;
  return new Context();
}

const pullRequest = () =>
  eventContext('pull_request', {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      head: { sha: HEAD, ref: 'feature' },
      base: { sha: 'f'.repeat(40), ref: 'main' },
    },
    repository: { name: 'rust-app', owner: { login: 'octo-org' } },
  });

const annotation = (i: number): Annotation => ({
  path: `crates/c${i}/src/lib.rs`,
  start_line: 1,
  end_line: 1,
  annotation_level: 'failure',
  title: `c${i} (lib) failed`,
  message: `step ${i} failed`,
});

const report = (annotations: Annotation[]): CheckRunReport => ({
  system: 'x86_64-linux',
  conclusion: annotations.length > 0 ? 'failure' : 'success',
  title: checkRunTitle({ steps: 12, failed: annotations.length, invocations: 30 }),
  summary: '## rust-bootstrap-nix\n\n| plan steps | 12 |',
  text: '```mermaid\ngraph LR\n  c0["a"]\n```\n',
  annotations,
});

test('one request on a pull request: a completed check run on the head commit', async () => {
  const log = memoryLog();
  const annotations = [annotation(1), annotation(2), annotation(3)];
  const id = await publishCheckRun(report(annotations), {
    token: 'ghs_test',
    enabled: true,
    log,
    context: pullRequest(),
  });
  expect(id).toBe(4000);
  expect(api.requests).toHaveLength(1);
  const [request] = api.requests;
  expect(request).toMatchObject({ method: 'POST', path: '/repos/octo-org/rust-app/check-runs' });
  expect(request!.headers.authorization).toBe('token ghs_test');
  expect(request!.body).toEqual({
    name: 'rust-bootstrap-nix (x86_64-linux)',
    head_sha: HEAD,
    status: 'completed',
    conclusion: 'failure',
    output: {
      title: '3 failed, 12 steps, 30 invocations',
      summary: '## rust-bootstrap-nix\n\n| plan steps | 12 |',
      text: '```mermaid\ngraph LR\n  c0["a"]\n```\n',
      annotations,
    },
  });
  expect(log.lines).toEqual([
    `info: Published check run rust-bootstrap-nix (x86_64-linux) (id 4000) on ${HEAD}.`,
  ]);
});

test('more than 50 annotations: created in progress, appended 50 at a time, completed last', async () => {
  const annotations = Array.from({ length: 120 }, (_, i) => annotation(i));
  const id = await publishCheckRun(report(annotations), {
    token: 'ghs_test',
    enabled: true,
    log: memoryLog(),
    context: pullRequest(),
  });
  expect(id).toBe(4000);
  expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /repos/octo-org/rust-app/check-runs',
    'PATCH /repos/octo-org/rust-app/check-runs/4000',
    'PATCH /repos/octo-org/rust-app/check-runs/4000',
  ]);
  type Body = {
    status?: string;
    conclusion?: string;
    output: { title: string; annotations: Annotation[] };
  };
  const bodies = api.requests.map((r) => r.body as Body);
  expect(bodies.map((b) => [b.status, b.conclusion, b.output.annotations.length])).toEqual([
    ['in_progress', undefined, 50],
    [undefined, undefined, 50],
    ['completed', 'failure', 20],
  ]);
  expect(bodies[0]!.output.annotations).toEqual(annotations.slice(0, 50));
  expect(bodies[1]!.output.annotations).toEqual(annotations.slice(50, 100));
  expect(bodies[2]!.output.annotations).toEqual(annotations.slice(100));
  // Every update repeats the output fields GitHub requires with annotations.
  for (const body of bodies) expect(body.output.title).toBe('120 failed, 12 steps, 30 invocations');
  expect(api.checkRuns).toEqual([
    expect.objectContaining({ status: 'completed', conclusion: 'failure', annotations }),
  ]);
});

test.each([403, 404])(
  'a token without checks: write (HTTP %i) warns and does not throw',
  async (status) => {
    api.handle(() => ({ status, body: { message: 'Resource not accessible by integration' } }));
    const log = memoryLog();
    const id = await publishCheckRun(report([]), {
      token: 'ghs_ro',
      enabled: true,
      log,
      context: pullRequest(),
    });
    expect(id).toBeNull();
    expect(api.requests).toHaveLength(1);
    expect(log.lines).toEqual([
      `warning: Check run rust-bootstrap-nix (x86_64-linux) not published: the token cannot write check runs (HTTP ${status}); give the job \`permissions: checks: write\`, or set check-run: false (pull requests from forks never get write access). The job summary has the same report.`,
    ]);
  },
);

test('an update that fails still completes the run, with a warning', async () => {
  let patches = 0;
  api.handle((req) => {
    if (req.method === 'PATCH' && ++patches === 1)
      return { status: 502, body: { message: 'Bad Gateway' } };
    return undefined;
  });
  const log = memoryLog();
  const annotations = Array.from({ length: 51 }, (_, i) => annotation(i));
  const id = await publishCheckRun(report(annotations), {
    token: 't',
    enabled: true,
    log,
    context: pullRequest(),
  });
  expect(id).toBe(4000);
  expect(api.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
  expect(api.requests[2]!.body).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(api.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toMatch(
    /^warning: Check run .* \(id 4000\) published without all its annotations: .*Bad Gateway/,
  );
});

test('the API unreachable warns and does not throw', async () => {
  const context = pullRequest();
  await api.close();
  const log = memoryLog();
  expect(await publishCheckRun(report([]), { token: 't', enabled: true, log, context })).toBeNull();
  expect(log.lines[0]).toMatch(
    /^warning: Check run rust-bootstrap-nix \(x86_64-linux\) not published: /,
  );
  api = await startGitHubApi(); // for afterEach
});

test('no request outside pull requests, with check-run: false, or without a token', async () => {
  const log = memoryLog();
  const push = eventContext('push', { ref: 'refs/heads/main', after: HEAD });
  expect(
    await publishCheckRun(report([]), { token: 't', enabled: true, log, context: push }),
  ).toBeNull();
  expect(
    await publishCheckRun(report([]), { token: 't', enabled: false, log, context: pullRequest() }),
  ).toBeNull();
  expect(api.requests).toEqual([]);
  expect(log.lines).toEqual([]);
  expect(
    await publishCheckRun(report([]), { token: '', enabled: true, log, context: pullRequest() }),
  ).toBeNull();
  expect(log.lines).toEqual([
    'warning: Check run rust-bootstrap-nix (x86_64-linux) not published: the github-token input is empty.',
  ]);
  expect(api.requests).toEqual([]);
});

test('an oversized summary is cut to the API limit', async () => {
  const big = { ...report([]), summary: 'x'.repeat(100_000) };
  await publishCheckRun(big, {
    token: 't',
    enabled: true,
    log: memoryLog(),
    context: pullRequest(),
  });
  const summary = (api.requests[0]!.body as { output: { summary: string } }).output.summary;
  expect(summary).toHaveLength(65_535);
  expect(summary.endsWith('(truncated; the full report is in the job summary)')).toBe(true);
});

test('failedStepAnnotations: one failure per failed step, on a file in the repository', () => {
  const ws = '/home/runner/work/rust-app/rust-app';
  const base = { kind: 'lib' as const, cwd: `${ws}/crates/a`, sources: [] as string[] };
  expect(
    failedStepAnnotations(
      [
        { ...base, id: 'ok', crate: 'fine', exit_code: 0 },
        {
          ...base,
          id: 'r1',
          crate: 'a',
          exit_code: 1,
          sources: ['/home/runner/.cargo/registry/x.rs', `${ws}/crates/a/src/lib.rs`],
        },
        { ...base, id: 'r2', crate: 'b', kind: 'build-script-run', exit_code: null },
        { ...base, id: 'r3', crate: 'c', exit_code: 101, cwd: '/elsewhere' },
      ],
      `${ws}/`,
    ),
  ).toEqual([
    {
      path: 'crates/a/src/lib.rs',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      title: 'a (lib) failed',
      message: 'Step r1, the lib of crate a, exited with 1. Its output is in the job log.',
    },
    expect.objectContaining({
      path: 'crates/a',
      title: 'b (build-script-run) failed',
      message:
        'Step r2, the build-script-run of crate b, was killed. Its output is in the job log.',
    }),
    expect.objectContaining({ path: '.', title: 'c (lib) failed' }),
  ]);
  expect(checkRunTitle({ steps: 1, failed: 0, invocations: 1 })).toBe('1 step, 1 invocation');
});
