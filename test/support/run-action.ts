// Runs the action exactly as the GitHub runner does: `node dist/main.js`, then
// `node dist/post.js`, each as a child process with every declared input as an
// INPUT_<NAME> variable (the action.yml default unless given), fresh
// GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_PATH / GITHUB_STEP_SUMMARY
// files per step, one RUNNER_TEMP per job, and for the post step the STATE_*
// variables the main step saved.
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { InvocationRecord, Plan } from '../../src/types.js';
import { capture } from './spawn.js';
import { baseEnv, REPO_ROOT, tempDir } from './workspace.js';

interface ActionYml {
  inputs?: Record<string, { default?: string | number | boolean }>;
  outputs?: Record<string, unknown>;
  runs: { using: string; main: string; post?: string };
}

export function actionYml(dir = REPO_ROOT): ActionYml {
  return parseYaml(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionYml;
}

let checkout: string | null = null;

/**
 * The action as the runner sees it: a private copy of the repository (the
 * runner downloads the action into a directory of its own), without
 * node_modules, .git and the tests. Other work in the repository may rebuild
 * dist/ at any moment; a copy taken once per test file keeps a run from seeing
 * the recorder scripts vanish halfway.
 */
export function actionCheckout(): string {
  // Taken again when gone (the bench removes its temp dirs between its rows).
  if (checkout && existsSync(checkout)) return checkout;
  const skip = new Set(['node_modules', '.git', 'test', 'coverage']);
  for (let attempt = 0; attempt < 20; attempt++) {
    const dir = join(tempDir('rbn-action-'), 'action');
    mkdirSync(dir);
    try {
      for (const entry of readdirSync(REPO_ROOT)) {
        if (skip.has(entry) || entry === 'result' || entry.startsWith('result-')) continue;
        cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
      }
      if (distComplete(join(dir, 'dist'))) {
        checkout = dir;
        return dir;
      }
    } catch {
      // dist/ was being rebuilt while we copied it: try again.
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  throw new Error('dist/ is incomplete; run npm run build');
}

/** Entry points, recorder and schemas present, and every chunk an entry imports exists. */
function distComplete(dist: string): boolean {
  const needed = [
    'main.js',
    'post.js',
    'cli.js',
    'assets/recorder/rustc-wrapper',
    'assets/schema/record.v1.schema.json',
  ];
  if (!needed.every((f) => existsSync(join(dist, f)))) return false;
  const chunks = existsSync(join(dist, 'chunks')) ? readdirSync(join(dist, 'chunks')) : [];
  for (const f of ['main.js', 'post.js', 'cli.js', ...chunks.map((c) => `chunks/${c}`)]) {
    const text = readFileSync(join(dist, f), 'utf8');
    for (const m of text.matchAll(/from "\.\.?\/(?:chunks\/)?(chunk-[A-Z0-9]+\.js)"/g))
      if (!chunks.includes(m[1]!)) return false;
  }
  return true;
}

/** The runner's name for an input's variable: upper case, spaces to `_`, dashes kept. */
export function inputVar(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * `name<<delimiter` heredoc blocks (and plain `name=value` lines), the format
 * @actions/core writes to GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV.
 */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`unterminated value for '${heredoc[1]}'`);
      out[heredoc[1]!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`cannot parse command file line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** `::name ...::value` workflow commands in a log, values unescaped. */
export function workflowCommands(log: string, name: string): string[] {
  const re = new RegExp(`^::${name}(?: [^:]*)?::(.*)$`);
  return log
    .split('\n')
    .map((l) => re.exec(l.replace(/\r$/, ''))?.[1])
    .filter((m): m is string => m !== undefined)
    .map((s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'));
}

/**
 * Inputs for the emit stage alone, with the system toolchain: the reporting
 * stages that need GitHub's services (artifact upload, check run) and the
 * caches are switched off the way a user would.
 */
export const EMIT_ONLY: Readonly<Record<string, string>> = {
  toolchain: 'system',
  mode: 'emit',
  sccache: 'false',
  cache: 'false',
  'upload-artifact': 'false',
  'check-run': 'false',
};

export interface StepRun {
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Empty when `merged`: then stdout holds both streams in the order written. */
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
  /** Content of GITHUB_STEP_SUMMARY after the step. */
  summary: string;
  /** The variables the step ran with. */
  env: Record<string, string>;
}

export interface JobOptions {
  /** GITHUB_WORKSPACE (relative `source-dir` resolves against it). */
  workspace: string;
  /** `with:` values; every other declared input gets its action.yml default. */
  inputs?: Record<string, string>;
  /** Extra job variables (planted secrets, ACTIONS_* runtime variables...). */
  env?: Record<string, string>;
  /** What `${{ github.token }}` evaluates to. */
  githubToken?: string;
  /** Both streams into one file, so their interleaving is exactly what was written. */
  merged?: boolean;
  /** The action's directory; a private copy of the repository's by default. */
  actionDir?: string;
}

interface StepFiles {
  GITHUB_OUTPUT: string;
  GITHUB_STATE: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STEP_SUMMARY: string;
}

/** A step still running: its pid (to signal), its log so far, and its end. */
export interface RunningStep {
  pid: number;
  log(): string;
  done: Promise<StepRun>;
}

/** One job: a RUNNER_TEMP, the inputs, and the state carried from main to post. */
export class ActionJob {
  readonly runnerTemp: string;
  readonly runnerDir: string;
  private state: Record<string, string> = {};
  private exported: Record<string, string> = {};
  private paths: string[] = [];
  private stepCount = 0;
  /** Where action.yml and dist/ are (a private copy of the repository's). */
  readonly actionDir: string;

  constructor(readonly opts: JobOptions) {
    this.actionDir = opts.actionDir ?? actionCheckout();
    const root = tempDir('rbn-runner-');
    this.runnerTemp = join(root, 'temp');
    this.runnerDir = join(root, 'files');
    mkdirSync(this.runnerTemp);
    mkdirSync(this.runnerDir);
  }

  /** INPUT_* for every declared input, as the runner sets them. */
  inputEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    const token = this.opts.githubToken ?? '';
    for (const [name, spec] of Object.entries(actionYml(this.actionDir).inputs ?? {})) {
      let value = spec.default === undefined ? '' : String(spec.default);
      value = value.replace(/\$\{\{\s*github\.token\s*\}\}/g, token);
      if (/\$\{\{/.test(value)) throw new Error(`input ${name}: unsupported expression ${value}`);
      env[inputVar(name)] = value;
    }
    for (const [name, value] of Object.entries(this.opts.inputs ?? {})) env[inputVar(name)] = value;
    return env;
  }

  /** The main step; `inputs` override the job's `with:` values for this step alone. */
  main(inputs: Record<string, string> = {}): Promise<StepRun> {
    const extra = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVar(k), v]));
    return this.step(actionYml(this.actionDir).runs.main, extra);
  }

  /**
   * The main step started and left running (its log merged into one file),
   * for a test that signals it the way the runner does when a job is
   * cancelled.
   */
  startMain(): RunningStep {
    const { env, files } = this.prepare({});
    const logFile = join(this.runnerDir, `${this.stepCount}-log`);
    const fd = openSync(logFile, 'w');
    const child = spawn(
      process.execPath,
      [join(this.actionDir, actionYml(this.actionDir).runs.main)],
      {
        cwd: env.GITHUB_WORKSPACE,
        env,
        stdio: ['ignore', fd, fd],
      },
    );
    closeSync(fd);
    const done = new Promise<StepRun>((resolvePromise, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolvePromise(
          this.finish(files, env, {
            exitCode: code ?? 1,
            signal,
            stdout: readFileSync(logFile, 'utf8'),
            stderr: '',
          }),
        ),
      );
    });
    return { pid: child.pid!, log: () => readFileSync(logFile, 'utf8'), done };
  }

  post(): Promise<StepRun> {
    const post = actionYml(this.actionDir).runs.post;
    if (!post) throw new Error('action.yml declares no post step');
    const stateEnv = Object.fromEntries(
      Object.entries(this.state).map(([k, v]) => [`STATE_${k}`, v]),
    );
    return this.step(post, stateEnv);
  }

  private async step(script: string, extra: Record<string, string>): Promise<StepRun> {
    const { env, files } = this.prepare(extra);
    const result = await runNode(join(this.actionDir, script), env, this.opts.merged === true);
    return this.finish(files, env, result);
  }

  private prepare(extra: Record<string, string>): {
    env: Record<string, string>;
    files: StepFiles;
  } {
    const n = ++this.stepCount;
    const file = (name: string): string => {
      const p = join(this.runnerDir, `${n}-${name}`);
      writeFileSync(p, '');
      return p;
    };
    const files = {
      GITHUB_OUTPUT: file('output'),
      GITHUB_STATE: file('state'),
      GITHUB_ENV: file('env'),
      GITHUB_PATH: file('path'),
      GITHUB_STEP_SUMMARY: file('step-summary'),
    };
    const env: Record<string, string> = {
      ...this.jobEnv(),
      GITHUB_ACTION_PATH: this.actionDir,
      ...this.inputEnv(),
      ...files,
      ...extra,
    };
    if (this.paths.length > 0) env.PATH = [...this.paths, env.PATH].join(':');
    return { env, files };
  }

  /** The runner's job variables, the job's own, and what earlier steps exported (GITHUB_ENV). */
  private jobEnv(): Record<string, string> {
    return {
      ...baseEnv(),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.opts.workspace,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REPOSITORY: 'octo/example',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: this.runnerTemp,
      ...this.opts.env,
      ...this.exported,
    };
  }

  /**
   * The variables a later `run:` step of this job sees (e.g. the `cargo build`
   * after a caching action): the job's, what the steps so far exported through
   * GITHUB_ENV, and the directories they added through GITHUB_PATH first on PATH.
   */
  runStepEnv(): Record<string, string> {
    const env = this.jobEnv();
    if (this.paths.length > 0) env.PATH = [...this.paths, env.PATH].join(':');
    return env;
  }

  private finish(
    files: StepFiles,
    env: Record<string, string>,
    result: { exitCode: number; signal: NodeJS.Signals | null; stdout: string; stderr: string },
  ): StepRun {
    const read = (p: string): string => readFileSync(p, 'utf8');
    const state = parseCommandFile(read(files.GITHUB_STATE));
    const exportedEnv = parseCommandFile(read(files.GITHUB_ENV));
    const addedPath = read(files.GITHUB_PATH).split('\n').filter(Boolean);
    Object.assign(this.state, state);
    Object.assign(this.exported, exportedEnv);
    this.paths = [...addedPath.reverse(), ...this.paths];
    return {
      ...result,
      outputs: parseCommandFile(read(files.GITHUB_OUTPUT)),
      state,
      exportedEnv,
      addedPath,
      summary: read(files.GITHUB_STEP_SUMMARY),
      env,
    };
  }
}

function runNode(
  script: string,
  env: Record<string, string>,
  merged: boolean,
): Promise<{ exitCode: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    if (merged) {
      // One file for both streams: the log's order is exactly the order of the writes.
      const logFile = join(tempDir('rbn-log-'), 'log');
      const fd = openSync(logFile, 'w');
      const child = spawn(process.execPath, [script], {
        cwd: env.GITHUB_WORKSPACE,
        env,
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolvePromise({
          exitCode: code ?? 1,
          signal,
          stdout: readFileSync(logFile, 'utf8'),
          stderr: '',
        }),
      );
      return;
    }
    capture(process.execPath, [script], { cwd: env.GITHUB_WORKSPACE, env }).then(
      (r) =>
        resolvePromise({
          exitCode: r.signal ? 1 : r.status,
          signal: r.signal,
          stdout: r.stdout.toString('utf8'),
          stderr: r.stderr,
        }),
      reject,
    );
  });
}

/** Fails with the end of the step's log when it did not exit with `code`. */
export function expectExit(
  run: Pick<StepRun, 'exitCode' | 'stdout' | 'stderr'>,
  code: number,
): void {
  if (run.exitCode !== code)
    throw new Error(
      `expected exit ${code}, got ${run.exitCode}; end of the log:\n${(run.stdout + run.stderr).slice(-6000)}`,
    );
}

// ---- what an emit wrote ---------------------------------------------------------------

export interface Metadata {
  dir: string;
  records: InvocationRecord[];
  plan: Plan;
  jsonl: string;
}

export function readMetadataDir(dir: string): Metadata {
  const jsonl = readFileSync(join(dir, 'invocations.jsonl'), 'utf8');
  const records = jsonl
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as InvocationRecord);
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
  return { dir, records, plan, jsonl };
}

/** The value of a rustc option given as `--opt value` or `--opt=value` (all of them). */
export function rustcOption(args: readonly string[], opt: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === opt && i + 1 < args.length) values.push(args[++i]!);
    else if (a.startsWith(`${opt}=`)) values.push(a.slice(opt.length + 1));
  }
  return values;
}

/** A compile record's unit, read from its own arguments the way cargo's JSON names it. */
export function recordUnitKey(r: InvocationRecord): string {
  const crate = rustcOption(r.args, '--crate-name')[0] ?? '?';
  const types = rustcOption(r.args, '--crate-type').flatMap((t) => t.split(','));
  let kind = 'other';
  if (crate.startsWith('build_script_')) kind = 'build-script';
  else if (types.includes('proc-macro')) kind = 'proc-macro';
  else if (types.includes('bin') || r.args.includes('--test')) kind = 'bin';
  else if (types.some((t) => ['lib', 'rlib', 'dylib', 'cdylib', 'staticlib'].includes(t)))
    kind = 'lib';
  return `${r.env.CARGO_MANIFEST_DIR ?? '?'} ${crate} ${kind}`;
}

/** Runs only the main step of a fresh job. */
export function runMain(opts: JobOptions): Promise<StepRun & { job: ActionJob }> {
  const job = new ActionJob(opts);
  return job.main().then((r) => ({ ...r, job }));
}
