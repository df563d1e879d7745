// Bundles the entry points into dist/ (committed: the runner executes dist/, not src/).

import { chmodSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { generateValidators } from './gen-validators.mjs';

const entries = { main: 'src/main.ts', post: 'src/post.ts', cli: 'src/cli.ts' };
writeFileSync('src/generated/validators.js', generateValidators());
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);",
  },
});
// Files the pipeline ships next to the bundle (the recorder scripts, schemas, Nix templates).
cpSync('src/assets', 'dist/assets', { recursive: true });
chmodSync('dist/cli.js', 0o755);
