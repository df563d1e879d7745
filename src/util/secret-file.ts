// A secret handed to a program as a file (Nix reads its signing key and ssh
// its identity from files): written 0600 in a fresh 0700 directory under
// RUNNER_TEMP, never anywhere the product writes its results, and removed
// by whoever asked for it (right after the push; the post step for the
// builders' SSH key).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runnerDirs } from './runner-temp.js';

export interface SecretFile {
  path: string;
  /** Its private directory (removing it removes the file). */
  dir: string;
}

export function writeSecretFile(env: NodeJS.ProcessEnv, name: string, content: string): SecretFile {
  const dir = mkdtempSync(runnerDirs.secretPrefix(env)); // 0700
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  return { path, dir };
}

export function removeSecretFile(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `fn` with the secret in a file that is gone when it returns or throws. */
export async function withSecretFile<T>(
  env: NodeJS.ProcessEnv,
  name: string,
  content: string,
  fn: (path: string) => Promise<T>,
): Promise<T> {
  const file = writeSecretFile(env, name, content);
  try {
    return await fn(file.path);
  } finally {
    removeSecretFile(file.dir);
  }
}
