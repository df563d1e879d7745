// Keeps secrets out of every file the product writes and out of its log.
// A secret is found three ways:
//  - by the name of the variable holding it (SECRET_NAME_PATTERN below), or
//    by being part of the Actions runtime (ACTIONS_*);
//  - by its shape, wherever it stands: the token formats of GitHub, npm,
//    GitLab, Slack and AWS, Slack webhook URLs and PEM private key blocks;
//  - as the password of a URL (`scheme://user:password@host`): the URL stays,
//    its password becomes ***.
// Known values (the github token, the values of secret-named variables, every
// shape or URL password found in the environment) are also scrubbed wherever
// they appear, but only from 8 characters on: shorter ones ("1", "true") are
// too common to be told from ordinary text.
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Inputs } from '../types.js';

export const REDACTED = '***';

/** Known values shorter than this are never scrubbed, masked or used to drop a variable. */
export const MIN_SECRET_LENGTH = 8;

/**
 * A secret variable name, case-insensitive, as a POSIX ERE that JavaScript
 * reads the same way: the recorder (assets/recorder/record.sh) uses it too.
 * - token, secret, password/passwd/passphrase, credential, key anywhere;
 * - PASS as a word (`DEPLOY_PASS`, `PASS_FILE`; not `PASSTHROUGH`, `BYPASS`);
 * - `*_PAT` (personal access tokens), `*_PWD` (`MYSQL_PWD`; `PWD` and
 *   `OLDPWD`, the shell's directories, have no `_` before it);
 * - AUTH anywhere (`X_AUTH_HEADER`, `OAUTH_*`, `AUTHORIZATION`) except as
 *   the word AUTHOR(S): cargo gives every compile `CARGO_PKG_AUTHORS`, which
 *   `env!()` reads (clap's crate_authors!), and git has `GIT_AUTHOR_*`.
 *   Written without look-ahead, which ERE lacks.
 */
export const SECRET_NAME_PATTERN =
  'token|secret|passw(or)?d|passphrase|credential|key|(^|_)pass(_|$)|(^|_)pat$|_pwd$|auth($|[^o]|o$|o[^r]|or[^s_]|ors[^_])';
const SECRET_NAME = new RegExp(SECRET_NAME_PATTERN, 'i');

/** A variable whose value is a secret because of its name (or the Actions runtime's). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || name.startsWith('ACTIONS_');
}

// Host noise: a record keeps it only where the step declared reading it.
const NOISE_NAME =
  /^(TERM|COLORTERM|LS_COLORS|SHLVL|PWD|OLDPWD|_|PS1|PS2|PROMPT_COMMAND|MAIL|DISPLAY|WINDOWID|INVOCATION_ID|JOURNAL_STREAM|TMUX|TMUX_PANE|STY|HISTFILE|HISTSIZE|LESSOPEN|LESSCLOSE)$|^(SSH_|XDG_|GITHUB_|RUNNER_|INPUT_|STATE_|RBN_)/;

// Token formats with their real lengths, so that `ghp_short` or a word that
// happens to start like one is left alone. Each is bounded: no letter, digit
// or `_` right before or after it.
const B = '(?<![A-Za-z0-9_])';
const E = '(?![A-Za-z0-9_])';
export const TOKEN_SHAPES: Readonly<Record<string, string>> = {
  // ghp_ (classic PAT), gho_ (OAuth), ghu_/ghs_ (app user/installation), ghr_ (refresh).
  github: `${B}gh[pousr]_[A-Za-z0-9]{36,251}${E}`,
  'github fine-grained': `${B}github_pat_[A-Za-z0-9]{22,}_[A-Za-z0-9]{59,}${E}`,
  npm: `${B}npm_[A-Za-z0-9]{36}${E}`,
  gitlab: `${B}glpat-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])`,
  slack: `${B}xox[abposr]-[A-Za-z0-9-]{10,}(?![A-Za-z0-9-])`,
  'slack webhook': 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]+',
  'aws access key': '(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])',
  // The whole block, or everything from its start where the end is missing.
  'private key':
    '-----BEGIN[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]*?-----END[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----|[\\s\\S]*$)',
};
const SHAPES = new RegExp(
  Object.values(TOKEN_SHAPES)
    .map((p) => `(?:${p})`)
    .join('|'),
  'g',
);
// How every shape starts: a test ten times cheaper than SHAPES where nothing matches (nearly always).
const SHAPE_START =
  /gh[pousr]_|github_pat_|npm_|glpat-|xox[abposr]-|hooks\.slack\.com|A[KS]IA|-----BEGIN/;
// scheme://user:password@ — the password may hold `:`, never `/?#@`, space or quotes.
const URL_PASSWORD = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:'"<>]*):([^\s/?#@'"<>]+)@/gi;

/** Token-shaped substrings and URL passwords in `text` (what scrub() would replace by shape). */
export function secretsIn(text: string): string[] {
  const found = SHAPE_START.test(text) ? [...text.matchAll(SHAPES)].map((m) => m[0]) : [];
  if (text.includes('://'))
    for (const m of text.matchAll(URL_PASSWORD)) if (m[2] !== REDACTED) found.push(m[2]!);
  return found;
}

