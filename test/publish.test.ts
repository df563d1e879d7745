// Issue 13, lattice publishing, end to end with real git and real Nix: a tiny
// crate in a git checkout whose `origin` is a bare repository. The action (as
// the runner runs it) builds it and publishes the flake to
// lattice/tiny-rust-<version>/<arch>/phase0/step1; `nix build` of that branch
// in a fresh directory gives a binary that behaves like cargo's; a second run
// with nothing changed pushes nothing; an edit gives step2; publishers of
// two arches (and two of one) publishing at once all land; a remote whose
// pre-receive hook refuses fails with one clear error. Over HTTP (git's own
// http-backend, demanding the token as GitHub does) the planted github-token
// reaches the server in the Authorization header only: it is in no file of
// the checkout, the metadata, the pushed commits, the runner's files or the log.

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostSandboxPaths } from '../src/nix/tools.js';
import { metadataDigest } from '../src/trust/metadata-integrity.js';
import type { Plan } from '../src/types.js';
import { type CliRun, runCli } from './support/cli-run.js';
import { type GitHttpServer, startGitHttpServer } from './support/git-http.js';
import {
  builtStepIds,
  deleteGenerated,
  NIX_CONFIG,
  nixOk,
  nonce,
  offlineSandboxArgs,
  signingKeyPair,
} from './support/nix-helpers.js';
import { ActionJob, expectExit, type StepRun } from './support/run-action.js';
import {
  baseEnv,
  filesContaining,
  listFiles,
  removeTempDirs,
  tempDir,
  tinyCrate,
} from './support/workspace.js';

afterAll(removeTempDirs);

const TOKEN = `ghs_${randomBytes(18).toString('hex')}`;
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
const NEEDLES = [TOKEN, BASIC];
// A token that may read the HTTP remote but not push (`contents: read`).
const READ_TOKEN = `ghs_${randomBytes(18).toString('hex')}`;
// New derivations for this run: the fresh build below really builds.
const NONCE = nonce();

const root = tempDir('rbn-publish-');
const WS = join(root, 'ws');
const ORIGIN = join(root, 'origin.git');

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

const heads = (repo: string): Record<string, string> =>
  Object.fromEntries(
    git(repo, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );

/** Every file of a .git directory and its content's hash: what "untouched" compares. */
function gitDirState(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(join(dir, '.git')).map((f) => [
      f,
      createHash('sha256').update(readFileSync(f)).digest('hex'),
    ]),
  );
}

const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
  runCli(args, { cwd: root, env });

const RUN_FLAGS = ['--toolchain', 'system', '--sccache', 'false', '--cache', 'false'];

/** `run --publish true` of the checkout into a metadata-dir of its own. */
const publishRun = (meta: string): Promise<CliRun> =>
  cli(['run', '--source-dir', WS, ...RUN_FLAGS, '--metadata-dir', meta, '--publish', 'true']);

/** `nix build --json` of installables from a fresh, empty directory: their `out` paths, and Nix's log. */
async function buildFresh(...installables: string[]): Promise<{ outs: string[]; log: string }> {
  // An offline flake's steps run the host's tools: bound into the sandbox as the branch's README says.
  const sandbox = offlineSandboxArgs();
  const r = await nixOk(['build', '--json', '--no-link', ...sandbox, ...installables], {
    cwd: tempDir('rbn-publish-fresh-'),
  });
  const outs = (JSON.parse(r.stdout.toString('utf8')) as { outputs: { out: string } }[]).map(
    (j) => j.outputs.out,
  );
  return { outs, log: r.stderr };
}

/** What a build's binary prints. */
const runTiny = (bin: string): string =>
  spawnSync(bin, [], { env: baseEnv(), encoding: 'utf8' }).stdout;

const BRANCH_RE = /^lattice\/tiny-rust-\d+\.\d+\.\d+[^/]*\/x86_64\/phase0\/step1$/;

let job: ActionJob;
let first: StepRun;
let gitBefore: Record<string, string>;
let gitAfter: Record<string, string>;
let firstMeta: string;
const seen: string[] = []; // everything printed, for the token check

