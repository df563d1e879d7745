// Issue 10, "Done when": secrets by value as well as by name. The action run
// as the runner runs it (node dist/main.js, then dist/post.js), `mode:
// emit-then-build` with the system toolchain and real Nix, on a tiny crate,
// with a dozen secrets planted in the job's environment: by name (GH_PAT,
// MYSQL_PWD, X_AUTH_HEADER, DEPLOY_PASS), by shape under innocuous names
// (GitHub, npm, GitLab, Slack, AWS, a PEM private key) and as a URL's
// password. Some pass through the build itself: RUSTFLAGS puts one into every
// compile's arguments, a build script hands another to its crate's compile as
// a variable. None may reach metadata-dir (records, plan, config, flake,
// summary), the uploaded artifact, the job summary, the outputs, the state or
// the log (beyond the ::add-mask:: request for it), and the build still works.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ArtifactServer, startArtifactServer } from './support/artifact-server.js';
import { NIX_CONFIG } from './support/nix-helpers.js';
import {
  ActionJob,
  expectExit,
  readMetadataDir,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import { capture } from './support/spawn.js';
import {
  baseEnv,
  filesContaining,
  listFiles,
  removeTempDirs,
  tempDir,
  tinyCrate,
} from './support/workspace.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function rand(n: number, alphabet = ALNUM): string {
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}
const hex = (n: number): string => randomBytes(n).toString('hex');

const DB_PASSWORD = `pw${hex(8)}`;
const PEM_LINES = [rand(64), rand(64), `${rand(40)}==`];
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', ...PEM_LINES, '-----END RSA PRIVATE KEY-----'].join(
  '\n',
);

/** Each planted secret: the variable holding it, and the value that must never be written. */
const PLANTED: { name: string; value: string; secret: string }[] = [
  // By name.
  { name: 'GH_PAT', value: `pat-${hex(16)}`, secret: '' },
  { name: 'MYSQL_PWD', value: `mysql-${hex(12)}`, secret: '' },
  { name: 'X_AUTH_HEADER', value: `hdr-${hex(16)}`, secret: '' },
  { name: 'DEPLOY_PASS', value: `deploy-${hex(12)}`, secret: '' },
  // A URL's password.
  {
    name: 'DATABASE_URL',
    value: `postgres://app:${DB_PASSWORD}@db.internal:5432/app`,
    secret: DB_PASSWORD,
  },
  // By shape, under names that say nothing. BUILD_NOTE also passes through the build.
  { name: 'BUILD_NOTE', value: `ghp_${rand(36)}`, secret: '' },
  { name: 'RELEASE_CHANNEL', value: `github_pat_${rand(22)}_${rand(59)}`, secret: '' },
  { name: 'MIRROR_HINT', value: `glpat-${rand(20)}`, secret: '' },
  { name: 'CHAT_HINT', value: `xoxb-${rand(12, '0123456789')}-${rand(24)}`, secret: '' },
  {
    name: 'NOTIFY_URL',
    value: `https://hooks.slack.com/services/T${rand(8, UPPER)}/B${rand(8, UPPER)}/${rand(24)}`,
    secret: '',
  },
  { name: 'DEPLOY_TARGET', value: `AKIA${rand(16, UPPER)}`, secret: '' },
  { name: 'CERT_BUNDLE', value: PEM, secret: '' },
].map((p) => ({ ...p, secret: p.secret || p.value }));

// Into every compile's arguments: `--cfg note="npm_..."`.
const NPM_TOKEN = `npm_${rand(36)}`;
const RUSTFLAGS = `--cfg note="${NPM_TOKEN}"`;
const GITHUB_TOKEN = `ghs_${rand(36)}`;

/** Every value that must be nowhere; a PEM block also line by line. */
const NEEDLES = [...PLANTED.map((p) => p.secret), ...PEM_LINES, NPM_TOKEN, GITHUB_TOKEN];

afterAll(removeTempDirs);

