// Issue 3, item 5: every string that reaches generated Nix arrives byte for
// byte. Random strings (full unicode, quotes, `${`, `$${`, `''`, backslashes,
// newlines, CR, tabs, trailing `$`, the format's own `@{w}`, very long) go through generateFlake into a
// real process's argv and environment, built by real `nix build`; nixString
// is checked against `nix eval`, and RootMatcher's boundaries case by case.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { RootMatcher, TOOLCHAIN_ROOT } from '../src/nix/encode.js';
import { nixAttr, nixString } from '../src/nix/escape.js';
import { generateFlake } from '../src/nix/generate.js';
import { offlineTools } from '../src/nix/tools.js';
import type { InvocationRecord, Plan, PlanStep } from '../src/types.js';
import { nixBuildJson, nixOk, nonce } from './support/nix-helpers.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

// ---- strings, as parts: literal text, or a recorded root the build puts back ----------

type Part = { lit: string } | { root: 'w' | 'toolchain' };
type Str = Part[];

const ARGS = 50;
const ENVS = 20;

const lit = (s: string): Part => ({ lit: s });

/** Everything Nix, bash or a shell would read specially, and some unicode. */
const NASTY = [
  '${',
  '$${',
  '$$',
  '$',
  "''",
  "'''",
  "''${",
  "''$",
  "''\\n",
  '\\',
  '\\\\',
  '\\"',
  '\\${',
  '$\\{',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what is tested
  '${x}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what is tested
  '${ builtins.currentTime }',
  '"',
  "'",
  '`id`',
  '$(id)',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\x0b',
  '\x1b[31m',
  '\x01',
  '\x7f',
  '#',
  '{',
  '}',
  '=',
  ' ',
  '-',
  '--',
  '*',
  '~',
  '%s',
  '%0A',
  '\u00e9',
  '\u00a0',
  '\u2028',
  '\u200d',
  '\ufeff',
  '\u{10ffff}',
  '\u{1f980}',
  'A=B',
  // The step format's root references (step-format.ts): literal here, so the step's mark grows.
  '@',
  '@{',
  '@@{',
  '@{w}',
  '@@{w}',
  '@{@toolchain}',
  '}@{',
];

function strArb(ws: string, sysroot: string): fc.Arbitrary<Str> {
  const rootToken = (root: 'w' | 'toolchain'): fc.Arbitrary<Part[]> =>
    fc
      .tuple(fc.constantFrom(' ', '=', ':', ',', '"', '@'), fc.constantFrom('/', ' ', ':', '/a b'))
      .map(([before, after]) => [lit(before), { root }, lit(after)]);
  // A root inside a longer name stays literal: these must reach the process unchanged.
  const nearMiss = fc.constantFrom(
    `${ws}2`,
    `/x${ws}`,
    `${ws}.bak/`,
    `${ws}-x`,
    `${ws}_`,
    `a${ws}`,
    `${sysroot}0/bin`,
  );
  const part: fc.Arbitrary<Part[]> = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY).map((s) => [lit(s)]) },
    { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((s) => [lit(s)]) },
    { weight: 2, arbitrary: fc.string({ maxLength: 20 }).map((s) => [lit(s)]) },
    { weight: 1, arbitrary: rootToken('w') },
    { weight: 1, arbitrary: rootToken('toolchain') },
    { weight: 1, arbitrary: nearMiss.map((s) => [lit(s)]) },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'binary', minLength: 500, maxLength: 3000 })
        .map((s) => [lit(s)]),
    },
  );
  return fc
    .array(part, { maxLength: 8 })
    .map((ps) => ps.flat().map((p) => ('lit' in p ? lit(p.lit.replace(/\0/g, '')) : p)));
}

const recorded = (s: Str, ws: string, sysroot: string): string =>
  s.map((p) => ('lit' in p ? p.lit : p.root === 'w' ? ws : sysroot)).join('');

const expected = (s: Str, top: string, toolchain: string): string =>
  s.map((p) => ('lit' in p ? p.lit : p.root === 'w' ? top : toolchain)).join('');