beforeAll(async () => {
  tinyCrate(WS, { 'src/main.rs': `fn main() {\n    println!("tiny one ${NONCE}");\n}\n` });
  git(root, 'init', '--quiet', '--bare', ORIGIN);
  // What a local remote's hooks see of the pusher's environment, kept (the token check reads it).
  writeFileSync(
    join(ORIGIN, 'hooks', 'post-receive'),
    '#!/bin/sh\ntr "\\0" "\\n" < /proc/$$/environ > "$0.env.$$"\n',
    {
      mode: 0o755,
    },
  );
  git(WS, 'init', '--quiet');
  writeFileSync(join(WS, '.gitignore'), 'target/\n');
  git(WS, 'add', '-A');
  git(WS, 'commit', '--quiet', '-m', 'tiny');
  git(WS, 'remote', 'add', 'origin', ORIGIN);
  gitBefore = gitDirState(WS);
  job = new ActionJob({
    workspace: WS,
    inputs: {
      'source-dir': WS,
      toolchain: 'system',
      mode: 'emit-then-build',
      sccache: 'false',
      cache: 'false',
      'check-run': 'false',
      'upload-artifact': 'false',
      publish: 'true',
    },
    githubToken: TOKEN,
    env: { NIX_CONFIG },
    merged: true,
  });
  first = await job.main();
  seen.push(first.stdout);
  gitAfter = gitDirState(WS);
  firstMeta = first.outputs['metadata-dir'] ?? '';
});

describe('the action publishes after emit-then-build', () => {
  test('step1 of the lattice point is pushed to origin, and the outputs name it', () => {
    expectExit(first, 0);
    const branch = first.outputs['published-branch'] ?? '';
    expect(branch).toMatch(BRANCH_RE);
    expect(heads(ORIGIN)).toEqual({ [branch]: first.outputs['published-commit'] });
    expect(first.outputs['flake-ref']).toBe(`git+file://${ORIGIN}?ref=${branch}`);
    expect(first.summary).toContain(`Published \`${branch}\``);
  });

  test('the branch holds the flake at its root, the metadata and a README; fixed author and dates', () => {
    const branch = first.outputs['published-branch']!;
    const files = git(ORIGIN, 'ls-tree', '-r', '--name-only', branch).split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'flake.nix',
        'steps.nix',
        'result.nix',
        'lib.nix',
        'step-runner.sh',
        'config.toml',
        'plan.json',
        'invocations.jsonl',
        'README.md',
      ]),
    );
    expect(files.some((f) => f.startsWith('sources/'))).toBe(true);
    expect(git(ORIGIN, 'show', `${branch}:plan.json`)).toBe(
      readFileSync(join(firstMeta, 'plan.json'), 'utf8').trim(),
    );
    expect(git(ORIGIN, 'show', `${branch}:flake.nix`)).toBe(
      readFileSync(join(firstMeta, 'flake', 'flake.nix'), 'utf8').trim(),
    );
    const readme = git(ORIGIN, 'show', `${branch}:README.md`);
    expect(readme).toContain(git(WS, 'rev-parse', 'HEAD'));
    // The command buildFresh runs below: the host tools' sandbox paths, then the ref.
    expect(readme).toContain(
      `nix build --option extra-sandbox-paths '${hostSandboxPaths(null).join(' ')}' '${first.outputs['flake-ref']}'`,
    );
    expect(
      git(ORIGIN, 'log', '--format=%an <%ae> %ad %cn %cd parents:%P.', '--date=iso', branch),
    ).toBe(
      'rust-bootstrap-nix <rust-bootstrap-nix@users.noreply.github.com> 2000-01-01 00:00:00 +0000 rust-bootstrap-nix 2000-01-01 00:00:00 +0000 parents:.',
    );
  });

  test("the user's checkout is untouched: no file under .git changed, none was added", () => {
    expect(gitAfter).toEqual(gitBefore);
  });
});

