// The CLI's terminal Log, on fake streams: where the status line is drawn,
// what the screen is left with, and plain lines when not on a terminal.
import {
  formatElapsed,
  progressText,
  type TerminalStream,
  terminalLog,
} from '../src/host/terminal.js';
import { render } from './support/screen.js';

const ESC = String.fromCharCode(27);
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`);

function fake(tty: boolean, columns = 60): TerminalStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY: tty,
    columns,
    write: (t: string) => chunks.push(t),
    text: () => chunks.join(''),
  };
}

/** stdout and stderr on one terminal: both write to the same place. */
function oneTerminal(columns = 60) {
  const screen = fake(true, columns);
  const out: TerminalStream = { isTTY: true, columns, write: (t) => screen.write(t) };
  return { screen, out, err: screen };
}

function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

test('a build line split across chunks is never cut by the status line', () => {
  const { screen, out, err } = oneTerminal();
  const time = clock();
  const log = terminalLog({ out, err, env: {}, now: time.now });
  log.progress('recording', 3);
  log.output(Buffer.from('   Compiling'), 'stderr');
  time.advance(500);
  log.progress('recording', 4); // drawn below the complete lines only
  log.output(Buffer.from(' libc v0.2.139\n   Compiling tiny v0.1.0\n'), 'stderr');
  time.advance(500);
  log.progress('recording', 5);
  const before = render(screen.text());
  expect(before.lines).toEqual([
    '   Compiling libc v0.2.139',
    '   Compiling tiny v0.1.0',
    '[recording] 5 done · 0:01',
  ]);
  log.finish();
  const after = render(screen.text());
  // The stage's last count stays, as a line of its own.
  expect(after.lines).toEqual([
    '   Compiling libc v0.2.139',
    '   Compiling tiny v0.1.0',
    '[recording] 5 done · 0:01',
    '',
  ]);
  expect(after.col).toBe(0);
  // The status was cleared (CR, erase line) before the build's line was written.
  expect(screen.text()).toContain(`\r${ESC}[K   Compiling libc`);
});

test('our own lines go above the status, after the build line in progress is complete', async () => {
  const { screen, out, err } = oneTerminal();
  const time = clock();
  const log = terminalLog({ out, err, env: { NO_COLOR: '1' }, now: time.now });
  await log.group('Nix build: 5 steps', async () => {
    log.progress('nix build', 1, 5, '1 built · 0 reused');
    log.output('half a line', 'stdout');
    log.warning('careful');
    log.output(' and its end\n', 'stdout');
    time.advance(200);
    log.progress('nix build', 2, 5, '2 built · 0 reused');
    expect(render(screen.text()).lines.at(-1)).toBe(
      '[nix build] 2/5 steps · 2 built · 0 reused · 0:00',
    );
  });
  // The status line ends with its group, its last count left as a line.
  expect(render(screen.text()).lines).toEqual([
    '==> Nix build: 5 steps',
    'warning: careful',
    'half a line and its end',
    '[nix build] 2/5 steps · 2 built · 0 reused · 0:00',
    '',
  ]);
  log.result('steps=5');
  log.finish();
  expect(render(screen.text()).lines.slice(-2)).toEqual(['steps=5', '']);
  expect(screen.text()).not.toMatch(SGR);
});

test('a line the build leaves unfinished is shown at the end, and the cursor ends at column 0', () => {
  const { screen, out, err } = oneTerminal();
  const log = terminalLog({ out, err, env: {}, now: clock().now });
  log.progress('recording', 1);
  log.output('Downloading…', 'stderr');
  log.finish();
  const s = render(screen.text());
  expect(s.lines).toEqual(['Downloading…', '[recording] 1 done · 0:00', '']);
  expect(s.col).toBe(0);
});

test('redrawn at most once per 100 ms, truncated to the width', () => {
  const { screen, out, err } = oneTerminal(30);
  const time = clock();
  const log = terminalLog({ out, err, env: {}, now: time.now });
  for (let i = 0; i < 100; i++) log.progress('a long stage label', i, 100, 'many words here');
  expect(screen.text().split('\r').length - 1).toBe(1);
  const line = render(screen.text()).lines[0]!;
  expect([...line].length).toBeLessThanOrEqual(29);
  expect(line.endsWith('…')).toBe(true);
  log.finish();
});

test('colours only on a terminal and without NO_COLOR', () => {
  const tty = oneTerminal();
  const coloured = terminalLog({ out: tty.out, err: tty.err, env: {}, now: clock().now });
  coloured.warning('w');
  coloured.error('e');
  expect(tty.screen.text()).toContain(`${ESC}[33mwarning:`);
  expect(tty.screen.text()).toContain(`${ESC}[31merror:`);
  const plain = oneTerminal();
  const noColor = terminalLog({
    out: plain.out,
    err: plain.err,
    env: { NO_COLOR: 'yes' },
    now: clock().now,
  });
  noColor.warning('w');
  noColor.error('e');
  expect(plain.screen.text()).toBe('warning: w\nerror: e\n');
});

test.each([
  ['stderr not a terminal', false, {}],
  ['TERM=dumb', true, { TERM: 'dumb' }],
])('%s: plain lines, no carriage return, no escape sequence', async (_, tty, env) => {
  const err = fake(tty);
  const out = fake(false);
  const time = clock();
  const log = terminalLog({ out, err, env, now: time.now });
  expect(log.interactive).toBe(false);
  await log.group('Build (recording): cargo build', async () => {
    for (let n = 0; n < 30; n++) {
      log.progress('recording', n);
      time.advance(1000);
      log.output(`line ${n}`, 'stderr');
      log.output('\n', 'stderr');
    }
    log.output('unfinished', 'stderr');
    log.warning('careful');
  });
  log.result('steps=5');
  log.finish();
  const text = err.text();
  expect(text).not.toContain('\r');
  expect(text).not.toContain(ESC);
  const lines = text.split('\n');
  // The first, one every 10 s, and the stage's last.
  expect(lines.filter((l) => l.startsWith('[recording]'))).toEqual([
    '[recording] 0 done · 0:00',
    '[recording] 10 done · 0:10',
    '[recording] 20 done · 0:20',
    '[recording] 29 done · 0:30',
  ]);
  expect(lines).toContain('line 17');
  // Our line is not glued to the build's unfinished one.
  expect(lines).toContain('warning: careful');
  expect(out.text()).toBe('steps=5\n');
});

test('the words of the status', () => {
  expect(progressText({ label: 'recording', done: 4, total: undefined, detail: undefined })).toBe(
    '[recording] 4 done',
  );
  expect(
    progressText({ label: 'nix build', done: 3, total: 5, detail: '1 built · 2 reused' }),
  ).toBe('[nix build] 3/5 steps · 1 built · 2 reused');
  expect(formatElapsed(65_000)).toBe('1:05');
  expect(formatElapsed(3_725_000)).toBe('1:02:05');
});

test("a stage's time counts from the start of its group", async () => {
  const { screen, out, err } = oneTerminal();
  const time = clock();
  const log = terminalLog({ out, err, env: { NO_COLOR: '1' }, now: time.now });
  await log.group('Build (recording): cargo build', async () => {
    time.advance(3000);
    log.progress('recording', 7);
    expect(render(screen.text()).lines.at(-1)).toBe('[recording] 7 done · 0:03');
  });
  log.finish();
});

test('a character split between two chunks, and a held line shown after a second', async () => {
  const { screen, out, err } = oneTerminal();
  const log = terminalLog({ out, err, env: {}, now: clock().now });
  const bytes = Buffer.from('   Compiling naïve v1.0.0\n');
  const at = bytes.indexOf(0xc3) + 1; // inside ï
  log.output(bytes.subarray(0, at), 'stderr');
  log.output(bytes.subarray(at), 'stderr');
  log.output(Buffer.from('waiting for the lock'), 'stderr');
  expect(render(screen.text()).lines).toEqual(['   Compiling naïve v1.0.0', '']);
  await new Promise((r) => setTimeout(r, 1200));
  expect(render(screen.text()).lines).toEqual([
    '   Compiling naïve v1.0.0',
    'waiting for the lock',
  ]);
  log.finish();
  expect(render(screen.text()).lines).toEqual([
    '   Compiling naïve v1.0.0',
    'waiting for the lock',
    '',
  ]);
});
