// The one set of tools generated steps run with. Offline (`toolchain:
// system`): the host's bash, coreutils and cc, bound into the sandbox at
// their own paths (`sandboxPaths`), and the system toolchain: its store copy
// as an input of every step (string context), or in place where every user
// can run it (Debian's /usr). Online: the pinned nixpkgs' tools and the
// rust-overlay toolchain from the action's nix/ flake, all store inputs.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { HOST_TOOL_DIRS } from '../plan/host-files.js';
import { under } from '../plan/roots.js';
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
  /** Host directories the steps run programs from, bound into the sandbox (`extra-sandbox-paths`); none online. */
  sandboxPaths: string[];
}

/**
 * The host tool directories this machine has (plan/host-files.ts), and a
 * toolchain root (null: in the store) they do not hold. Never /usr/share,
 * /usr/local, /home or /tmp: a step that reads a crate registry, a user's
 * files or the tree there without declaring it fails.
 */
export function hostSandboxPaths(toolchain: string | null): string[] {
  const dirs: string[] = HOST_TOOL_DIRS.filter((d) => existsSync(d));
  const covered = (p: string) => dirs.some((d) => under(p, d));
  // Debian's /usr toolchain is its bin/ and lib/, both bound already.
  if (toolchain === null || (covered(`${toolchain}/bin`) && covered(`${toolchain}/lib`)))
    return dirs;
  return [...dirs, toolchain];
}

export function offlineTools(
  /** The toolchain's root: its store copy, or a directory every user can run it from. */
  toolchain: string,
  system: string = currentNixSystem(),
): NixTools {
  const inStore = toolchain.startsWith('/nix/store/');
  // A store path with its context is an input of each step: the sandbox
  // mounts it, `nix copy` and remote builders take it along.
  const ref = inStore
    ? `builtins.appendContext ${nixString(toolchain)} { ${nixString(toolchain)} = { path = true; }; }`
    : nixString(toolchain);
  return {
    system,
    inputs: {},
    expr: `{ bash = "/bin/bash"; path = "/usr/bin:/bin"; toolchain = ${ref}; extraAttrs = { }; }`,
    files: {},
    sandboxPaths: hostSandboxPaths(inStore ? null : toolchain),
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
    sandboxPaths: [],
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
