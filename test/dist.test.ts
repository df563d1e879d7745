// dist/ is committed (the runner executes it, not src/), so it must be exactly
// what the build script makes of the sources. The build runs in a private copy
// of the project (never over the real dist/, which other tests execute).
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { actionYml } from './support/run-action.js';
import { listFiles, REPO_ROOT, removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

function buildIntoCopy(): string {
  const copy = join(tempDir('rbn-dist-'), 'project');
  for (const entry of ['src', 'scripts', 'package.json', 'tsconfig.json'])
    cpSync(join(REPO_ROOT, entry), join(copy, entry), { recursive: true });
  // Hard links, not a symlink: esbuild names bundled modules by their real
  // path relative to the project, which must be the same as in the real one.
  const linked = spawnSync('cp', [
    '-al',
    join(REPO_ROOT, 'node_modules'),
    join(copy, 'node_modules'),
  ]);
  if (linked.status !== 0) throw new Error(`cp -al node_modules failed: ${linked.stderr}`);
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: copy, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
  return join(copy, 'dist');
}

function tree(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((f) => [relative(dir, f), readFileSync(f)]));
}

test('dist/ is exactly what `npm run build` makes of the sources', () => {
  const fresh = tree(buildIntoCopy());
  const committed = tree(join(REPO_ROOT, 'dist'));
  expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
  const differing = [...fresh]
    .filter(([f, data]) => !committed.get(f)?.equals(data))
    .map(([f]) => f);
  expect(differing).toEqual([]);
});

test('action.yml runs the bundled entry points, and they exist', () => {
  const runs = actionYml().runs;
  expect(runs.using).toBe('node24');
  expect(runs.main).toBe('dist/main.js');
  expect(runs.post).toBe('dist/post.js');
  const files = tree(join(REPO_ROOT, 'dist'));
  for (const f of ['main.js', 'post.js', 'cli.js']) expect(files.has(f)).toBe(true);
});
