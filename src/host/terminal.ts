// The CLI's Log on a terminal: the build's own lines scroll above one status
// line ("[nix build] 3/5 steps · 1 built · 2 reused · 0:04") that is cleared
// before anything else is written and drawn again only at a line boundary.
// The build's incomplete last line is held back, so neither the status nor a
// line of ours ever lands in the middle of one. When a stage ends, its last
// count stays as a line of its own. When stderr is not a terminal
// (or TERM=dumb): plain lines, no carriage return and no escape sequence.
// NO_COLOR (any non-empty value) turns our colours off.
import { StringDecoder } from 'node:string_decoder';
import type { Log } from '../log.js';

export interface TerminalStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface TerminalOptions {
  /** Our lines, the status line and the build's stderr (process.stderr). */
  err: TerminalStream;
  /** The build's stdout and the run's outputs (process.stdout). */
  out: TerminalStream;
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

export interface TerminalLog extends Log {
  /** The build's own output (the pipeline's `output`). */
  output(chunk: Buffer | string, stream: 'stdout' | 'stderr'): void;
  /** One line of ours on stderr, as it is (no prefix). */
  line(text: string): void;
  /** One line on stdout (the outputs), below whatever is on the screen. */
  result(text: string): void;
  /**
   * Writes what the build left without a line end, removes the status line and
   * stops the timers: the cursor is at column 0 of an empty line.
   */
  finish(): void;
  /** Whether the status line is in use (stderr a terminal). */
  readonly interactive: boolean;
}

/** At most this many status redraws per second. */
const FRAME_MS = 100;
/** A build's incomplete line is shown anyway after this long without its end. */
const HOLD_MS = 1000;
/** …or once it is this long. */
const HOLD_CHARS = 64 * 1024;
/** A plain progress line at most this often for one stage (its first and last are always shown). */
const PLAIN_PROGRESS_MS = 10_000;

const ESC = '\x1b';
const CLEAR_LINE = `\r${ESC}[K`;

interface Status {
  label: string;
  done: number;
  total: number | undefined;
  detail: string | undefined;
  /** When its stage began: its group's start, else its first count. */
  since: number;
  /** The group it belongs to: it ends with that group. */
  depth: number;
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** The status's words but the time: `[label] done/total steps · detail`. */
export function progressText(s: Pick<Status, 'label' | 'done' | 'total' | 'detail'>): string {
  const count = s.total ? `${s.done}/${s.total} steps` : `${s.done} done`;
  return [`[${s.label}] ${count}`, ...(s.detail ? [s.detail] : [])].join(' · ');
}

/** At most `width` characters (code points), an ellipsis marking the cut. */
function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

export function terminalLog(opts: TerminalOptions): TerminalLog {
  const { err, out, env } = opts;
  const now = opts.now ?? Date.now;
  const interactive = err.isTTY === true && env.TERM !== 'dumb';
  const color = interactive && !env.NO_COLOR;
  const sgr = (code: string, text: string, reset: string): string =>
    color ? `${ESC}[${code}m${text}${ESC}[${reset}m` : text;
  // stdout on the same terminal shares the screen's line (and the status's).
  const sharedScreen = interactive && out.isTTY === true;
  type Line = 'err' | 'out';
  type Stream = 'stdout' | 'stderr';
  const lineOf = (s: Stream): Line => (s === 'stderr' || sharedScreen ? 'err' : 'out');

  /** Whether the cursor is past text without a line end. */
  const midLine: Record<Line, boolean> = { err: false, out: false };
  /** The build's incomplete last line, per stream, not written yet. */
  const held: Record<Stream, string> = { stdout: '', stderr: '' };
  const holdTimers: Partial<Record<Stream, NodeJS.Timeout>> = {};
  /** A character split between two chunks waits for its end. */
  const decoders: Record<Stream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };

  /** The stage's progress (on a terminal: what the status line shows). */
  let status: Status | null = null;
  /** Whether the status line is on the screen now (the cursor at its end). */
  let shown = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawTimer: NodeJS.Timeout | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let depth = 0;
  /** When each open group began: a stage's time counts from its group's start. */
  const groupStarts: number[] = [];
  /** Plain lines: the last progress printed and when. */
  let printed: { text: string; at: number } | null = null;

  const width = (): number => {
    const cols = err.columns || Number(env.COLUMNS) || 80;
    return Math.max(10, cols - 1); // never the last column: no automatic wrap
  };

  const hide = (): void => {
    if (shown) err.write(CLEAR_LINE);
    shown = false;
  };

