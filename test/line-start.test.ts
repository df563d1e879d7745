// A workflow command counts only at the start of a line: the build's output
// may stop mid-line (a stopped process), and the action's next line must not
// be glued to it (src/host/line-start.ts, used by the action's main step).
import { Writable } from 'node:stream';
import { lineStart } from '../src/host/line-start.js';

function sink(): Writable & { text: () => string } {
  const parts: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      parts.push(chunk.toString());
      done();
    },
  });
  return Object.assign(w, { text: () => parts.join('') });
}

test('an open line of either stream is ended before the action writes, once; a closed one is left alone', () => {
  const stdout = sink();
  const stderr = sink();
  const lines = lineStart({ stdout, stderr });
  lines.write(Buffer.from('   Compiling alpha v0.1.0\n'), 'stderr');
  lines.write(Buffer.from('partial out'), 'stdout');
  lines.end();
  lines.end();
  stdout.write('::error::Cancelled\n');
  expect(stdout.text()).toBe('partial out\n::error::Cancelled\n');
  expect(stderr.text()).toBe('   Compiling alpha v0.1.0\n');
  lines.write(Buffer.from('   Compiling be'), 'stderr');
  lines.write(Buffer.alloc(0), 'stderr');
  lines.end();
  expect(stderr.text()).toBe('   Compiling alpha v0.1.0\n   Compiling be\n');
  expect(stdout.text()).toBe('partial out\n::error::Cancelled\n');
});
