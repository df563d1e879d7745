// `npm ci` refuses a lock that lacks any optional platform package its
// packages declare; this machine's registry mirror hides the foreign ones,
// so the lock is completed by scripts/complete-lock.mjs and checked here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture } from './support/spawn.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

const script = 'scripts/complete-lock.mjs';

test('package-lock.json lists every optional platform package (npm ci accepts it)', async () => {
  const r = await capture(process.execPath, [script, '--check', 'package-lock.json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('a lock missing a platform package is caught, and completing it restores the entry', async () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const original = lock.packages['node_modules/@biomejs/cli-darwin-arm64'];
  expect(original).toMatchObject({
    version: expect.any(String),
    optional: true,
    os: ['darwin'],
    cpu: ['arm64'],
  });
  delete lock.packages['node_modules/@biomejs/cli-darwin-arm64'];
  const file = join(tempDir('rbn-lock-'), 'package-lock.json');
  writeFileSync(file, JSON.stringify(lock));

  const checked = await capture(process.execPath, [script, '--check', file]);
  expect(checked.status).toBe(1);
  expect(checked.stderr).toContain('lacks @biomejs/cli-darwin-arm64@');

  const fixed = await capture(process.execPath, [script, file]);
  expect(fixed.status).toBe(0);
  expect(
    JSON.parse(readFileSync(file, 'utf8')).packages['node_modules/@biomejs/cli-darwin-arm64'],
  ).toEqual(original);
});
