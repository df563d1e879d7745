// How stages talk to the user. The action maps this onto @actions/core
// (groups, ::error::, ::warning::); the CLI onto a terminal progress line.
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** A collapsible section (a log group in Actions). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Progress of long work: `done` of `total` (total may be unknown). */
  progress(label: string, done: number, total?: number): void;
}

/** Used by tests and library callers that want silence but keep warnings. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: async (title, fn) => {
      lines.push(`group: ${title}`);
      return fn();
    },
    progress: () => {},
  };
}