/** A value naming an existing absolute path tells where a secret is (SSH_KEY_PATH), not the secret. */
function isPath(value: string): boolean {
  return isAbsolute(value) && existsSync(value);
}

/** What to mask for `value`: itself, and each line of a multi-line one (a PEM block). */
function maskable(value: string): string[] {
  if (!value.includes('\n')) return [value];
  const lines = value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) /.test(l));
  return [value, ...lines];
}

export class Redactor {
  private values: string[] = [];
  private readonly known = new Set<string>();

  /**
   * `secretValues`: scrubbed wherever they appear (from 8 characters on).
   * `onFound`: called once for each value to mask: the known ones, and every
   * shape or URL password met later in text.
   */
  constructor(
    secretValues: readonly string[],
    private readonly onFound: (value: string) => void = () => {},
  ) {
    for (const v of secretValues) this.learn(v);
  }

  static isSecretName(name: string): boolean {
    return isSecretName(name);
  }

  /** Adds a value to scrub (and to mask); short and empty ones are ignored. */
  learn(value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.known.has(value)) return;
    for (const v of maskable(value)) {
      if (this.known.has(v)) continue;
      this.known.add(v);
      this.onFound(v);
    }
    // Longest first, so that a value holding another is replaced whole.
    this.values = [...this.known].sort((a, b) => b.length - a.length);
  }

  /** Every known value, token shape and URL password inside `text`, replaced by ***. */
  scrub(text: string): string {
    if (text.length < MIN_SECRET_LENGTH) return text;
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    if (SHAPE_START.test(out))
      out = out.replace(SHAPES, (m) => {
        this.learn(m);
        return REDACTED;
      });
    if (out.includes('://'))
      out = out.replace(URL_PASSWORD, (m, head: string, password: string) => {
        if (password === REDACTED) return m;
        this.learn(password);
        return `${head}:${REDACTED}@`;
      });
    return out;
  }

  /**
   * The kind of secret `text` (a source file's content) holds, or null: a
   * value this run knows to be one, or a token shape. URL passwords are left
   * out here: documentation in sources is full of `postgres://user:pass@host`.
   */
  secretKindIn(text: string): string | null {
    if (this.values.some((v) => text.includes(v))) return 'a value this run knows to be secret';
    if (!SHAPE_START.test(text)) return null;
    for (const [kind, pattern] of Object.entries(TOKEN_SHAPES))
      if (new RegExp(pattern).test(text)) return `shaped like a ${kind} secret`;
    return null;
  }

  /** A copy of a JSON value (a record, a plan) with every string in it scrubbed. */
  deep<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.deep(v);
      return out as T;
    }
    return value;
  }

  /**
   * The environment as a record keeps it: no secret names, no secret values,
   * no host noise unless the step declared reading it (`declared`).
   */
  env(
    env: Readonly<Record<string, string>>,
    declared: ReadonlySet<string> = new Set(),
  ): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of Object.keys(env).sort()) {
      if (isSecretName(name) || (NOISE_NAME.test(name) && !declared.has(name))) continue;
      out[name] = this.scrub(env[name]!);
    }
    return out;
  }

  /**
   * A program's output with every line scrubbed before it is passed on. Lines
   * are held until their end (`\n` or `\r`), so a secret split across two
   * chunks is still caught; `flush()` passes on what is left.
   */
  stream(output: (chunk: Buffer, stream: 'stdout' | 'stderr') => void): {
    write: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
    flush: () => void;
  } {
    const pending = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
    const pass = (data: Buffer, stream: 'stdout' | 'stderr'): void => {
      if (data.length > 0) output(Buffer.from(this.scrubLines(data.toString('utf8'))), stream);
    };
    return {
      write: (chunk, stream) => {
        const data = Buffer.concat([pending[stream], chunk]);
        const cut = Math.max(data.lastIndexOf(0x0a), data.lastIndexOf(0x0d)) + 1;
        // A line without end past 64 KiB is passed on as it is so far.
        const upTo = cut === 0 && data.length > 65536 ? data.length : cut;
        pending[stream] = data.subarray(upTo);
        pass(data.subarray(0, upTo), stream);
      },
      flush: () => {
        for (const s of ['stdout', 'stderr'] as const) {
          pass(pending[s], s);
          pending[s] = Buffer.alloc(0);
        }
      },
    };
  }

  private scrubLines(text: string): string {
    return text
      .split(/(\r?\n|\r)/)
      .map((part, i) => (i % 2 === 0 ? this.scrub(part) : part))
      .join('');
  }
}

