// The one set of tools generated steps run with. Offline (`toolchain:
// system`): the host's bash, coreutils and cc, and the system toolchain
// added to the store (build users cannot read it where rustup put it).
// Online: the pinned nixpkgs' tools and the rust-overlay toolchain from the
// action's nix/ flake, with string context, so steps build in the sandbox.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FlakeSpec } from '../toolchain/spec.js';
import { currentNixSystem, pathRef } from './cli.js';
import { nixString } from './escape.js';

export interface NixTools {
  system: string;
  /** Flake inputs the tools come from (name -> flake URL); none offline. */
  inputs: Record<string, string>;
  /** A Nix expression, with the inputs and `system` in scope, giving { bash; path; toolchain; extraAttrs; }. */
  expr: string;
  /** Files the expression reads, written next to flake.nix (name -> content). */
  files: Record<string, string>;
}

export function offlineTools(
  toolchainStorePath: string,
  system: string = currentNixSystem(),
): NixTools {
  return {
    system,
    inputs: {},
    expr: `{ bash = "/bin/bash"; path = "/usr/bin:/bin"; toolchain = ${nixString(toolchainStorePath)}; extraAttrs = { }; }`,
    files: {},
  };
}

/** Tools from the action's nix/ flake: `lib.onlineEnvFor` with the same spec the toolchain was resolved from. */
export function onlineTools(
  nixFlakeDir: string,
  spec: FlakeSpec,
  toolchainFile: string | null,
  system: string = currentNixSystem(),
): NixTools {
  const files: Record<string, string> = {
    'toolchain-spec.json': `${JSON.stringify(spec, null, 2)}\n`,
  };
  if (toolchainFile && spec.toolchainFile)
    files[spec.toolchainFile] = readFileSync(toolchainFile, 'utf8');
  return {
    system,
    inputs: { [ONLINE_INPUT]: pathRef(nixFlakeDir) },
    expr: ONLINE_EXPR,
    files,
  };
}

/** The name the online expression knows the action's nix/ flake by. */
export const ONLINE_INPUT = 'rust-bootstrap-nix';

/** The online tools: `lib.onlineEnvFor` of the nix/ flake, with the spec in toolchain-spec.json. */
export const ONLINE_EXPR = `let
        raw = builtins.fromJSON (builtins.readFile ./toolchain-spec.json);
        spec = raw // (if raw ? toolchainFile then { toolchainFile = ./. + "/\${raw.toolchainFile}"; } else { });
        env = ${ONLINE_INPUT}.lib.onlineEnvFor { inherit system spec; };
      in { bash = env.shell; path = env.path; toolchain = "\${env.toolchain}"; extraAttrs = { }; }`;

/** Whether any user (a Nix build user) can run `file`: it and every directory above it are open to others. */
export function usableByAll(file: string): boolean {
  try {
    if ((statSync(file).mode & 0o005) !== 0o005) return false;
    for (let d = dirname(file); ; d = dirname(d)) {
      if ((statSync(d).mode & 0o001) === 0) return false;
      if (d === dirname(d)) return true;
    }
  } catch {
    return false;
  }
}
