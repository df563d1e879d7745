import { InputError } from '../inputs.js';
import type { Log } from '../log.js';
import type { Inputs } from '../types.js';
import { nixFlakeDir } from '../util/assets-dir.js';
import { runChecked } from '../util/process.js';
import { runnerDirs } from '../util/runner-temp.js';
import { type ResolvedToolchain, resolveSystemToolchain, resolveToolchain } from './resolve.js';
import {
  type FlakeSpec,
  flakeSpec,
  parseToolchain,
  ToolchainInputError,
  type ToolchainSpec,
} from './spec.js';

export function parseToolchainInput(inputs: Inputs, log: Log): ToolchainSpec {
  try {
    const spec = parseToolchain(inputs.toolchain, {
      sourceDir: inputs.sourceDir,
      targets: inputs.targets,
      components: inputs.components,
    });
    for (const w of spec.warnings) log.warning(w);
    return spec;
  } catch (e) {
    if (e instanceof ToolchainInputError) throw new InputError('toolchain', e.message);
    throw e;
  }
}

/** rust-overlay checks a Nix toolchain's targets; a system rustc is asked which it knows. */
async function checkTargetsKnown(
  toolchain: ResolvedToolchain,
  targets: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (targets.length === 0) return;
  const known = new Set(
    (await runChecked(toolchain.rustc, ['--print', 'target-list'], { env })).stdout.split('\n'),
  );
  const unknown = targets.filter((t) => !known.has(t));
  if (unknown.length > 0)
    throw new InputError(
      'targets',
      `${unknown.map((t) => `'${t}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the targets rustc ${toolchain.version} knows (rustc --print target-list); check the spelling.`,
    );
}

/** The spec the generated flake hands the nix/ flake, so online steps use the same toolchain. */
export function specForFlake(spec: ToolchainSpec): { spec: FlakeSpec; file: string | null } | null {
  if (spec.kind !== 'nix') return null;
  const file = spec.origin === 'file' && spec.file ? spec.file : null;
  return { spec: flakeSpec(spec, file ? 'rust-toolchain-file' : undefined), file };
}

export async function realiseToolchain(
  spec: ToolchainSpec,
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  log: Log,
  signal?: AbortSignal,
): Promise<ResolvedToolchain> {
  if (spec.kind === 'system') {
    let system: ResolvedToolchain;
    try {
      system = await resolveSystemToolchain({ env, cwd: inputs.sourceDir });
    } catch (e) {
      throw new InputError(
        'toolchain',
        `'system' needs rustc and cargo on PATH (${(e as Error).message}); install Rust on the runner or choose a toolchain such as 'stable'.`,
      );
    }
    await checkTargetsKnown(system, inputs.targets, env);
    return system;
  }
  return log.group(`Toolchain: ${spec.channel ?? spec.origin} through rust-overlay`, async () => {
    try {
      return await resolveToolchain(spec, {
        nixFlakeDir: nixFlakeDir(),
        workDir: runnerDirs.toolchainFlake(env),
        gcRootDir: runnerDirs.gcRoots(env),
        env,
        cwd: inputs.sourceDir,
        signal,
      });
    } catch (e) {
      // Say which input asked for it: the Nix message alone names only a flake path.
      throw new Error(
        `toolchain '${inputs.toolchain}' could not be realised: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  });
}
