// Runs a TypeScript file on Node 20 (no type stripping there): bundles it
// with esbuild into a temp file next to the sources and imports it.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
// Inside the repository, so the bundle's bare imports resolve from node_modules.
const cache = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'rbn-run-ts-'));
const outfile = join(dir, 'entry.mjs');
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  // Keep import.meta.url pointing into the source tree, so assets resolve as from src/.
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(resolve(entry)).href) },
});
process.argv = [process.argv[0], resolve(entry), ...rest];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
