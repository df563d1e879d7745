// The source gate on its own (trust/): which paths may become a source, by
// name and by where a symlink leads, and which directories mode build allows,
// derived from the run's own environment and cargo configs. The real runs
// are in metadata-trust.test.ts.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowedSourceRoots } from '../src/trust/allowed-roots.js';
import { forbiddenContext, forbiddenSource } from '../src/trust/forbidden-files.js';
import { metadataDigest } from '../src/trust/metadata-integrity.js';
import { SourceGate, unplainPath } from '../src/trust/source-gate.js';
import { Redactor } from '../src/util/secrets.js';
import { removeTempDirs, tempDir, writeTree } from './support/workspace.js';

afterAll(removeTempDirs);

const root = tempDir('rbn-gate-');
const home = join(root, 'home');
const runnerTemp = join(root, 'runner-temp');
const tree = writeTree(join(root, 'tree'), {
  'Cargo.toml': '[package]\nname = "t"\n',
  'src/lib.rs': '',
  '.cargo/config.toml':
    '[source.crates-io]\nreplace-with = "v"\n[source.v]\ndirectory = "../vendored"\n',
});
const env = { HOME: home, RUNNER_TEMP: runnerTemp, PATH: '' };

test.each([
  ['/w/.git/config', /git metadata/],
  ['/w/sub/.git', /git metadata/],
  ['/w/.netrc', /credential file/],
  [`${home}/.cargo/credentials.toml`, /credential file/],
  [`${home}/.docker/config.json`, /~\/\.docker/],
  [`${home}/.ssh/id_ed25519`, /\.ssh\//],
  [`${runnerTemp}/_runner_file_commands/set_output_1`, /runner's own files/],
  [`${runnerTemp}/rbn-secret-abc/key`, /this action's private files/],
])('%s never becomes a source', (path, why) => {
  expect(forbiddenSource(path, forbiddenContext(env))).toMatch(why);
});

test('a link to a forbidden file is forbidden where it leads', () => {
  mkdirSync(join(tree, '.git'), { recursive: true });
  writeFileSync(join(tree, '.git', 'config'), '');
  symlinkSync(join(tree, '.git', 'config'), join(tree, 'src', 'config.txt'));
  expect(forbiddenSource(join(tree, 'src', 'config.txt'), forbiddenContext(env))).toMatch(
    /symlink to .*\.git\/config: it is git metadata/,
  );
  expect(forbiddenSource(join(tree, 'src', 'lib.rs'), forbiddenContext(env))).toBeNull();
});

test.each([
  ['relative/path', /not an absolute path/],
  ['/w/../etc/passwd', /'\.\.'/],
  ['/w/./src', /plain form/],
  ['/w//src', /plain form/],
])('%s is not a plain path', (path, why) => {
  expect(unplainPath(path)).toMatch(why);
});

test("mode build's directories: the tree, CARGO_HOME's registry, the configs' [source] directories", () => {
  const roots = allowedSourceRoots(tree, { ...env, CARGO_HOME: join(home, 'ch') });
  expect(roots.map((r) => r.path)).toEqual(
    expect.arrayContaining([
      tree,
      join(home, 'ch', 'registry', 'src'),
      join(home, 'ch', 'git', 'checkouts'),
      join(root, 'vendored'),
      '/nix/store',
    ]),
  );
  const gate = new SourceGate({
    forbidden: forbiddenContext(env),
    allowed: roots,
    secretIn: () => null,
  });
  expect(gate.pathProblem(join(tree, 'src', 'lib.rs'))).toBeNull();
  expect(gate.pathProblem(join(root, 'vendored', 'x', 'src', 'lib.rs'))).toBeNull();
  expect(gate.pathProblem('/etc/passwd')).toMatch(/outside every directory mode build reads from/);
  writeFileSync(join(root, 'outside.txt'), 'x');
  symlinkSync(join(root, 'outside.txt'), join(tree, 'src', 'out.txt'));
  expect(gate.pathProblem(join(tree, 'src', 'out.txt'))).toMatch(/once its symlinks are followed/);
});

test("a source's content is scanned like the records: a token shape or a known secret, never shown", () => {
  const known = `known-${'k'.repeat(20)}`;
  const redactor = new Redactor([known]);
  const gate = new SourceGate({
    forbidden: forbiddenContext(env),
    allowed: null,
    secretIn: (t) => redactor.secretKindIn(t),
  });
  const token = `ghp_${'A1b2'.repeat(9)}`;
  const files = writeTree(join(root, 'scan'), {
    'token.txt': `x ${token} y`,
    'known.txt': `a ${known} b`,
    'plain.txt': 'https://user:example@host is documentation',
  });
  const problem = gate.contentProblem(join(files, 'token.txt'));
  expect(problem).toMatch(/looks like a secret \(shaped like a github secret\)/);
  expect(problem).not.toContain(token);
  expect(gate.contentProblem(join(files, 'known.txt'))).toMatch(/a value this run knows/);
  expect(gate.contentProblem(join(files, 'plain.txt'))).toBeNull();
});

test('the digest covers plan.json and invocations.jsonl byte for byte', () => {
  const dir = writeTree(join(root, 'meta'), { 'plan.json': '{}\n', 'invocations.jsonl': '' });
  const before = metadataDigest(dir);
  expect(before).toMatch(/^sha256:[0-9a-f]{64}$/);
  writeFileSync(join(dir, 'plan.json'), '{} \n');
  expect(metadataDigest(dir)).not.toBe(before);
});
