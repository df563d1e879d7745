// The pipeline, the same for the action and the CLI: toolchain, config.toml,
// emit, then build, then the report. Each stage lives in its own module;
// this file only sequences them and gathers outputs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { nixFlakeDir } from './assets-dir.js';
import { loadCacheState, NIX_CACHE } from './cache/state.js';
import { abortSignalName, CancelledError } from './cancel.js';
import { composeConfig, readTemplate, type Table } from './config-toml.js';
import { emit } from './emit/index.js';
import { recorderDir } from './emit/recorder.js';
import { defaultCommand, InputError } from './inputs.js';
import type { Log } from './log.js';
import { exportBinaryCache, importBinaryCache } from './nix/binary-cache.js';
import { nixBuild } from './nix/build.js';
import { generateFlake } from './nix/generate.js';
import { type NixTools, offlineTools, onlineTools, usableByAll } from './nix/tools.js';
import { ensureNix } from './nix-install/index.js';
import { cacheSection, sccacheSection } from './report/cache-sections.js';
import { crateGraphSection, criticalPathSection } from './report/sections.js';
import { readSccacheStats, type Sccache, sccacheBuildEnv, stopSccache } from './sccache/server.js';
import { secretValuesOf } from './secrets.js';
import {
  nixCacheDir,
  restoreCaches,
  settleNixCacheKey,
  startCompilerCache,
} from './stages/caching.js';
import { cargoTargetDir, xpyBuildDir } from './stages/target-dirs.js';
import { parseToolchainInput, realiseToolchain, specForFlake } from './stages/toolchain.js';
import { formatMs, renderCancelled, renderSummary } from './summary.js';
import { addSysrootToStore, isExecutableFile, whichIn } from './toolchain/resolve.js';
import type { FlakeSpec } from './toolchain/spec.js';
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

export interface PipelineResult {
  outputs: Partial<Record<OutputName, string>>;
  /** The running sccache server: the action's post step stops it, the CLI at its end. */
  sccache: Sccache | null;
  summary: string;
  failure: string | null;
  plan: Plan;
  records: InvocationRecord[];
}

/** Whether the build's program can run: a path (relative to cwd), or a name on PATH or among the recorder's shims. */
function findProgram(program: string, cwd: string, env: NodeJS.ProcessEnv): boolean {
  if (program.includes('/')) return isExecutableFile(resolve(cwd, program));
  return whichIn(program, { PATH: [recorderDir(), env.PATH ?? ''].join(delimiter) }) !== null;
}

/** The config-template input, else the file x.py itself would read: bootstrap.toml, then config.toml. */
function templatePath(inputs: Inputs): string | null {
  if (inputs.configTemplate) return inputs.configTemplate;
  const own = ['bootstrap.toml', 'config.toml'].map((f) => join(inputs.sourceDir, f));
  return own.find((p) => existsSync(p)) ?? null;
}

