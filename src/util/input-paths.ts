// The path inputs checked the way the run will use them, without writing
// anything: a directory to read, a file to read, a directory to write.
// Each check returns why the path will not do (a sentence for the user,
// never a raw errno), or null.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';

// Kernel file systems: writing there does not store files (and a recursive
// mkdir under /proc spins forever).
const VIRTUAL = ['/proc', '/sys', '/dev'];
const VIRTUAL_OK = ['/dev/shm'];

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Whether `inner` is `outer` or lies inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
}

function statOf(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function can(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Why `path` is not a directory this user can read, or null. */
export function readableDirProblem(path: string): string | null {
  const st = statOf(path);
  if (!st) return 'does not exist';
  if (!st.isDirectory()) return 'is a file, not a directory';
  if (!can(path, constants.R_OK | constants.X_OK)) return 'cannot be read by this user';
  return null;
}

/** Why `path` is not a file this user can read, or null. */
export function readableFileProblem(path: string): string | null {
  const st = statOf(path);
  if (!st) return 'does not exist';
  if (st.isDirectory()) return 'is a directory, not a file';
  if (!st.isFile()) return 'is not a regular file';
  if (!can(path, constants.R_OK)) return 'cannot be read by this user';
  return null;
}

/**
 * Why a directory cannot be made (or written) at `path`, or null: the path
 * or the nearest part of it that exists decides.
 */
export function writableDirProblem(path: string): string | null {
  let existing = path;
  while (!statOf(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realOrSelf(existing);
  if (VIRTUAL.some((d) => isUnder(real, d)) && !VIRTUAL_OK.some((d) => isUnder(real, d)))
    return `is on the kernel's ${VIRTUAL.find((d) => isUnder(real, d))} file system, which cannot hold files`;
  const st = statOf(existing);
  if (!st) return 'has no existing parent directory';
  if (!st.isDirectory())
    return existing === path ? 'is a file, not a directory' : `lies under ${existing}, a file`;
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const where = existing === path ? '' : ` (its parent ${existing})`;
    return code === 'EROFS'
      ? `is on a read-only file system${where}`
      : `is not writable by this user${where}`;
  }
  return null;
}
