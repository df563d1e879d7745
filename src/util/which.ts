// Finding programs: PATH lookup against a given environment (a stage's,
// not necessarily this process's), and whether a path is one that runs.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The first executable `tool` on env.PATH (not process.env's, so callers can pass their own). */
export function whichIn(tool: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const p = path.join(dir, tool);
    if (isExecutableFile(p)) return p;
  }
  return null;
}

/** Whether this process may access `p` so (constants.X_OK, W_OK, ...). */
export function mayAccess(p: string, mode: number): boolean {
  try {
    accessSync(p, mode);
    return true;
  } catch {
    return false;
  }
}

export function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