/** The hand-picked batch every run starts with: each edge alone, and two very long strings. */
function edgeBatch(): { args: Str[]; env: Str[] } {
  const singles: Str[] = NASTY.map((s) => [lit(s)]);
  singles.push(
    [],
    [lit('ends with $')],
    [lit('x'), lit('$')],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what is tested
    [lit("''${x}''")],
    [lit('"${"\\${"$${"\'\'${"')],
    [lit('multi\nline\r\nwith\ttabs\\n')],
  );
  let long = '';
  for (let i = 0; long.length < 100_000; i++) long += NASTY[i % NASTY.length]! + String(i);
  let unicode = '';
  for (let cp = 0x20; unicode.length < 40_000; cp = (cp * 7 + 13) % 0x10ffff)
    if (cp < 0xd800 || cp > 0xdfff) unicode += String.fromCodePoint(cp || 1);
  const args = singles.slice(0, ARGS - 2);
  args.push([lit(long)], [lit(unicode)]);
  while (args.length < ARGS) args.push([lit(`pad${args.length}`)]);
  const env = singles.slice(ARGS - 2, ARGS - 2 + ENVS);
  while (env.length < ENVS) env.push([lit(`$\${pad${env.length}}''`)]);
  return { args, env };
}

// ---- the synthetic build: one build-script run whose command dumps what it got ----------

const DUMP = `#!/bin/bash
set -eu
printf '%s\\0' "$@"
{
  printf '%s\\0' "$PWD"
  for ((i = 0; i < ${ENVS}; i++)); do v="RBN_P$i"; printf '%s\\0' "\${!v}"; done
} > "$OUT_DIR/values"
/usr/bin/env -0 > "$OUT_DIR/env"
`;

interface Fixture {
  dir: string;
  ws: string;
  sysroot: string;
  toolchain: string;
}

function fixture(): Fixture {
  const dir = tempDir('rbn-escape-');
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'dump.sh'), DUMP, { mode: 0o755 });
  // The toolchain is only a string here: nothing runs from it.
  return { dir, ws, sysroot: join(dir, 'sysroot'), toolchain: `/rbn-escape-toolchain-${nonce()}` };
}

function dumpPlan(
  f: Fixture,
  args: string[],
  env: string[],
): { plan: Plan; record: InvocationRecord } {
  const id = 'escape-run-0000000000000000';
  const outDir = join(f.ws, 'target', 'debug', 'build', 'escape-0000000000000000', 'out');
  const envNames = env.map((_, i) => `RBN_P${i}`);
  const step: PlanStep = {
    id,
    type: 'build_script_run',
    crate: 'escape',
    kind: 'build-script-run',
    deps: [],
    outputs: [outDir],
    sources: [join(f.ws, 'dump.sh')],
    env_deps: envNames,
    cwd: f.ws,
    duration_ms: 1,
    exit_code: 0,
  };
  const record: InvocationRecord = {
    schema_version: 1,
    id,
    type: 'build_script_run',
    command: join(f.ws, 'dump.sh'),
    args,
    env: { ...Object.fromEntries(envNames.map((n, i) => [n, env[i]!])), OUT_DIR: outDir },
    cwd: f.ws,
    deps: [],
    outputs: [outDir],
    exit_code: 0,
    duration_ms: 1,
    start_ms: 0,
  };
  const plan: Plan = {
    schema_version: 1,
    source_dir: f.ws,
    target_dirs: [join(f.ws, 'target')],
    roots: [{ name: 'w', path: f.ws }],
    toolchain: {
      rustc: join(f.sysroot, 'bin', 'rustc'),
      cargo: join(f.sysroot, 'bin', 'cargo'),
      sysroot: f.sysroot,
      version: '0.0.0',
    },
    steps: [step],
    artifacts: [],
  };
  return { plan, record };
}

const splitNul = (buf: Buffer): Buffer[] => {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++)
    if (buf[i] === 0) {
      parts.push(buf.subarray(start, i));
      start = i + 1;
    }
  if (start !== buf.length) throw new Error('dump does not end with a NUL');
  return parts;
};

const show = (b: Buffer | string): string =>
  JSON.stringify(typeof b === 'string' ? b : b.toString('utf8')).slice(0, 300);

