// Where the build writes: cargo's target directory (as cargo metadata reports
// it, honouring CARGO_TARGET_DIR and .cargo/config.toml), or x.py's build dir.
import { execFileSync } from 'node:child_process';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'smol-toml';

export function cargoTargetDir(cargo: string, sourceDir: string, env: NodeJS.ProcessEnv): string {
  try {
    const out = execFileSync(
      cargo,
      ['metadata', '--format-version', '1', '--no-deps', '--offline'],
      {
        cwd: sourceDir,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return (JSON.parse(out) as { target_directory: string }).target_directory;
  } catch {
    return env.CARGO_TARGET_DIR
      ? resolve(sourceDir, env.CARGO_TARGET_DIR)
      : join(sourceDir, 'target');
  }
}

export function xpyBuildDir(sourceDir: string, configToml: string): string {
  const build = (parse(configToml) as { build?: { 'build-dir'?: string } }).build;
  const dir = build?.['build-dir'];
  return dir ? (isAbsolute(dir) ? dir : resolve(sourceDir, dir)) : join(sourceDir, 'build');
}
