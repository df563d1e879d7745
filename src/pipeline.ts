// The pipeline, the same for the action and the CLI: toolchain, config.toml,
// emit, then build, then the report. Each stage lives in its own module;
// this file only sequences them and gathers outputs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nixFlakeDir } from './assets-dir.js';
import { loadCacheState, NIX_CACHE } from './cache/state.js';
import { abortSignalName, CancelledError } from './cancel.js';
import { composeConfig, readTemplate, type Table } from './config-toml.js';
import { emit } from './emit/index.js';
import type { JobEnvironment, StepState } from './host.js';
import { InputError } from './inputs.js';
import { type Log, redactingLog } from './log.js';
import { exportBinaryCache, importBinaryCache } from './nix/binary-cache.js';
import { nixBuild } from './nix/build.js';
import { generateFlake } from './nix/generate.js';
import { type NixTools, offlineTools, onlineTools, usableByAll } from './nix/tools.js';
import { ensureNix, NixInstallError } from './nix-install/index.js';
import { cacheSection, sccacheSection } from './report/cache-sections.js';
import { crateGraphSection, criticalPathSection } from './report/sections.js';
import { readSccacheStats, type Sccache, sccacheBuildEnv, stopSccache } from './sccache/server.js';
import { Redactor, secretValuesOf, withheldFromBuild } from './secrets.js';
import {
  nixCacheDir,
  restoreCaches,
  settleNixCacheKey,
  startCompilerCache,
} from './stages/caching.js';
import { type EarlierEmit, type Preflight, preflight } from './stages/preflight.js';
import { cargoTargetDir, xpyBuildDir } from './stages/target-dirs.js';
import { realiseToolchain, specForFlake } from './stages/toolchain.js';
import { formatMs, renderCancelled, renderStoppedSummary, renderSummary } from './summary.js';
import { addSysrootToStore } from './toolchain/resolve.js';
import type { FlakeSpec, ToolchainSpec } from './toolchain/spec.js';
import { inspectRustTree, isRustTree, XpyConfigError, xpyConfig } from './toolchain/xpy.js';
import type { Inputs, InvocationRecord, Plan } from './types.js';