/** Builds one batch through real Nix and lists every string that did not arrive byte for byte. */
async function roundTrip(f: Fixture, batch: { args: Str[]; env: Str[] }): Promise<string[]> {
  const args = batch.args.map((s) => recorded(s, f.ws, f.sysroot));
  const env = batch.env.map((s) => recorded(s, f.ws, f.sysroot));
  const { plan, record } = dumpPlan(f, args, env);
  const flakeDir = join(f.dir, `flake-${nonce()}`);
  generateFlake({ plan, records: [record], flakeDir, tools: offlineTools(f.toolchain) });
  const { outs } = await nixBuildJson([`path:${flakeDir}#${plan.steps[0]!.id}`]);
  const base = join(outs[0]!, 'w', 'target', 'debug', 'build', 'escape-0000000000000000');
  const gotArgs = splitNul(readFileSync(join(base, 'output')));
  const values = splitNul(readFileSync(join(base, 'out', 'values')));
  const top = values[0]!.toString('utf8');
  const problems: string[] = [];
  if (!top.endsWith('/w')) problems.push(`cwd ${top} is not the workspace root's layout`);
  if (gotArgs.length !== args.length)
    problems.push(`argv has ${gotArgs.length} arguments, ${args.length} recorded`);
  batch.args.forEach((s, i) => {
    const want = Buffer.from(expected(s, top, f.toolchain), 'utf8');
    const got = gotArgs[i] ?? Buffer.alloc(0);
    if (!got.equals(want)) problems.push(`arg ${i}: want ${show(want)}, got ${show(got)}`);
  });
  batch.env.forEach((s, i) => {
    const want = Buffer.from(expected(s, top, f.toolchain), 'utf8');
    const got = values[i + 1] ?? Buffer.alloc(0);
    if (!got.equals(want)) problems.push(`env RBN_P${i}: want ${show(want)}, got ${show(got)}`);
  });
  // The process saw exactly the recorded variables, what cargo adds for a run, and no host noise.
  const names = splitNul(readFileSync(join(base, 'out', 'env')))
    .map((e) => e.toString('utf8').split('=')[0]!)
    .filter((n) => !['PWD', 'OLDPWD', 'SHLVL', '_'].includes(n))
    .sort();
  const wantNames = [
    'HOME',
    'NUM_JOBS',
    'OUT_DIR',
    'PATH',
    'TMPDIR',
    ...env.map((_, i) => `RBN_P${i}`),
  ].sort();
  if (JSON.stringify(names) !== JSON.stringify(wantNames))
    problems.push(`environment names ${names.join(' ')}; want ${wantNames.join(' ')}`);
  return problems;
}

afterAll(removeTempDirs);

describe('strings reach a real process byte for byte through generated Nix', () => {
  const f = fixture();
  const arb = strArb(f.ws, f.sysroot);
  const batchArb = fc.record({
    args: fc.array(arb, { minLength: ARGS, maxLength: ARGS }),
    env: fc.array(arb, { minLength: ENVS, maxLength: ENVS }),
  });

  test('argv and environment of a build-script run, random batches of 50 + 20 strings', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const problems = await roundTrip(f, batch);
        if (problems.length) throw new Error(problems.join('\n'));
      }),
      // Each run is one real `nix build`: a handful (8 random batches and the edge batch), no shrinking (the message lists every string).
      { numRuns: 8, endOnFailure: true, examples: [[edgeBatch()]] },
    );
  });
});

// ---- nixString and nixAttr against Nix's own parser ---------------------------------------

describe('nixString', () => {
  const str = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), { maxLength: 10 })
      .map((a) => a.join('')),
  );
  const noNul = str.map((s) => s.replace(/\0/g, ''));

  test('every string evaluates back to itself (`nix eval --json --expr`)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(noNul, { minLength: 200, maxLength: 200 }), async (xs) => {
        const expr = `[ ${xs.map(nixString).join(' ')} ]`;
        const r = await nixOk(['eval', '--json', '--expr', expr]);
        expect(JSON.parse(r.stdout.toString('utf8'))).toEqual(xs);
      }),
      { numRuns: 10, examples: [[[...NASTY, '', 'x$', '$', '\\', "''", '"$"']]] },
    );
  });

  test('attribute names evaluate back to themselves (nixAttr)', async () => {
    const names = fc.uniqueArray(noNul, { minLength: 100, maxLength: 100 });
    const fixed = [
      'if',
      'or',
      'rec',
      'in',
      'a-b',
      "a'b",
      '1x',
      'x.y',
      'crate-lib-0123abcd',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what is tested
      '${x}',
    ];
    await fc.assert(
      fc.asyncProperty(names, async (xs) => {
        const expr = `{ ${xs.map((n, i) => `${nixAttr(n)} = ${i};`).join(' ')} }`;
        const r = await nixOk(['eval', '--json', '--expr', expr]);
        const got = JSON.parse(r.stdout.toString('utf8')) as Record<string, number>;
        expect(Object.keys(got).sort()).toEqual([...xs].sort());
        xs.forEach((n, i) => {
          expect(got[n]).toBe(i);
        });
      }),
      { numRuns: 3, examples: [[fixed]] },
    );
  });

  test('a NUL byte is refused, not truncated', () => {
    expect(() => nixString('a\0b')).toThrow(/NUL/);
  });
});

