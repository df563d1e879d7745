// Issue 14, "Done when", the binary-cache input: the action run as the runner runs
// it (node dist/main.js, then node dist/post.js, INPUT_* variables, the
// GITHUB_* files, RUNNER_TEMP), `toolchain: system`, on the real Nix, on a
// tiny package (5 steps), `cache: false` (the binary cache alone).
//
//   run 1: binary-cache file://<dir> with binary-cache-secret-key: every
//          step built, signed and pushed; the key is in no log or file.
//   then:  run 1's job ends and its step outputs are deleted (`nix store delete`).
//   run 2: the same cache read through HTTP on 127.0.0.1 (no key: read only),
//          its public key in nix-conf's trusted-public-keys: every step
//          substituted, none built, the same result.
//   run 3: the outputs deleted again; in the cache one narinfo edited, one
//          entry's signature removed and one NAR's bytes changed: Nix refuses
//          the three, builds exactly those steps and substitutes the rest.
//   run 4: a step fails under Nix: the post step pushes what the build finished.
//   run 5: a cache that cannot be opened: a warning, the steps built, the job passes.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeyOf, secretKeyProblem } from '../src/binary-cache/substituter.js';
import type { Plan } from '../src/types.js';
import { NIX_FEATURES, signingKeyPair, withDependents } from './support/nix-helpers.js';
import {
  expectExit,
  readMetadataDir,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import { type StaticServer, serveDir } from './support/static-server.js';
import {
  forgetOutputs,
  newSalt,
  resultBinary,
  stepIdOf,
  stepOutputPaths,
  TINY_OUTPUT,
  tinyJob,
  tinyWorkspace,
  validIn,
} from './support/tiny-job.js';
import { listFiles, removeTempDirs, runSync, tempDir } from './support/workspace.js';

const RUN_MS = 5 * 60_000;

const root = tempDir('rbn-bincache-');
const workspace = tinyWorkspace(join(root, 'ws'));
const cacheDir = join(root, 'cache');
const salt = newSalt();
let secretKey = '';
let publicKey = '';
const servers: StaticServer[] = [];

interface Run {
  main: StepRun;
  post: StepRun;
  plan: Plan;
  outPaths: string[];
  metadataDir: string;
  runnerTemp: string;
}
let run1: Run | undefined;
let run2: Run | undefined;
let deleted: string[] = [];

beforeAll(() => {
  ({ secret: secretKey, public: publicKey } = signingKeyPair(`rbn-test-${salt}`));
});

afterAll(async () => {
  for (const s of servers) await s.close();
  removeTempDirs();
});

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`${what} did not run (an earlier test failed)`);
  return v;
}

async function actionRun(
  label: string,
  inputs: Record<string, string>,
  runSalt = salt,
): Promise<Run> {
  const metadataDir = join(root, `${label}-meta`);
  const job = tinyJob(workspace, metadataDir, runSalt, inputs);
  const main = await job.main();
  const post = await job.post();
  const plan = readMetadataDir(metadataDir).plan;
  const outPaths = (main.outputs['out-paths'] ?? '').split(' ').filter(Boolean);
  return { main, post, plan, outPaths, metadataDir, runnerTemp: job.runnerTemp };
}

/** Steps Nix built, from the log (`building '…-rbn-<id>.drv'`). */
function builtSteps(r: Run): string[] {
  const ids = new Set(r.plan.steps.map((s) => s.id));
  return [...r.main.stdout.matchAll(/building '\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv'/g)]
    .map((m) => m[1]!)
    .filter((id) => ids.has(id))
    .sort();
}

const summaryRow = (summary: string, row: string): string | undefined =>
  new RegExp(`\\| ${row} \\| ([^|]+) \\|`).exec(summary)?.[1]?.trim();

function narinfoOf(path: string): string {
  return join(cacheDir, `${/^\/nix\/store\/([a-z0-9]{32})-/.exec(path)![1]}.narinfo`);
}

