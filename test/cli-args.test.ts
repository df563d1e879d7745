// The CLI's command line (util.parseArgs) and its per-subcommand help.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  cliInputValue,
  FLAG_INPUTS,
  inputDocs,
  parseCommandLine,
  secretEnvName,
  subcommandHelp,
  USAGE,
  UsageError,
} from '../src/host/cli-args.js';
import type { InputName } from '../src/inputs.js';
import { REPO_ROOT } from './support/workspace.js';

test('--name value and --name=value; the subcommand is the mode; the last value wins', () => {
  expect(
    parseCommandLine([
      'run',
      '--source-dir',
      'ws',
      '--toolchain=stable',
      '--config=a = 1',
      '--targets',
      '-', // a lone dash is a value
      '--toolchain',
      'beta',
    ]),
  ).toEqual({
    kind: 'run',
    subcommand: 'run',
    mode: 'emit-then-build',
    values: new Map([
      ['source-dir', 'ws'],
      ['toolchain', 'beta'],
      ['config', 'a = 1'],
      ['targets', '-'],
    ]),
  });
  expect(parseCommandLine(['emit', '--command=--weird'])).toMatchObject({ mode: 'emit' });
  expect(parseCommandLine(['build'])).toMatchObject({ mode: 'build', values: new Map() });
});

test.each([
  [['emit', '--help'], 'emit'],
  [['build', '-h'], 'build'],
  [['run', '--source-dir', 'x', '--help'], 'run'],
  [['help', 'emit'], 'emit'],
  [['--help'], null],
  [['-h'], null],
  [['help'], null],
])('%j asks for help', (argv, subcommand) => {
  expect(parseCommandLine(argv)).toEqual({ kind: 'help', subcommand });
});

test.each([
  [[], 'missing command'],
  [['frobnicate'], "unknown command 'frobnicate'"],
  [['emit', '--no-such-option', 'x'], "unknown option '--no-such-option'"],
  [['emit', '-x'], "unknown option '-x'"],
  [
    ['emit', '--mode', 'emit'],
    "unknown option '--mode': the subcommand (emit, build, run, publish) is the mode",
  ],
  [['emit', '--source-dir'], "option '--source-dir' needs a value"],
  [
    ['emit', '--source-dir', '--toolchain', 'system'],
    "option '--source-dir' needs a value (for one starting with '-', write --source-dir=--toolchain)",
  ],
  [['emit', 'stray-argument'], "unexpected argument 'stray-argument'"],
  [['emit', '--source-dir', 'a', 'b'], "unexpected argument 'b'"],
])('%j is a usage error: %s', (argv, message) => {
  expect(() => parseCommandLine(argv)).toThrow(new UsageError(message));
});

test("each subcommand's help lists every input with action.yml's description and the CLI's default", async () => {
  const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string }>;
  };
  const docs = await inputDocs();
  // Every input but mode, in action.yml's order.
  expect(docs.map((d) => d.name)).toEqual(Object.keys(action.inputs).filter((n) => n !== 'mode'));
  expect([...FLAG_INPUTS].sort()).toEqual(docs.map((d) => d.name).sort());
  for (const sub of ['emit', 'build', 'run', 'publish'] as const) {
    const help = subcommandHelp(sub, docs);
    expect(help).toContain(`Usage: rust-bootstrap-nix ${sub} `);
    const flat = help.replace(/\s+/g, ' ');
    for (const name of FLAG_INPUTS) {
      expect(help).toContain(`--${name} <value>`);
      expect(flat).toContain(action.inputs[name]!.description.replace(/\s+/g, ' ').trim());
    }
    expect(help).toContain('--cache-key-prefix <value>  (default: rust-bootstrap-nix-v1)');
    expect(help).not.toContain('--mode');
    // The CLI's own default: github.token means nothing outside Actions.
    expect(help).not.toContain('github.token');
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  }
});

test('a secret input may come from its variable, never a plain one; the command line wins', () => {
  const values = new Map<InputName, string>([['toolchain', 'stable']]);
  const env = {
    RUST_BOOTSTRAP_NIX_BINARY_CACHE_SECRET_KEY: 'cache-1:secret',
    RUST_BOOTSTRAP_NIX_GITHUB_TOKEN: 'ghs_fromenv',
    RUST_BOOTSTRAP_NIX_TOOLCHAIN: 'nightly',
  };
  expect(secretEnvName('builders-ssh-key')).toBe('RUST_BOOTSTRAP_NIX_BUILDERS_SSH_KEY');
  expect(cliInputValue(values, 'binary-cache-secret-key', env)).toBe('cache-1:secret');
  expect(cliInputValue(values, 'github-token', env)).toBe('ghs_fromenv');
  expect(cliInputValue(values, 'builders-ssh-key', env)).toBeUndefined();
  expect(cliInputValue(values, 'toolchain', env)).toBe('stable');
  expect(cliInputValue(new Map(), 'toolchain', env)).toBeUndefined();
  values.set('github-token', 'ghs_flag');
  expect(cliInputValue(values, 'github-token', env)).toBe('ghs_flag');
  expect(USAGE).toContain('RUST_BOOTSTRAP_NIX_BINARY_CACHE_SECRET_KEY');
});
