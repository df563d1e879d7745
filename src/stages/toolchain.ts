// Which rustc and cargo the build uses. `system` resolves the binaries on
// PATH to the real ones in their sysroot (rustup's proxies would otherwise
// stand in the records); Nix-resolved toolchains arrive through nix/.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../inputs.js';
import type { Plan } from '../types.js';

type PlanToolchain = Plan['toolchain'];

export interface ResolvedToolchain extends PlanToolchain {
  /** A Nix store path, or 'system'. */
  toolchain: string;
}

function capture(program: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(program, args, {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function resolveSystemToolchain(env: NodeJS.ProcessEnv): ResolvedToolchain {
  let sysroot: string;
  try {
    sysroot = capture('rustc', ['--print', 'sysroot'], env);
  } catch {
    throw new InputError(
      'toolchain',
      "'system' needs rustc on PATH, and none was found; install Rust on the runner or choose a toolchain such as 'stable'.",
    );
  }
  const rustc = join(sysroot, 'bin', 'rustc');
  const cargoInSysroot = join(sysroot, 'bin', 'cargo');
  let cargo = cargoInSysroot;
  if (!existsSync(cargoInSysroot)) {
    try {
      cargo = capture('sh', ['-c', 'command -v cargo'], env);
    } catch {
      throw new InputError(
        'toolchain',
        "'system' needs cargo on PATH, and none was found; install cargo or choose a toolchain such as 'stable'.",
      );
    }
  }
  const version = capture(rustc, ['-vV'], env);
  return { toolchain: 'system', rustc, cargo, sysroot, version };
}
