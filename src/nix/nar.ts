// The NAR hash of one regular file, as `builtins.path` computes it for a
// source. Given to `builtins.path` as `sha256`, it lets Nix find a source
// already in the store without reading it, hashing it and adding it again
// (an addToStore per source file is most of a large flake's evaluation).
// A wrong hash fails the evaluation (Nix checks it when it adds the file); it
// never picks another file's store path.
import { createHash, type Hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** A NAR string: its length (u64, little-endian), its bytes, zero padding to 8 bytes. */
function narString(h: Hash, s: string | Buffer): void {
  const bytes = typeof s === 'string' ? Buffer.from(s) : s;
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(bytes.length));
  h.update(len).update(bytes);
  if (bytes.length % 8) h.update(Buffer.alloc(8 - (bytes.length % 8)));
}

/** `sha256-<base64>` of the NAR of `file` (a regular file; executable when its owner may run it). */
export function fileNarHash(file: string, contents: Buffer = readFileSync(file)): string {
  const h = createHash('sha256');
  for (const s of ['nix-archive-1', '(', 'type', 'regular']) narString(h, s);
  // Nix's dumpPath: S_IXUSR makes a file executable in the NAR.
  if (statSync(file).mode & 0o100) {
    narString(h, 'executable');
    narString(h, '');
  }
  narString(h, 'contents');
  narString(h, contents);
  narString(h, ')');
  return `sha256-${h.digest('base64')}`;
}

/** A tree as a NAR holds it: a directory's entries by name, a file's bytes and executable bit. */
export type NarNode =
  | { kind: 'file'; bytes: Buffer; executable: boolean }
  | { kind: 'dir'; entries: Map<string, NarNode> };

/** A NAR as the chunks of its serialisation (a file's bytes are not copied), and its size. */
export function narOf(node: NarNode): { chunks: Buffer[]; size: number } {
  const chunks: Buffer[] = [];
  let size = 0;
  // narString writes through update(), as into a hash.
  const sink = {
    update(b: Buffer): Hash {
      chunks.push(b);
      size += b.length;
      return sink as unknown as Hash;
    },
  };
  const str = (s: string | Buffer): void => narString(sink as unknown as Hash, s);
  const walk = (n: NarNode): void => {
    str('(');
    if (n.kind === 'file') {
      str('type');
      str('regular');
      if (n.executable) {
        str('executable');
        str('');
      }
      str('contents');
      str(n.bytes);
    } else {
      str('type');
      str('directory');
      // Nix orders entries by their bytes.
      const names = [...n.entries.keys()].sort((a, b) =>
        Buffer.compare(Buffer.from(a), Buffer.from(b)),
      );
      for (const name of names) {
        str('entry');
        str('(');
        str('name');
        str(name);
        str('node');
        walk(n.entries.get(name)!);
        str(')');
      }
    }
    str(')');
  };
  str('nix-archive-1');
  walk(node);
  return { chunks, size };
}