function readMetadata(dir: string): { records: InvocationRecord[]; plan: Plan } {
  const planPath = join(dir, 'plan.json');
  if (!existsSync(planPath)) {
    throw new InputError(
      'metadata-dir',
      `${dir} holds no plan.json; run with mode 'emit' (or 'emit-then-build') first, or point metadata-dir at an earlier emit.`,
    );
  }
  const records = readFileSync(join(dir, 'invocations.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as InvocationRecord);
  return { records, plan: JSON.parse(readFileSync(planPath, 'utf8')) as Plan };
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
  ctx: PipelineContext,
  outputs: PipelineResult['outputs'],
  nix: () => Promise<NodeJS.ProcessEnv>,
  progress: Progress,
): Promise<Recorded> {
  const { log, env, signal } = ctx;
  const secretValues = secretValuesOf(env, inputs.githubToken);
  // Everything that can fail on a bad input happens before the first write.
  const spec = parseToolchainInput(inputs, log);
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
  const command = inputs.command ?? defaultCommand(inputs.sourceDir);
  if (!findProgram(command[0]!, inputs.sourceDir, env))
    throw new InputError(
      'command',
      `program '${command[0]}' was not found on PATH; install it or give its full path.`,
    );

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
  enter(ctx, progress, `the recorded build (${command.join(' ')})`);
  const sccacheEnv = sccache ? sccacheBuildEnv(sccache) : {};

  const targetDirs = rustTree
    ? [xpyBuildDir(inputs.sourceDir, configToml)]
    : [cargoTargetDir(toolchain.cargo, inputs.sourceDir, env)];
  const forFlake = specForFlake(spec);
  const started = Date.now();
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
      secretValues,
      stablePath: rustTree,
      output: ctx.output,
      ...(signal ? { signal } : {}),
    },
    log,
  );
  progress.recorded = result.records.length;
  const emitMs = Date.now() - started;
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
  ctx: PipelineContext,
  outputs: PipelineResult['outputs'],
): Promise<Recorded> {
  const { records, plan } = readMetadata(inputs.metadataDir);
  const configPath = join(inputs.metadataDir, 'config.toml');
  const configToml = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  const toolchain = plan.toolchain.nix_spec ? plan.toolchain.sysroot : 'system';
  const restored = await restoreCaches({
    inputs: { ...inputs, sccache: false },
    env: ctx.env,
    log: ctx.log,
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
  ctx: PipelineContext,
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
    const key = settleNixCacheKey(rec.nixKeyBase, built.outPaths);
    if (key && loadCacheState(NIX_CACHE, { ownStep: true })?.matchedKey !== key) {
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

export async function runPipeline(inputs: Inputs, ctx: PipelineContext): Promise<PipelineResult> {
  const progress: Progress = { stage: 'starting', sccache: null, recorded: null };
  try {
    return await stages(inputs, ctx, progress);
  } catch (e) {
    // Whatever stopped the run, the sccache server it started does not outlive it (the
    // hosts only stop one they were handed).
    const stopped = progress.sccache !== null;
    if (progress.sccache) await stopSccache(progress.sccache, ctx.log);
    if (!ctx.signal?.aborted) throw e;
    const cleaned = [
      ...(progress.stage.startsWith('the recorded build')
        ? [
            "the build's processes stopped",
            'the target dir put back as cargo left it',
            'temp files removed',
          ]
        : []),
      ...(progress.stage === 'the Nix build' ? ["Nix's processes stopped"] : []),
      ...(stopped ? ['sccache stopped'] : []),
    ];
    const cancelled = new CancelledError(abortSignalName(ctx.signal), progress.stage, cleaned);
    cancelled.summary = renderCancelled(inputs.mode, cancelled, progress.recorded);
    if (existsSync(inputs.metadataDir))
      writeFileSync(join(inputs.metadataDir, 'summary.md'), cancelled.summary);
    throw cancelled;
  }
}

async function stages(
  inputs: Inputs,
  ctx: PipelineContext,
  progress: Progress,
): Promise<PipelineResult> {
  const outputs: PipelineResult['outputs'] = { 'metadata-dir': inputs.metadataDir };
  const sections: { title: string; body: string }[] = [];
  let nixEnv: NodeJS.ProcessEnv | null = null;
  const nix = async (): Promise<NodeJS.ProcessEnv> => {
    nixEnv ??= await nixEnvironment(inputs, ctx);
    ctx.signal?.throwIfAborted();
    return nixEnv;
  };
  enter(
    ctx,
    progress,
    inputs.mode === 'build' ? "reading the earlier emit's metadata" : 'setting up',
  );
  const rec: Recorded =
    inputs.mode === 'build'
      ? await fromEarlierEmit(inputs, ctx, outputs)
      : await emitStage(inputs, ctx, outputs, nix, progress);
  sections.push(...rec.sections);
  Object.assign(outputs, {
    invocations: String(rec.records.length),
    steps: String(rec.plan.steps.length),
    plan: join(inputs.metadataDir, 'plan.json'),
  });
  let failure = rec.failure;
  sections.push(criticalPathSection(rec.plan), crateGraphSection(rec.plan));
  if (inputs.mode !== 'emit' && !failure) {
    enter(ctx, progress, 'setting up Nix');
    const built = await buildStage(inputs, ctx, rec, outputs, await nix(), progress);
    failure = built.failure;
    sections.push({ title: 'Nix build', body: built.section });
  }
  enter(ctx, progress, 'writing the summary');
  const summary = renderSummary({
    mode: inputs.mode,
    records: rec.records,
    plan: rec.plan,
    failure,
    emitMs: rec.emitMs,
    sections,
  });
  writeFileSync(join(inputs.metadataDir, 'summary.md'), summary);
  // Handed over: from here the host stops it (the action's post step, the CLI at its end).
  progress.sccache = null;
  return { outputs, summary, failure, plan: rec.plan, records: rec.records, sccache: rec.sccache };
}