describe('a published branch builds anywhere', () => {
  test('nix build <flake-ref> in a fresh directory runs like cargo; #<step id> builds one step', async () => {
    const ref = first.outputs['flake-ref']!;
    const plan = JSON.parse(readFileSync(join(firstMeta, 'plan.json'), 'utf8')) as Plan;
    // What the run built is deleted from the store (its GC root first): Nix builds from the branch.
    rmSync(join(job.runnerTemp, 'rust-bootstrap-nix-gcroots'), { recursive: true, force: true });
    const drv = (await nixOk(['eval', '--raw', `${ref}#default.drvPath`])).stdout.toString();
    expect(await deleteGenerated([drv])).toBeGreaterThan(0);
    const all = await buildFresh(ref);
    expect(builtStepIds(all.log, plan).sort()).toEqual(plan.steps.map((s) => s.id).sort());
    expect(runTiny(join(all.outs[0]!, 'target/debug/tiny'))).toBe(`tiny one ${NONCE}\n`);
    // cargo's own build of the same tree (the emit's) prints the same.
    expect(runTiny(join(WS, 'target/debug/tiny'))).toBe(`tiny one ${NONCE}\n`);
    const bin = plan.steps.find((s) => s.kind === 'bin')!;
    const one = await buildFresh(`${ref}#${bin.id}`);
    expect(one.outs[0]).toMatch(new RegExp(`-rbn-${bin.id}$`));
  });
});

describe('steps', () => {
  let again: CliRun;
  let edited: CliRun;
  let editedMeta: string;

  beforeAll(async () => {
    again = await publishRun(join(tempDir('rbn-publish-again-'), 'meta'));
    seen.push(again.out);
    writeFileSync(join(WS, 'src/main.rs'), `fn main() {\n    println!("tiny two ${NONCE}");\n}\n`);
    git(WS, 'commit', '--quiet', '-am', 'two');
    editedMeta = join(tempDir('rbn-publish-edited-'), 'meta');
    edited = await publishRun(editedMeta);
    seen.push(edited.out);
  });

  test('publishing again with nothing changed pushes nothing and names step1', () => {
    expect(again.status).toBe(0);
    expect(again.outputs['published-branch']).toBe(first.outputs['published-branch']);
    expect(again.outputs['published-commit']).toBe(first.outputs['published-commit']);
    expect(again.out).toContain('already holds this flake: nothing to push');
  });

  test('after an edit, step2 appears beside step1 and builds the edit', async () => {
    expect(edited.status).toBe(0);
    const step1 = first.outputs['published-branch']!;
    const step2 = step1.replace(/step1$/, 'step2');
    expect(edited.outputs['published-branch']).toBe(step2);
    expect(heads(ORIGIN)).toEqual({
      [step1]: first.outputs['published-commit'],
      [step2]: edited.outputs['published-commit'],
    });
    const built = await buildFresh(edited.outputs['flake-ref']!);
    expect(runTiny(join(built.outs[0]!, 'target/debug/tiny'))).toBe(`tiny two ${NONCE}\n`);
  });

  test('publishers of two arches, and two of one arch, publishing at once all land', async () => {
    const remote = join(root, 'concurrent.git');
    git(root, 'init', '--quiet', '--bare', remote);
    const copy = (from: string, system: string): string => {
      const dir = join(tempDir('rbn-publish-copy-'), 'meta');
      cpSync(from, dir, { recursive: true });
      const flake = join(dir, 'flake', 'flake.nix');
      // What the aarch64-linux leg's run leaves: the same files, generated for its system.
      writeFileSync(
        flake,
        readFileSync(flake, 'utf8').replace('system = "x86_64-linux";', `system = "${system}";`),
      );
      return dir;
    };
    const metas = [
      copy(firstMeta, 'x86_64-linux'),
      copy(editedMeta, 'x86_64-linux'),
      copy(firstMeta, 'aarch64-linux'),
    ];
    const runs = await Promise.all(
      metas.map((m) =>
        cli([
          'publish',
          '--metadata-dir',
          m,
          '--metadata-digest',
          metadataDigest(m),
          '--source-dir',
          WS,
          '--publish-remote',
          remote,
        ]),
      ),
    );
    for (const r of runs) expect(r.status === 0 ? '' : r.out).toBe('');
    const landed = heads(remote);
    const step1 = first.outputs['published-branch']!;
    const x86 = [step1, step1.replace(/step1$/, 'step2')];
    const arm = step1.replace('/x86_64/', '/aarch64/');
    expect(Object.keys(landed).sort()).toEqual([arm, ...x86].sort());
    // Each x86_64 publisher got a step of its own.
    expect(
      new Set([runs[0]!.outputs['published-branch'], runs[1]!.outputs['published-branch']]),
    ).toEqual(new Set(x86));
    expect(landed[arm]).toBe(runs[2]!.outputs['published-commit']);
    expect(git(remote, 'show', `${arm}:flake.nix`)).toContain('system = "aarch64-linux";');
  });

  test('a remote whose pre-receive hook refuses fails with one clear error', async () => {
    const remote = join(root, 'refusing.git');
    git(root, 'init', '--quiet', '--bare', remote);
    writeFileSync(
      join(remote, 'hooks', 'pre-receive'),
      '#!/bin/sh\necho "no lattice here" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    const r = await cli([
      'publish',
      '--metadata-dir',
      firstMeta,
      '--metadata-digest',
      metadataDigest(firstMeta),
      '--source-dir',
      WS,
      '--publish-remote',
      remote,
    ]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(
      /rust-bootstrap-nix: Input 'publish-branch': .*refusing\.git refused the branch lattice\/.*\/step1 \(pre-receive hook declined\); allow pushes/,
    );
    expect(heads(remote)).toEqual({});
  });
});

