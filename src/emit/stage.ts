// Which of x.py's stages a step belongs to, for the plan and the summary.

/**
 * x.py's stage of a step, from an output's path inside the build dir: bootstrap names each stage's directories
 * `stageN-std`, `stageN-rustc`, `stageN-sysroot`, ... (since 2016); where an
 * output lies elsewhere, the shim's RUSTC_STAGE. Null outside x.py.
 */
export function stageOf(path: string, env: Readonly<Record<string, string>> = {}): number | null {
  const m = /\/stage(\d+)(?:-[A-Za-z-]+)?(?:\/|$)/.exec(path);
  if (m) return Number(m[1]);
  return /^\d+$/.test(env.RUSTC_STAGE ?? '') ? Number(env.RUSTC_STAGE) : null;
}