let server: ArtifactServer;
let ws: string;
let job: ActionJob;
let main: StepRun;
let post: StepRun;
let metadataDir: string;
let unzipped: string;

beforeAll(async () => {
  server = await startArtifactServer();
  ws = tinyCrate(join(tempDir('rbn-planted-'), 'tiny'), {
    // The build script hands BUILD_NOTE to its crate's compile (cargo:rustc-env).
    'build.rs': [
      'fn main() {',
      '    println!("cargo:rerun-if-env-changed=BUILD_NOTE");',
      '    let note = std::env::var("BUILD_NOTE").unwrap_or_default();',
      '    println!("cargo:rustc-env=NOTE_FROM_BUILD={note}");',
      // ...and prints it: cargo shows a build script's warnings in the build's output.
      '    println!("cargo:warning=note {note}");',
      '    let out = std::env::var("OUT_DIR").unwrap();',
      '    std::fs::write(format!("{out}/gen.rs"), "pub const N: u32 = 7;").unwrap();',
      '}',
      '',
    ].join('\n'),
    'src/lib.rs': [
      'include!(concat!(env!("OUT_DIR"), "/gen.rs"));',
      'pub fn noted() -> bool {',
      '    option_env!("NOTE_FROM_BUILD").is_some_and(|n| !n.is_empty())',
      '}',
      '',
    ].join('\n'),
    'src/main.rs': 'fn main() {\n    println!("tiny {} {}", tiny::N, tiny::noted());\n}\n',
  });
  job = new ActionJob({
    workspace: ws,
    inputs: {
      'source-dir': ws,
      toolchain: 'system',
      mode: 'emit-then-build',
      sccache: 'false',
      cache: 'false',
      'check-run': 'false',
      'upload-artifact': 'true',
    },
    githubToken: GITHUB_TOKEN,
    env: {
      NIX_CONFIG,
      ...server.env,
      GITHUB_SERVER_URL: 'https://github.com',
      RUSTFLAGS,
      ...Object.fromEntries(PLANTED.map((p) => [p.name, p.value])),
    },
    merged: true,
  });
  main = await job.main();
  post = await job.post();
  metadataDir = main.outputs['metadata-dir'] ?? '';
  unzipped = join(tempDir('rbn-planted-artifact-'), 'out');
  const blob = server.artifacts[0]?.blob;
  if (blob) {
    const zip = join(tempDir('rbn-planted-zip-'), 'a.zip');
    writeFileSync(zip, blob);
    execFileSync('unzip', ['-q', zip, '-d', unzipped]);
  }
});

afterAll(() => server.close());

test('the build succeeds: recorded, generated, built by Nix, and the result runs', () => {
  expectExit(main, 0);
  expectExit(post, 0);
  const meta = readMetadataDir(metadataDir);
  expect(meta.plan.steps.map((s) => `${s.crate} ${s.kind}`).sort()).toEqual([
    'debug link',
    'tiny bin',
    'tiny build-script',
    'tiny build-script-run',
    'tiny lib',
  ]);
  const outPaths = (main.outputs['out-paths'] ?? '').split(' ').filter(Boolean);
  expect(outPaths).toHaveLength(1);
  const app = spawnSync(join(outPaths[0]!, 'target/debug/tiny'), [], {
    env: baseEnv(),
    encoding: 'utf8',
  });
  expect(app.stdout).toBe('tiny 7 true\n');
  // The planted values did pass through the build (cargo's own build of the tree).
  const compile = meta.records.find(
    (r) => r.type === 'rust_compiler_invocation' && r.env.NOTE_FROM_BUILD !== undefined,
  );
  expect(compile?.env.NOTE_FROM_BUILD).toBe('***');
  expect(meta.records.some((r) => r.args.includes('note="***"'))).toBe(true);
  expect(meta.records.find((r) => r.type === 'cargo_invocation')?.env.DATABASE_URL).toBe(
    'postgres://app:***@db.internal:5432/app',
  );
});