describe("the CLI's secrets from its variables", () => {
  test("git and the remote's hooks run without the signing key and the builders' SSH key", async () => {
    const remote = join(root, 'secrets.git');
    git(root, 'init', '--quiet', '--bare', remote);
    writeFileSync(
      join(remote, 'hooks', 'post-receive'),
      '#!/bin/sh\ntr "\\0" "\\n" < /proc/$$/environ > "$0.env.$$"\n',
      { mode: 0o755 },
    );
    const key = signingKeyPair(`rbn-publish-${NONCE}`).secret;
    const sshKey = `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----`;
    const r = await cli(
      [
        'publish',
        '--metadata-dir',
        firstMeta,
        '--metadata-digest',
        metadataDigest(firstMeta),
        '--source-dir',
        WS,
        '--publish-remote',
        remote,
        '--binary-cache',
        `file://${join(root, 'unused-cache')}`,
      ],
      {
        RUST_BOOTSTRAP_NIX_BINARY_CACHE_SECRET_KEY: key,
        RUST_BOOTSTRAP_NIX_BUILDERS_SSH_KEY: sshKey,
      },
    );
    expect(r.status === 0 ? '' : r.out).toBe('');
    const seenByHook = listFiles(join(remote, 'hooks'))
      .filter((f) => f.includes('post-receive.env.'))
      .map((f) => readFileSync(f, 'utf8'));
    expect(seenByHook).toHaveLength(1);
    expect(seenByHook[0]).toContain('PATH=');
    for (const secret of [key, sshKey.split('\n')[1]!])
      expect(seenByHook[0]!.includes(secret)).toBe(false);
  });
});

