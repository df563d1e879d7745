// A tiny terminal emulator for tests: what a byte stream leaves on the screen.
// It knows what the CLI and the build write: text, `\r`, `\n`, `\b`, `ESC[K`
// (erase to the end of the line); other escape sequences (colours) are
// skipped. Lines never wrap.

export interface Screen {
  /** Every line, as it is left. */
  lines: string[];
  /** Where the cursor ended: its line and column. */
  row: number;
  col: number;
}

const CSI = new RegExp(`^${String.fromCharCode(27)}\\[([0-9;?]*)([@-~])`);

export function render(stream: string): Screen {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  for (let i = 0; i < stream.length; ) {
    const ch = stream[i]!;
    if (ch === '\x1b') {
      const m = CSI.exec(stream.slice(i, i + 32));
      if (m) {
        if (m[2] === 'K' && (m[1] === '' || m[1] === '0')) lines[row]!.length = col;
        i += m[0].length;
      } else i += 2; // an escape of another kind: skipped with the byte after it
      continue;
    }
    const cp = stream.codePointAt(i)!;
    const char = String.fromCodePoint(cp);
    i += char.length;
    if (char === '\r') col = 0;
    else if (char === '\n') {
      row++;
      col = 0;
      lines[row] ??= [];
    } else if (char === '\b') col = Math.max(0, col - 1);
    else if (cp >= 0x20 || char === '\t') {
      const line = lines[row]!;
      while (line.length < col) line.push(' ');
      line[col++] = char;
    }
  }
  return { lines: lines.map((l) => l.join('')), row, col };
}
