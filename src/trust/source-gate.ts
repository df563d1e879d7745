// The last gate before a file of the host is copied into the flake (and so
// into the world-readable Nix store), in every mode: a path the metadata
// names must be absolute and plain (no `..`), never a forbidden file
// (forbidden-files.ts), and, for metadata this run did not write, inside a
// directory this run allows (allowed-roots.ts); its content must hold no
// secret the records' detector finds.
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import { isHostFile } from '../plan/host-files.js';
import type { Inputs } from '../types.js';
import { allowedRootOf, allowedSourceRoots, type ResolvedRoot } from './allowed-roots.js';
import { type ForbiddenContext, forbiddenContext, forbiddenSource } from './forbidden-files.js';

export interface SourceGateOptions {
  forbidden: ForbiddenContext;
  /** Where sources may lie (mode build); null: the plan's own roots decide (metadata this run wrote). */
  allowed: readonly ResolvedRoot[] | null;
  /** The kind of secret a text holds (the records' detector), or null. */
  secretIn: (text: string) => string | null;
}

/** Why a path as the metadata names it is not a plain absolute path, or null. */
export function unplainPath(path: string): string | null {
  if (!isAbsolute(path)) return 'it is not an absolute path';
  if (path.split('/').includes('..')) return "it climbs out of its directory with '..'";
  if (normalize(path) !== path && `${normalize(path)}/` !== path)
    return "it is not in plain form ('.', '//')";
  return null;
}

export class SourceGate {
  constructor(private readonly opts: SourceGateOptions) {}

  /** What its name alone rules out, for a source and a host file alike: not plain, or a forbidden file. */
  private nameProblem(path: string): string | null {
    return unplainPath(path) ?? forbiddenSource(path, this.opts.forbidden);
  }

  /** Why `path` may not be a source, or null. */
  pathProblem(path: string): string | null {
    const named = this.nameProblem(path);
    if (named) return named;
    if (this.opts.allowed && !allowedRootOf(path, this.opts.allowed))
      return `it lies outside every directory mode build reads from (${this.opts.allowed.map((r) => r.what).join(', ')})${isSymlinkOut(path) ? ', once its symlinks are followed' : ''}`;
    return null;
  }

  /**
   * Why `path` may not be a host file (plan/host-files.ts: pinned by its
   * content's hash, never copied), or null: in plain form, no credential, and
   * in a system directory by its name and by where its symlinks lead.
   */
  hostFileProblem(path: string): string | null {
    const named = this.nameProblem(path);
    if (named) return named;
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      return 'it is gone';
    }
    return isHostFile(path) && isHostFile(real)
      ? null
      : "it lies outside the host's system directories once its symlinks are followed";
  }

  /** Why the file at `file` (the source, or a saved copy of it) may not go into the store: the kind of secret it holds, or null. */
  contentProblem(file: string): string | null {
    const kind = this.opts.secretIn(readFileSync(file, 'latin1'));
    return kind ? `it holds what looks like a secret (${kind}); the value is not shown` : null;
  }
}

function isSymlinkOut(path: string): boolean {
  try {
    return realpathSync(path) !== path;
  } catch {
    return false;
  }
}

/** The gate of a run: mode build confines sources to what this run allows; the other modes generate from metadata they wrote. */
export function sourceGateFor(
  inputs: Pick<Inputs, 'mode' | 'sourceDir'>,
  env: Readonly<Record<string, string | undefined>>,
  secretIn: SourceGateOptions['secretIn'],
): SourceGate {
  return new SourceGate({
    forbidden: forbiddenContext(env),
    allowed: inputs.mode === 'build' ? allowedSourceRoots(inputs.sourceDir, env) : null,
    secretIn,
  });
}
