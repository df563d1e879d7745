// The emit stage: run the build once with every compiler invocation recorded,
// then write invocations.jsonl and plan.json (both schema-checked).
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Log } from '../log.js';
import { writeRecordsAndPlan } from '../metadata/dir.js';
import { validate } from '../metadata/schema.js';
import { forbiddenContext, forbiddenSource } from '../trust/forbidden-files.js';
import type { InvocationRecord, Plan } from '../types.js';
import { firstCompileError } from '../util/compile-error.js';
import { runStreaming } from '../util/run-streaming.js';
import { runnerTemp } from '../util/runner-temp.js';
import type { Redactor } from '../util/secrets.js';
import { analyze, isStep } from './analyze.js';
import { buildPlan } from './build-plan.js';
import { readRawRecords } from './raw.js';
import {
  cleanLeftovers,
  cleanupRecording,
  prepareRecording,
  recorderDir,
  resetFingerprints,
  restoreBuildScripts,
} from './recorder.js';
import { toRecords } from './records.js';
import { remapTable } from './remap.js';
import { acquireStablePath, STABLE_PATH } from './stable-path.js';

export interface EmitOptions {
  command: string[];
  sourceDir: string;
  metadataDir: string;
  targetDirs: string[];
  toolchain: Plan['toolchain'];
  baseEnv: NodeJS.ProcessEnv;
  extraEnv: Record<string, string>;
  /** metadata-dir's config.toml; the build sees it through RUST_BOOTSTRAP_CONFIG. */
  bootstrapConfig: string;
  nextWrapper: string | null;
  /** Keeps secrets out of the records, the plan, the failure message and the build's output. */
  redactor: Redactor;
  /** Values no variable of the build's environment may hold (the github token). */
  withheld: readonly string[];
  /**
   * Run the build through emit/stable-path.ts's fixed path (x.py builds), so
   * cargo's path-dependent hashes are the same wherever the tree is.
   */
  stablePath?: boolean;
  /**
   * Compile as the steps will (emit/remap.ts): each root remapped to its step's name for it, no
   * incremental state, so the outputs can be taken for the steps' (build-once/).
   */
  asSteps?: boolean;
  /** Where the build's own output goes (the log). */
  output: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /**
   * Cancels the build: its processes are stopped, then the target dir is put
   * back as cargo left it and the temp files go, and emit rejects with the
   * signal's reason.
   */
  signal?: AbortSignal;
}

export interface EmitResult {
  records: InvocationRecord[];
  plan: Plan;
  /** Set when the build failed: names the crate and rustc's first error line. */
  failure: string | null;
}

/**
 * The command with each relative path to a file of the tree (`x.py`,
 * `./x.py`) made absolute through the alias: x.py finds the tree from its own
 * path, and a relative one would resolve against the real directory.
 */
function underAlias(command: readonly string[], sourceDir: string, alias: string): string[] {
  return command.map((a) =>
    !isAbsolute(a) &&
    !a.startsWith('-') &&
    statSync(join(sourceDir, a), { throwIfNoEntry: false })?.isFile()
      ? join(alias, a)
      : a,
  );
}

/** How long a cancelled emit waits for the old fingerprints to be deleted (the next emit deletes the rest). */
const STALE_WAIT_MS = 2000;

