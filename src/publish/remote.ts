// Where the lattice is pushed: the publish-remote input as a git URL (a
// remote of the checkout, or a URL or path given as it is), the flake
// reference Nix reads a pushed branch by, and the credentials git pushes
// with, which travel in git's environment and nowhere else.
import { isAbsolute, resolve } from 'node:path';
import { run } from '../util/process.js';

export interface PublishRemote {
  /** What git fetches from and pushes to. */
  url: string;
  /** The URL without any user or password, for messages and the README. */
  shown: string;
}

/** A URL or a path (anything but a bare remote name). */
function isUrlLike(raw: string): boolean {
  return raw.includes('/') || raw.includes(':') || raw === '.' || raw === '..';
}

/** `scheme://user:pass@host/...` without `user:pass@`. */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/**
 * The remote's URL: a name is looked up among the remotes of the checkout in
 * `sourceDir` (its push URL), read-only; a relative path is taken from `base`.
 * Null (with git's reason) when the name is no remote there.
 */
export async function resolveRemote(
  raw: string,
  sourceDir: string,
  base: string,
  env: NodeJS.ProcessEnv,
): Promise<PublishRemote | { problem: string }> {
  let url = raw;
  if (!isUrlLike(raw)) {
    const r = await run('git', ['-C', sourceDir, 'remote', 'get-url', '--push', raw], {
      env: { ...env, GIT_TERMINAL_PROMPT: '0' },
    }).catch((e: Error) => ({ code: 1, stdout: '', stderr: e.message }));
    if (r.code !== 0)
      return {
        problem: `'${raw}' is not a remote of the checkout in ${sourceDir} (${r.stderr.trim().split('\n')[0] || 'git found none'})`,
      };
    url = r.stdout.trim();
  } else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !/^[^/]+@[^/:]+:/.test(raw)) {
    // A path (not scp-like `git@host:owner/repo`).
    if (!isAbsolute(raw)) url = resolve(base, raw);
  }
  return { url, shown: withoutUserinfo(url) };
}

/** `owner/repo` of a GitHub URL (https, ssh, scp-like), else null. */
function githubRepo(url: string): string | null {
  const m =
    /^(?:https?:\/\/(?:[^/@]*@)?|ssh:\/\/git@|git@|git:\/\/)github\.com[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
      url,
    );
  return m ? `${m[1]}/${m[2]}` : null;
}

/** How Nix names a branch of the remote: `github:owner/repo/<branch>`, else `git+<url>?ref=<branch>`. */
export function flakeRefOf(remote: PublishRemote, branch: string): string {
  const gh = githubRepo(remote.url);
  if (gh) return `github:${gh}/${branch}`;
  const url = remote.shown;
  let gitUrl: string;
  if (url.startsWith('/')) gitUrl = `file://${url}`;
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) gitUrl = url;
  else {
    // scp-like user@host:path
    const m = /^([^@/]+@)?([^:/]+):(.*)$/.exec(url);
    gitUrl = m ? `ssh://${m[1] ?? ''}${m[2]}/${m[3]!.replace(/^\//, '')}` : url;
  }
  return `git+${gitUrl}?ref=${branch}`;
}

/**
 * The variables that give git the token for an https remote: an
 * `http.<origin>/.extraheader` (basic, as actions/checkout sends it) through
 * GIT_CONFIG_COUNT/KEY/VALUE, so it is on no command line and in no file.
 * Also the header value, to be masked and scrubbed like the token.
 */
export function credentialEnv(
  url: string,
  token: string,
  env: NodeJS.ProcessEnv,
): { env: Record<string, string>; secret: string | null } {
  const origin = /^(https?:\/\/[^/]+\/)/i.exec(withoutUserinfo(url))?.[1];
  if (!token || !origin) return { env: {}, secret: null };
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  // After whatever GIT_CONFIG_* the environment already holds.
  const n = Number(env.GIT_CONFIG_COUNT ?? '0') || 0;
  return {
    env: {
      GIT_CONFIG_COUNT: String(n + 1),
      [`GIT_CONFIG_KEY_${n}`]: `http.${origin}.extraheader`,
      [`GIT_CONFIG_VALUE_${n}`]: `AUTHORIZATION: basic ${basic}`,
    },
    secret: basic,
  };
}
