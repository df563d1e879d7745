// Signs and pushes store paths to a binary cache: `nix copy --to
// <url>?secret-key=<file>` signs each path's narinfo as it uploads it. The
// key is in a 0600 file that exists only for the copy. Nix copies the
// closure and skips what the cache holds already; the paths it copied are
// read from its internal-json log.
import { existsSync } from 'node:fs';
import { NIX_FEATURES, validPaths } from '../nix/cli.js';
import { nixJsonLog } from '../nix/log-json.js';
import { run, tail } from '../util/process.js';
import { withSecretFile } from '../util/secret-file.js';
import { withParam } from './substituter.js';

export interface PushResult {
  ok: boolean;
  /** Store paths copied to the cache by this push. */
  copied: string[];
  /** Nix's last words when the push failed. */
  error: string | null;
}

export async function pushToCache(o: {
  url: string;
  secretKey: string;
  paths: readonly string[];
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}): Promise<PushResult> {
  if (o.paths.length === 0) return { ok: true, copied: [], error: null };
  const r = await withSecretFile(o.env, 'signing-key', o.secretKey, (keyFile) =>
    run(
      'nix',
      [
        ...NIX_FEATURES,
        'copy',
        '--log-format',
        'internal-json',
        '--to',
        withParam(o.url, 'secret-key', keyFile),
        ...o.paths,
      ],
      { env: o.env, signal: o.signal },
    ),
  );
  const decode = nixJsonLog();
  const copied: string[] = [];
  const said: string[] = [];
  for (const line of r.stderr.split('\n')) {
    const e = decode(line);
    if (e?.copying && e.copying.to !== 'local') copied.push(e.copying.path);
    if (e?.text) said.push(e.text);
  }
  return r.code === 0
    ? { ok: true, copied, error: null }
    : { ok: false, copied, error: tail(said.join('\n'), 5) };
}

/** The outputs of `drvs` that are valid in the store (what a failed or cancelled build finished). */
export async function builtOutputs(
  drvs: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const present = drvs.filter((d) => existsSync(d));
  if (present.length === 0) return [];
  const r = await run('nix-store', ['--query', '--outputs', ...present], { env });
  if (r.code !== 0) return [];
  return validPaths(
    r.stdout.split('\n').filter((p) => p.startsWith('/nix/store/')),
    env,
  );
}
