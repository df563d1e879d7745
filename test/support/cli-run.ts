// The CLI (dist/cli.js of the action checkout) run as a user runs it: its
// exit status, everything it printed, and the `name=value` outputs it prints.
import { join } from 'node:path';
import { NIX_CONFIG } from './nix-helpers.js';
import { actionCheckout } from './run-action.js';
import { capture } from './spawn.js';
import { baseEnv, tempDir } from './workspace.js';

export interface CliRun {
  status: number;
  out: string;
  outputs: Record<string, string>;
}

/** `rust-bootstrap-nix <args>` in `cwd`, offline Nix, a RUNNER_TEMP of its own unless `env` gives one. */
export async function runCli(
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  const cli = join(actionCheckout(), 'dist', 'cli.js');
  const r = await capture(process.execPath, [cli, ...args], {
    cwd: opts.cwd,
    // A RUNNER_TEMP of its own: the CLI's default (the system temp dir) would keep its GC roots.
    env: baseEnv({ NIX_CONFIG, RUNNER_TEMP: tempDir('rbn-cli-temp-'), ...opts.env }),
  });
  const out = r.stdout.toString('utf8') + r.stderr;
  const outputs = Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^([a-z-]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
  return { status: r.status, out, outputs };
}
