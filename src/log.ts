// How stages talk to the user. The action maps this onto @actions/core
// (groups, ::error::, ::warning::, ::add-mask::); the CLI onto a terminal
// progress line.
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** A collapsible section (a log group in Actions). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Progress of long work: `done` of `total` (total may be unknown), and a few
   * words on what the count is made of (`2 built · 3 reused`).
   */
  progress(label: string, done: number, total?: number, detail?: string): void;
  /** A secret value the log must never show (::add-mask:: in Actions; nothing on a terminal). */
  mask(value: string): void;
}

/** Used by tests and library callers that want silence but keep warnings. */
export function memoryLog(): Log & { lines: string[]; masked: string[] } {
  const lines: string[] = [];
  const masked: string[] = [];
  return {
    lines,
    masked,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: async (title, fn) => {
      lines.push(`group: ${title}`);
      return fn();
    },
    progress: () => {},
    mask: (v) => masked.push(v),
  };
}

/** `log` with every message and group title passed through `scrub` first. */
export function redactingLog(log: Log, scrub: (text: string) => string): Log {
  return {
    info: (m) => log.info(scrub(m)),
    warning: (m) => log.warning(scrub(m)),
    error: (m) => log.error(scrub(m)),
    group: (title, fn) => log.group(scrub(title), fn),
    progress: (label, done, total, detail) => log.progress(label, done, total, detail),
    mask: (v) => log.mask(v),
  };
}
