// The nix.conf an installed Nix gets, as the trusted installer actions write it
// (cachix/install-nix-action, DeterminateSystems/nix-installer-action).

export interface NixConfOptions {
  /** the runner's user, trusted so later steps may pass settings and caches */
  user: string;
  /** the github-token input; used only for github.com */
  githubToken?: string;
  /** GITHUB_SERVER_URL; tokens of GitHub Enterprise servers are useless on github.com */
  serverUrl?: string;
  /** the nix-conf input, appended last so its lines win */
  extra?: string;
  /** single-user installs run builds as the caller: no build users group */
  singleUser?: boolean;
}

export function nixConfText(o: NixConfOptions): string {
  const lines = [
    '# Written by rust-bootstrap-nix',
    'experimental-features = nix-command flakes',
    'max-jobs = auto',
    `trusted-users = root ${o.user}`.trimEnd(),
  ];
  if (o.singleUser) lines.push('build-users-group =');
  if (o.githubToken && isGithubDotCom(o.serverUrl ?? 'https://github.com')) {
    // Authenticated fetches of github: flake inputs avoid the anonymous rate limit.
    lines.push(`access-tokens = github.com=${o.githubToken}`);
  }
  const extra = (o.extra ?? '').trim();
  if (extra !== '') lines.push(...extra.split('\n').map((l) => l.trimEnd()));
  return `${lines.join('\n')}\n`;
}

export function isGithubDotCom(serverUrl: string): boolean {
  try {
    return new URL(serverUrl).hostname.toLowerCase() === 'github.com';
  } catch {
    return false;
  }
}

/**
 * Why the nix-conf input is not nix.conf lines (`name = value`, comments, blank lines),
 * or null when it is.
 */
export function nixConfProblem(text: string): string | null {
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const setting = /^[A-Za-z][A-Za-z0-9-]*\s*=/.test(line);
    const include = /^!?include\s+\S+$/.test(line);
    if (!setting && !include) {
      return `Invalid nix-conf input: line ${i + 1} ("${line}") is not a nix.conf setting; it accepts lines of the form name = value`;
    }
  }
  return null;
}

/** NIX_CONFIG for a Nix this action did not install: the nix-conf lines, nothing secret. */
export function nixConfigEnv(extra: string, current = ''): string {
  // extra-: keeps whatever features the machine's nix.conf already enables.
  const base = 'extra-experimental-features = nix-command flakes';
  return [current.trim(), base, extra.trim()].filter((s) => s !== '').join('\n');
}

/** Whether nix-conf lines set `name` (or `extra-name`). */
export function nixConfSets(text: string, name: string): boolean {
  return text.split('\n').some((l) => new RegExp(`^\\s*(extra-)?${name}\\s*=`).test(l));
}