test('every planted secret was masked with ::add-mask:: before anything else was printed', () => {
  const masks = workflowCommands(main.stdout, 'add-mask');
  for (const p of PLANTED) expect(masks).toContain(p.secret);
  for (const extra of [...PEM_LINES, NPM_TOKEN, GITHUB_TOKEN]) expect(masks).toContain(extra);
  // All of them before the first other line (the artifact client masks its upload URL's signature later).
  const lines = main.stdout.split('\n');
  const firstOther = lines.findIndex((l) => !l.startsWith('::add-mask::'));
  const early = workflowCommands(lines.slice(0, firstOther).join('\n'), 'add-mask');
  for (const n of NEEDLES) expect(early).toContain(n);
});

test('no planted secret is in any file written: metadata-dir, flake, artifact, runner files', () => {
  expect(NEEDLES).toHaveLength(PLANTED.length + PEM_LINES.length + 2);
  const written = [
    ...listFiles(metadataDir),
    ...listFiles(unzipped),
    ...listFiles(job.runnerDir),
    ...listFiles(job.runnerTemp),
  ];
  // The flake, the summary and the artifact are among them.
  expect(written).toEqual(
    expect.arrayContaining([
      join(metadataDir, 'invocations.jsonl'),
      join(metadataDir, 'plan.json'),
      join(metadataDir, 'flake', 'steps.nix'),
      join(metadataDir, 'summary.md'),
      join(unzipped, 'invocations.jsonl'),
      join(unzipped, 'flake', 'steps.nix'),
    ]),
  );
  expect(readFileSync(join(unzipped, 'invocations.jsonl'), 'utf8')).toBe(
    readFileSync(join(metadataDir, 'invocations.jsonl'), 'utf8'),
  );
  expect(main.summary).toContain('rust-bootstrap-nix: succeeded');
  expect(filesContaining(metadataDir, NEEDLES)).toEqual([]);
  expect(filesContaining(unzipped, NEEDLES)).toEqual([]);
  expect(filesContaining(job.runnerDir, NEEDLES)).toEqual([]);
  expect(filesContaining(job.runnerTemp, NEEDLES)).toEqual([]);
});

test('the build printed one, scrubbed line by line before it reached the log', () => {
  expect(main.stdout).toMatch(/warning: tiny@0\.1\.0: note \*\*\*\n/);
});

test('no planted secret is in what the steps printed, beyond the ::add-mask:: requests', () => {
  for (const [step, out] of [
    ['main', main.stdout],
    ['post', post.stdout],
  ] as const) {
    const leaks = out
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .filter((l) => NEEDLES.some((n) => l.includes(n)));
    expect({ step, leaks }).toEqual({ step, leaks: [] });
  }
});

test('the store paths Nix built hold none of them either', () => {
  const outPath = (main.outputs['out-paths'] ?? '').trim();
  expect(outPath).not.toBe('');
  expect(filesContaining(outPath, NEEDLES)).toEqual([]);
});

test('the CLI prints none of them either, and writes none', async () => {
  const cliMetadata = join(tempDir('rbn-planted-cli-'), 'meta');
  const r = await capture(
    process.execPath,
    [
      join(job.actionDir, 'dist', 'cli.js'),
      'emit',
      '--source-dir',
      ws,
      '--toolchain',
      'system',
      '--metadata-dir',
      cliMetadata,
    ],
    {
      cwd: ws,
      env: baseEnv({
        RUSTFLAGS,
        GITHUB_TOKEN,
        ...Object.fromEntries(PLANTED.map((p) => [p.name, p.value])),
      }),
    },
  );
  const printed = r.stdout.toString('utf8') + r.stderr;
  expect(r.status).toBe(0);
  expect(printed).toMatch(/warning: tiny@0\.1\.0: note \*\*\*\n/);
  expect(NEEDLES.filter((n) => printed.includes(n))).toEqual([]);
  expect(filesContaining(cliMetadata, NEEDLES)).toEqual([]);
});