/**
 * The key is in no log (but the `::add-mask::` commands that tell the runner
 * to hide it, which the runner never shows), summary or file.
 */
function expectNoSecret(r: Run): void {
  const body = secretKey.split(':')[1]!;
  const shown = (log: string): string =>
    log
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
  expect(r.main.stdout).toContain(`::add-mask::${secretKey}`);
  for (const text of [shown(r.main.stdout), shown(r.post.stdout), r.main.summary])
    expect(text.includes(body)).toBe(false);
  for (const dir of [r.metadataDir, cacheDir, r.runnerTemp])
    for (const f of listFiles(dir)) expect(readFileSync(f).includes(body)).toBe(false);
}

test('the public key the action trusts for its own pushes is the one Nix derives from the secret key', () => {
  expect(publicKeyOf(secretKey)).toBe(publicKey);
  expect(secretKeyProblem(secretKey)).toBeNull();
  expect(secretKeyProblem(publicKey)).toMatch(/is a public key/);
});

test(
  'run 1: every step built, signed with the key and pushed to the file:// cache; the key in no log or file',
  async () => {
    const r = await actionRun('run1', {
      'binary-cache': `file://${cacheDir}?compression=none`,
      'binary-cache-secret-key': secretKey,
    });
    run1 = r;
    expectExit(r.main, 0);
    expect(workflowCommands(r.main.stdout, 'error')).toEqual([]);
    expect(workflowCommands(r.main.stdout, 'warning')).toEqual([]);
    const steps = r.plan.steps.length;
    expect(steps).toBe(5);
    expect(builtSteps(r)).toHaveLength(steps);
    expect(r.main.outputs.substituted).toBe('0');
    expect(r.main.outputs.pushed).toBe(String(steps));
    expect(summaryRow(r.main.summary, 'steps pushed to it')).toBe(String(steps));
    expect(summaryRow(r.main.summary, 'steps built')).toBe(String(steps));

    // Every step output (and the result) has a narinfo signed with our key, and its NAR.
    const outputs = stepOutputPaths(r.outPaths, r.plan);
    expect(outputs).toHaveLength(steps + 1);
    for (const p of outputs) {
      const info = readFileSync(narinfoOf(p), 'utf8');
      expect(info).toContain(`StorePath: ${p}\n`);
      expect(info).toMatch(new RegExp(`^Sig: rbn-test-${salt}:`, 'm'));
      const nar = /^URL: (\S+)$/m.exec(info)![1]!;
      expect(statSync(join(cacheDir, nar)).size).toBeGreaterThan(0);
    }
    // Nix itself checks them against the public key.
    const verify = runSync('nix', [
      ...NIX_FEATURES,
      'store',
      'verify',
      '--store',
      `file://${cacheDir}`,
      '--trusted-public-keys',
      publicKey,
      '--sigs-needed',
      '1',
      ...outputs,
    ]);
    expect(verify.status).toBe(0);
    expect(verify.stderr).not.toMatch(/untrusted|not signed|error/i);
    // And with another key they are not trusted: the check above can fail.
    const other = runSync('nix', [
      ...NIX_FEATURES,
      'store',
      'verify',
      '--store',
      `file://${cacheDir}`,
      '--trusted-public-keys',
      signingKeyPair('other').public,
      '--sigs-needed',
      '1',
      outputs[0]!,
    ]);
    expect(other.status).not.toBe(0);
    expect(other.stderr).toMatch(/untrusted/);

    expectExit(r.post, 0);
    expectNoSecret(r);
    // The key's private file existed only for the push.
    expect(readdirSync(r.runnerTemp).filter((d) => d.startsWith('rbn-secret-'))).toEqual([]);
  },
  RUN_MS,
);

