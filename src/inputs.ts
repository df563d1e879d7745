// Parses and validates every input into one typed object before anything
// runs. The action reads INPUT_* through @actions/core, the CLI its flags;
// both go through here, so defaults and messages are the same.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseShell } from 'shell-quote';
import { split as shlexSplit } from 'shlex';
import { secretKeyProblem, storeUrlProblem } from './binary-cache/substituter.js';
import { sshKeyProblem } from './nix/remote-builders.js';
import { nixConfProblem } from './nix-install/conf.js';
import {
  branchTemplateProblem,
  componentProblem,
  DEFAULT_BRANCH_TEMPLATE,
} from './publish/lattice.js';
import { configTableProblem, parseToml } from './toolchain/config-toml.js';
import { isRustTree } from './toolchain/xpy.js';
import { digestInputProblem, TRUST_METADATA } from './trust/metadata-integrity.js';
import type { Inputs, InstallNix, Mode, TrustMetadata } from './types.js';
import {
  isWithin,
  readableDirProblem,
  readableFileProblem,
  writableDirProblem,
} from './util/input-paths.js';
import { runnerDirs } from './util/runner-temp.js';
import { isExecutableFile } from './util/which.js';

export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input '${input}': ${message}`);
  }
}

/** Every bad input of a run at once, as one message (one ::error:: line). */
export class InputErrors extends InputError {
  constructor(readonly problems: readonly InputError[]) {
    super(problems.map((p) => p.input).join(', '), '');
    this.message = `${problems.length} inputs are wrong. ${problems.map((p) => p.message).join(' ')}`;
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
  'binary-cache': '',
  'binary-cache-secret-key': '',
  'builders-ssh-key': '',
  'github-token': '',
  'check-run': 'true',
  'upload-artifact': 'true',
  'reuse-plan': 'true',
  'build-once': 'true',
  publish: 'false',
  'publish-remote': 'origin',
  'publish-branch': DEFAULT_BRANCH_TEMPLATE,
  'publish-component': '',
  'metadata-digest': '',
  'trust-metadata': 'false',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;
export type InputSource = (name: InputName) => string | undefined;

const MODES: readonly Mode[] = ['emit', 'build', 'emit-then-build'];
const INSTALL_NIX: readonly InstallNix[] = ['auto', 'true', 'false'];

function bool(name: InputName, raw: string): boolean {
  // The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts.
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new InputError(name, `'${shown(raw)}' is not a boolean; use true or false.`);
}

/** A keyword, in any case (as the booleans are). */
function oneOf<T extends string>(name: InputName, raw: string, allowed: readonly T[]): T {
  const lower = raw.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new InputError(name, `'${shown(raw)}' is not accepted; use one of: ${allowed.join(', ')}.`);
}

/** A value as a message quotes it: one line, control characters escaped, long ones cut. */
function shown(raw: string): string {
  const text = JSON.stringify(raw).slice(1, -1);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A control character in a path or a name is a pasting accident, never meant. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function noControl(name: InputName, raw: string): string {
  if (hasControl(raw))
    throw new InputError(
      name,
      `'${shown(raw)}' contains a control character; give it on one line.`,
    );
  return raw;
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

// Target triples (arch-vendor-os[-env]); rustup's component names.
const TARGET = /^[a-z0-9_]+(-[a-z0-9_.]+){1,4}$/;
const COMPONENT = /^[a-z][a-z0-9-]*$/;

function list(name: InputName, raw: string, re: RegExp, what: string): string[] {
  const items = raw.split(/[\s,]+/).filter(Boolean);
  const bad = items.filter((i) => !re.test(i));
  if (bad.length > 0)
    throw new InputError(
      name,
      `${bad.map((b) => `'${shown(b)}'`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not ${what}; give them separated by commas or white space.`,
    );
  return [...new Set(items)];
}

function sourceDirOf(raw: string, base: string): string {
  const dir = resolve(base, noControl('source-dir', raw));
  const problem = readableDirProblem(dir);
  if (problem)
    throw new InputError(
      'source-dir',
      `'${shown(raw)}' ${problem} (resolved to ${dir}); give the path of a cargo workspace or a rust-lang/rust checkout.`,
    );
  return dir;
}

/** The default command builds the tree itself: cargo would walk up from a dir without Cargo.toml and build a parent. */
function checkBuildable(sourceDir: string, command: string[] | null): void {
  const cargoOwn =
    command === null ||
    (command[0] === 'cargo' && !command.some((a) => a.startsWith('--manifest-path')));
  if (!cargoOwn || isRustTree(sourceDir) || existsSync(join(sourceDir, 'Cargo.toml'))) return;
  throw new InputError(
    'source-dir',
    `${sourceDir} holds neither Cargo.toml nor x.py, and cargo would build whatever crate lies above it; give the directory of the workspace (or set command with --manifest-path).`,
  );
}

function templateOf(raw: string, sourceDir: string): string | null {
  if (!raw) return null;
  const path = resolve(sourceDir, noControl('config-template', raw));
  const problem = readableFileProblem(path);
  if (problem)
    throw new InputError(
      'config-template',
      `file '${shown(raw)}' ${problem} (resolved to ${path}); give a TOML file or leave it empty.`,
    );
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(
      'config-template',
      `file '${shown(raw)}' cannot be read (resolved to ${path}); give a TOML file or leave it empty.`,
    );
  }
  checkToml('config-template', text, path, sourceDir);
  return path;
}

function checkToml(
  name: 'config' | 'config-template',
  text: string,
  where: string,
  sourceDir: string,
): void {
  const problem = configTableProblem(parseToml(name, text, where), {
    inline: name === 'config',
    sourceDir,
    isProgram: isExecutableFile,
  });
  if (problem) throw new InputError(name, `${where}: ${problem}.`);
}

function metadataDirOf(
  raw: string,
  base: string,
  env: NodeJS.ProcessEnv,
  sourceDir: string | null,
): string {
  const dir = raw ? resolve(base, noControl('metadata-dir', raw)) : runnerDirs.metadata(env);
  const problem = writableDirProblem(dir);
  const fix =
    'give a writable directory outside source-dir, or leave it empty for $RUNNER_TEMP/rust-bootstrap-nix.';
  if (problem) throw new InputError('metadata-dir', `${dir} ${problem}; ${fix}`);
  if (sourceDir && (isWithin(dir, sourceDir) || isWithin(sourceDir, dir)))
    throw new InputError(
      'metadata-dir',
      `${dir} ${isWithin(dir, sourceDir) ? 'lies inside' : 'contains'} source-dir ${sourceDir}: the build would read what the run writes there (its config.toml as the next template) and the artifact would carry the tree; ${fix}`,
    );
  return dir;
}

function prefixOf(prefix: string): string {
  if (/[,\s]/.test(prefix) || hasControl(prefix) || prefix.length > 200)
    throw new InputError(
      'cache-key-prefix',
      `'${shown(prefix)}' may not contain commas, white space or control characters and must be at most 200 characters.`,
    );
  return prefix;
}

function tokenOf(raw: string): string {
  // Never quoted back: it is a secret.
  if (/\s/.test(raw) || hasControl(raw))
    throw new InputError(
      'github-token',
      'contains white space or a control character; give the token alone (the default is the github.token of the job).',
    );
  return raw;
}

function branchTemplateOf(raw: string): string {
  const problem = branchTemplateProblem(raw);
  if (problem)
    throw new InputError(
      'publish-branch',
      `'${shown(raw)}' ${problem}; the default is ${DEFAULT_BRANCH_TEMPLATE}.`,
    );
  return raw;
}

function componentOf(raw: string): string | null {
  if (!raw) return null;
  const problem = componentProblem(raw);
  if (problem)
    throw new InputError(
      'publish-component',
      `'${shown(raw)}' ${problem}; leave it empty for <source name>-rust-<toolchain version>.`,
    );
  return raw;
}

/** Publishing pushes the flake a build generated: mode emit has none. */
function publishOf(raw: string, mode: string): boolean {
  const on = bool('publish', raw);
  if (on && mode === 'emit')
    throw new InputError(
      'publish',
      "mode 'emit' generates no flake to publish; use mode 'emit-then-build' or 'build' (or publish later with `rust-bootstrap-nix publish --metadata-dir DIR`).",
    );
  return on;
}

/** An input that may be empty, else must pass `problemOf`, whose words are the message (never the value). */
function optional(
  name: InputName,
  raw: string,
  problemOf: (raw: string) => string | null,
): string | null {
  if (!raw) return null;
  const problem = problemOf(raw);
  if (problem) throw new InputError(name, problem);
  return raw;
}

function secretKeyOf(raw: string, cache: string | null): string | null {
  // Never quoted back: it is a secret.
  const key = optional('binary-cache-secret-key', raw, secretKeyProblem);
  if (key && !cache)
    throw new InputError(
      'binary-cache-secret-key',
      'is set, but binary-cache is empty; give the store URL to push to in binary-cache, or leave the key empty.',
    );
  return key;
}

/** Inputs about an earlier emit's metadata: only mode build reads one. */
function buildOnly<T>(name: InputName, value: T, given: boolean, mode: string): T {
  if (given && mode !== 'build')
    throw new InputError(
      name,
      `is set, but mode '${mode}' reads no earlier emit's metadata; use it with mode 'build', or leave it unset.`,
    );
  return value;
}

