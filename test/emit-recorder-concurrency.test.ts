// cargo runs compiles in parallel: no record may be lost, torn or interleaved.
// 200 simultaneous calls of the real recorder wrapper around a tiny fake rustc,
// each with large, hostile arguments, must all parse back byte for byte.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRawRecords } from '../src/emit/raw.js';
import { REPO_ROOT, removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

const WRAPPER = join(REPO_ROOT, 'src/assets/recorder/rustc-wrapper');
const CALLS = 200;

/** Arguments no shell-escaping mistake survives. */
function hostileArgs(i: number): string[] {
  return [
    `--call-id=${i}`,
    '"double" \'single\' `backtick`',
    'line1\nline2\r\nline3\n',
    'ünïcödé ✓ 🦀 中文 \u0301 \u200b',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax that must stay literal
    '${HOME} $(id) $((1+1)) %s %n %q \\0 \\x41',
    'back\\slash\\\\ and trailing\\',
    '',
    '  leading and trailing spaces  ',
    '-',
    '--',
    '-e',
    '-n',
    'a=b=c',
    '\ttab\tand\vvertical\fform',
    '* ? [a-z] {a,b} ~ !! #',
    '\x01\x02\x1b[31mred\x1b[0m\x7f',
    'rbn1',
    '--crate-name',
    `weird crate ${i}\n`,
    '-C',
    `extra-filename=-${i}`,
    // Long: up to ~120 kB, near the kernel's limit for one argument (128 kB).
    `${'x'.repeat(1000 * (i % 120))}:${i}`,
    `"${'\\'.repeat(i % 7)}"`,
  ];
}

function runWrapper(
  fake: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(WRAPPER, [fake, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (err) reject(new Error(`wrapper wrote to stderr: ${err}`));
      else resolvePromise(code ?? -1);
    });
  });
}

let recordDir: string;
let seenDir: string;
let fake: string;
let cwd: string;
let exitCodes: number[];
// biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax that must stay literal
const HOSTILE_ENV = 'multi\nline = with = signs ✓ ${X} \\';

beforeAll(async () => {
  const root = tempDir('rbn-concurrency-');
  recordDir = join(root, 'records');
  seenDir = join(root, 'seen');
  cwd = join(root, 'cwd with spaces ✓ and\na newline');
  mkdirSync(recordDir);
  mkdirSync(seenDir);
  mkdirSync(cwd);
  // The fake rustc writes the arguments it got (NUL-separated) and exits with FAKE_RC.
  fake = join(root, 'fake rustc');
  writeTree(root, {
    'fake rustc': `#!/usr/bin/env bash\nprintf '%s\\0' "$@" > "$SEEN_DIR/$FAKE_ID"\nexit "$FAKE_RC"\n`,
  });
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    RBN_RECORD_DIR: recordDir,
    SEEN_DIR: seenDir,
    HOSTILE_ENV,
    MY_API_TOKEN: 'not-for-the-records-1234',
    ACTIONS_RUNTIME_URL: 'https://runtime.invalid/',
    GITHUB_TOKEN: 'also-not-for-the-records-1234',
  };
  exitCodes = await Promise.all(
    Array.from({ length: CALLS }, (_, i) =>
      runWrapper(fake, hostileArgs(i), cwd, {
        ...base,
        FAKE_ID: String(i),
        FAKE_RC: String(i % 4),
      }),
    ),
  );
});

test('every call passes its exit code through', () => {
  expect(exitCodes).toEqual(Array.from({ length: CALLS }, (_, i) => i % 4));
});

test('the real program got every argument unchanged', () => {
  for (let i = 0; i < CALLS; i++) {
    const seen = readFileSync(join(seenDir, String(i)), 'utf8')
      .split('\0')
      .slice(0, -1);
    expect(seen).toEqual(hostileArgs(i));
  }
});

test('every call is recorded once, whole, and parses back byte for byte', () => {
  const bad: string[] = [];
  const raws = readRawRecords(recordDir, (m) => bad.push(m));
  expect(bad).toEqual([]);
  expect(raws).toHaveLength(CALLS);
  const names = readdirSync(recordDir);
  expect(names.filter((n) => n.endsWith('.rec'))).toHaveLength(CALLS);
  expect(names.filter((n) => n.endsWith('.end'))).toHaveLength(CALLS);
  expect(names.filter((n) => !/\.(rec|end)$/.test(n))).toEqual([]);
  expect(new Set(raws.map((r) => r.key)).size).toBe(CALLS);

  const byId = new Map(raws.map((r) => [r.argv[1], r]));
  for (let i = 0; i < CALLS; i++) {
    const r = byId.get(`--call-id=${i}`);
    expect(r).toBeDefined();
    expect(r!.kind).toBe('rustc');
    expect(r!.argv).toEqual([fake, ...hostileArgs(i)]);
    expect(r!.cwd).toBe(cwd);
    expect(r!.exitCode).toBe(i % 4);
    expect(r!.parentKey).toBeNull();
    expect(r!.endUs).not.toBeNull();
    expect(r!.endUs!).toBeGreaterThanOrEqual(r!.startUs);
    expect(r!.env.FAKE_ID).toBe(String(i));
    expect(r!.env.HOSTILE_ENV).toBe(HOSTILE_ENV);
  }
  // In start order.
  for (let i = 1; i < raws.length; i++)
    expect(raws[i]!.startUs).toBeGreaterThanOrEqual(raws[i - 1]!.startUs);
});

test('secret-named and Actions runtime variables never reach a record file', () => {
  for (const name of readdirSync(recordDir)) {
    const data = readFileSync(join(recordDir, name), 'utf8');
    expect(data).not.toContain('not-for-the-records');
    expect(data).not.toContain('runtime.invalid');
  }
});
