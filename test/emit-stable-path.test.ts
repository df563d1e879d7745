// The fixed path an x.py build runs under (emit/stable-path.ts): one emit at
// a time, a lock left by a dead process taken over, nothing left behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireStablePath } from '../src/emit/stable-path.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

describe('acquireStablePath', () => {
  it('points the fixed path at the tree while held, and removes it on release', () => {
    const dir = tempDir('rbn-stable-');
    const fixed = join(dir, 'src');
    const held = acquireStablePath('/some/tree', fixed)!;
    expect(held.path).toBe(fixed);
    expect(readlinkSync(fixed)).toBe('/some/tree');
    // A second emit while this one lives builds at its own path.
    expect(acquireStablePath('/other/tree', fixed)).toBeNull();
    expect(readlinkSync(fixed)).toBe('/some/tree');
    held.release();
    expect(existsSync(fixed)).toBe(false);
    expect(existsSync(`${fixed}.lock`)).toBe(false);
    // Released twice (after the build, and again on the way out): the next holder keeps its own.
    const next = acquireStablePath('/next/tree', fixed)!;
    held.release();
    expect(readlinkSync(fixed)).toBe('/next/tree');
    next.release();
  });

  it('takes over what a killed emit left (its lock names a dead process, its symlink another tree)', () => {
    const dir = tempDir('rbn-stable-dead-');
    const fixed = join(dir, 'src');
    const dead = spawnSync('true').pid!; // finished and reaped: no such process now
    mkdirSync(`${fixed}.lock`);
    writeFileSync(join(`${fixed}.lock`, 'pid'), String(dead));
    symlinkSync('/old/tree', fixed);
    const held = acquireStablePath('/new/tree', fixed)!;
    expect(readlinkSync(fixed)).toBe('/new/tree');
    held.release();
  });

  it('never replaces a real directory at the fixed path', () => {
    const dir = tempDir('rbn-stable-dir-');
    const fixed = join(dir, 'src');
    mkdirSync(join(fixed, 'keep'), { recursive: true });
    expect(acquireStablePath('/a/tree', fixed)).toBeNull();
    expect(existsSync(join(fixed, 'keep'))).toBe(true);
    expect(existsSync(`${fixed}.lock`)).toBe(false);
  });
});
