// A careless or hostile user's values for every input (and mode build over
// damaged metadata), each run as the runner runs the action: main then post.
// Each must fail within seconds with exactly one ::error:: that names the
// input and what it accepts, never a raw errno, parse text or stack trace;
// nothing written (no metadata-dir, no outputs, no job summary); the post
// step exits 0 all the same.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { INPUT_DEFAULTS, InputError, type InputName, parseInputs } from '../src/inputs.js';
import { memoryLog } from '../src/log.js';
import { preflight } from '../src/stages/preflight.js';
import type { Inputs } from '../src/types.js';
import { NIX_CONFIG } from './support/nix-helpers.js';
import {
  ActionJob,
  actionYml,
  EMIT_ONLY,
  expectExit,
  type StepRun,
  workflowCommands,
} from './support/run-action.js';
import { removeTempDirs, tempDir, tinyCrate } from './support/workspace.js';

const root = tempDir('rbn-bad-');
const ws = tinyCrate(join(root, 'ws'), {
  'empty/.keep': '',
  'bad.toml': 'rustc = \n',
  'build5.toml': 'build = 5\n',
  'rust-string.toml': 'rust = "fast"\n',
});
rmSync(join(ws, 'empty', '.keep'));
const aFile = join(root, 'a-file');
writeFileSync(aFile, 'not a directory\n');
// A read-only file system, as a hardened self-hosted runner may mount one.
const readOnly = join(root, 'ro');
mkdirSync(readOnly);
let mounted = false;

/** As root, or through sudo where CI runs the tests as a user (setup-machine.sh does the same). */
function privileged(argv: string[]): ReturnType<typeof spawnSync> {
  const asRoot = process.getuid?.() === 0;
  return asRoot
    ? spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })
    : spawnSync('sudo', ['-n', ...argv], { encoding: 'utf8' });
}

const earlier = join(root, 'earlier'); // a real emit, damaged below in copies

beforeAll(async () => {
  const m = privileged(['mount', '-t', 'tmpfs', '-o', 'ro,size=1m', 'rbn-ro', readOnly]);
  if (m.status !== 0) throw new Error(`cannot mount a read-only tmpfs: ${m.stderr}`);
  mounted = true;
  const job = new ActionJob({ workspace: ws, inputs: { ...EMIT_ONLY, 'metadata-dir': earlier } });
  expectExit(await job.main(), 0);
}, 120_000);

afterAll(() => {
  if (mounted) privileged(['umount', readOnly]);
  removeTempDirs();
});

/** A copy of the real emit, damaged by `damage`. */
function damagedEmit(damage: (dir: string) => void): string {
  const dir = join(tempDir('rbn-damaged-'), 'meta');
  cpSync(earlier, dir, { recursive: true });
  damage(dir);
  return dir;
}

// Made here, never kept in the repository: the shapes of Nix keys (32-byte public, 64-byte secret, and neither).
const KEY32 = randomBytes(32).toString('base64');
const KEY64 = randomBytes(64).toString('base64');
const KEY48 = randomBytes(48).toString('base64');

interface BadCase {
  /** The input the error must name. */
  name: string;
  inputs: Record<string, string>;
  accepts: RegExp;
  env?: Record<string, string>;
  /** mode build: metadata-dir is a copy of the earlier emit, damaged so. */
  damage?: (dir: string) => void;
}

const bad = (name: string, value: string, accepts: RegExp): BadCase => ({
  name,
  inputs: { [name]: value },
  accepts,
});

