// What makes a generated flake build on any machine once published. An
// offline flake (toolchain: system) has no inputs and publishes as it is. An
// online one takes its tools from the action's nix/ flake through a `path:`
// input, which names a directory of the runner: published, the nix/ flake
// travels inside the branch (rust-bootstrap-nix/), its pinned inputs become
// the flake's own and its flake.lock the flake's lock (generate.ts,
// vendoredFlakeNix).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type FlakeInput, vendoredFlakeNix } from '../nix/generate.js';
import { ONLINE_INPUT } from '../nix/tools.js';
import type { Plan } from '../types.js';
import type { ExtraFile } from './git.js';

interface LockNode {
  inputs?: Record<string, string | string[]>;
  original?: Record<string, string | number | boolean>;
}

interface FlakeLock {
  nodes: Record<string, LockNode>;
  root: string;
}

/** A lock's `original` as the flake reference flake.nix writes. */
export function originalUrl(o: Record<string, string | number | boolean>): string {
  const query = (keys: string[]): string => {
    const q = keys.filter((k) => o[k] !== undefined).map((k) => `${k}=${String(o[k])}`);
    return q.length ? `?${q.join('&')}` : '';
  };
  switch (o.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut': {
      const ref = o.rev ?? o.ref;
      return `${o.type}:${o.owner}/${o.repo}${ref ? `/${ref}` : ''}${query(['dir', 'host'])}`;
    }
    case 'path':
      return `path:${o.path}`;
    case 'git':
    case 'tarball':
    case 'file':
      return `${o.type === 'git' ? 'git+' : ''}${o.url}${query(['ref', 'rev', 'dir'])}`;
    case 'indirect':
      return `flake:${o.id}${o.ref ? `/${o.ref}` : ''}`;
    default:
      throw new Error(
        `nix/flake.lock has an input of type '${String(o.type)}' a published flake cannot name`,
      );
  }
}

/** The root inputs of a lock, as flake.nix declares them (their URL, and which of their inputs follow). */
export function inputsOfLock(lock: FlakeLock): Record<string, FlakeInput> {
  const root = lock.nodes[lock.root]!;
  const out: Record<string, FlakeInput> = {};
  for (const [name, ref] of Object.entries(root.inputs ?? {})) {
    if (typeof ref !== 'string') continue; // a follows at the root has nothing to declare
    const node = lock.nodes[ref]!;
    const follows: Record<string, string> = {};
    for (const [i, target] of Object.entries(node.inputs ?? {}))
      if (Array.isArray(target)) follows[i] = target.join('/');
    out[name] = { url: originalUrl(node.original ?? {}), follows };
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Files that replace or join the generated flake's on the branch; none for an offline flake. */
export function portableFiles(plan: Plan, system: string, nixFlakeDir: string): ExtraFile[] {
  if (!plan.toolchain.nix_spec) return [];
  const lockText = readFileSync(join(nixFlakeDir, 'flake.lock'), 'utf8');
  const inputs = inputsOfLock(JSON.parse(lockText) as FlakeLock);
  return [
    { name: 'flake.nix', content: vendoredFlakeNix(system, { dir: ONLINE_INPUT, inputs }) },
    { name: 'flake.lock', content: lockText },
    ...filesUnder(nixFlakeDir).map((f) => ({
      name: `${ONLINE_INPUT}/${f}`,
      content: readFileSync(join(nixFlakeDir, f)),
    })),
  ];
}
