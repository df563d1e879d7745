// The host's system directories: where an offline build's shell, C compiler,
// linker and system libraries (Debian's LLVM among them) live. The offline
// sandbox binds them at their own paths (nix/tools.ts), so a file there that
// a step reads is a host file: read where it lies, pinned by its content,
// never copied under the build root. Moving it would break programs that
// find their own prefix from where they are (llvm-config names its include
// directory that way).
import type { Plan } from '../types.js';
import { rootOf, under } from './roots.js';

export const HOST_TOOL_DIRS = [
  '/bin',
  '/etc/alternatives', // Debian's cc, ld and friends are links through it
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/usr/bin',
  '/usr/include',
  '/usr/lib',
  '/usr/lib32',
  '/usr/lib64',
  '/usr/libexec',
  '/usr/libx32',
] as const;

/** Whether `path` lies in one of the host's system directories. */
export function isHostFile(path: string): boolean {
  return HOST_TOOL_DIRS.some((d) => under(path, d));
}

/** Whether a source of `plan` is a host file: in a system directory and under none of the plan's roots (an older plan rooted some). */
export function isHostSource(plan: Pick<Plan, 'roots'>, path: string): boolean {
  return isHostFile(path) && !rootOf(plan.roots, path);
}
