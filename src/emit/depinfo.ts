// rustc's dep-info (Makefile syntax): the files a compile read, and the
// environment variables it read through env!/option_env! (`# env-dep:` lines).
import { isAbsolute, resolve } from 'node:path';

export interface DepInfo {
  files: string[]; // absolute
  envDeps: string[];
}

function unescapeMake(path: string): string {
  return path.replace(/\\(.)/g, '$1');
}

/** Splits a Makefile word list on unescaped spaces. */
function words(text: string): string[] {
  return (text.match(/(?:\\.|[^\s\\])+/g) ?? []).map(unescapeMake);
}

export function parseDepInfo(text: string, cwd: string): DepInfo {
  const files = new Set<string>();
  const envDeps = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# env-dep:')) {
      const kv = line.slice('# env-dep:'.length);
      const eq = kv.indexOf('=');
      envDeps.add(eq < 0 ? kv : kv.slice(0, eq));
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    // "target: dep dep ..." — the colon that ends the target is unescaped.
    const m = /^((?:\\.|[^\\])*?):(?=\s|$)(.*)$/.exec(line);
    if (!m) continue;
    for (const w of words(m[2]!)) files.add(isAbsolute(w) ? w : resolve(cwd, w));
  }
  return { files: [...files], envDeps: [...envDeps] };
}
