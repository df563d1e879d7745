// A Nix binary cache given as a store URL (`binary-cache`): what Nix accepts
// as one, its signing key (`binary-cache-secret-key`), and the `nix build`
// flags that make it a substituter of the steps. Nix does the work: it
// checks every entry's signature against trusted-public-keys and its NAR
// against the signed hash, and refuses what does not match.

/** Store URL schemes `nix copy` and the substituters setting take (Nix 2.8 on). */
const SCHEMES = ['file', 'http', 'https', 's3', 'ssh', 'ssh-ng'] as const;

/** Why `raw` is not a store URL this action can use, or null. Never quotes the value (it may hold a password). */
export function storeUrlProblem(raw: string): string | null {
  const fix = `give a Nix store URL (${SCHEMES.map((s) => `${s}://`).join(', ')}), e.g. s3://my-bucket?region=eu-west-1, https://cache.example.org or file:///var/cache/nix`;
  if (/\s/.test(raw)) return `contains white space; ${fix}.`;
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/.exec(raw);
  if (!m) return `is not a URL; ${fix}.`;
  const [, scheme, rest] = m;
  if (!(SCHEMES as readonly string[]).includes(scheme!))
    return `has the scheme '${scheme}', which Nix has no binary cache store for; ${fix}.`;
  const [where = '', query = ''] = rest!.split('?', 2);
  if (scheme === 'file' && !where.startsWith('/'))
    return 'is a file:// URL without an absolute path; write file:///absolute/path.';
  if (scheme !== 'file' && where === '') return `names no host or bucket; ${fix}.`;
  if (/(^|&)secret-key=/.test(query))
    return "holds secret-key=; give the key's content in binary-cache-secret-key instead (the action writes it to a private file for the push).";
  return null;
}

/** The bytes of a Nix signing key `name:base64`, or a reason it is not one. */
function keyBytes(raw: string): { name: string; bytes: Buffer } | string {
  const m = /^([^:\s]+):([A-Za-z0-9+/]+={0,2})$/.exec(raw);
  if (!m) return 'is not a Nix signing key (name:base64, as `nix key generate-secret` prints it)';
  return { name: m[1]!, bytes: Buffer.from(m[2]!, 'base64') };
}

/**
 * Why `raw` is not a Nix secret signing key (ed25519: 64 bytes, the seed
 * then the public key, as libsodium keeps it), or null. Never quotes the value.
 */
export function secretKeyProblem(raw: string): string | null {
  const key = keyBytes(raw);
  if (typeof key === 'string')
    return `${key}; generate one with \`nix key generate-secret --key-name <name>\`.`;
  if (key.bytes.length === 32)
    return 'is a public key; give the secret key (its public half goes in trusted-public-keys of nix-conf).';
  if (key.bytes.length !== 64)
    return `decodes to ${key.bytes.length} bytes, not the 64 of an ed25519 secret key; give the whole output of \`nix key generate-secret\`.`;
  return null;
}

/** The public key of a valid secret key: the last 32 bytes are the ed25519 public key. */
export function publicKeyOf(secretKey: string): string {
  const key = keyBytes(secretKey);
  if (typeof key === 'string') throw new Error(`not a signing key: ${key}`);
  return `${key.name}:${key.bytes.subarray(32).toString('base64')}`;
}

export interface BinaryCache {
  url: string;
  /** Trusted for this build besides nix.conf's keys: the public half of the secret key, when given. */
  publicKey: string | null;
}

/**
 * `nix build` flags that add the cache as a substituter. `--fallback`: an
 * entry Nix refuses to import (a NAR that does not match its signed hash)
 * makes it build the step instead of failing the build. These settings are
 * restricted: a Nix daemon takes them from trusted users only, and ignores
 * them (with a warning, see trust.ts) for anyone else. Copying the paths
 * in ourselves (`nix copy --from`) would not help such a user: it needs
 * every step's out path first (an evaluation of the whole plan), and the
 * daemon still checks what is copied against its own trusted-public-keys,
 * which only a trusted user can extend. So the cache is left to Nix, and an
 * untrusted user is told what to change.
 */
export function substituterArgs(cache: BinaryCache): string[] {
  return [
    '--extra-substituters',
    cache.url,
    ...(cache.publicKey ? ['--extra-trusted-public-keys', cache.publicKey] : []),
    '--fallback',
  ];
}

/** `url` with the query parameter `name=value` added. */
export function withParam(url: string, name: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${name}=${value}`;
}