export function parseInputs(
  source: InputSource,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Inputs {
  const get = (name: InputName): string => (source(name) ?? '').trim() || INPUT_DEFAULTS[name];
  const base = env.GITHUB_WORKSPACE || cwd;
  const problems: InputError[] = [];
  // Each input is checked even when another is bad: a run lists every problem at once.
  const check = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(e);
      return fallback;
    }
  };
  const sourceDir = check(() => sourceDirOf(get('source-dir'), base), null);
  const commandRaw = get('command');
  const command = check(() => (commandRaw ? splitCommand(commandRaw) : null), null);
  if (sourceDir) check(() => checkBuildable(sourceDir, command), undefined);
  const configTemplate = sourceDir
    ? check(() => templateOf(get('config-template'), sourceDir), null)
    : null;
  const config = get('config');
  if (sourceDir && config)
    check(() => checkToml('config', config, 'the inline config', sourceDir), undefined);
  const nixConf = get('nix-conf');
  const nixConfIssue = nixConfProblem(nixConf);
  if (nixConfIssue) problems.push(new InputError('nix-conf', nixConfIssue));
  const toolchain = check(() => noControl('toolchain', get('toolchain')), '');
  const binaryCache = check(
    () => optional('binary-cache', get('binary-cache'), storeUrlProblem),
    null,
  );
  const inputs: Inputs = {
    sourceDir: sourceDir ?? '',
    command,
    toolchain: toolchain || null,
    targets: check(
      () =>
        list('targets', get('targets'), TARGET, 'target triples such as aarch64-unknown-linux-gnu'),
      [],
    ),
    components: check(
      () =>
        list(
          'components',
          get('components'),
          COMPONENT,
          'component names such as rust-src or clippy',
        ),
      [],
    ),
    configTemplate,
    config,
    mode: check(() => oneOf('mode', get('mode'), MODES), 'emit'),
    metadataDir: check(() => metadataDirOf(get('metadata-dir'), base, env, sourceDir), ''),
    sccache: check(() => bool('sccache', get('sccache')), false),
    cache: check(() => bool('cache', get('cache')), false),
    cacheKeyPrefix: check(() => prefixOf(get('cache-key-prefix')), ''),
    saveCache: check(() => bool('save-cache', get('save-cache')), false),
    installNix: check(() => oneOf('install-nix', get('install-nix'), INSTALL_NIX), 'auto'),
    nixConf,
    binaryCache,
    binaryCacheSecretKey: check(
      () => secretKeyOf(get('binary-cache-secret-key'), binaryCache),
      null,
    ),
    buildersSshKey: check(
      () => optional('builders-ssh-key', get('builders-ssh-key'), sshKeyProblem),
      null,
    ),
    githubToken: check(() => tokenOf((source('github-token') ?? '').trim()), ''),
    checkRun: check(() => bool('check-run', get('check-run')), false),
    uploadArtifact: check(() => bool('upload-artifact', get('upload-artifact')), false),
    reusePlan: check(() => bool('reuse-plan', get('reuse-plan')), false),
    buildOnce: check(() => bool('build-once', get('build-once')), false),
    publish: check(() => publishOf(get('publish'), get('mode').toLowerCase()), false),
    publishRemote: check(() => noControl('publish-remote', get('publish-remote')), ''),
    publishBranch: check(() => branchTemplateOf(get('publish-branch')), ''),
    publishComponent: check(() => componentOf(get('publish-component')), null),
    metadataDigest: check(() => {
      const digest = optional('metadata-digest', get('metadata-digest'), digestInputProblem);
      return buildOnly('metadata-digest', digest, digest !== null, get('mode').toLowerCase());
    }, null),
    trustMetadata: check(() => {
      const trust = oneOf<TrustMetadata>('trust-metadata', get('trust-metadata'), TRUST_METADATA);
      return buildOnly('trust-metadata', trust, trust !== 'false', get('mode').toLowerCase());
    }, 'false'),
  };
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new InputErrors(problems);
  return inputs;
}

/** The default build command for a tree. */
export function defaultCommand(sourceDir: string): string[] {
  return isRustTree(sourceDir) ? ['python3', 'x.py', 'build'] : ['cargo', 'build'];
}
