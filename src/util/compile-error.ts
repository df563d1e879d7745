// What a failed build said, in its own words: rustc's first error line and
// the crate cargo names (`could not compile`), with terminal colours removed.
// Any escape sequence (CSI: colours, cursor moves, erases; OSC: titles,
// links) and any other control character but tab and newline.
const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
const ANSI = new RegExp(
  `${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?|${ESC}[@-_]?|[\\x00-\\x08\\x0b-\\x1f\\x7f]`,
  'g',
);

/** Text as a log that is not a terminal should hold it: no escape sequence or control character. */
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
