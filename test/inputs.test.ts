// Inputs are parsed and validated into one typed object before anything runs;
// a bad value is an InputError naming the input and what it accepts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultCommand,
  INPUT_DEFAULTS,
  InputError,
  type InputName,
  parseInputs,
  splitCommand,
} from '../src/inputs.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

const root = tempDir('rbn-inputs-');
const ws = join(root, 'ws');
mkdirSync(ws);
writeFileSync(join(ws, 'template.toml'), '[build]\n');
writeFileSync(join(ws, 'Cargo.toml'), '[package]\nname = "ws"\n');

function parse(values: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = {}) {
  return parseInputs((name) => values[name], { RUNNER_TEMP: root, ...env }, ws);
}

/** The InputError a parse throws (fails the test when it does not throw one). */
function inputError(values: Partial<Record<InputName, string>>): InputError {
  try {
    parse(values);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`no InputError for ${JSON.stringify(values)}`);
}

describe('defaults', () => {
  test('nothing given: every input has its default', () => {
    const i = parse({});
    expect(i).toEqual({
      sourceDir: ws,
      command: null,
      toolchain: null,
      targets: [],
      components: [],
      configTemplate: null,
      config: '',
      mode: 'emit-then-build',
      metadataDir: join(root, 'rust-bootstrap-nix'),
      sccache: true,
      cache: true,
      cacheKeyPrefix: 'rust-bootstrap-nix-v1',
      saveCache: true,
      installNix: 'auto',
      nixConf: '',
      binaryCache: null,
      binaryCacheSecretKey: null,
      buildersSshKey: null,
      githubToken: '',
      checkRun: true,
      uploadArtifact: true,
      reusePlan: true,
      buildOnce: true,
      publish: false,
      publishRemote: 'origin',
      publishBranch: 'lattice/{component}/{arch}/phase{phase}/step{step}',
      publishComponent: null,
      metadataDigest: null,
      trustMetadata: 'false',
    });
  });

  test('relative paths resolve against GITHUB_WORKSPACE; the template against source-dir', () => {
    mkdirSync(join(root, 'gw', 'sub'), { recursive: true });
    writeFileSync(join(root, 'gw', 'sub', 'cfg.toml'), '');
    writeFileSync(join(root, 'gw', 'sub', 'Cargo.toml'), '');
    const i = parse(
      { 'source-dir': 'sub', 'config-template': 'cfg.toml', 'metadata-dir': 'meta' },
      { GITHUB_WORKSPACE: join(root, 'gw') },
    );
    expect(i.sourceDir).toBe(join(root, 'gw', 'sub'));
    expect(i.configTemplate).toBe(join(root, 'gw', 'sub', 'cfg.toml'));
    expect(i.metadataDir).toBe(join(root, 'gw', 'meta'));
  });

  test('an empty or blank value means the default', () => {
    expect(parse({ mode: '  ', sccache: '' }).mode).toBe('emit-then-build');
    expect(parse({ sccache: '' }).sccache).toBe(true);
  });

  test('the default command: x.py build where x.py exists, else cargo build', () => {
    expect(defaultCommand(ws)).toEqual(['cargo', 'build']);
    const xpy = join(root, 'xpy');
    mkdirSync(xpy);
    writeFileSync(join(xpy, 'x.py'), '');
    expect(defaultCommand(xpy)).toEqual(['python3', 'x.py', 'build']);
  });

  test('lists split on commas and white space', () => {
    const i = parse({
      targets: 'wasm32-unknown-unknown, aarch64-unknown-linux-gnu  x86_64-unknown-linux-gnu,',
      components: 'rust-src\nclippy',
    });
    expect(i.targets).toEqual([
      'wasm32-unknown-unknown',
      'aarch64-unknown-linux-gnu',
      'x86_64-unknown-linux-gnu',
    ]);
    expect(i.components).toEqual(['rust-src', 'clippy']);
  });

  test('every input name has a default', () => {
    expect(Object.keys(INPUT_DEFAULTS).sort()).toEqual(
      [
        'cache',
        'cache-key-prefix',
        'check-run',
        'command',
        'components',
        'config',
        'config-template',
        'github-token',
        'install-nix',
        'metadata-digest',
        'metadata-dir',
        'mode',
        'nix-conf',
        'binary-cache',
        'binary-cache-secret-key',
        'builders-ssh-key',
        'save-cache',
        'sccache',
        'source-dir',
        'trust-metadata',
        'targets',
        'toolchain',
        'upload-artifact',
        'reuse-plan',
        'build-once',
        'publish',
        'publish-remote',
        'publish-branch',
        'publish-component',
      ].sort(),
    );
  });
});

