// Files that never become a source, in any mode, whoever names them (a
// build script's rerun-if-changed, a dep-info line, an edited plan.json):
// git's metadata (actions/checkout leaves the job's token in .git/config),
// credential files and directories, and the runner's and this action's own
// files under RUNNER_TEMP. A source is copied into the flake, the Nix store
// (world-readable), the metadata artifact, the lattice branch and the binary
// cache: none of these may carry one of them.
import { realpathSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { under } from '../plan/roots.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Files that hold a credential by their name alone, wherever they are. */
const CREDENTIAL_FILES = new Set([
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.pgpass',
  // cargo's registry tokens ($CARGO_HOME/credentials(.toml)).
  'credentials',
  'credentials.toml',
]);
/** Directories that hold credentials wherever they are. */
const CREDENTIAL_DIRS = new Set(['.git', '.ssh', '.gnupg']);
/** Directories of the home directory that hold credentials. */
const HOME_CREDENTIAL_DIRS = ['.docker', '.aws', '.kube', '.config/gh', '.config/git'];

export interface ForbiddenContext {
  home: string | null;
  /** RUNNER_TEMP when on a runner: its `_*` directories are the runner's, `rbn-secret-*` ours. */
  runnerTemp: string | null;
}

export function forbiddenContext(env: Env): ForbiddenContext {
  return { home: env.HOME || null, runnerTemp: env.RUNNER_TEMP || null };
}

/** Why `path` (as named) may never be a source, or null. */
function forbiddenByName(path: string, ctx: ForbiddenContext): string | null {
  const segments = path.split('/').filter(Boolean);
  const dir = segments.slice(0, -1).find((s) => CREDENTIAL_DIRS.has(s));
  if (dir === '.git' || basename(path) === '.git')
    return "it is git metadata (.git/), which holds the checkout's credentials";
  if (dir) return `it lies in ${dir}/, a directory of credentials`;
  if (CREDENTIAL_FILES.has(basename(path))) return 'it is a credential file';
  if (ctx.home) {
    const home = ctx.home;
    const d = HOME_CREDENTIAL_DIRS.find((c) => under(path, join(home, c)));
    if (d) return `it lies in ~/${d}, a directory of credentials`;
  }
  if (ctx.runnerTemp && under(path, ctx.runnerTemp)) {
    const first = relative(ctx.runnerTemp, path).split(sep)[0] ?? '';
    if (first.startsWith('_')) return "it is one of the runner's own files (RUNNER_TEMP/_*)";
    if (first.startsWith('rbn-secret-') || first.startsWith('rbn-records-'))
      return "it is one of this action's private files under RUNNER_TEMP";
  }
  return null;
}

/** Why `path` may never be a source (by its name, or by what a symlink makes of it), or null. */
export function forbiddenSource(path: string, ctx: ForbiddenContext): string | null {
  const named = forbiddenByName(path, ctx);
  if (named) return named;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null; // gone: nothing of the host is read for it
  }
  const resolved = real === path ? null : forbiddenByName(real, ctx);
  return resolved ? `it is a symlink to ${real}: ${resolved}` : null;
}
