// The one set of tools generated steps run with. Offline (`toolchain:
// system`): the host's bash, coreutils and cc, and the system toolchain
// added to the store (build users cannot read it where rustup put it).
// Online: the pinned nixpkgs' tools and a rust-overlay toolchain from nix/.
import { nixString } from './escape.js';

export interface NixTools {
  system: string;
  /** Flake inputs the tools come from (name -> flake URL); none offline. */
  inputs: Record<string, string>;
  /** A Nix expression, with the inputs and `system` in scope, giving { bash; path; toolchain; extraAttrs; }. */
  expr: string;
}

export function nixSystem(arch: string = process.arch): string {
  const cpu = arch === 'arm64' ? 'aarch64' : arch === 'x64' ? 'x86_64' : arch;
  return `${cpu}-linux`;
}

export function offlineTools(toolchainStorePath: string, system = nixSystem()): NixTools {
  return {
    system,
    inputs: {},
    expr: `{ bash = "/bin/bash"; path = "/usr/bin:/bin"; toolchain = ${nixString(toolchainStorePath)}; extraAttrs = { }; }`,
  };
}