describe('bad values name the input and what it accepts', () => {
  test.each([
    ['mode', 'emit-only', /emit, build, emit-then-build/],
    ['install-nix', 'maybe', /auto, true, false/],
    ['sccache', 'yes', /true or false/],
    ['cache', '1', /true or false/],
    ['save-cache', 'on', /true or false/],
    ['check-run', 'nope', /true or false/],
    ['upload-artifact', 'tru', /true or false/],
    ['reuse-plan', 'no', /true or false/],
    ['publish', 'maybe', /true or false/],
    ['publish-branch', 'lattice/{component}', /\{step\} exactly once/],
    ['publish-component', 'a/b', /only letters, digits/],
    ['source-dir', 'does/not/exist', /does not exist/],
    ['source-dir', 'template.toml', /not a directory/],
    ['config-template', 'missing.toml', /does not exist/],
    ['cache-key-prefix', 'a,b', /commas, white space/],
    ['command', 'cargo build | tee log', /operator '\|'/],
    ['command', 'cargo build; rm -rf /', /operator ';'/],
    ['command', 'cargo build > log', /operator '>'/],
    ['command', 'cargo build && cargo test', /operator '&&'/],
    ['command', 'cargo build &', /operator '&'/],
    ['command', 'cargo build < input', /operator '<'/],
    ['command', 'echo $(id)', /operator/],
  ] as const)('%s: %j', (name, value, accepts) => {
    const e = inputError({ [name]: value });
    expect(e.input).toBe(name);
    expect(e.message).toMatch(new RegExp(`^Input '${name}': `));
    expect(e.message).toMatch(accepts);
    expect(e.message).not.toContain('\n');
  });

  test.each([
    ['cargo "build'],
    ["cargo 'build"],
    ['cargo build --config "a=1'],
    ["python3 x.py build 'library/std"],
  ])('command with an unbalanced quote: %j', (value) => {
    const e = inputError({ command: value });
    expect(e.input).toBe('command');
    expect(e.message).toMatch(/quote/i);
  });
});

describe('command splitting', () => {
  test.each([
    ['cargo build', ['cargo', 'build']],
    ['  cargo   build  --release ', ['cargo', 'build', '--release']],
    ['cargo build --features "a b"', ['cargo', 'build', '--features', 'a b']],
    ["cargo build --features 'a b'", ['cargo', 'build', '--features', 'a b']],
    ['cargo build --features a\\ b', ['cargo', 'build', '--features', 'a b']],
    ['printf "say \\"hi\\""', ['printf', 'say "hi"']],
    ["printf 'it'\"'\"'s'", ['printf', "it's"]],
    ["printf 'c:\\dir\\'", ['printf', 'c:\\dir\\']],
    ['cargo build --config=build.jobs=2', ['cargo', 'build', '--config=build.jobs=2']],
  ])('%j', (raw, argv) => {
    expect(splitCommand(raw)).toEqual(argv);
  });

  test.each([
    ['echo $HOME', ['echo', '$HOME']],
    ['echo "$HOME"', ['echo', '$HOME']],
    ["echo '$HOME'", ['echo', '$HOME']],
    ['echo $1 $@', ['echo', '$1', '$@']],
  ])('variables are never expanded: %j', (raw, argv) => {
    expect(splitCommand(raw)).toEqual(argv);
  });

  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: shell syntax that must stay literal
  test.each([
    ['echo ${HOME}', ['echo', '${HOME}']],
    ['echo "${HOME}/x"', ['echo', '${HOME}/x']],
    ['cargo build --cfg=${X:-y}', ['cargo', 'build', '--cfg=${X:-y}']],
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: shell syntax that must stay literal
  ])('braced variables are kept literally too: %j', (raw, argv) => {
    expect(splitCommand(raw)).toEqual(argv);
  });

  test.each([
    ['ls src/*.rs', ['ls', 'src/*.rs']],
    ["ls 'src/*.rs'", ['ls', 'src/*.rs']],
    ['ls src/?.rs [ab]', ['ls', 'src/?.rs', '[ab]']],
  ])('globs stay literal: %j', (raw, argv) => {
    expect(splitCommand(raw)).toEqual(argv);
  });

  test('the variables of the environment never leak into the arguments', () => {
    process.env.RBN_SHOULD_NOT_EXPAND = 'expanded!';
    try {
      expect(splitCommand('echo $RBN_SHOULD_NOT_EXPAND "$RBN_SHOULD_NOT_EXPAND"')).toEqual([
        'echo',
        '$RBN_SHOULD_NOT_EXPAND',
        '$RBN_SHOULD_NOT_EXPAND',
      ]);
    } finally {
      delete process.env.RBN_SHOULD_NOT_EXPAND;
    }
  });

  test('a command that is only a comment is refused', () => {
    expect(() => splitCommand('# nothing')).toThrow(InputError);
  });

  test('parseInputs splits the command input', () => {
    expect(parse({ command: 'cargo build -p "my crate"' }).command).toEqual([
      'cargo',
      'build',
      '-p',
      'my crate',
    ]);
  });
});
