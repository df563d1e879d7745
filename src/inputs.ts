// Parses and validates every input into one typed object before anything
// runs. The action reads INPUT_* through @actions/core, the CLI its flags;
// both go through here, so defaults and messages are the same.
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseShell } from 'shell-quote';
import { split as shlexSplit } from 'shlex';
import { nixConfProblem } from './nix-install/conf.js';
import { isRustTree } from './toolchain/xpy.js';
import type { Inputs, InstallNix, Mode } from './types.js';

export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input '${input}': ${message}`);
  }
}

/** Every input with its default (action.yml must agree; a test checks). */
export const INPUT_DEFAULTS = {
  'source-dir': '.',
  command: '',
  toolchain: '',
  targets: '',
  components: '',
  'config-template': '',
  config: '',
  mode: 'emit-then-build',
  'metadata-dir': '',
  sccache: 'true',
  cache: 'true',
  'cache-key-prefix': 'rust-bootstrap-nix-v1',
  'save-cache': 'true',
  'install-nix': 'auto',
  'nix-conf': '',
  'github-token': '',
  'check-run': 'true',
  'upload-artifact': 'true',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;
export type InputSource = (name: InputName) => string | undefined;

const MODES: readonly Mode[] = ['emit', 'build', 'emit-then-build'];
const INSTALL_NIX: readonly InstallNix[] = ['auto', 'true', 'false'];

function bool(name: InputName, raw: string): boolean {
  // The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts.
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new InputError(name, `'${raw}' is not a boolean; use true or false.`);
}

function oneOf<T extends string>(name: InputName, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new InputError(name, `'${raw}' is not accepted; use one of: ${allowed.join(', ')}.`);
}

/**
 * Splits like a POSIX shell would (quotes, backslash escapes) but expands
 * nothing ($VAR, ${VAR}, globs and ~ stay literal) and refuses what only a
 * shell could run. Two libraries, each for what it does well: shell-quote
 * finds unquoted operators, shlex (Python's lexer) splits exactly and
 * rejects an unbalanced quote.
 */
export function splitCommand(raw: string): string[] {
  let tokens: ReturnType<typeof parseShell>;
  let argv: string[];
  try {
    tokens = parseShell(raw, (key) => `$${key}`);
    argv = shlexSplit(raw);
  } catch (e) {
    throw new InputError(
      'command',
      `cannot be split into arguments: ${(e as Error).message}; close the quote, or escape it with a backslash.`,
    );
  }
  for (const token of tokens) {
    if (typeof token === 'string' || ('op' in token && token.op === 'glob')) continue;
    const what = 'op' in token ? token.op : '#';
    throw new InputError(
      'command',
      `contains the shell operator '${what}', but the command is never run through a shell; give one program and its arguments (wrap a pipeline in a script file).`,
    );
  }
  if (/`|\$\(/.test(raw.replace(/'[^']*'/g, ''))) {
    throw new InputError(
      'command',
      'contains command substitution (` or $( ), but the command is never run through a shell; give one program and its arguments.',
    );
  }
  if (argv.length === 0)
    throw new InputError(
      'command',
      'is empty after splitting; give a program and its arguments, or leave it empty for the default.',
    );
  return argv;
}

function list(raw: string): string[] {
  return raw.split(/[\s,]+/).filter(Boolean);
}

export function parseInputs(
  source: InputSource,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Inputs {
  const get = (name: InputName): string => (source(name) ?? '').trim() || INPUT_DEFAULTS[name];
  const base = env.GITHUB_WORKSPACE || cwd;

  const sourceDir = resolve(base, get('source-dir'));
  if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
    throw new InputError(
      'source-dir',
      `'${get('source-dir')}' is not a directory (resolved to ${sourceDir}); give the path of a cargo workspace or a rust-lang/rust checkout.`,
    );
  }
  const commandRaw = get('command');
  const templateRaw = get('config-template');
  let configTemplate: string | null = null;
  if (templateRaw) {
    configTemplate = resolve(sourceDir, templateRaw);
    if (!existsSync(configTemplate))
      throw new InputError(
        'config-template',
        `file '${templateRaw}' does not exist (resolved to ${configTemplate}); give a TOML file or leave it empty.`,
      );
  }
  const metadataRaw = get('metadata-dir');
  const metadataDir = metadataRaw
    ? resolve(base, metadataRaw)
    : join(env.RUNNER_TEMP || tmpdir(), 'rust-bootstrap-nix');
  if (!isAbsolute(metadataDir))
    throw new InputError('metadata-dir', 'must resolve to an absolute path.');
  const prefix = get('cache-key-prefix');
  if (/[,\s]/.test(prefix) || prefix.length > 200) {
    throw new InputError(
      'cache-key-prefix',
      `'${prefix}' may not contain commas or white space and must be at most 200 characters.`,
    );
  }
  const nixConfIssue = nixConfProblem(get('nix-conf'));
  if (nixConfIssue) throw new InputError('nix-conf', nixConfIssue);
  return {
    sourceDir,
    command: commandRaw ? splitCommand(commandRaw) : null,
    toolchain: get('toolchain') || null,
    targets: list(get('targets')),
    components: list(get('components')),
    configTemplate,
    config: get('config'),
    mode: oneOf('mode', get('mode'), MODES),
    metadataDir,
    sccache: bool('sccache', get('sccache')),
    cache: bool('cache', get('cache')),
    cacheKeyPrefix: prefix,
    saveCache: bool('save-cache', get('save-cache')),
    installNix: oneOf('install-nix', get('install-nix'), INSTALL_NIX),
    nixConf: get('nix-conf'),
    githubToken: (source('github-token') ?? '').trim(),
    checkRun: bool('check-run', get('check-run')),
    uploadArtifact: bool('upload-artifact', get('upload-artifact')),
  };
}

/** The default build command for a tree. */
export function defaultCommand(sourceDir: string): string[] {
  return isRustTree(sourceDir) ? ['python3', 'x.py', 'build'] : ['cargo', 'build'];
}
