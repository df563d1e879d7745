// The bench's table: one row per measurement, each against its baseline,
// with the target and whether it was met. Rows from any bench (recording,
// Nix) share this shape, so they print side by side in one table.

export interface BenchRow {
  /** What was measured. */
  what: string;
  /** Milliseconds; the median when `samples` are given. */
  measured: number;
  /** Every run's milliseconds, when the measurement was repeated. */
  samples?: number[];
  /** The row it is compared with (its `what`), or '' when it stands alone. */
  against: string;
  /** The baseline's milliseconds, or null. */
  baseline: number | null;
  /** The target, as text: `≤ 1.05x`, `< 5%`, `< 30 s`. */
  target: string;
  ok: boolean;
  note: string;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** measured / baseline (`1.032x`, `0.012x`), or '' without a baseline. */
export function ratio(measured: number, baseline: number | null): string {
  if (baseline === null || baseline <= 0) return '';
  return `${(measured / baseline).toFixed(3)}x`;
}

/** A row comparing the median of `samples` with a baseline row, `ok` when within `maxRatio`. */
export function ratioRow(
  what: string,
  samples: readonly number[],
  base: BenchRow,
  maxRatio: number,
  note = '',
): BenchRow {
  const measured = median(samples);
  return {
    what,
    measured,
    samples: [...samples],
    against: base.what,
    baseline: base.measured,
    target: `≤ ${maxRatio.toFixed(2)}x`,
    ok: measured <= maxRatio * base.measured,
    note,
  };
}

/** A baseline row: the median of `samples`, nothing to meet. */
export function baselineRow(what: string, samples: readonly number[], note = ''): BenchRow {
  return {
    what,
    measured: median(samples),
    samples: [...samples],
    against: '',
    baseline: null,
    target: '',
    ok: true,
    note,
  };
}

/** The rows as a Markdown table (readable as plain text too). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = [
    'measurement',
    'median',
    'runs',
    'against',
    'baseline',
    'ratio',
    'target',
    'met',
    'notes',
  ];
  const body = rows.map((r) => [
    r.what,
    seconds(r.measured),
    r.samples ? r.samples.map((s) => (s / 1000).toFixed(1)).join(' / ') : '1',
    r.against,
    r.baseline === null ? '' : seconds(r.baseline),
    ratio(r.measured, r.baseline),
    r.target,
    r.target === '' ? '' : r.ok ? 'yes' : 'NO',
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Prints the table (to stdout unless told otherwise). */
export function printTable(
  rows: readonly BenchRow[],
  out: { write(s: string): unknown } = process.stdout,
): void {
  out.write(`${formatTable(rows)}\n`);
}