test(
  'run 2, outputs deleted, the cache read through HTTP with its public key trusted: every step substituted, none built',
  async () => {
    const r1 = need(run1, 'run 1');
    deleted = stepOutputPaths(r1.outPaths, r1.plan);
    forgetOutputs(r1.runnerTemp, deleted);
    expect(validIn(deleted)).toEqual([]);

    const server = await serveDir(cacheDir);
    servers.push(server);
    const r = await actionRun('run2', {
      'binary-cache': server.url,
      'nix-conf': `extra-trusted-public-keys = ${publicKey}`,
    });
    run2 = r;
    expectExit(r.main, 0);
    expect(workflowCommands(r.main.stdout, 'warning')).toEqual([]);
    const steps = r.plan.steps.length;
    expect(builtSteps(r)).toEqual([]);
    expect(r.main.outputs.substituted).toBe(String(steps));
    expect(r.main.outputs.pushed).toBe('0');
    expect(summaryRow(r.main.summary, 'steps built')).toBe('0');
    expect(summaryRow(r.main.summary, 'steps substituted from it')).toBe(String(steps));
    expect(summaryRow(r.main.summary, 'steps pushed to it')).toMatch(/only read/);
    expect(r.outPaths).toEqual(r1.outPaths);
    expect(validIn(deleted)).toEqual(deleted);
    expect(runSync(resultBinary(r.outPaths[0]!), []).stdout).toBe(TINY_OUTPUT);
    // Through the server: every step's narinfo and NAR.
    const got = server.requests.filter((q) => q.method === 'GET' && q.status === 200);
    for (const p of deleted) {
      const hash = /^\/nix\/store\/([a-z0-9]{32})-/.exec(p)![1]!;
      expect(got.some((q) => q.path === `/${hash}.narinfo`)).toBe(true);
    }
    expect(got.filter((q) => q.path.startsWith('/nar/'))).toHaveLength(deleted.length);
    expectExit(r.post, 0);
  },
  RUN_MS,
);

