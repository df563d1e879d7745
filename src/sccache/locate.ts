// Finds the sccache binary: a path given by the toolchain stage (nixpkgs'
// sccache), else the one on PATH (`toolchain: system`).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { whichIn } from '../util/which.js';

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const FIX =
  'install sccache (nixpkgs `sccache`, or e.g. `apt-get install sccache`) so that it is on PATH, or set the `sccache` input to false';

/**
 * The absolute path of sccache. `given` is a path (absolute, or relative to
 * the cwd) or a bare name looked up on PATH; null looks up `sccache`.
 * Throws naming the `sccache` input and the fix when there is none.
 */
export async function locateSccache(
  given: string | null = null,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  const name = given ?? 'sccache';
  if (name.includes('/')) {
    const path = isAbsolute(name) ? name : resolve(name);
    if (await isExecutable(path)) return path;
    throw new Error(`sccache: ${path} is not an executable file; ${FIX}`);
  }
  const onPath = whichIn(name, env);
  if (onPath) return onPath;
  throw new Error(
    `sccache: the \`sccache\` input is true but no \`${name}\` was found on PATH; ${FIX}`,
  );
}