// ---- RootMatcher: whole paths only ---------------------------------------------------------

describe('RootMatcher.split', () => {
  const m = new RootMatcher([
    { name: 'w', path: '/a/ws' },
    { name: 'x/reg-1.0.0', path: '/r/reg-1.0.0' },
    { name: TOOLCHAIN_ROOT, path: '/t/sysroot/' },
  ]);

  test.each([
    ['/a/ws', ['', 'w', '']],
    ['/a/ws/', ['', 'w', '/']],
    ['/a/ws/target/debug', ['', 'w', '/target/debug']],
    ['dependency=/a/ws/target', ['dependency=', 'w', '/target']],
    ['--remap=/a/ws=/x', ['--remap=', 'w', '=/x']],
    ['/a/ws:/r/reg-1.0.0/src', ['', 'w', ':', 'x/reg-1.0.0', '/src']],
    ['"/a/ws" /a/ws', ['"', 'w', '" ', 'w', '']],
    ['/t/sysroot/bin/rustc', ['', TOOLCHAIN_ROOT, '/bin/rustc']],
    ['-L native=/t/sysroot', ['-L native=', TOOLCHAIN_ROOT, '']],
  ])('%j splits into %j', (value, parts) => {
    expect(m.split(value)).toEqual(parts);
  });

  test.each([
    'plain',
    '',
    '/a/ws2',
    '/x/a/ws',
    '/a/wsx/y',
    '/a/ws.bak',
    '/a/ws-old/src',
    '/a/ws_1',
    'x/a/ws',
    './/a/ws',
    '/a/w',
    '/a',
    '/r/reg-1.0.00',
    '/r/reg-1.0.0.1',
    '/t/sysrootx',
    // Other characters a directory name may hold: still a different directory.
    '/a/ws+1',
    '/a/ws~',
    '/r/reg-1.0.0+deb1/src',
  ])('%j names no root', (value) => {
    expect(m.split(value)).toBeNull();
  });

  test('the longest root wins where roots nest', () => {
    const nested = new RootMatcher([
      { name: 'w', path: '/a/ws' },
      { name: 't', path: '/a/ws/target' },
    ]);
    expect(nested.split('/a/ws/target/debug /a/ws/src')).toEqual(['', 't', '/debug ', 'w', '/src']);
    expect(nested.relative('/a/ws/target/debug/x')).toBe('t/debug/x');
    expect(nested.relative('/a/ws/src/lib.rs')).toBe('w/src/lib.rs');
    expect(nested.relative('/a/ws2/src')).toBeNull();
  });

  test('split parts join back to the value with the roots in place', () => {
    const roots = { w: '/a/ws', 'x/reg-1.0.0': '/r/reg-1.0.0', [TOOLCHAIN_ROOT]: '/t/sysroot' };
    // Values naming no root split to null; count the ones that did split, so a
    // matcher that never finds a root cannot pass.
    let split = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 6 }),
            fc.constantFrom(' /a/ws/', '=/r/reg-1.0.0 ', ':/t/sysroot:', '/a/ws2', 'x/a/ws'),
          ),
          { maxLength: 8 },
        ),
        (xs) => {
          const value = xs.join('');
          const parts = m.split(value);
          if (parts === null) return;
          split++;
          expect(parts.length % 2).toBe(1);
          const joined = parts.map((p, j) => (j % 2 ? roots[p as keyof typeof roots] : p)).join('');
          expect(joined).toBe(value);
        },
      ),
      { numRuns: 500 },
    );
    expect(split).toBeGreaterThan(0);
  });
});
