// The pipeline, the same for the action and the CLI: toolchain, config.toml,
// emit, then build, then the report. Each stage lives in its own module;
// this file only sequences them and gathers outputs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeConfig } from './config-toml.js';
import { emit } from './emit/index.js';
import { defaultCommand, InputError } from './inputs.js';
import type { Log } from './log.js';
import { nixBuild } from './nix/build.js';
import { generateFlake } from './nix/generate.js';
import { offlineTools } from './nix/tools.js';
import { Redactor, secretValuesOf } from './secrets.js';
import { cargoTargetDir, xpyBuildDir } from './stages/target-dirs.js';
import { formatMs, renderSummary } from './summary.js';
import {
  addSysrootToStore,
  type ResolvedToolchain,
  resolveSystemToolchain,
} from './toolchain/resolve.js';
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
}

export interface PipelineResult {
  outputs: Partial<Record<OutputName, string>>;
  summary: string;
  failure: string | null;
}

async function resolveToolchain(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
): Promise<ResolvedToolchain> {
  if (inputs.toolchain !== 'system') {
    throw new InputError(
      'toolchain',
      `'${inputs.toolchain ?? '(auto)'}' needs the Nix-resolved toolchains, which this version does not have yet; use 'system' (rustc and cargo on PATH).`,
    );
  }
  try {
    return await resolveSystemToolchain({ env, cwd: inputs.sourceDir });
  } catch (e) {
    throw new InputError(
      'toolchain',
      `'system' needs rustc and cargo on PATH (${(e as Error).message}); install Rust on the runner or choose a toolchain such as 'stable'.`,
    );
  }
}

function templatePath(inputs: Inputs): string | null {
  if (inputs.configTemplate) return inputs.configTemplate;
  const own = join(inputs.sourceDir, 'config.toml');
  return existsSync(own) ? own : null;
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

/** Every Nix call sees the user's nix-conf lines after whatever NIX_CONFIG already says. */
export function nixEnv(env: NodeJS.ProcessEnv, nixConf: string): NodeJS.ProcessEnv {
  const lines = [env.NIX_CONFIG, nixConf].filter((l) => l?.trim()).join('\n');
  return lines ? { ...env, NIX_CONFIG: lines } : { ...env };
}

interface Recorded {
  records: InvocationRecord[];
  plan: Plan;
  failure: string | null;
  emitMs: number;
}

async function emitStage(
  inputs: Inputs,
  ctx: PipelineContext,
  outputs: PipelineResult['outputs'],
): Promise<Recorded> {
  const { log, env } = ctx;
  const secretValues = secretValuesOf(env, inputs.githubToken);
  // Everything that can fail on a bad input happens before the first write.
  const toolchain = await resolveToolchain(inputs, env);
  const config = composeConfig({
    templatePath: templatePath(inputs),
    rustc: toolchain.rustc,
    cargo: toolchain.cargo,
    inline: inputs.config,
  });
  const command = inputs.command ?? defaultCommand(inputs.sourceDir);

  mkdirSync(inputs.metadataDir, { recursive: true });
  for (const w of config.warnings) log.warning(w);
  const configPath = join(inputs.metadataDir, 'config.toml');
  writeFileSync(configPath, config.toml);
  Object.assign(outputs, {
    'config-toml': configPath,
    rustc: toolchain.rustc,
    cargo: toolchain.cargo,
    toolchain: toolchain.toolchain,
  });

  const isXpy = existsSync(join(inputs.sourceDir, 'x.py'));
  const targetDirs = isXpy
    ? [xpyBuildDir(inputs.sourceDir, config.toml)]
    : [cargoTargetDir(toolchain.cargo, inputs.sourceDir, env)];
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
        sysroot: toolchain.sysroot,
        version: toolchain.version,
      },
      baseEnv: env,
      extraEnv: { RUST_BOOTSTRAP_CONFIG: configPath },
      nextWrapper: null,
      redactor: new Redactor(secretValues),
      secretValues,
      output: ctx.output,
    },
    log,
  );
  const emitMs = Date.now() - started;
  log.info(
    `Recorded ${result.records.length} invocations: ${result.plan.steps.length} plan steps, ${result.records.filter((r) => r.probe).length} probes.`,
  );
  return { records: result.records, plan: result.plan, failure: result.failure, emitMs };
}

async function buildStage(
  inputs: Inputs,
  ctx: PipelineContext,
  rec: Recorded,
  outputs: PipelineResult['outputs'],
): Promise<{ failure: string | null; section: string }> {
  const { log } = ctx;
  const env = nixEnv(ctx.env, inputs.nixConf);
  const gcRoots = join(ctx.env.RUNNER_TEMP || tmpdir(), 'rust-bootstrap-nix-gcroots');
  // Nix build users cannot read a toolchain under /root: give them a copy in the store.
  const sysroot = rec.plan.toolchain.sysroot;
  const storeToolchain = sysroot.startsWith('/nix/store/')
    ? sysroot
    : (
        await log.group('Adding the system toolchain to the Nix store', () =>
          addSysrootToStore(sysroot, { gcRootDir: gcRoots, env, name: 'rust-toolchain-system' }),
        )
      ).storePath;
  const flakeDir = join(inputs.metadataDir, 'flake');
  const generated = generateFlake({
    plan: rec.plan,
    records: rec.records,
    flakeDir,
    tools: offlineTools(storeToolchain),
  });
  log.info(`Generated ${flakeDir}: ${generated.steps} steps, ${generated.sources} source files.`);
  outputs.flake = flakeDir;
  const built = await nixBuild(
    { flakeDir, outLink: join(gcRoots, 'result'), env, steps: rec.plan.steps },
    log,
  );
  outputs['out-paths'] = built.outPaths.join(' ');
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
  const outputs: PipelineResult['outputs'] = { 'metadata-dir': inputs.metadataDir };
  const sections: { title: string; body: string }[] = [];
  const rec: Recorded =
    inputs.mode === 'build'
      ? { ...readMetadata(inputs.metadataDir), failure: null, emitMs: 0 }
      : await emitStage(inputs, ctx, outputs);
  Object.assign(outputs, {
    invocations: String(rec.records.length),
    steps: String(rec.plan.steps.length),
    plan: join(inputs.metadataDir, 'plan.json'),
  });
  let failure = rec.failure;
  if (inputs.mode !== 'emit' && !failure) {
    const built = await buildStage(inputs, ctx, rec, outputs);
    failure = built.failure;
    sections.push({ title: 'Nix build', body: built.section });
  }
  const summary = renderSummary({
    mode: inputs.mode,
    records: rec.records,
    plan: rec.plan,
    failure,
    emitMs: rec.emitMs,
    sections,
  });
  writeFileSync(join(inputs.metadataDir, 'summary.md'), summary);
  return { outputs, summary, failure };
}
