// The file binary cache the Actions cache carries between runs (src/nix/local-cache.ts),
// with real Nix: an export writes only the paths the cache lacks, leaves exactly
// the closure of the new roots (narinfos, NARs, index), never touches the kept
// plan beside it, and what it wrote imports back into the store.
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryLog } from '../src/log.js';
import { exportBinaryCache, importBinaryCache } from '../src/nix/local-cache.js';
import { NIX_FEATURES, nixEnv, nonce } from './support/nix-helpers.js';
import { removeTempDirs, runSync, tempDir } from './support/workspace.js';

const N = nonce();
const env = nixEnv();
const dir = join(tempDir('rbn-binary-cache-'), 'cache');

/** A store path holding `text` (builtins.toFile: references what `text` interpolates). */
function storeText(expr: string): string {
  const r = runSync('nix', [...NIX_FEATURES, 'eval', '--raw', '--expr', expr], { env });
  if (r.status !== 0) throw new Error(`nix eval failed:\n${r.stderr}`);
  return r.stdout.trim();
}

const a = storeText(`builtins.toFile "rbn-a-${N}" "A"`);
const b = storeText(`builtins.toFile "rbn-b-${N}" "B \${builtins.toFile "rbn-a-${N}" "A"}"`);
const c = storeText(`builtins.toFile "rbn-c-${N}" "C"`);
const hashOf = (p: string): string => p.slice('/nix/store/'.length, '/nix/store/'.length + 32);

const narinfos = (): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.narinfo'))
    .map((f) => f.slice(0, 32))
    .sort();
const nars = (): string[] => readdirSync(join(dir, 'nar')).sort();
const index = (): string[] =>
  readFileSync(join(dir, 'store-paths'), 'utf8').split('\n').filter(Boolean).sort();
const narOf = (p: string): string =>
  /^URL: nar\/(.+)$/m.exec(readFileSync(join(dir, `${hashOf(p)}.narinfo`), 'utf8'))![1]!;

afterAll(removeTempDirs);

test('an export into an existing cache writes only the new paths and drops what no root needs', async () => {
  const log = memoryLog();
  expect(await exportBinaryCache(dir, [b], env, log)).toBe(true);
  expect(index()).toEqual([a, b].sort());
  expect(narinfos()).toEqual([a, b].map(hashOf).sort());
  expect(nars()).toHaveLength(2);
  // The kept plan lives beside the cache; no export may take it away.
  mkdirSync(join(dir, 'rbn-plan'));
  writeFileSync(join(dir, 'rbn-plan', 'plan.json'), '{}');
  // Back-dated, so a rewrite would show in the modification time.
  const past = new Date(Date.now() - 3600_000);
  for (const f of nars()) utimesSync(join(dir, 'nar', f), past, past);
  const mtime = (p: string): number => statSync(join(dir, 'nar', narOf(p))).mtimeMs;
  const before = mtime(b);

  expect(await exportBinaryCache(dir, [b, c], env, log)).toBe(true);
  expect(index()).toEqual([a, b, c].sort());
  expect(mtime(b)).toBe(before);
  expect(nars()).toHaveLength(3);

  const cNar = narOf(c);
  expect(await exportBinaryCache(dir, [c], env, log)).toBe(true);
  expect(index()).toEqual([c]);
  expect(narinfos()).toEqual([hashOf(c)]);
  expect(nars()).toEqual([cNar]);
  expect(readFileSync(join(dir, 'rbn-plan', 'plan.json'), 'utf8')).toBe('{}');
  expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
});

test('what the export left imports back into the store', async () => {
  const del = runSync('nix-store', ['--delete', c], { env });
  expect(del.status).toBe(0);
  expect(runSync('nix-store', ['--check-validity', c], { env }).status).not.toBe(0);
  const log = memoryLog();
  expect(await importBinaryCache(dir, env, log)).toBe(1);
  expect(runSync('nix-store', ['--check-validity', c], { env }).status).toBe(0);
  expect(readFileSync(c, 'utf8')).toBe('C');
});
