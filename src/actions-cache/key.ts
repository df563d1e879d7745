// Cache keys for the Actions cache. Pure: every input is passed in.
//
//   <prefix>-<name>-<os>-<arch>-<system>-<toolchain digest>-<inputs digest>
//
// The toolchain digest gets its own segment so that the first fallback (same
// toolchain, other Cargo.lock/config/env) is the useful one: sccache entries
// and Nix outputs made by another rustc never hit. os, arch and the Nix system
// are spelled out so matrix legs can never share a key or a fallback.
import { createHash } from 'node:crypto';
import { isSecretName } from '../util/secrets.js';

/** Bumped when what goes into the digests changes, so old entries stop matching. */
const KEY_FORMAT = 'rbn-cache-key-1';

export interface ToolchainIdentity {
  /** `rustc -vV` output, verbatim. */
  rustcVersion: string;
  /** Nix store path of the toolchain, or `system` plus the rustc path for `toolchain: system`. */
  storePath: string;
}

export interface CargoLock {
  /** Path relative to the source dir, `/`-separated. */
  path: string;
  content: string;
}

export interface KeyInputs {
  /** The `cache-key-prefix` input. */
  prefix: string;
  /** Which cache: `sccache`, `nix-binary-cache`. */
  name: string;
  /** Runner OS and arch as GitHub spells them (`Linux`, `X64`); see runnerPlatform. */
  os: string;
  arch: string;
  /** Nix system, e.g. `x86_64-linux`. */
  system: string;
  toolchain: ToolchainIdentity;
  cargoLocks: readonly CargoLock[];
  /** The bootstrap config.toml that the build uses. */
  config: string;
  /** The build environment; only the variables that change compiles are used (compileEnv). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface CacheKeys {
  key: string;
  /** Most specific first: same toolchain, then same platform. */
  restoreKeys: string[];
}

// Variables that change what rustc, cargo or a build script's C compiler produce.
const COMPILE_ENV_NAMES = new Set([
  'RUSTFLAGS',
  'RUSTDOCFLAGS',
  'CARGO_ENCODED_RUSTFLAGS',
  'CARGO_ENCODED_RUSTDOCFLAGS',
  'RUSTC_BOOTSTRAP',
  'CARGO_INCREMENTAL',
  'CC',
  'CXX',
  'AR',
  'LD',
  'RANLIB',
  'CFLAGS',
  'CXXFLAGS',
  'CPPFLAGS',
  'LDFLAGS',
  'MACOSX_DEPLOYMENT_TARGET',
]);
// cc-rs reads per-target variants (CC_x86_64_unknown_linux_gnu, TARGET_CC, HOST_CFLAGS...).
const COMPILE_ENV_PREFIXES = [
  'CARGO_PROFILE_',
  'CARGO_BUILD_',
  'CARGO_TARGET_',
  'CC_',
  'CXX_',
  'AR_',
  'CFLAGS_',
  'CXXFLAGS_',
  'TARGET_',
  'HOST_',
];
// Paths change no compile output; secrets (secrets.ts's names) must never be hashed into a public key.
const NOT_COMPILE_ENV = /^CARGO_TARGET_DIR$|^CARGO_BUILD_TARGET_DIR$/;

/** The variables of `env` that change compiles, sorted by name. */
export function compileEnv(env: Readonly<Record<string, string | undefined>>): [string, string][] {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => {
      const [name, value] = entry;
      if (value === undefined || NOT_COMPILE_ENV.test(name) || isSecretName(name)) return false;
      return COMPILE_ENV_NAMES.has(name) || COMPILE_ENV_PREFIXES.some((p) => name.startsWith(p));
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function digest(parts: unknown, length: number): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, length);
}

/** Digest of the toolchain alone (the second-to-last key segment). */
export function toolchainDigest(t: ToolchainIdentity): string {
  return digest([KEY_FORMAT, t.rustcVersion.trim(), t.storePath], 12);
}

/** Digest of everything else that changes compiles (the last key segment). */
export function inputsDigest(i: Pick<KeyInputs, 'cargoLocks' | 'config' | 'env'>): string {
  const locks = [...i.cargoLocks]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((l) => [l.path, l.content]);
  return digest([KEY_FORMAT, locks, i.config, compileEnv(i.env)], 16);
}

// Keys may not hold commas (the cache client rejects them); whitespace only hurts readability.
function segment(s: string): string {
  return s.trim().replace(/[,\s]+/g, '_');
}

export function cacheKeys(i: KeyInputs): CacheKeys {
  const platform = [i.prefix, i.name, i.os, i.arch, i.system].map(segment).join('-');
  const withToolchain = `${platform}-${toolchainDigest(i.toolchain)}`;
  return {
    key: `${withToolchain}-${inputsDigest(i)}`,
    // The trailing dash stops `...-x86_64-linux-` from matching `...-x86_64-linux2-...`.
    restoreKeys: [`${withToolchain}-`, `${platform}-`],
  };
}

const RUNNER_OS: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };
const RUNNER_ARCH: Record<string, string> = { x64: 'X64', arm64: 'ARM64', arm: 'ARM', ia32: 'X86' };

/** `runner.os` and `runner.arch`: from the runner's variables, else derived the way the runner names them. */
export function runnerPlatform(
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
  arch: string,
): { os: string; arch: string } {
  return {
    os: env.RUNNER_OS || RUNNER_OS[platform] || platform,
    arch: env.RUNNER_ARCH || RUNNER_ARCH[arch] || arch,
  };
}
