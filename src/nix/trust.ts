// What a Nix daemon refuses a user it does not trust: the restricted settings
// a client passes (substituters, trusted-public-keys, builders, ...), which
// it ignores with a warning and carries on, so a binary cache goes unused or
// every step is built on the runner. Read from the build's log, to say so
// once with the fix.

/** What a daemon's warning says it ignored (`substituter 'URL'`, `setting 'builders'`), or null. */
export function refusedByDaemon(line: string): string | null {
  const subst = /ignoring untrusted substituter '([^']+)'/.exec(line);
  if (subst) return `substituter '${subst[1]}'`;
  const setting =
    /ignoring the (?:client-specified|user-specified) setting '([^']+)', because it is a restricted setting/.exec(
      line,
    );
  return setting ? `setting '${setting[1]}'` : null;
}

/** The warning for what the daemon ignored, with the fix; `sandboxPaths`: the host directories offline steps asked for. */
export function untrustedFix(
  refused: readonly string[],
  sandboxPaths: readonly string[] = [],
): string {
  const sandbox = refused.some((r) => /^setting '(extra-)?sandbox-paths'$/.test(r));
  return [
    `The Nix daemon ignored the ${refused.join(', the ')} for this user, who is not trusted: a binary cache goes unused, remote builders do not build${sandbox ? ", or the steps cannot run the host's tools in the sandbox" : ''}.`,
    "Add `trusted-users = <the runner's user>` to the machine's /etc/nix/nix.conf (a Nix installed by this action has it),",
    sandbox && sandboxPaths.length
      ? `or \`extra-sandbox-paths = ${sandboxPaths.join(' ')}\` for the host tools,`
      : null,
    'or for a binary cache `extra-trusted-substituters = <its URL>` with its key in `extra-trusted-public-keys`, and restart nix-daemon.',
  ]
    .filter((l) => l !== null)
    .join(' ');
}