export async function emit(opts: EmitOptions, log: Log): Promise<EmitResult> {
  const { redactor } = opts;
  opts.signal?.throwIfAborted();
  const left = cleanLeftovers(opts.targetDirs, runnerTemp(opts.baseEnv));
  const reset = resetFingerprints(opts.targetDirs);
  if (left.buildScripts + left.recordDirs + reset.leftover > 0)
    log.info(
      `Cleaned up after an emit that was killed: ${[
        [left.buildScripts, 'build script(s) put back in place of their recording shims'],
        [left.recordDirs, 'record dir(s) removed'],
        [reset.leftover, 'old fingerprint dir(s) removed'],
      ]
        .filter(([n]) => n)
        .map(([n, what]) => `${n} ${what}`)
        .join(', ')}.`,
    );
  if (reset.count > 0)
    log.info(
      `Cleared cargo's fingerprints in ${reset.count} place(s) so that every unit is compiled and recorded.`,
    );
  const setup = prepareRecording({
    baseEnv: opts.baseEnv,
    rustc: opts.toolchain.rustc,
    cargo: opts.toolchain.cargo,
    nextWrapper: opts.nextWrapper,
    withheld: opts.withheld,
    extraEnv: opts.extraEnv,
    bootstrapConfig: opts.bootstrapConfig,
  });
  const stable = opts.stablePath ? acquireStablePath(opts.sourceDir) : null;
  if (opts.stablePath && !stable)
    log.info(
      `${STABLE_PATH} is held by another emit: building at ${opts.sourceDir}, so bootstrap's own binaries (and the steps that run them) depend on where the tree is.`,
    );
  const aliases = stable ? [{ alias: stable.path, path: opts.sourceDir }] : [];
  if (opts.asSteps) {
    setup.env.RBN_REMAP = remapTable(opts.sourceDir, opts.targetDirs, stable?.path ?? null);
    // A step compiles without incremental state (flake-model.ts drops the flag), so does this.
    setup.env.CARGO_INCREMENTAL = '0';
  }
  // The build's own output, line by line: a secret it prints never reaches the log.
  const output = redactor.stream(opts.output);
  const startUs = Date.now() * 1000;
  const ticker = setInterval(() => {
    const n = readdirSync(setup.recordDir).filter((f) => f.endsWith('.end')).length;
    log.progress('recording', n);
  }, 1000);
  try {
    const run = await log.group(`Build (recording): ${opts.command.join(' ')}`, () =>
      runStreaming(stable ? underAlias(opts.command, opts.sourceDir, stable.path) : opts.command, {
        cwd: stable?.path ?? opts.sourceDir,
        env: setup.env,
        onOutput: output.write,
        notFound: (p) =>
          `Input 'command': program '${p}' was not found on PATH; install it or give its full path.`,
        signal: opts.signal,
      }),
    );
    clearInterval(ticker);
    output.flush();
    putBack(setup.recordDir, log); // by the paths the build knew: the alias too
    stable?.release();
    await reset.removed;
    const raws = readRawRecords(setup.recordDir, (m) =>
      log.warning(`Skipped an unreadable record: ${m}`),
    );
    const forbidden = forbiddenContext(opts.baseEnv);
    const { items, links, leftOut } = analyze(raws, {
      targetDirs: opts.targetDirs,
      aliases,
      forbidden: (p) => forbiddenSource(p, forbidden) !== null,
      env: {
        buildEnv: setup.env,
        recorderPaths: [setup.recordDir, recorderDir()],
        pids: run.pid === null ? [] : [run.pid],
      },
    });
    if (leftOut.length > 0)
      log.info(
        `Left ${leftOut.length} file(s) the build read out of the plan's sources: git's metadata and credential files never go into the flake or the Nix store (${leftOut.slice(0, 5).join(', ')}${leftOut.length > 5 ? ', ...' : ''}).`,
      );
    const emitStartUs = raws.length > 0 ? Math.min(startUs, raws[0]!.startUs) : startUs;
    const records = toRecords(items, redactor, emitStartUs);
    // Scrubbed whole: a secret in a path or a stamp's name is no more welcome than in an argument.
    const plan = redactor.deep(
      buildPlan(items, links, {
        aliases,
        sourceDir: opts.sourceDir,
        targetDirs: opts.targetDirs,
        toolchain: opts.toolchain,
      }),
    );
    const problems = [...records.flatMap((r) => validate('record', r)), ...validate('plan', plan)];
    writeRecordsAndPlan(opts.metadataDir, records, plan);
    if (problems.length > 0)
      throw new Error(
        `The written metadata does not match its schema:\n${problems.slice(0, 10).join('\n')}`,
      );
    let failure: string | null = null;
    if (run.exitCode !== 0) {
      const { crate, message } = firstCompileError(run.tail);
      // The log names the crate; else the first compile that exited non-zero.
      const name =
        crate ??
        items.find((a) => isStep(a) && a.type === 'rust_compiler_invocation' && !!a.raw.exitCode)
          ?.crate ??
        null;
      failure = name
        ? `Compiling crate '${name}' failed: ${message ?? 'see the build log'}`
        : `The build command exited with ${run.signal ?? run.exitCode}${message ? `: ${message}` : ''}`;
      failure = redactor.scrub(failure);
    }
    return { records, plan, failure };
  } finally {
    // Also when the build failed to start, the analysis threw, or a cancellation stopped the
    // build (its processes are gone by then): nothing of the recording outlives the emit.
    clearInterval(ticker);
    output.flush();
    putBack(setup.recordDir, log);
    stable?.release();
    cleanupRecording(setup.recordDir);
    if (opts.signal?.aborted)
      await Promise.race([reset.removed, new Promise((r) => setTimeout(r, STALE_WAIT_MS).unref())]);
  }
}

/** The real build scripts back over the shims (again is harmless: a script already back is skipped). */
function putBack(recordDir: string, log: Log): void {
  const failed = restoreBuildScripts(recordDir);
  if (failed.length > 0)
    log.warning(
      `Could not put back ${failed.length} build script(s) the recorder had replaced (${failed.slice(0, 3).join(', ')}); the next emit tries again.`,
    );
}