  /** `[label] count` as it is, what follows dimmed. */
  const paint = (text: string): string => {
    const cut = text.indexOf(' · ');
    return cut < 0 ? text : `${text.slice(0, cut)}${sgr('2', text.slice(cut), '22')}`;
  };
  const fullText = (s: Status): string => `${progressText(s)} · ${formatElapsed(now() - s.since)}`;

  const draw = (): void => {
    if (!interactive || !status || midLine.err) return;
    err.write(`\r${paint(truncate(fullText(status), width()))}${ESC}[K`);
    shown = true;
    lastDraw = now();
  };

  const scheduleDraw = (): void => {
    if (!interactive || !status) return;
    const wait = FRAME_MS - (now() - lastDraw);
    if (drawTimer && wait > 0) return; // already due to be drawn
    if (drawTimer) clearTimeout(drawTimer);
    drawTimer = null;
    if (wait <= 0) {
      draw();
      return;
    }
    drawTimer = setTimeout(() => {
      drawTimer = null;
      draw();
    }, wait);
    drawTimer.unref();
  };

  /** Writes the build's text where it belongs, the status line out of its way. */
  const emit = (s: Stream, text: string): void => {
    if (!text) return;
    const line = lineOf(s);
    if (line === 'err') hide();
    (s === 'stdout' ? out : err).write(text);
    midLine[line] = !text.endsWith('\n');
    if (line === 'err') scheduleDraw();
  };

  const release = (s: Stream): void => {
    clearTimeout(holdTimers[s]);
    delete holdTimers[s];
    const text = held[s];
    held[s] = '';
    emit(s, text);
  };

  /** A whole line of ours, on a line of its own. */
  const ownLine = (line: Line, text: string, stream: TerminalStream = err): void => {
    if (line === 'err') hide();
    if (midLine[line]) stream.write('\n');
    midLine[line] = false;
    stream.write(`${text}\n`);
    scheduleDraw();
  };

  const printProgress = (s: Status): void => {
    ownLine('err', paint(fullText(s)));
    printed = { text: progressText(s), at: now() };
  };

  /**
   * The stage is over: the status line goes, and the stage's last count stays
   * as a line of its own (as plain lines: unless the last one printed said it).
   */
  const endStatus = (): void => {
    if (!status) return;
    const last = status;
    status = null;
    if (ticker) clearInterval(ticker);
    if (drawTimer) clearTimeout(drawTimer);
    ticker = null;
    drawTimer = null;
    if (interactive || printed?.text !== progressText(last)) printProgress(last);
    printed = null;
  };

  return {
    interactive,
    info: (m) => ownLine('err', m),
    warning: (m) => ownLine('err', `${sgr('33', 'warning:', '39')} ${m}`),
    error: (m) => ownLine('err', `${sgr('31', 'error:', '39')} ${m}`),
    line: (text) => ownLine('err', text),
    result: (text) => ownLine(lineOf('stdout'), text, out),
    group: async (title, fn) => {
      ownLine('err', `${sgr('34', '==>', '39')} ${sgr('1', title, '22')}`);
      const level = ++depth;
      groupStarts[level - 1] = now();
      try {
        return await fn();
      } finally {
        depth = level - 1;
        if (status && status.depth >= level) endStatus();
      }
    },
    progress: (label, done, total, detail) => {
      if (status && status.label !== label) endStatus();
      const since = status?.since ?? (depth > 0 ? groupStarts[depth - 1]! : now());
      status = { label, done, total, detail, since, depth };
      if (!interactive) {
        const text = progressText(status);
        const due = !printed || now() - printed.at >= PLAIN_PROGRESS_MS;
        if (due && printed?.text !== text) printProgress(status);
        return;
      }
      scheduleDraw();
      if (!ticker) {
        ticker = setInterval(scheduleDraw, 1000); // the elapsed time moves on
        ticker.unref();
      }
    },
    mask: () => {}, // a terminal has no masking; what the pipeline prints is scrubbed instead
    output: (chunk, s) => {
      const text = held[s] + (typeof chunk === 'string' ? chunk : decoders[s].write(chunk));
      const cut = text.lastIndexOf('\n') + 1;
      held[s] = text.slice(cut);
      emit(s, text.slice(0, cut));
      if (!held[s] || held[s].length >= HOLD_CHARS) release(s);
      else if (!holdTimers[s]) {
        holdTimers[s] = setTimeout(() => release(s), HOLD_MS);
        holdTimers[s].unref();
      }
    },
    finish: () => {
      for (const s of ['stdout', 'stderr'] as const) {
        held[s] += decoders[s].end();
        release(s);
      }
      endStatus();
      hide();
      for (const line of ['err', 'out'] as const) {
        if (midLine[line]) (line === 'err' ? err : out).write('\n');
        midLine[line] = false;
      }
    },
  };
}
