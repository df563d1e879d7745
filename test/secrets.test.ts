// A variable whose name says token, secret, password, credential or key, every
// ACTIONS_* runtime variable and any value equal to the github-token input
// never reach a file the product writes.
import { REDACTED, Redactor, secretValuesOf } from '../src/secrets.js';

const TOKEN = 'ghs_0123456789abcdefghijABCDEFGHIJ';

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
  ])('%s is secret', (name) => {
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
  ])('%s is not', (name) => {
    expect(Redactor.isSecretName(name)).toBe(false);
  });
});

describe('secret values', () => {
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
  });

  test("a record's env: no secret names, no Actions runtime, no host noise, no secret values", () => {
    const env = r.env({
      PATH: '/usr/bin',
      MY_API_TOKEN: 'api-value-123456',
      ACTIONS_RUNTIME_URL: 'https://runtime.invalid/',
      GITHUB_WORKSPACE: '/w',
      RUNNER_TEMP: '/t',
      INPUT_COMMAND: 'cargo build',
      TERM: 'xterm',
      REPO_URL: `https://x-access-token:${TOKEN}@github.com/o/r`,
      CARGO_PKG_NAME: 'corelib',
    });
    expect(env).toEqual({
      CARGO_PKG_NAME: 'corelib',
      PATH: '/usr/bin',
      REPO_URL: `https://x-access-token:${REDACTED}@github.com/o/r`,
    });
  });

  test('a noise variable the step declared reading is kept; a secret one never', () => {
    const env = r.env({ TERM: 'xterm', MY_API_TOKEN: 'x' }, new Set(['TERM', 'MY_API_TOKEN']));
    expect(env).toEqual({ TERM: 'xterm' });
  });
});