test(
  'run 3: an edited narinfo, an unsigned entry and a changed NAR are refused; exactly those steps are built',
  async () => {
    const r1 = need(run1, 'run 1');
    expect(deleted.length).toBeGreaterThan(0);
    forgetOutputs(need(run2, 'run 2').runnerTemp, deleted);
    expect(validIn(deleted)).toEqual([]);
    const byKind = (kind: string): string =>
      deleted.find((p) => r1.plan.steps.find((s) => s.id === stepIdOf(p))?.kind === kind)!;
    const edited = byKind('lib');
    const unsigned = byKind('build-script');
    const changed = byKind('bin');
    // An edited narinfo: its signature no longer matches what it says.
    const e = narinfoOf(edited);
    writeFileSync(
      e,
      readFileSync(e, 'utf8').replace(/^NarSize: (\d+)$/m, (_, n) => `NarSize: ${Number(n) + 1}`),
    );
    // An entry without a signature.
    const u = narinfoOf(unsigned);
    writeFileSync(u, readFileSync(u, 'utf8').replace(/^Sig: .*\n/m, ''));
    // A NAR whose bytes changed (same size): it no longer has the signed hash.
    const nar = join(cacheDir, /^URL: (\S+)$/m.exec(readFileSync(narinfoOf(changed), 'utf8'))![1]!);
    const bytes = readFileSync(nar);
    const at = bytes.lastIndexOf(Buffer.from('ELF'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 40] = bytes[at + 40]! ^ 0xff;
    writeFileSync(nar, bytes);

    // A new server (a new URL): Nix's narinfo cache of run 2 does not apply.
    const server = await serveDir(cacheDir);
    servers.push(server);
    const r = await actionRun('run3', {
      'binary-cache': server.url,
      'nix-conf': `extra-trusted-public-keys = ${publicKey}`,
    });
    expectExit(r.main, 0);
    const refused = [edited, unsigned, changed].map(stepIdOf).sort();
    expect(builtSteps(r)).toEqual(refused);
    expect(r.main.outputs.substituted).toBe(String(r.plan.steps.length - 3));
    expect(r.outPaths).toEqual(r1.outPaths);
    expect(runSync(resultBinary(r.outPaths[0]!), []).stdout).toBe(TINY_OUTPUT);
    // Nix's own words for each refusal.
    const notSigned = (p: string): string =>
      `warning: the substitute for '${p}' from '${server.url}' is not signed by any of the keys in 'trusted-public-keys'`;
    expect(r.main.stdout).toContain(notSigned(edited));
    expect(r.main.stdout).toContain(notSigned(unsigned));
    expect(r.main.stdout).toContain(`error: hash mismatch importing path '${changed}'`);
    expectExit(r.post, 0);
  },
  RUN_MS,
);

test(
  'run 4: a step fails under Nix; the post step signs and pushes the steps the build finished',
  async () => {
    const failCache = join(root, 'fail-cache');
    const metadataDir = join(root, 'run4-meta');
    const workspace = tinyWorkspace(join(root, 'ws4'));
    // The emit records a good build; then the bin's source turns bad for Nix (the reused plan's build fails).
    const salt4 = newSalt();
    const job = tinyJob(workspace, metadataDir, salt4, {
      'binary-cache': `file://${failCache}`,
      'binary-cache-secret-key': secretKey,
      mode: 'emit',
    });
    const emitted = await job.main();
    expectExit(emitted, 0);
    const main = join(workspace, 'src', 'main.rs');
    const good = readFileSync(main, 'utf8');
    writeFileSync(main, `${good}\nfn broken() -> u32 { "no" }\n`);
    try {
      const build = tinyJob(workspace, metadataDir, salt4, {
        'binary-cache': `file://${failCache}`,
        'binary-cache-secret-key': secretKey,
        mode: 'build',
        'metadata-digest': emitted.outputs['plan-digest']!,
      });
      const m = await build.main();
      expectExit(m, 1);
      const plan = readMetadataDir(metadataDir).plan;
      const bin = plan.steps.find((s) => s.kind === 'bin')!.id;
      expect(m.stdout).toContain(`Step '${bin}'`);
      // Main pushed nothing: the finished steps are left to post.
      expect(listFiles(failCache).filter((f) => f.endsWith('.narinfo'))).toEqual([]);
      const post = await build.post();
      expectExit(post, 0);
      const ids = new Set(plan.steps.map((s) => s.id));
      const pushed = listFiles(failCache)
        .filter((f) => f.endsWith('.narinfo'))
        .map((f) => stepIdOf(/^StorePath: (\S+)$/m.exec(readFileSync(f, 'utf8'))![1]!))
        .filter((id) => ids.has(id))
        .sort();
      // Every step but the bin and what reads its output (the link into target/debug) finished.
      const failed = withDependents(plan, [bin]);
      const finished = plan.steps
        .map((s) => s.id)
        .filter((id) => !failed.has(id))
        .sort();
      expect(finished.length).toBeGreaterThanOrEqual(3);
      expect(pushed).toEqual(finished);
      expect(post.stdout).toContain(`Pushed ${finished.length} steps the stopped build finished`);
    } finally {
      writeFileSync(main, good);
    }
  },
  RUN_MS,
);

test(
  'run 5: a cache that can be neither read nor written: a warning, the steps built, the job passes',
  async () => {
    // Nothing can create a directory under /proc: Nix can open no store there.
    const url = 'file:///proc/rbn-no-binary-cache';
    const r = await actionRun(
      'run5',
      { 'binary-cache': url, 'binary-cache-secret-key': secretKey },
      newSalt(), // new steps: there is something to push
    );
    expectExit(r.main, 0);
    expect(builtSteps(r)).toHaveLength(r.plan.steps.length);
    expect(r.main.outputs.pushed).toBe('0');
    const warnings = workflowCommands(r.main.stdout, 'warning');
    expect(warnings.some((w) => w.startsWith(`Pushing to the binary cache ${url} failed`))).toBe(
      true,
    );
    expect(summaryRow(r.main.summary, 'steps pushed to it')).toMatch(/the push failed/);
    expect(runSync(resultBinary(r.outPaths[0]!), []).stdout).toBe(TINY_OUTPUT);
    expectExit(r.post, 0);
    expectNoSecret(r);
  },
  RUN_MS,
);
