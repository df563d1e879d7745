// Keeps secrets out of every file the product writes and out of its log.
// A variable is secret by its name (token, secret, password, credential, key),
// by being part of the Actions runtime (ACTIONS_*), or by holding the token.

const SECRET_NAME = /token|secret|passw(or)?d|credential|key/i;
const NOISE_NAME =
  /^(TERM|COLORTERM|LS_COLORS|SHLVL|PWD|OLDPWD|_|PS1|PS2|PROMPT_COMMAND|MAIL|DISPLAY|WINDOWID|INVOCATION_ID|JOURNAL_STREAM|TMUX|TMUX_PANE|STY|HISTFILE|HISTSIZE|LESSOPEN|LESSCLOSE)$|^(SSH_|XDG_|GITHUB_|RUNNER_|INPUT_|STATE_|RBN_)/;

export const REDACTED = '***';

export class Redactor {
  private readonly values: string[];

  constructor(secretValues: readonly string[]) {
    // Longest first, so a value that contains another is replaced whole.
    // Short values ("1", "true") are too common to scrub from arguments.
    this.values = [...new Set(secretValues.filter((v) => v.length >= 8))].sort(
      (a, b) => b.length - a.length,
    );
  }

  static isSecretName(name: string): boolean {
    return SECRET_NAME.test(name) || name.startsWith('ACTIONS_');
  }

  /** Replaces every known secret value inside `text`. */
  scrub(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
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
      if (Redactor.isSecretName(name) || (NOISE_NAME.test(name) && !declared.has(name))) continue;
      out[name] = this.scrub(env[name]!);
    }
    return out;
  }
}

/** Secret values present in an environment: what must be scrubbed everywhere. */
export function secretValuesOf(
  env: Readonly<Record<string, string | undefined>>,
  token: string,
): string[] {
  const values = token ? [token] : [];
  for (const [name, value] of Object.entries(env)) {
    if (value && SECRET_NAME.test(name)) values.push(value);
  }
  return values;
}
