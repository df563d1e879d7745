// What a failed build said, in its own words: rustc's first error line and
// the crate cargo names (`could not compile`), with terminal colours removed.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** rustc's first error line in cargo's output, and the crate cargo names. */
export function firstCompileError(output: string): {
  crate: string | null;
  message: string | null;
} {
  const plain = stripAnsi(output);
  const message =
    plain
      .split('\n')
      .find(
        (l) =>
          /^error(\[E\d+\])?: /.test(l) && !/^error: (could not compile|aborting due to)/.test(l),
      ) ?? null;
  const crate = /could not compile `([^`]+)`/.exec(plain)?.[1] ?? null;
  return { crate, message: message?.trim() ?? null };
}