describe('over HTTP, the token goes in a header and nowhere else', () => {
  let server: GitHttpServer;
  let httpJob: ActionJob;
  let pushed: StepRun;
  let refused: StepRun;
  let readOnly: StepRun;
  const serverRoot = join(root, 'served');

  beforeAll(async () => {
    git(root, 'init', '--quiet', '--bare', join(serverRoot, 'lattice.git'));
    server = await startGitHttpServer(serverRoot, TOKEN, READ_TOKEN);
    // Mode build of the first run's metadata: Nix finds every step built already.
    const meta = join(tempDir('rbn-publish-http-'), 'meta');
    cpSync(firstMeta, meta, { recursive: true });
    const inputs = {
      'source-dir': WS,
      mode: 'build',
      'metadata-dir': meta,
      // The first run's own metadata (its plan-digest output, as a workflow passes it on).
      'metadata-digest': metadataDigest(meta),
      cache: 'false',
      'check-run': 'false',
      'upload-artifact': 'false',
      publish: 'true',
      'publish-remote': server.url('lattice.git'),
    };
    httpJob = new ActionJob({
      workspace: WS,
      inputs,
      githubToken: TOKEN,
      env: { NIX_CONFIG },
      merged: true,
    });
    pushed = await httpJob.main();
    seen.push(pushed.stdout);
    // Each run its own copy of the metadata (a run regenerates the flake there).
    const run = (githubToken: string, extra: Record<string, string>) => {
      const own = join(tempDir('rbn-publish-http-'), 'meta');
      cpSync(firstMeta, own, { recursive: true });
      return new ActionJob({
        workspace: WS,
        inputs: { ...inputs, 'metadata-dir': own, ...extra },
        githubToken,
        env: { NIX_CONFIG },
        merged: true,
      }).main();
    };
    [refused, readOnly] = await Promise.all([
      run(`ghs_${randomBytes(18).toString('hex')}`, {}),
      // A lattice point of its own: there is something new to push.
      run(READ_TOKEN, { 'publish-component': 'tiny-read-only' }),
    ]);
  });

  afterAll(() => server.close());

  test('the action pushes with the github-token', () => {
    expectExit(pushed, 0);
    const branch = pushed.outputs['published-branch']!;
    expect(branch).toMatch(BRANCH_RE);
    expect(heads(join(serverRoot, 'lattice.git'))).toEqual({
      [branch]: pushed.outputs['published-commit'],
    });
    expect(pushed.outputs['flake-ref']).toBe(`git+${server.url('lattice.git')}?ref=${branch}`);
    expect(server.authorizations).toContain(`basic ${BASIC}`);
  });

  test('a token the remote does not know, or one that may only read, fails with one error naming github-token', () => {
    const errorsOf = (step: StepRun) =>
      step.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expectExit(refused, 1);
    expect(errorsOf(refused)).toEqual([
      expect.stringMatching(/Input 'github-token': git has no credentials .*contents: write/),
    ]);
    expectExit(readOnly, 1);
    expect(errorsOf(readOnly)).toEqual([
      expect.stringMatching(
        /Input 'github-token': it may not push to http:\/\/127\.0\.0\.1:\d+\/lattice\.git \(.*403.*\); give the job `permissions: contents: write`/,
      ),
    ]);
    // Neither pushed anything.
    expect(Object.keys(heads(join(serverRoot, 'lattice.git')))).toEqual([
      pushed.outputs['published-branch'],
    ]);
  });

  test('the token is masked, and in no log line, file, pushed object or git config', () => {
    for (const step of [first, pushed]) {
      expect(step.stdout).toContain(`::add-mask::${TOKEN}`);
    }
    expect(pushed.stdout).toContain(`::add-mask::${BASIC}`);
    const leaks = seen
      .join('\n')
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .filter((l) => NEEDLES.some((n) => l.includes(n)));
    expect(leaks).toEqual([]);
    // The hook ran, and saw the job's environment (but not the token).
    expect(listFiles(join(ORIGIN, 'hooks')).some((f) => f.includes('post-receive.env.'))).toBe(
      true,
    );
    for (const dir of [
      WS,
      firstMeta,
      root,
      job.runnerDir,
      job.runnerTemp,
      httpJob.runnerDir,
      httpJob.runnerTemp,
    ])
      expect({ dir, files: filesContaining(dir, NEEDLES) }).toEqual({ dir, files: [] });
    // The pushed objects, uncompressed (a packfile would hide a match).
    for (const repo of [ORIGIN, join(serverRoot, 'lattice.git')]) {
      const objects = git(repo, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)')
        .split('\n')
        .filter(Boolean);
      const contents = execFileSync('git', ['cat-file', '--batch'], {
        cwd: repo,
        input: `${objects.join('\n')}\n`,
        maxBuffer: 1 << 28,
      });
      expect(objects.length).toBeGreaterThan(5);
      for (const n of NEEDLES) expect(contents.includes(Buffer.from(n))).toBe(false);
    }
  });
});
