// The real sccache: locating it, its server's lifecycle, its stats in both formats.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLog } from '../src/log.js';
import { locateSccache } from '../src/sccache/locate.js';
import {
  defaultSccacheDir,
  readSccacheStats,
  type Sccache,
  sccacheBuildEnv,
  startSccache,
  stopSccache,
} from '../src/sccache/server.js';
import { parseJsonStats, parseTextStats } from '../src/sccache/stats.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rbn-sccache-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('locates sccache on PATH or at a given path', async () => {
  const found = await locateSccache();
  expect(found).toMatch(/\/sccache$/);
  expect(await locateSccache(found)).toBe(found);
});

test('a missing sccache names the input and the fix', async () => {
  await expect(locateSccache(null, { PATH: root })).rejects.toThrow(
    /`sccache` input is true.*on PATH.*sccache` input to false/,
  );
  await expect(locateSccache(join(root, 'sccache'))).rejects.toThrow(
    /not an executable file.*`sccache` input to false/,
  );
});

test('SCCACHE_DIR defaults under RUNNER_TEMP, outside the metadata dir', () => {
  expect(defaultSccacheDir({ RUNNER_TEMP: '/runner/_temp' })).toBe(
    '/runner/_temp/rust-bootstrap-nix-sccache',
  );
});

/** rustc through sccache, as cargo would call it. */
function compile(s: Sccache, src: string, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    s.binary,
    [
      'rustc',
      '--crate-name',
      'tiny',
      '--edition=2021',
      src,
      '--crate-type',
      'lib',
      '--emit=dep-info,metadata,link',
      '--out-dir',
      outDir,
    ],
    { env: { ...process.env, ...s.env }, stdio: 'pipe' },
  );
}

test('a server with its own dir, cap and port counts a miss then a hit, in JSON and text alike', async () => {
  const s = await startSccache({
    binary: await locateSccache(),
    dir: join(root, 'cache'),
    cacheSize: '100M',
  });
  try {
    expect(s.env).toEqual({
      SCCACHE_DIR: join(root, 'cache'),
      SCCACHE_CACHE_SIZE: '100M',
      SCCACHE_SERVER_PORT: expect.stringMatching(/^\d+$/),
      SCCACHE_IDLE_TIMEOUT: '0',
      SCCACHE_IGNORE_SERVER_IO_ERROR: '1',
    });
    expect(sccacheBuildEnv(s)).toEqual({
      ...s.env,
      CARGO_INCREMENTAL: '0',
    });
    expect(await readSccacheStats(s)).toMatchObject({
      hits: 0,
      misses: 0,
      cacheable: 0,
      hitRate: null,
    });

    const src = join(root, 'lib.rs');
    writeFileSync(src, 'pub fn answer() -> u32 { 42 }\n');
    compile(s, src, join(root, 'out1'));
    compile(s, src, join(root, 'out2'));

    const stats = await readSccacheStats(s);
    expect(stats).toMatchObject({ hits: 1, misses: 1, cacheable: 2, hitRate: 0.5 });
    const env = { ...process.env, ...s.env };
    const json = execFileSync(s.binary, ['--show-stats', '--stats-format=json'], {
      env,
      encoding: 'utf8',
    });
    const text = execFileSync(s.binary, ['--show-stats'], { env, encoding: 'utf8' });
    expect(parseJsonStats(json)).toEqual(stats);
    expect(parseTextStats(text)).toEqual(stats);
  } finally {
    await stopSccache(s, memoryLog());
  }
  // Stopped: nothing listens on its port any more (any sccache call would start a new server).
  await expect(connect(Number(s.env.SCCACHE_SERVER_PORT))).rejects.toThrow(/ECONNREFUSED/);
});

function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve();
    });
    socket.on('error', reject);
  });
}

test('stopping a server that is gone (a cancelled main step stopped it) only notes it', async () => {
  const log = memoryLog();
  const gone: Sccache = {
    binary: await locateSccache(),
    dir: root,
    env: {
      SCCACHE_DIR: root,
      SCCACHE_SERVER_PORT: '1',
      SCCACHE_CACHE_SIZE: '1G',
      SCCACHE_IDLE_TIMEOUT: '0',
    },
  };
  await stopSccache(gone, log);
  expect(log.lines).toEqual(['info: sccache: the server is stopped already']);
});

test('JSON stats: per-language counts summed, finer adv_counts ignored', () => {
  const s = parseJsonStats(
    JSON.stringify({
      stats: {
        compile_requests: 10,
        requests_not_cacheable: 3,
        cache_hits: { counts: { Rust: 4, 'C/C++': 1 }, adv_counts: { rust: 4, 'c/c++': 1 } },
        cache_misses: { counts: { Rust: 2 } },
        cache_errors: { counts: {} },
      },
    }),
  );
  expect(s).toEqual({
    compileRequests: 10,
    hits: 5,
    misses: 2,
    cacheable: 7,
    notCacheable: 3,
    hitRate: 5 / 7,
  });
  expect(() => parseJsonStats('Compile requests 1')).toThrow();
  expect(() => parseTextStats('nothing here')).toThrow(/Cache hits/);
});
