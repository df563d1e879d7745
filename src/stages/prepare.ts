// The prepare stage: the toolchain realised (Nix or the system's), the
// bootstrap config.toml composed from the template, the toolchain, what an
// x.py tree needs and the inline config, and written to metadata-dir, the
// run's first write. Its result names everything the record stage runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cargoTargetDir, xpyBuildDir } from '../emit/target-dirs.js';
import { InputError } from '../inputs.js';
import { writeConfigToml } from '../metadata/dir.js';
import { enter, type StageContext } from '../pipeline/context.js';
import { composeConfig, readTemplate, type Table } from '../toolchain/config-toml.js';
import { realiseToolchain, specForFlake } from '../toolchain/realise.js';
import type { ResolvedToolchain } from '../toolchain/resolve.js';
import type { ToolchainSpec } from '../toolchain/spec.js';
import { inspectRustTree, isRustTree, XpyConfigError, xpyConfig } from '../toolchain/xpy.js';
import type { Inputs, Plan } from '../types.js';
import type { FreshRun } from './preflight.js';

export interface Prepared {
  spec: ToolchainSpec;
  command: string[];
  toolchain: ResolvedToolchain;
  /** What plan.json records of it (with the nix/ flake's spec for a Nix toolchain). */
  planToolchain: Plan['toolchain'];
  configToml: string;
  configPath: string;
  /** A rust-lang/rust checkout (x.py) rather than a cargo workspace. */
  rustTree: boolean;
  targetDirs: string[];
}

/** The config-template input, else the file x.py itself would read: bootstrap.toml, then config.toml. */
function templatePath(inputs: Inputs): string | null {
  if (inputs.configTemplate) return inputs.configTemplate;
  const own = ['bootstrap.toml', 'config.toml'].map((f) => join(inputs.sourceDir, f));
  return own.find((p) => existsSync(p)) ?? null;
}

/** What an x.py tree's config needs beyond the template ([build] triples, vendor, change-id). */
function xpyExtra(
  inputs: Inputs,
  toolchain: ResolvedToolchain,
  template: Table | null,
): { extra: Table; warnings: string[] } {
  try {
    const xpy = xpyConfig(
      inspectRustTree(inputs.sourceDir),
      toolchain,
      inputs.targets,
      inputs.metadataDir,
      template,
    );
    return { extra: xpy.config as unknown as Table, warnings: xpy.warnings };
  } catch (e) {
    if (e instanceof XpyConfigError)
      throw new InputError(inputs.toolchain === null ? 'source-dir' : 'toolchain', e.message);
    throw e;
  }
}

export async function prepare(
  inputs: Inputs,
  pre: FreshRun,
  ctx: StageContext,
  nix: () => Promise<NodeJS.ProcessEnv>,
): Promise<Prepared> {
  const { log, env } = ctx;
  const { spec } = pre;
  const template = templatePath(inputs);
  const parsed = template ? readTemplate(template) : null;
  enter(ctx, 'resolving the toolchain');
  const toolchain = await realiseToolchain(
    spec,
    inputs,
    spec.kind === 'nix' ? await nix() : env,
    log,
    ctx.signal,
  );
  const rustTree = isRustTree(inputs.sourceDir);
  const xpy = rustTree ? xpyExtra(inputs, toolchain, parsed?.table ?? null) : null;
  const configToml = composeConfig({
    template: parsed?.table ?? null,
    rustc: toolchain.rustc,
    cargo: toolchain.cargo,
    extra: xpy?.extra,
    inline: inputs.config,
  });
  // Everything that can fail on a bad input has happened: the first write.
  for (const w of [...(parsed?.warnings ?? []), ...(xpy?.warnings ?? [])]) log.warning(w);
  const configPath = writeConfigToml(inputs.metadataDir, configToml);
  const forFlake = specForFlake(spec);
  return {
    spec,
    command: pre.command,
    toolchain,
    planToolchain: {
      rustc: toolchain.rustc,
      cargo: toolchain.cargo,
      // A Nix toolchain's recorded paths fall under its store path, which the flake names with context.
      sysroot: toolchain.sysroot,
      version: toolchain.version,
      ...(forFlake
        ? {
            nix_spec: {
              spec: forFlake.spec,
              file: forFlake.file,
            },
          }
        : {}),
    },
    configToml,
    configPath,
    rustTree,
    targetDirs: rustTree
      ? [xpyBuildDir(inputs.sourceDir, configToml)]
      : [cargoTargetDir(toolchain.cargo, inputs.sourceDir, env)],
  };
}
