// The real @actions/artifact client uploads metadata-dir to a loopback server
// speaking the artifact protocol; the stored zip is unpacked with unzip(1).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { memoryLog } from '../src/log.js';
import { currentNixSystem } from '../src/nix/cli.js';
import { artifactName, uploadMetadataArtifact } from '../src/report/artifact.js';
import { type ArtifactServer, startArtifactServer } from './support/artifact-server.js';

const ENV_KEYS = ['ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'GITHUB_SERVER_URL'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
let scratch: string;
let server: ArtifactServer;

beforeEach(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rbn-artifact-'));
  server = await startArtifactServer();
  Object.assign(process.env, server.env, { GITHUB_SERVER_URL: 'https://github.com' });
});

afterEach(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

/** A metadata-dir as the pipeline leaves it, plus what must not be uploaded. */
function metadataDir(): string {
  const dir = join(scratch, 'metadata');
  mkdirSync(join(dir, 'flake', 'steps'), { recursive: true });
  mkdirSync(join(dir, 'empty-dir'));
  writeFileSync(join(dir, 'invocations.jsonl'), '{"id":"a"}\n{"id":"b"}\n');
  writeFileSync(join(dir, 'plan.json'), JSON.stringify({ schema_version: 1, steps: [] }));
  writeFileSync(join(dir, 'summary.md'), '## rust-bootstrap-nix: succeeded ✓\n');
  writeFileSync(join(dir, 'config.toml'), '[build]\nrustc = "/nix/store/x-rustc/bin/rustc"\n');
  writeFileSync(join(dir, 'flake', 'flake.nix'), '{ outputs = _: { }; }\n');
  writeFileSync(join(dir, 'flake', 'steps', 'empty'), '');
  // Incompressible binary, bigger than one upload chunk is not needed: the
  // protocol is the same for every chunk.
  writeFileSync(join(dir, 'flake', 'steps', 'blob.bin'), randomBytes(300_000));
  writeFileSync(join(dir, 'flake', 'steps', 'naïve name with spaces.txt'), 'ü\n');
  // `nix build` leaves links into the store; they must not be followed.
  symlinkSync(scratch, join(dir, 'flake', 'result'));
  return dir;
}

/** Relative path → bytes of every regular file under dir. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

test('uploads every file of metadata-dir; the zip holds them byte for byte', async () => {
  const dir = metadataDir();
  const log = memoryLog();
  const id = await uploadMetadataArtifact({ metadataDir: dir, system: 'x86_64-linux', log });

  expect(server.artifacts).toHaveLength(1);
  const [artifact] = server.artifacts;
  expect(artifact).toMatchObject({
    id,
    name: 'rust-bootstrap-nix-x86_64-linux',
    mimeType: 'application/zip',
    finalized: true,
  });
  expect(id).toBe(1001);
  expect(log.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
  expect(log.lines).toContain(
    `info: Uploaded 8 files from ${dir} as artifact rust-bootstrap-nix-x86_64-linux (id 1001).`,
  );

  // The protocol the runner's service sees: create, blocks, commit, finalize.
  const calls = server.requests.map((r) =>
    r.path.startsWith('/twirp/') ? r.path.split('/').pop() : `${r.method} blob ${r.query.comp}`,
  );
  expect(calls[0]).toBe('CreateArtifact');
  expect(calls.slice(1, -2).every((c) => c === 'PUT blob block')).toBe(true);
  expect(calls.slice(-2)).toEqual(['PUT blob blocklist', 'FinalizeArtifact']);

  const zip = join(scratch, 'artifact.zip');
  writeFileSync(zip, artifact!.blob!);
  const out = join(scratch, 'unzipped');
  execFileSync('unzip', ['-q', zip, '-d', out]);
  const expected = tree(dir);
  expect(expected.has(join('flake', 'result'))).toBe(false);
  expect([...expected.keys()]).toHaveLength(8);
  const unzipped = tree(out);
  expect([...unzipped.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [path, bytes] of expected) expect(unzipped.get(path)!.equals(bytes)).toBe(true);
});

test('a second upload of the same name is refused by the service: warning, null', async () => {
  const dir = metadataDir();
  expect(
    await uploadMetadataArtifact({ metadataDir: dir, system: 'aarch64-linux', log: memoryLog() }),
  ).toBe(1001);
  const log = memoryLog();
  expect(
    await uploadMetadataArtifact({ metadataDir: dir, system: 'aarch64-linux', log }),
  ).toBeNull();
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toMatch(
    /^warning: Artifact rust-bootstrap-nix-aarch64-linux not uploaded: .*409.*already exists.*The build itself is unaffected\.$/,
  );
});

test('with the artifact service down it warns and returns null', async () => {
  await server.close();
  const log = memoryLog();
  const id = await uploadMetadataArtifact({
    metadataDir: metadataDir(),
    system: 'x86_64-linux',
    log,
  });
  expect(id).toBeNull();
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toMatch(
    /^warning: Artifact rust-bootstrap-nix-x86_64-linux not uploaded: .*ECONNREFUSED/,
  );
  server = await startArtifactServer(); // for afterEach
});

test('on GitHub Enterprise Server it warns, returns null and sends nothing', async () => {
  process.env.GITHUB_SERVER_URL = 'https://github.example.com';
  const log = memoryLog();
  const id = await uploadMetadataArtifact({
    metadataDir: metadataDir(),
    system: 'x86_64-linux',
    log,
  });
  expect(id).toBeNull();
  expect(log.lines).toEqual([
    `warning: Artifact rust-bootstrap-nix-x86_64-linux not uploaded: the artifact service is not available on GitHub Enterprise Server (https://github.example.com). The files stay in ${join(scratch, 'metadata')}.`,
  ]);
  expect(server.requests).toEqual([]);
});

test('an empty or missing metadata-dir warns and returns null', async () => {
  const empty = join(scratch, 'empty');
  mkdirSync(empty);
  const log = memoryLog();
  expect(
    await uploadMetadataArtifact({ metadataDir: empty, system: 'x86_64-linux', log }),
  ).toBeNull();
  expect(
    await uploadMetadataArtifact({
      metadataDir: join(scratch, 'nope'),
      system: 'x86_64-linux',
      log,
    }),
  ).toBeNull();
  expect(log.lines[0]).toBe(
    `warning: Artifact rust-bootstrap-nix-x86_64-linux not uploaded: ${empty} holds no files.`,
  );
  expect(log.lines[1]).toMatch(/^warning: .*ENOENT/);
  expect(server.requests).toEqual([]);
});

test('names: the artifact name and the Nix system', () => {
  expect(artifactName('aarch64-linux')).toBe('rust-bootstrap-nix-aarch64-linux');
  expect(currentNixSystem('x64')).toBe('x86_64-linux');
  expect(currentNixSystem('arm64')).toBe('aarch64-linux');
});