/**
 * Secret values present in an environment, to scrub everywhere and to mask:
 * the token, the values of secret-named variables (not a short one, not a
 * path), and every token shape and URL password in any value.
 */
export function secretValuesOf(
  env: Readonly<Record<string, string | undefined>>,
  ...inputs: readonly (string | null)[]
): string[] {
  const values = new Set<string>();
  const add = (v: string): void => {
    if (v.length >= MIN_SECRET_LENGTH) values.add(v);
  };
  for (const v of inputs) if (v) add(v);
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name) && !isPath(value)) add(value);
    for (const s of secretsIn(value)) add(s);
  }
  return [...values];
}

/** The action's own secret inputs, by input name: the GitHub token, the binary cache's signing key, the builders' SSH key. */
export const SECRET_INPUTS = {
  'github-token': 'githubToken',
  'binary-cache-secret-key': 'binaryCacheSecretKey',
  'builders-ssh-key': 'buildersSshKey',
} as const satisfies Record<string, keyof Inputs>;

/** The values of SECRET_INPUTS in `inputs`. */
export function secretInputsOf(
  inputs: Pick<Inputs, (typeof SECRET_INPUTS)[keyof typeof SECRET_INPUTS]>,
): (string | null)[] {
  return Object.values(SECRET_INPUTS).map((k) => inputs[k]);
}

/**
 * Values no variable of the build's environment may hold: the github-token
 * input and the action's other secret inputs (the binary cache's signing
 * key, the builders' SSH key) are for this action, not for every build
 * script it runs. Never a short one: `CACHE_KEY=true` must not cost the
 * build `CI=true`. Secret-named variables do reach the build (a build may
 * need its registry token); only the files and the log never hold them.
 */
export function withheldFromBuild(...secrets: readonly (string | null)[]): string[] {
  return secrets.filter((s): s is string => s !== null && s.length >= MIN_SECRET_LENGTH);
}
