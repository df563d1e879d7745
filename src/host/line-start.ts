// The build's own output reaches the job log in chunks that may end mid-line
// (a process stopped while writing, a progress line without its newline).
// A workflow command (::error::, ::add-mask::, ::group::) counts only at the
// start of a line: the runner would print a glued one as text, and a mask
// would not be applied. So each stream's last byte is watched, and a line is
// ended before the action writes one.
export interface LineStart {
  /** Writes a chunk of the build's output to its stream. */
  write(chunk: Buffer, stream: 'stdout' | 'stderr'): void;
  /** Ends any line the build left open, so that what comes next starts one. */
  end(): void;
}

export function lineStart(streams: {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}): LineStart {
  const open = { stdout: false, stderr: false };
  return {
    write(chunk, stream) {
      if (chunk.length === 0) return;
      streams[stream].write(chunk);
      open[stream] = chunk[chunk.length - 1] !== 0x0a;
    },
    end() {
      for (const s of ['stdout', 'stderr'] as const)
        if (open[s]) {
          streams[s].write('\n');
          open[s] = false;
        }
    },
  };
}