const CASES: BadCase[] = [
  // source-dir
  bad('source-dir', 'no/such/dir', /does not exist/),
  bad('source-dir', '../../../../../../../../no-such-root-dir', /does not exist/),
  bad('source-dir', 'Cargo.toml', /is a file, not a directory/),
  bad('source-dir', 'src/main.rs', /is a file, not a directory/),
  bad('source-dir', 'empty', /neither Cargo\.toml nor x\.py.*walk|build whatever crate lies above/),
  bad('source-dir', 'src', /neither Cargo\.toml nor x\.py/),
  bad('source-dir', '/proc/self', /neither Cargo\.toml nor x\.py/),
  bad('source-dir', 'sr\nc', /control character/),
  // command
  bad('command', 'cargo build | tee log', /operator '\|'/),
  bad('command', 'cargo build; rm -rf /', /operator ';'/),
  bad('command', 'cargo build > log', /operator '>'/),
  bad('command', 'cargo build && cargo test', /operator '&&'/),
  bad('command', 'cargo build &', /operator '&'/),
  bad('command', 'cargo build < input', /operator '<'/),
  bad('command', '(cargo build)', /operator '\('/),
  bad('command', 'cargo build # quietly', /operator '#'/),
  bad('command', 'echo $(id)', /operator|substitution/),
  bad('command', 'echo `id`', /substitution/),
  bad('command', 'cargo "build', /quote/),
  bad('command', "cargo 'build", /quote/),
  bad('command', 'no-such-program-rbn build', /not found on PATH/),
  bad('command', './missing-script.sh', /not found .*not executable/),
  bad('command', './Cargo.toml build', /not found .*not executable/),
  bad('command', '/etc/passwd', /not found .*not executable/),
  // toolchain
  bad('toolchain', 'no such toolchain!', /stable.*system/),
  bad('toolchain', './missing/rust-toolchain.toml', /does not exist/),
  bad('toolchain', '2.0.0', /start with 1/),
  bad('toolchain', 'nightly-2025-13-45', /date|stable.*system/),
  bad('toolchain', 'nightly-2025-02-30', /date|stable.*system/),
  bad('toolchain', 'stable-x86_64-unknown-linux-gnu', /host triple/),
  bad('toolchain', '1.83.0.1', /stable.*system/),
  bad('toolchain', 'stable\nbeta', /control character/),
  // targets
  bad('targets', 'x86_64-unknown-linux-gnu,,;;', /';;' is not target triples/),
  bad('targets', 'native', /'native' is not target triples/),
  bad('targets', 'X86_64-Unknown-Linux-Gnu', /not target triples/),
  bad('targets', '../../etc/passwd', /not target triples/),
  bad('targets', 'x86_64-unknown-linux-gnu$(id)', /not target triples/),
  bad('targets', 'x86_64-unknown-nowhere', /not among the targets rustc .* knows/),
  // components
  bad('components', 'Rust-Src', /not component names/),
  bad('components', 'rust-src;clippy', /not component names/),
  bad('components', 'rust_src', /not component names/),
  bad('components', '--help', /not component names/),
  // config-template
  bad('config-template', 'no-such.toml', /does not exist/),
  bad('config-template', 'src', /is a directory, not a file/),
  bad('config-template', '/dev/null', /not a regular file/),
  bad('config-template', 'bad.toml', /not valid TOML: line 1, column \d+/),
  bad('config-template', 'build5.toml', /'build' must be a table/),
  bad('config-template', 'rust-string.toml', /'rust' must be a table/),
  // config
  bad('config', '[build\nrustc = ', /not valid TOML: line 1/),
  bad('config', 'build = { jobs = 2 }\nbuild = 3', /not valid TOML: line 2/),
  bad('config', '[rust]\n[rust]', /not valid TOML/),
  bad('config', 'build = 5', /'build' must be a table \(\[build\]\), but is a number/),
  bad('config', 'llvm = true', /'llvm' must be a table/),
  bad('config', 'target = 3', /'target' must be a table/),
  bad('config', '[build]\nrustc = "/nonexistent"', /rustc = "\/nonexistent" is not an executable/),
  bad('config', '[build]\ncargo = "/etc/passwd"', /cargo = "\/etc\/passwd" is not an executable/),
  bad('config', '[build]\nrustc = 5', /must be a path \(a string\), but is a number/),
  bad('config', 'rustc = "/nonexistent"', /is not an executable file/),
  // mode
  bad('mode', 'record', /emit, build, emit-then-build/),
  bad('mode', 'emit build', /emit, build, emit-then-build/),
  bad('mode', 'emit,build', /emit, build, emit-then-build/),
  bad('mode', 'buildd', /emit, build, emit-then-build/),
  // metadata-dir
  bad('metadata-dir', '/proc/rbn-meta', /kernel's \/proc file system/),
  bad('metadata-dir', '/sys/rbn-meta', /kernel's \/sys file system/),
  bad('metadata-dir', '/dev/rbn-meta', /kernel's \/dev file system/),
  bad('metadata-dir', aFile, /is a file, not a directory/),
  bad('metadata-dir', join(aFile, 'meta'), /lies under .*a-file, a file/),
  bad('metadata-dir', readOnly, /read-only file system/),
  bad('metadata-dir', join(readOnly, 'meta'), /read-only file system \(its parent/),
  bad('metadata-dir', '.', /lies inside source-dir/),
  bad('metadata-dir', 'meta', /lies inside source-dir/),
  bad('metadata-dir', '..', /contains source-dir/),
  bad('metadata-dir', 'me\nta', /control character/),
  // booleans: YAML 1.1's yes/on/1 are not YAML 1.2's (nor @actions/core's) booleans
  ...[
    ['sccache', 'yes'],
    ['sccache', 'enabled'],
    ['cache', '1'],
    ['cache', 'on'],
    ['save-cache', 'tru'],
    ['save-cache', 'no'],
    ['check-run', 'off'],
    ['check-run', '0'],
    ['upload-artifact', 'y'],
    ['upload-artifact', 'TRUE!'],
    ['reuse-plan', 'yes'],
    ['reuse-plan', 'off'],
    ['build-once', 'yes'],
    ['build-once', 'off'],
  ].map(([n, v]) => bad(n!, v!, /is not a boolean; use true or false/)),
  // cache-key-prefix
  bad('cache-key-prefix', 'a,b', /commas, white space/),
  bad('cache-key-prefix', 'a b', /commas, white space/),
  bad('cache-key-prefix', 'a\tb', /commas, white space/),
  bad('cache-key-prefix', 'x'.repeat(201), /at most 200 characters/),
  // install-nix
  bad('install-nix', 'sometimes', /auto, true, false/),
  bad('install-nix', 'yes', /auto, true, false/),
  bad('install-nix', 'auto,true', /auto, true, false/),
  {
    name: 'install-nix',
    inputs: { 'install-nix': 'false', mode: 'emit-then-build' },
    // No Nix anywhere the action looks: PATH without /usr/bin, no profiles.
    env: { PATH: join(process.env.HOME ?? '/root', '.cargo', 'bin') },
    accepts: /install-nix is false, but no Nix was found/,
  },
  // nix-conf
  bad('nix-conf', 'just some words', /not a nix\.conf setting/),
  bad('nix-conf', 'substituters', /not a nix\.conf setting/),
  bad('nix-conf', '= value', /not a nix\.conf setting/),
  // publish, publish-remote, publish-branch, publish-component
  bad('publish', 'yes', /is not a boolean; use true or false/),
  bad('publish', 'true', /mode 'emit' generates no flake to publish; use mode 'emit-then-build'/),
  {
    name: 'publish-remote',
    inputs: { publish: 'true', mode: 'emit-then-build', 'publish-remote': 'upstream' },
    accepts:
      /'upstream' is not a remote of the checkout in .*; give the name of one of its remotes, or a git URL/,
  },
  bad('publish-branch', 'lattice/{component}/{arch}', /must contain \{step\} exactly once/),
  bad('publish-branch', 'lattice/{stage}/{step}', /unknown placeholder \{stage\}/),
  bad('publish-branch', 'lattice/{component} {step}', /which contains white space/),
  bad('publish-branch', 'lattice/../{step}', /which contains \.\. or @\{/),
  bad('publish-component', 'my crate', /must start with a letter or digit/),
  bad('publish-component', '-rust-1.95.0', /must start with a letter or digit/),
  // metadata-digest, trust-metadata (mode build's integrity check)
  {
    name: 'metadata-digest',
    inputs: { mode: 'build', 'metadata-digest': 'abc123' },
    accepts: /'abc123' is not a digest; give the emit's plan-digest output as it is/,
  },
  bad('metadata-digest', `sha256:${'0'.repeat(64)}`, /mode '[a-z-]+' reads no earlier emit/),
  bad('trust-metadata', 'yes', /use one of: false, true, sign-and-publish/),
  bad('trust-metadata', 'true', /is set, but mode '[a-z-]+' reads no earlier emit/),
  // github-token (never quoted back)
  bad('github-token', 'ghp_abc def', /white space or a control character/),
  bad('github-token', 'tok\nen', /white space or a control character/),
  // binary-cache
  bad('binary-cache', 'cache.example.org', /is not a URL; give a Nix store URL/),
  bad('binary-cache', 'ftp://cache.example.org', /scheme 'ftp'.*s3:\/\//),
  bad('binary-cache', 'file://relative/dir', /without an absolute path/),
  bad('binary-cache', 'https://', /names no host or bucket/),
  bad('binary-cache', 's3://bucket?secret-key=/k', /binary-cache-secret-key instead/),
  bad('binary-cache', 'https://a b', /white space/),
  // binary-cache-secret-key (never quoted back)
  {
    name: 'binary-cache-secret-key',
    inputs: { 'binary-cache': 'file:///tmp/c', 'binary-cache-secret-key': 'not a key' },
    accepts: /not a Nix signing key.*nix key generate-secret/,
  },
  {
    name: 'binary-cache-secret-key',
    inputs: { 'binary-cache': 'file:///tmp/c', 'binary-cache-secret-key': `k:${KEY32}` },
    accepts: /is a public key; give the secret key/,
  },
  {
    name: 'binary-cache-secret-key',
    inputs: { 'binary-cache': 'file:///tmp/c', 'binary-cache-secret-key': `k:${KEY48}` },
    accepts: /not the 64 of an ed25519 secret key/,
  },
  bad('binary-cache-secret-key', `k:${KEY64}`, /binary-cache is empty/),
  // builders-ssh-key (never quoted back)
  bad('builders-ssh-key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host', /is not an SSH private key/),
  bad(
    'builders-ssh-key',
    `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n${KEY64}\n-----END RSA PRIVATE KEY-----`,
    /encrypted with a passphrase/,
  ),
];

/** mode build over an earlier emit, damaged. */
function damagedCase(what: string, damage: (dir: string) => void, accepts: RegExp): BadCase {
  return {
    name: 'metadata-dir',
    inputs: { mode: 'build', 'metadata-dir': `damaged: ${what}` },
    accepts,
    env: { NIX_CONFIG },
    damage,
  };
}

const DAMAGED = [
  damagedCase('no plan', (d) => rmSync(join(d, 'plan.json')), /holds no plan\.json/),
  damagedCase('empty object', (d) => writeFileSync(join(d, 'plan.json'), '{}'), /schema/),
  damagedCase(
    'cut short',
    (d) => {
      const p = join(d, 'plan.json');
      writeFileSync(p, readFileSync(p, 'utf8').slice(0, 300));
    },
    /plan\.json is not valid JSON at (line \d+, column \d+|its end)/,
  ),
  damagedCase(
    'garbage',
    (d) => writeFileSync(join(d, 'plan.json'), '{"steps" [1]}'),
    /not valid JSON at line 1, column 10/,
  ),
  damagedCase(
    'plan is a directory',
    (d) => {
      rmSync(join(d, 'plan.json'));
      mkdirSync(join(d, 'plan.json'));
    },
    /plan\.json is a directory/,
  ),
  damagedCase(
    'no records',
    (d) => rmSync(join(d, 'invocations.jsonl')),
    /invocations\.jsonl is missing/,
  ),
  damagedCase(
    'a record cut',
    (d) => {
      const p = join(d, 'invocations.jsonl');
      const lines = readFileSync(p, 'utf8').split('\n');
      lines[1] = lines[1]!.slice(0, 40);
      writeFileSync(p, lines.join('\n'));
    },
    /invocations\.jsonl is not valid JSON at line 2, column \d+/,
  ),
  damagedCase(
    'a record without fields',
    (d) => {
      const p = join(d, 'invocations.jsonl');
      writeFileSync(p, `{"id":"x"}\n${readFileSync(p, 'utf8')}`);
    },
    /line 1 does not match its schema/,
  ),
  damagedCase(
    'records of another emit',
    (d) => {
      const p = join(d, 'invocations.jsonl');
      writeFileSync(p, readFileSync(p, 'utf8').replace(/"id":"/g, '"id":"other-'));
    },
    /has no record of plan step/,
  ),
];

// Each run is a node process or two: four at a time.
async function inBatches<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(fn));
}

const RAW =
  /\bE(NOENT|EXIST|ACCES|ROFS|NOTDIR|ISDIR|PERM|INVAL|BUSY)\b|Unexpected (token|end)|SyntaxError|TypeError|\n\s+at \S+ \(|Cannot read properties/;

interface Outcome {
  main: StepRun;
  /** Run for the first case of each input (its value is all the post step reads). */
  post: StepRun | null;
  metadataDir: string;
  /** metadata-dir's files before the run (null: it did not exist). */
  before: Record<string, string> | null;
}

/** A directory's files and their content (directories as ''), or null when it does not exist. */
function snapshot(dir: string): Record<string, string> | null {
  if (!existsSync(dir)) return null;
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = join(dir, f);
    out[f] = statSync(p).isDirectory() ? '' : readFileSync(p, 'latin1');
  }
  return out;
}

const withPost = new Set<BadCase>();

async function runCase(c: BadCase): Promise<Outcome> {
  let metadataDir = join(tempDir('rbn-bad-meta-'), 'meta');
  const inputs = { ...EMIT_ONLY, 'metadata-dir': metadataDir, ...c.inputs };
  if (c.damage) metadataDir = inputs['metadata-dir'] = damagedEmit(c.damage);
  else if (c.inputs['metadata-dir'] !== undefined) metadataDir = '';
  const before = metadataDir === '' ? null : snapshot(metadataDir);
  const job = new ActionJob({ workspace: ws, inputs, env: c.env, merged: true });
  const main = await job.main();
  const post = withPost.has(c) ? await job.post() : null;
  return { main, post, metadataDir, before };
}

const outcomes = new Map<BadCase, Outcome>();
const ALL = [...CASES, ...DAMAGED];

test('at least 80 distinct bad values, every input covered', () => {
  const keys = new Set(ALL.map((c) => JSON.stringify(c.inputs)));
  expect(keys.size).toBe(ALL.length);
  expect(ALL.length).toBeGreaterThanOrEqual(80);
  const covered = new Set(ALL.map((c) => c.name));
  const declared = Object.keys(actionYml().inputs ?? {});
  expect(declared.filter((n) => !covered.has(n))).toEqual([]);
});

describe('as the runner runs the action', () => {
  beforeAll(async () => {
    for (const name of new Set(ALL.map((c) => c.name)))
      withPost.add(ALL.find((c) => c.name === name)!);
    await inBatches(ALL, 4, async (c) => {
      outcomes.set(c, await runCase(c));
    });
  }, 600_000);

  test.each(ALL.map((c) => [c.name, JSON.stringify(c.inputs), c] as const))(
    '%s: %s',
    (name, _shown, c) => {
      const { main, post, metadataDir, before } = outcomes.get(c)!;
      expectExit(main, 1);
      const errors = workflowCommands(main.stdout, 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^Input '${name}': `));
      expect(errors[0]).toMatch(c.accepts);
      expect(errors[0]).not.toMatch(RAW);
      for (const secret of ['github-token', 'binary-cache-secret-key', 'builders-ssh-key'])
        if (name === secret) expect(errors[0]).not.toContain(c.inputs[secret]);
      // Nothing written: no metadata-dir (or the earlier emit as it was), no outputs, no summary.
      if (metadataDir !== '') expect(snapshot(metadataDir)).toEqual(before);
      expect(main.outputs).toEqual({});
      expect(main.summary).toBe('');
      if (post) {
        expectExit(post, 0);
        expect(workflowCommands(post.stdout, 'error')).toEqual([]);
      }
    },
  );
});

test('two bad inputs: one ::error:: naming both', async () => {
  const metadataDir = join(tempDir('rbn-bad-meta-'), 'meta');
  const job = new ActionJob({
    workspace: ws,
    inputs: { ...EMIT_ONLY, 'metadata-dir': metadataDir, mode: 'record', sccache: 'yes' },
    merged: true,
  });
  const run = await job.main();
  expectExit(run, 1);
  const errors = workflowCommands(run.stdout, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(
    /^2 inputs are wrong\. Input 'mode': 'record' is not accepted.* Input 'sccache': 'yes' is not a boolean/,
  );
  expect(existsSync(metadataDir)).toBe(false);
});

// Random strings at every input parser, in process: each value is accepted or
// refused with an InputError naming that input, on one line, in the user's
// terms; nothing else is thrown and nothing is written.
describe('property: any string at any input', () => {
  const names = Object.keys(INPUT_DEFAULTS) as InputName[];
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('/', '.', '..', '/proc', '/proc/1/mem', '/dev/null', '~', '$HOME', '-', '--'),
    fc
      .array(fc.constantFrom('/', '..', 'a', '\0', '\n', ' ', ',', '"', "'", '\\', '[', '=', '#'), {
        maxLength: 12,
      })
      .map((a) => a.join('')),
  );
  const scratch = join(tempDir('rbn-prop-'), 'runner');
  mkdirSync(scratch);

  test.each(names)('%s', (name) => {
    fc.assert(
      fc.property(text, (value) => {
        const env = { RUNNER_TEMP: scratch, PATH: process.env.PATH };
        const expectClear = (e: unknown, named: string | null): void => {
          if (!(e instanceof InputError)) throw e;
          // Another input may be blamed as a consequence (source-dir '/' holds metadata-dir).
          if (named) expect(e.input.split(', ')).toContain(named);
          expect(e.message).toMatch(/^(Input '[a-z-]+': |\d+ inputs are wrong\. )/);
          expect(e.message).not.toMatch(RAW);
        };
        let inputs: Inputs;
        try {
          inputs = parseInputs((n) => (n === name ? value : undefined), env, ws);
        } catch (e) {
          expectClear(e, name);
          return;
        }
        try {
          // What the value means beyond its form (mode build reads metadata-dir).
          preflight(inputs, env, memoryLog());
        } catch (e) {
          expectClear(e, null);
        }
        expect(readdirSync(scratch)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
