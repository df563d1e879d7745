// Nix string literals. Every string that reaches generated Nix goes through
// nixString, so any argument, however hostile, arrives byte for byte.

const SPECIAL = /[\\"\n\r\t]|\$\{/g;
const REPLACEMENT: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '${': '\\${',
};

export function nixString(value: string): string {
  if (value.includes('\0')) throw new Error('a Nix string cannot hold a NUL byte');
  return `"${value.replace(SPECIAL, (m) => REPLACEMENT[m]!)}"`;
}

/** An attribute name: bare where Nix allows it, quoted otherwise. */
export function nixAttr(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) &&
    !['if', 'then', 'else', 'let', 'in', 'rec', 'with', 'inherit', 'assert', 'or'].includes(name)
    ? name
    : nixString(name);
}

/** A store path name: what Nix accepts, at most 200 characters. */
export function storeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9+\-._?=]/g, '_').replace(/^\./, '_');
  return clean.slice(0, 200) || 'source';
}
