// Where the files shipped beside the code live: dist/assets in the bundle,
// src/assets when running from source (tests, scripts).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function assetsDir(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = dirname(dir)) {
    for (const candidate of [join(dir, 'assets'), join(dir, 'src', 'assets')]) {
      if (existsSync(join(candidate, 'recorder', 'rustc-wrapper'))) {
        cached = candidate;
        return candidate;
      }
    }
  }
  throw new Error(
    `rust-bootstrap-nix: its assets (recorder scripts, schemas, Nix library) were not found above ${fileURLToPath(import.meta.url)}`,
  );
}

/** The action's own nix/ flake (pinned nixpkgs and rust-overlay), next to dist/ or src/. */
export function nixFlakeDir(): string {
  return join(dirname(dirname(assetsDir())), 'nix');
}
