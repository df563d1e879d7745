// Nix's remote builders (`builders = ssh-ng://user@host system ...` in
// nix-conf) build the steps; this module holds what the action adds: the
// SSH identity of the builders-ssh-key input, handed to Nix's ssh through
// NIX_SSHOPTS (Nix reads it for ssh:// and ssh-ng:// alike), and the name
// of the machine a build ran on, as Nix logs it.

/** Why `raw` is not an unencrypted SSH private key, or null. Never quotes the value. */
export function sshKeyProblem(raw: string): string | null {
  const text = raw.replace(/\r\n/g, '\n').trim();
  if (
    !/^-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----\n[\s\S]+\n-----END ([A-Z0-9]+ )*PRIVATE KEY-----$/.test(
      text,
    )
  )
    return 'is not an SSH private key (a PEM block from -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY-----, as ssh-keygen writes it); give the whole file, without a passphrase.';
  if (/^Proc-Type: 4,ENCRYPTED/m.test(text))
    return 'is encrypted with a passphrase, which Nix cannot enter; give a key without one (ssh-keygen -N "").';
  return null;
}

/** The key as ssh reads it: LF line ends and a final newline (OpenSSH rejects a key without one). */
export function sshKeyFileContent(raw: string): string {
  return `${raw.replace(/\r\n/g, '\n').trim()}\n`;
}

/** NIX_SSHOPTS with `-i keyFile` added after what the job set (a port, a known_hosts file). */
export function sshOptsWithKey(current: string | undefined, keyFile: string): string {
  // Nix splits NIX_SSHOPTS on white space.
  if (/\s/.test(keyFile))
    throw new Error(
      `The SSH key's file ${keyFile} has white space in its path, which NIX_SSHOPTS cannot carry; run with a RUNNER_TEMP without spaces.`,
    );
  return [current?.trim() ?? '', '-i', keyFile].filter(Boolean).join(' ');
}

/** The machine a step was built on, as the summary names it: Nix's store URI, or this runner for ''. */
export function machineName(machine: string): string {
  return machine === '' ? 'this runner' : machine;
}