export const OUTPUT_NAMES = [
  'metadata-dir',
  'invocations',
  'steps',
  'plan',
  'flake',
  'config-toml',
  'rustc',
  'cargo',
  'toolchain',
  'cache-hit',
  'sccache-hits',
  'sccache-misses',
  'out-paths',
  'artifact-id',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

export interface PipelineContext {
  log: Log;
  env: NodeJS.ProcessEnv;
  /** Handed to the post step (the caches to save). */
  state: StepState;
  /** The job's later steps' environment (an installed Nix's PATH). */
  job: JobEnvironment;
  /** Where the build's own output goes. */
  output: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /**
   * Aborted by the host on SIGINT/SIGTERM (the reason an Interrupted). The
   * running stage stops its processes and cleans up, and runPipeline rejects
   * with a CancelledError naming the stage.
   */
  signal?: AbortSignal;
}

/** Where a run is, for a cancellation's message, and what it must undo when it stops early. */
interface Progress {
  stage: string;
  /** The sccache server this run started and has not handed over yet. */
  sccache: Sccache | null;
  /** Set once the emit's records are written. */
  recorded: number | null;
}

/** Enters a stage, unless the run was cancelled meanwhile (then it throws the signal's reason). */
function enter(ctx: PipelineContext, progress: Progress, stage: string): void {
  ctx.signal?.throwIfAborted();
  progress.stage = stage;
}

/** The context inside the pipeline: its log scrubs every message with `redactor`. */
interface Ctx extends PipelineContext {
  redactor: Redactor;
}

export interface PipelineResult {
  outputs: Partial<Record<OutputName, string>>;
  /** The running sccache server: the action's post step stops it, the CLI at its end. */
  sccache: Sccache | null;
  summary: string;
  failure: string | null;
  plan: Plan;
  records: InvocationRecord[];
}

/** The config-template input, else the file x.py itself would read: bootstrap.toml, then config.toml. */
function templatePath(inputs: Inputs): string | null {
  if (inputs.configTemplate) return inputs.configTemplate;
  const own = ['bootstrap.toml', 'config.toml'].map((f) => join(inputs.sourceDir, f));
  return own.find((p) => existsSync(p)) ?? null;
}

/** Nix for the stages that need it: found or installed once, with the nix-conf lines for every call. */
async function nixEnvironment(inputs: Inputs, ctx: PipelineContext): Promise<NodeJS.ProcessEnv> {
  const setup = await ensureNix({
    installNix: inputs.installNix,
    nixConf: inputs.nixConf,
    githubToken: inputs.githubToken,
    serverUrl: ctx.env.GITHUB_SERVER_URL,
    log: ctx.log,
    env: ctx.env,
    job: ctx.job,
  }).catch((e: unknown) => {
    // Nothing to install with: the input that said so is the one to change.
    if (e instanceof NixInstallError && inputs.installNix === 'false')
      throw new InputError('install-nix', e.message);
    throw e;
  });
  return { ...ctx.env, NIX_CONFIG: setup.nixConfig, PATH: `${setup.bin}:${ctx.env.PATH ?? ''}` };
}

interface Recorded {
  records: InvocationRecord[];
  plan: Plan;
  failure: string | null;
  emitMs: number;
  sccache: Sccache | null;
  nixKeyBase: string | null;
  sections: { title: string; body: string }[];
}

async function emitStage(
  inputs: Inputs,
  ctx: Ctx,
  outputs: PipelineResult['outputs'],
  nix: () => Promise<NodeJS.ProcessEnv>,
  pre: { spec: ToolchainSpec; command: string[] },
  progress: Progress,
): Promise<Recorded> {
  const { log, env, signal } = ctx;
  const { spec, command } = pre;
  // Everything that can fail on a bad input happens before the first write.
  const template = templatePath(inputs);
  const parsed = template ? readTemplate(template) : null;
  enter(ctx, progress, 'resolving the toolchain');
  const toolchain = await realiseToolchain(
    spec,
    inputs,
    spec.kind === 'nix' ? await nix() : env,
    log,
    signal,
  );
  let extra: Table | undefined;
  const warnings = [...(parsed?.warnings ?? [])];
  const rustTree = isRustTree(inputs.sourceDir);
  if (rustTree) {
    try {
      const xpy = xpyConfig(
        inspectRustTree(inputs.sourceDir),
        toolchain,
        inputs.targets,
        inputs.metadataDir,
        parsed?.table ?? null,
      );
      extra = xpy.config as unknown as Table;
      warnings.push(...xpy.warnings);
    } catch (e) {
      if (e instanceof XpyConfigError)
        throw new InputError(inputs.toolchain === null ? 'source-dir' : 'toolchain', e.message);
      throw e;
    }
  }
  const configToml = composeConfig({
    template: parsed?.table ?? null,
    rustc: toolchain.rustc,
    cargo: toolchain.cargo,
    extra,
    inline: inputs.config,
  });
  mkdirSync(inputs.metadataDir, { recursive: true });
  for (const w of warnings) log.warning(w);
  const configPath = join(inputs.metadataDir, 'config.toml');
  writeFileSync(configPath, configToml);
  Object.assign(outputs, {
    'config-toml': configPath,
    rustc: toolchain.rustc,
    cargo: toolchain.cargo,
    toolchain: toolchain.toolchain,
  });

  enter(ctx, progress, 'restoring the caches');
  const restored = await restoreCaches({
    inputs,
    env,
    log,
    state: ctx.state,
    rustc: toolchain.rustc,
    toolchain: toolchain.toolchain,
    rustcVerbose: toolchain.verbose,
    configToml,
  });
  outputs['cache-hit'] = restored.hit;
  // Started after the restore: sccache reads its directory when it starts.
  enter(ctx, progress, 'starting sccache');
  const sccache = await startCompilerCache(
    inputs,
    spec.kind === 'nix',
    spec.kind === 'nix' ? await nix() : env,
    log,
    signal,
  );
  progress.sccache = sccache;
  const sccacheEnv = sccache ? sccacheBuildEnv(sccache) : {};

  const targetDirs = rustTree
    ? [xpyBuildDir(inputs.sourceDir, configToml)]
    : [cargoTargetDir(toolchain.cargo, inputs.sourceDir, env)];
  const forFlake = specForFlake(spec);
  const started = Date.now();
  enter(ctx, progress, `the recorded build (${command.join(' ')})`);
  const result = await emit(
    {
      command,
      sourceDir: inputs.sourceDir,
      metadataDir: inputs.metadataDir,
      targetDirs,
      toolchain: {
        rustc: toolchain.rustc,
        cargo: toolchain.cargo,
        // A Nix toolchain's recorded paths fall under its store path, which the flake names with context.
        sysroot: toolchain.sysroot,
        version: toolchain.version,
        ...(forFlake
          ? {
              nix_spec: {
                spec: forFlake.spec as unknown as Record<string, unknown>,
                file: forFlake.file,
              },
            }
          : {}),
      },
      baseEnv: env,
      extraEnv: sccacheEnv,
      bootstrapConfig: configPath,
      nextWrapper: sccache?.binary ?? null,
      redactor: ctx.redactor,
      withheld: withheldFromBuild(inputs.githubToken),
      stablePath: rustTree,
      output: ctx.output,
      ...(signal ? { signal } : {}),
    },
    log,
  );
  const emitMs = Date.now() - started;
  progress.recorded = result.records.length;
  log.info(
    `Recorded ${result.records.length} invocations: ${result.plan.steps.length} plan steps, ${result.records.filter((r) => r.probe).length} probes.`,
  );
  const sections = [cacheSection(restored.hit)];
  if (sccache) {
    const stats = await readSccacheStats(sccache).catch(() => null);
    if (stats) {
      Object.assign(outputs, {
        'sccache-hits': String(stats.hits),
        'sccache-misses': String(stats.misses),
      });
      sections.push({ title: 'sccache', body: sccacheSection(stats) });
    }
  }
  return {
    records: result.records,
    plan: result.plan,
    failure: result.failure,
    emitMs,
    sccache,
    nixKeyBase: restored.nixKeyBase,
    sections,
  };
}

/** mode: build — an earlier emit's metadata, and the Nix binary cache of its inputs. */
async function fromEarlierEmit(
  inputs: Inputs,
  ctx: Ctx,
  outputs: PipelineResult['outputs'],
  earlier: EarlierEmit,
): Promise<Recorded> {
  // An emit of an older version, or on a machine with other secrets, may hold
  // what this run knows to be one: the flake is made from these.
  const { records, plan } = ctx.redactor.deep(earlier);
  const configPath = join(inputs.metadataDir, 'config.toml');
  const configToml = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  const toolchain = plan.toolchain.nix_spec ? plan.toolchain.sysroot : 'system';
  const restored = await restoreCaches({
    inputs: { ...inputs, sccache: false },
    env: ctx.env,
    log: ctx.log,
    state: ctx.state,
    rustc: plan.toolchain.rustc,
    toolchain,
    configToml,
  });
  outputs['cache-hit'] = restored.hit;
  return {
    records,
    plan,
    failure: null,
    emitMs: 0,
    sccache: null,
    nixKeyBase: restored.nixKeyBase,
    sections: [cacheSection(restored.hit)],
  };
}

/** Offline with the system toolchain (a store copy of it); online from the nix/ flake. */
async function toolsFor(
  plan: Plan,
  env: NodeJS.ProcessEnv,
  gcRoots: string,
  log: Log,
  signal: AbortSignal | undefined,
): Promise<NixTools> {
  const nixSpec = plan.toolchain.nix_spec;
  if (nixSpec)
    return onlineTools(nixFlakeDir(), nixSpec.spec as unknown as FlakeSpec, nixSpec.file);
  const sysroot = plan.toolchain.sysroot;
  // A store path, or a toolchain every user can run (Debian's /usr), is used in place.
  if (sysroot.startsWith('/nix/store/') || usableByAll(join(sysroot, 'bin', 'rustc')))
    return offlineTools(sysroot);
  // Nix build users cannot read a toolchain under /root: give them a copy in the store.
  const added = await log.group('Adding the system toolchain to the Nix store', () =>
    addSysrootToStore(sysroot, {
      gcRootDir: gcRoots,
      env,
      name: 'rust-toolchain-system',
      ...(signal ? { signal } : {}),
    }),
  );
  return offlineTools(added.storePath);
}

async function buildStage(
  inputs: Inputs,
  ctx: Ctx,
  rec: Recorded,
  outputs: PipelineResult['outputs'],
  env: NodeJS.ProcessEnv,
  progress: Progress,
): Promise<{ failure: string | null; section: string }> {
  const { log, signal } = ctx;
  const gcRoots = join(ctx.env.RUNNER_TEMP || tmpdir(), 'rust-bootstrap-nix-gcroots');
  enter(ctx, progress, 'getting the toolchain into the Nix store');
  const tools = await toolsFor(rec.plan, env, gcRoots, log, signal);
  enter(ctx, progress, 'generating the flake');
  const flakeDir = join(inputs.metadataDir, 'flake');
  const generated = generateFlake({ plan: rec.plan, records: rec.records, flakeDir, tools });
  log.info(`Generated ${flakeDir}: ${generated.steps} steps, ${generated.sources} source files.`);
  outputs.flake = flakeDir;
  const cacheDir = nixCacheDir(ctx.env);
  enter(ctx, progress, 'importing the Nix binary cache');
  const imported = await importBinaryCache(cacheDir, env, log, signal);
  if (imported > 0)
    log.info(`Imported ${imported} store paths from the restored Nix binary cache.`);
  enter(ctx, progress, 'the Nix build');
  const built = await nixBuild(
    {
      flakeDir,
      outLink: join(gcRoots, 'result'),
      env,
      steps: rec.plan.steps,
      ...(signal ? { signal } : {}),
    },
    log,
  );
  outputs['out-paths'] = built.outPaths.join(' ');
  if (built.ok && rec.nixKeyBase && inputs.saveCache) {
    // Written only when the post step will save it: a new key for a new result.
    const key = settleNixCacheKey(ctx.state, rec.nixKeyBase, built.outPaths);
    if (key && loadCacheState(ctx.state, NIX_CACHE)?.matchedKey !== key) {
      enter(ctx, progress, 'exporting the Nix binary cache');
      await exportBinaryCache(cacheDir, built.outPaths, env, log, signal);
    }
  }
  const section = [
    '| | |',
    '|---|---:|',
    `| steps built | ${built.built.length} |`,
    `| steps reused from the store | ${built.reused} |`,
    `| nix build time | ${formatMs(built.ms)} |`,
    `| result | \`${built.outPaths.join(' ') || '(none)'}\` |`,
  ].join('\n');
  return { failure: built.failure, section };
}

/** A run that failed after its inputs were found good: summary.md (and the job summary) say where and why. */
export class PipelineError extends Error {
  constructor(
    message: string,
    readonly stage: string,
    readonly summary: string,
    readonly outputs: PipelineResult['outputs'],
  ) {
    super(message);
  }
}

export async function runPipeline(
  inputs: Inputs,
  context: PipelineContext,
): Promise<PipelineResult> {
  // Before anything is logged: every secret of the environment (by name, by
  // shape, a URL's password) is masked, and scrubbed from whatever is written.
  const redactor = new Redactor(secretValuesOf(context.env, inputs.githubToken), (v) =>
    context.log.mask(v),
  );
  const scrub = (text: string): string => redactor.scrub(text);
  const log = redactingLog(context.log, scrub);
  // The toolchain and the build see the environment as the run found it:
  // finding or installing Nix adds to the host's (PATH, NIX_SSL_CERT_FILE),
  // which only Nix's own calls are to see.
  const ctx: Ctx = { ...context, env: { ...context.env }, log, redactor };
  const nixCtx: Ctx = { ...ctx, env: context.env };
  try {
    return await runStages(inputs, ctx, nixCtx);
  } catch (e) {
    // An error's message is printed (::error::, the CLI's last line): it may quote anything.
    if (e instanceof Error) e.message = scrub(e.message);
    throw e;
  }
}

async function runStages(inputs: Inputs, ctx: Ctx, nixCtx: Ctx): Promise<PipelineResult> {
  const outputs: PipelineResult['outputs'] = { 'metadata-dir': inputs.metadataDir };
  // Everything a mode needs is checked before the build: a problem found after
  // it would waste the build (and name the wrong input).
  const pre = preflight(inputs, ctx.env, ctx.log);
  let nixEnv: NodeJS.ProcessEnv | null = null;
  const nix = async (): Promise<NodeJS.ProcessEnv> => {
    nixEnv ??= await nixEnvironment(inputs, nixCtx);
    ctx.signal?.throwIfAborted();
    return nixEnv;
  };
  const progress: Progress = { stage: 'starting', sccache: null, recorded: null };
  try {
    if (inputs.mode !== 'emit') {
      enter(ctx, progress, 'setting up Nix');
      await nix();
    }
    return await stages(inputs, ctx, outputs, nix, pre, progress);
  } catch (e) {
    // Whatever stopped the run, the sccache server it started does not outlive it (the
    // hosts only stop one they were handed).
    const stopped = progress.sccache !== null;
    if (progress.sccache) await stopSccache(progress.sccache, ctx.log);
    if (ctx.signal?.aborted) throw cancelled(inputs, ctx.signal, progress, stopped);
    if (e instanceof InputError) throw e; // found before anything was written
    const message = ctx.redactor.scrub((e as Error).message);
    const summary = renderStoppedSummary(inputs.mode, progress.stage, message);
    try {
      mkdirSync(inputs.metadataDir, { recursive: true });
      writeFileSync(join(inputs.metadataDir, 'summary.md'), summary);
    } catch (w) {
      ctx.log.warning(`Could not write summary.md: ${(w as Error).message}`);
    }
    throw new PipelineError(message, progress.stage, summary, outputs);
  }
}

/** The error of a cancelled run: what it stopped and cleaned, also in summary.md when metadata-dir exists. */
function cancelled(
  inputs: Inputs,
  signal: AbortSignal,
  progress: Progress,
  sccacheStopped: boolean,
): CancelledError {
  const cleaned = [
    ...(progress.stage.startsWith('the recorded build')
      ? [
          "the build's processes stopped",
          'the target dir put back as cargo left it',
          'temp files removed',
        ]
      : []),
    ...(progress.stage === 'the Nix build' ? ["Nix's processes stopped"] : []),
    ...(sccacheStopped ? ['sccache stopped'] : []),
  ];
  const error = new CancelledError(abortSignalName(signal), progress.stage, cleaned);
  error.summary = renderCancelled(inputs.mode, error, progress.recorded);
  if (existsSync(inputs.metadataDir))
    writeFileSync(join(inputs.metadataDir, 'summary.md'), error.summary);
  return error;
}

async function stages(
  inputs: Inputs,
  ctx: Ctx,
  outputs: PipelineResult['outputs'],
  nix: () => Promise<NodeJS.ProcessEnv>,
  pre: Preflight,
  progress: Progress,
): Promise<PipelineResult> {
  const sections: { title: string; body: string }[] = [];
  enter(ctx, progress, pre.earlier ? "reading the earlier emit's metadata" : 'setting up');
  const rec: Recorded = pre.earlier
    ? await fromEarlierEmit(inputs, ctx, outputs, pre.earlier)
    : await emitStage(
        inputs,
        ctx,
        outputs,
        nix,
        { spec: pre.spec!, command: pre.command },
        progress,
      );
  sections.push(...rec.sections);
  Object.assign(outputs, {
    invocations: String(rec.records.length),
    steps: String(rec.plan.steps.length),
    plan: join(inputs.metadataDir, 'plan.json'),
  });
  let failure = rec.failure;
  sections.push(criticalPathSection(rec.plan), crateGraphSection(rec.plan));
  if (inputs.mode !== 'emit' && !failure) {
    const built = await buildStage(inputs, ctx, rec, outputs, await nix(), progress);
    failure = built.failure;
    sections.push({ title: 'Nix build', body: built.section });
  }
  enter(ctx, progress, 'writing the summary');
  // Nix's and the build's own words (a failed step's log) may quote anything.
  if (failure) failure = ctx.redactor.scrub(failure);
  const summary = ctx.redactor.scrub(
    renderSummary({
      mode: inputs.mode,
      records: rec.records,
      plan: rec.plan,
      failure,
      emitMs: rec.emitMs,
      sections,
    }),
  );
  writeFileSync(join(inputs.metadataDir, 'summary.md'), summary);
  // Handed over: from here the host stops it (the action's post step, the CLI at its end).
  progress.sccache = null;
  return { outputs, summary, failure, plan: rec.plan, records: rec.records, sccache: rec.sccache };
}
