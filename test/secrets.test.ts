// Secrets by name, by shape and inside URLs: a variable whose name says
// token, secret, password, credential, key, PAT, PWD, PASS or AUTH, every
// ACTIONS_* runtime variable, the github-token input, the well-known token
// formats and a URL's password never reach a file the product writes; short
// or common values never cost the build another variable.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { cleanupRecording, prepareRecording } from '../src/emit/recorder.js';
import { memoryLog, redactingLog } from '../src/log.js';
import {
  isSecretName,
  MIN_SECRET_LENGTH,
  REDACTED,
  Redactor,
  SECRET_NAME_PATTERN,
  secretsIn,
  secretValuesOf,
  withheldFromBuild,
} from '../src/util/secrets.js';
import { REPO_ROOT, removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TOKEN = 'ghs_0123456789abcdefghijABCDEFGHIJ';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `n` random characters of `alphabet` (tokens are made here, never kept in the repository). */
function rand(n: number, alphabet = ALNUM): string {
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${rand(64)}\n${rand(64)}\n${rand(20)}==\n-----END RSA PRIVATE KEY-----`;

/** One of each well-known token shape, as real ones look. */
const SHAPED: Record<string, string> = {
  'GitHub classic PAT': `ghp_${rand(36)}`,
  'GitHub OAuth': `gho_${rand(36)}`,
  'GitHub app installation': `ghs_${rand(36)}`,
  'GitHub fine-grained PAT': `github_pat_${rand(22)}_${rand(59)}`,
  npm: `npm_${rand(36)}`,
  GitLab: `glpat-${rand(20)}`,
  'Slack bot': `xoxb-${rand(12, '0123456789')}-${rand(13, '0123456789')}-${rand(24)}`,
  'Slack user': `xoxp-${rand(12, '0123456789')}-${rand(24)}`,
  'Slack webhook': `https://hooks.slack.com/services/T${rand(8, UPPER_ALNUM)}/B${rand(8, UPPER_ALNUM)}/${rand(24)}`,
  'AWS access key id': `AKIA${rand(16, UPPER_ALNUM)}`,
  'PEM private key': PEM,
  'OpenSSH private key': `-----BEGIN OPENSSH PRIVATE KEY-----\n${rand(70)}\n-----END OPENSSH PRIVATE KEY-----`,
};

describe('secret names', () => {
  test.each([
    'MY_API_TOKEN',
    'GITHUB_TOKEN',
    'github_token',
    'NPM_TOKEN',
    'CARGO_REGISTRY_TOKEN',
    'CARGO_REGISTRIES_MY_REG_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCESS_KEY_ID',
    'CLIENT_SECRET',
    'DB_PASSWORD',
    'PGPASSWORD',
    'MYSQL_PASSWD',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'Credential_Helper',
    'SSH_KEY',
    'GPG_PRIVATE_KEY',
    'SIGNING_KEY_ID',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    // By the rules added for issue 10.
    'GH_PAT',
    'GITHUB_PAT',
    'PAT',
    'MYSQL_PWD',
    'DB_PWD',
    'DEPLOY_PASS',
    'PASS',
    'PASS_FILE',
    'smtp_pass',
    'GPG_PASSPHRASE',
    'X_AUTH_HEADER',
    'AUTH',
    'BASIC_AUTH',
    'NPM_AUTH',
    'OAUTH_CLIENT',
    'AUTHORIZATION',
    'PROXY_AUTHENTICATION',
  ])('%s is secret', (name) => {
    expect(isSecretName(name)).toBe(true);
    expect(Redactor.isSecretName(name)).toBe(true);
  });

  test.each([
    'PATH',
    'HOME',
    'RUSTFLAGS',
    'CARGO_PKG_NAME',
    'CARGO_MANIFEST_DIR',
    'OUT_DIR',
    'RUST_BOOTSTRAP_CONFIG',
    'RUSTC_WRAPPER',
    'CC',
    'GITHUB_SHA',
    // The shell's directories, not MySQL's password.
    'PWD',
    'OLDPWD',
    // Cargo gives every compile its package's authors (env!/clap read them); git its author.
    'CARGO_PKG_AUTHORS',
    'GIT_AUTHOR_NAME',
    'GIT_AUTHOR_EMAIL',
    'AUTHOR',
    // PASS and PAT only as words.
    'PASSTHROUGH',
    'NO_BYPASS',
    'PATCH_LEVEL',
    'XPATH',
    'CI',
    'RUST_BACKTRACE',
  ])('%s is not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  test("the recorder's filter is the same pattern (it runs in bash, without Node)", () => {
    const script = readFileSync(join(REPO_ROOT, 'src/assets/recorder/record.sh'), 'utf8');
    expect(script).toContain(`local secret='${SECRET_NAME_PATTERN}'`);
  });

  test("the recorder's glob before the pattern lets every name the pattern matches through", () => {
    // record.sh tries the regex only on names its `case` glob matches (bash compiles
    // a regex on every use): the glob must hold every secret name.
    const script = readFileSync(join(REPO_ROOT, 'src/assets/recorder/record.sh'), 'utf8');
    const line = /^\s*(ACTIONS_\*[^)]*)\)$/m.exec(script)?.[1];
    expect(line).toBeDefined();
    const globs = line!.split('|').map((g) => g.trim());
    const glob = new RegExp(
      `^(${globs.map((g) => g.split('*').map(escapeRegExp).join('.*')).join('|')})$`,
      'i',
    );
    const words = [
      'token',
      'secret',
      'pass',
      'word',
      'or',
      'phrase',
      'credential',
      'key',
      'pat',
      'pwd',
      'auth',
      'o',
      'r',
      's',
      '_',
      'x',
      'A',
      'P',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 6 }), (parts) => {
        const name = parts.join('');
        if (isSecretName(name)) expect(glob.test(name)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('secrets by shape', () => {
  test.each(Object.entries(SHAPED))('%s is found and scrubbed inside other text', (_, value) => {
    expect(secretsIn(value)).toEqual([value]);
    const r = new Redactor([]);
    expect(r.scrub(`--cfg note="${value}" x`)).toBe(`--cfg note="${REDACTED}" x`);
    expect(r.scrub(`NOTE=${value}\nnext`)).toBe(`NOTE=${REDACTED}\nnext`);
  });

  test.each([
    ['a short ghp_', 'ghp_short'],
    ['ghp_ with 35 characters', `ghp_${'a'.repeat(35)}`],
    ['ghp_ inside a longer word', `xghp_${'a'.repeat(36)}`],
    ['an unknown gh prefix', `ghx_${'a'.repeat(36)}`],
    ['npm_ with 20 characters', `npm_${'a'.repeat(20)}`],
    ['a short glpat-', 'glpat-short'],
    ['xox without its kind', `xox-${'1'.repeat(20)}`],
    ['AKIA in lower case', `akia${'a'.repeat(16)}`],
    ['AKIA with 15 characters', `AKIA${'A'.repeat(15)}`],
    ['a public key block', '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----'],
    ['a Slack page', 'https://slack.com/services/T000'],
    ['a crate path', '/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/npm_utils-0.1.0'],
  ])('%s is not a token', (_, text) => {
    expect(secretsIn(text)).toEqual([]);
    expect(new Redactor([]).scrub(text)).toBe(text);
  });

  test('a private key block without its end is scrubbed to the end of the text', () => {
    const cut = PEM.slice(0, 80);
    expect(new Redactor([]).scrub(`key: ${cut}`)).toBe(`key: ${REDACTED}`);
  });
});

describe('URL passwords', () => {
  test('the password goes, the user, host, port and path stay', () => {
    const r = new Redactor([]);
    expect(r.scrub('postgres://u:pw@h/db')).toBe(`postgres://u:${REDACTED}@h/db`);
    expect(r.scrub('DATABASE_URL=mysql://app:S3cr:et!@db.internal:3306/app?ssl=1')).toBe(
      `DATABASE_URL=mysql://app:${REDACTED}@db.internal:3306/app?ssl=1`,
    );
    expect(r.scrub('git clone "https://user:hunter2hunter2@git.example/r.git"')).toBe(
      `git clone "https://user:${REDACTED}@git.example/r.git"`,
    );
    expect(r.scrub(`https://x-access-token:${REDACTED}@github.com/o/r`)).toBe(
      `https://x-access-token:${REDACTED}@github.com/o/r`,
    );
  });

  test('URLs without a password are left alone', () => {
    const r = new Redactor([]);
    for (const text of [
      'https://github.com/o/r',
      'ssh://git@github.com:22/o/r.git',
      'http://localhost:8080/a@b',
      'git@github.com:o/r.git',
      'https://user@example.com/',
    ])
      expect(r.scrub(text)).toBe(text);
  });

  test('a long password becomes a known value, so it is scrubbed outside its URL too', () => {
    const masked: string[] = [];
    const r = new Redactor([], (v) => masked.push(v));
    r.scrub('postgres://app:Sup3rS3cretPw@db/app');
    expect(masked).toEqual(['Sup3rS3cretPw']);
    expect(r.scrub('PGPASS=Sup3rS3cretPw')).toBe(`PGPASS=${REDACTED}`);
  });
});

describe('secret values of an environment', () => {
  test('the token and the values of secret-named variables', () => {
    const values = secretValuesOf(
      {
        MY_API_TOKEN: 'api-value-123456',
        PATH: '/usr/bin',
        DB_PASSWORD: 'hunter2hunter2',
        EMPTY_TOKEN: '',
      },
      TOKEN,
    );
    expect(values).toEqual(expect.arrayContaining([TOKEN, 'api-value-123456', 'hunter2hunter2']));
    expect(values).not.toContain('/usr/bin');
  });

  test('token shapes under innocuous names, and URL passwords', () => {
    const values = secretValuesOf(
      {
        BUILD_NOTE: `see ${SHAPED['GitHub classic PAT']} here`,
        DATABASE_URL: 'postgres://app:Sup3rS3cretPw@db.internal/app',
        SHORT_URL: 'postgres://u:pw@h/db',
        RUSTFLAGS: `--cfg note="${SHAPED.npm}"`,
      },
      '',
    );
    expect(values.sort()).toEqual(
      [SHAPED['GitHub classic PAT'], 'Sup3rS3cretPw', SHAPED.npm].sort() as string[],
    );
  });

  test('short values and paths of secret-named variables are no secrets', () => {
    const dir = tempDir('rbn-secret-path-');
    expect(
      secretValuesOf({ SORT_KEY: '1', CACHE_KEY: 'true', SSH_AUTH_SOCK: dir, KEY_FILE: dir }, ''),
    ).toEqual([]);
  });

  test('no token and no secrets: nothing to scrub, not even the empty string', () => {
    expect(secretValuesOf({ PATH: '/usr/bin', EMPTY: '' }, '')).toEqual([]);
  });
});

describe('scrubbing', () => {
  const r = new Redactor([TOKEN, 'api-value-123456', `${TOKEN}-longer`]);

  test('every occurrence, inside other text, longest value first', () => {
    expect(r.scrub(`a ${TOKEN} b ${TOKEN}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
    expect(r.scrub(`https://x-access-token:${TOKEN}@github.com/o/r`)).toBe(
      `https://x-access-token:${REDACTED}@github.com/o/r`,
    );
    expect(r.scrub(`${TOKEN}-longer`)).toBe(REDACTED);
    expect(r.scrub('--cfg=api-value-123456')).toBe(`--cfg=${REDACTED}`);
    expect(r.scrub('nothing secret here')).toBe('nothing secret here');
  });

  test('short values are not scrubbed (too common to be told from ordinary text)', () => {
    expect(new Redactor(['1', 'true']).scrub('1 true')).toBe('1 true');
    expect(MIN_SECRET_LENGTH).toBe(8);
  });

  test("a record's env: no secret names, no Actions runtime, no host noise, no secret values", () => {
    const env = new Redactor([TOKEN, 'api-value-123456']).env({
      PATH: '/usr/bin',
      MY_API_TOKEN: 'api-value-123456',
      GH_PAT: 'not-by-value-but-by-name',
      MYSQL_PWD: 'x',
      X_AUTH_HEADER: 'Bearer abc',
      ACTIONS_RUNTIME_URL: 'https://runtime.invalid/',
      GITHUB_WORKSPACE: '/w',
      RUNNER_TEMP: '/t',
      INPUT_COMMAND: 'cargo build',
      TERM: 'xterm',
      REPO_URL: `https://x-access-token:${TOKEN}@github.com/o/r`,
      DATABASE_URL: 'postgres://u:pw@h/db',
      BUILD_NOTE: SHAPED.GitLab!,
      CARGO_PKG_NAME: 'corelib',
      CARGO_PKG_AUTHORS: 'The Rust Project Developers',
      PWD: '/w',
    });
    expect(env).toEqual({
      BUILD_NOTE: REDACTED,
      CARGO_PKG_AUTHORS: 'The Rust Project Developers',
      CARGO_PKG_NAME: 'corelib',
      DATABASE_URL: `postgres://u:${REDACTED}@h/db`,
      PATH: '/usr/bin',
      REPO_URL: `https://x-access-token:${REDACTED}@github.com/o/r`,
    });
  });

  test('a noise variable the step declared reading is kept; a secret one never', () => {
    const env = r.env({ TERM: 'xterm', MY_API_TOKEN: 'x' }, new Set(['TERM', 'MY_API_TOKEN']));
    expect(env).toEqual({ TERM: 'xterm' });
  });

  test('deep: every string of a record or plan, numbers and keys kept', () => {
    const gh = SHAPED['GitHub classic PAT']!;
    expect(
      new Redactor([]).deep({
        args: ['--cfg', `note="${gh}"`],
        cwd: `/w/${gh}`,
        exit_code: 0,
        nested: [{ x: gh, n: null }],
      }),
    ).toEqual({
      args: ['--cfg', `note="${REDACTED}"`],
      cwd: `/w/${REDACTED}`,
      exit_code: 0,
      nested: [{ x: REDACTED, n: null }],
    });
  });
});

describe('masking as found', () => {
  test('each known value is masked once, a multi-line one also line by line', () => {
    const masked: string[] = [];
    const r = new Redactor([TOKEN, TOKEN, 'short', PEM], (v) => masked.push(v));
    const lines = PEM.split('\n').slice(1, -1);
    expect(masked).toEqual([TOKEN, PEM, ...lines]);
    // A shape met later in text is masked the moment it is found, then known.
    const gh = SHAPED['GitHub OAuth']!;
    r.scrub(`a ${gh}`);
    r.scrub(`b ${gh}`);
    expect(masked.slice(-1)).toEqual([gh]);
    expect(masked.filter((m) => m === gh)).toHaveLength(1);
    // Each line of the key is scrubbed on its own too (a log prints it line by line).
    expect(r.scrub(`printed ${lines[1]}`)).toBe(`printed ${REDACTED}`);
  });

  test('a redacting log scrubs messages and titles and passes masks on', async () => {
    const inner = memoryLog();
    const r = new Redactor([TOKEN], (v) => inner.mask(v));
    const log = redactingLog(inner, (t) => r.scrub(t));
    log.info(`cloning https://u:${TOKEN}@h/r`);
    log.warning(`token ${SHAPED.npm}`);
    await log.group(`run ${TOKEN}`, async () => {});
    expect(inner.lines).toEqual([
      `info: cloning https://u:${REDACTED}@h/r`,
      `warning: token ${REDACTED}`,
      `group: run ${REDACTED}`,
    ]);
    expect(inner.masked).toEqual([TOKEN, SHAPED.npm]);
  });
});

describe("the build's output stream", () => {
  test('a secret split across chunks is still scrubbed; the rest passes unchanged', () => {
    const gh = SHAPED['GitHub fine-grained PAT']!;
    const out: { stream: string; text: string }[] = [];
    const s = new Redactor([TOKEN]).stream((chunk, stream) =>
      out.push({ stream, text: chunk.toString('utf8') }),
    );
    const text = `Compiling tiny ✓\nwarning: ${gh} and ${TOKEN}\n   Finished\npartial ${TOKEN}`;
    const bytes = Buffer.from(text);
    // Every 7 bytes, on stdout, and once on stderr whole.
    for (let i = 0; i < bytes.length; i += 7) s.write(bytes.subarray(i, i + 7), 'stdout');
    s.write(bytes, 'stderr');
    s.flush();
    const expected = text.split(gh).join(REDACTED).split(TOKEN).join(REDACTED);
    const of = (stream: string): string =>
      out
        .filter((o) => o.stream === stream)
        .map((o) => o.text)
        .join('');
    expect(of('stdout')).toBe(expected);
    expect(of('stderr')).toBe(expected);
  });
});

describe("the build's environment", () => {
  function buildEnvOf(env: Record<string, string>, token: string): NodeJS.ProcessEnv {
    const setup = prepareRecording({
      baseEnv: { ...env, RUNNER_TEMP: tempDir('rbn-prep-') },
      rustc: '/usr/bin/rustc',
      cargo: '/usr/bin/cargo',
      nextWrapper: null,
      withheld: withheldFromBuild(token),
      extraEnv: {},
    });
    cleanupRecording(setup.recordDir);
    return setup.env;
  }

  test('short or common values never drop other variables', () => {
    const env = buildEnvOf(
      { CI: 'true', RUST_BACKTRACE: '1', SORT_KEY: '1', CACHE_KEY: 'true', PATH: '/usr/bin' },
      'true',
    );
    expect(env).toMatchObject({
      CI: 'true',
      RUST_BACKTRACE: '1',
      SORT_KEY: '1',
      CACHE_KEY: 'true',
    });
  });

  test('secret-named variables reach the build; the github token and the Actions runtime do not', () => {
    const env = buildEnvOf(
      {
        GH_PAT: SHAPED['GitHub classic PAT']!,
        CARGO_REGISTRY_TOKEN: 'registry-token-123',
        GITHUB_TOKEN: TOKEN,
        COPY_OF_TOKEN: TOKEN,
        ACTIONS_RUNTIME_TOKEN: 'rt-1234567890',
        INPUT_COMMAND: 'cargo build',
        PATH: '/usr/bin',
      },
      TOKEN,
    );
    expect(env.GH_PAT).toBe(SHAPED['GitHub classic PAT']);
    expect(env.CARGO_REGISTRY_TOKEN).toBe('registry-token-123');
    for (const gone of ['GITHUB_TOKEN', 'COPY_OF_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'INPUT_COMMAND'])
      expect(env[gone]).toBeUndefined();
  });

  test('a short github token withholds nothing', () => {
    expect(withheldFromBuild('true')).toEqual([]);
    expect(withheldFromBuild(TOKEN)).toEqual([TOKEN]);
  });
});
