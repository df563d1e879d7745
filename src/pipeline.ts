// The pipeline, the same for the action and the CLI: toolchain, config.toml,
// emit, then build, then the report. Each stage lives in its own module;
// this file only sequences them and gathers outputs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeConfig } from './config-toml.js';
import { emit } from './emit/index.js';
import { defaultCommand, InputError } from './inputs.js';
import type { Log } from './log.js';
import { Redactor, secretValuesOf } from './secrets.js';
import { cargoTargetDir, xpyBuildDir } from './stages/target-dirs.js';
import { type ResolvedToolchain, resolveSystemToolchain } from './stages/toolchain.js';
import { renderSummary } from './summary.js';
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

function resolveToolchain(inputs: Inputs, env: NodeJS.ProcessEnv): ResolvedToolchain {
  if (inputs.toolchain === 'system') return resolveSystemToolchain(env);
  throw new InputError(
    'toolchain',
    `'${inputs.toolchain ?? '(auto)'}' needs the Nix-resolved toolchains, which this version does not have yet; use 'system' (rustc and cargo on PATH).`,
  );
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

export async function runPipeline(inputs: Inputs, ctx: PipelineContext): Promise<PipelineResult> {
  const { log, env } = ctx;
  const secretValues = secretValuesOf(env, inputs.githubToken);
  const redactor = new Redactor(secretValues);
  const outputs: PipelineResult['outputs'] = { 'metadata-dir': inputs.metadataDir };
  const sections: { title: string; body: string }[] = [];

  // Everything that can fail on a bad input happens before the first write.
  const toolchain = resolveToolchain(inputs, env);
  const isXpy = existsSync(join(inputs.sourceDir, 'x.py'));
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

  let records: InvocationRecord[];
  let plan: Plan;
  let failure: string | null = null;
  let emitMs = 0;
  if (inputs.mode === 'build') {
    ({ records, plan } = readMetadata(inputs.metadataDir));
  } else {
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
        redactor,
        secretValues,
        output: ctx.output,
      },
      log,
    );
    emitMs = Date.now() - started;
    ({ records, plan, failure } = result);
    log.info(
      `Recorded ${records.length} invocations: ${plan.steps.length} plan steps, ${records.filter((r) => r.probe).length} probes.`,
    );
  }
  Object.assign(outputs, {
    invocations: String(records.length),
    steps: String(plan.steps.length),
    plan: join(inputs.metadataDir, 'plan.json'),
  });

  const summary = renderSummary({ mode: inputs.mode, records, plan, failure, emitMs, sections });
  writeFileSync(join(inputs.metadataDir, 'summary.md'), summary);
  return { outputs, summary, failure };
}
