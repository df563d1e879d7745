// Nix's internal-json log turned back into its plain lines and a count of
// builds (lines as Nix 2.8 writes them for a build with a failing step).
import { buildProgress } from '../src/nix/build.js';
import { nixJsonLog } from '../src/nix/log-json.js';

const OK = '/nix/store/pj6q0672hayv5avfqc72m269yf9h6cfk-rbn-ok.drv';
const BAD = '/nix/store/9cq4gjjhzl7picwazdwsmdw1yjg2mwcz-rbn-bad.drv';
const E = '\\u001b';
const LINES = [
  '@nix {"action":"start","id":1,"level":0,"text":"","type":102}',
  '@nix {"action":"start","id":2,"level":0,"text":"","type":104}',
  '@nix {"action":"result","fields":[0,1,0,0],"id":2,"type":105}',
  '@nix {"action":"start","id":4,"level":6,"text":"querying info about missing paths","type":0}',
  '@nix {"action":"stop","id":4}',
  '@nix {"action":"result","fields":[0,3,0,0],"id":2,"type":105}',
  `@nix {"action":"start","fields":["${OK}","",1,1],"id":5,"level":3,"text":"building '${OK}'","type":105}`,
  '@nix {"action":"result","fields":[0,3,1,0],"id":2,"type":105}',
  '@nix {"action":"result","fields":["a line of the build log"],"id":5,"type":101}',
  '@nix {"action":"stop","id":5}',
  '@nix {"action":"result","fields":[1,3,0,0],"id":2,"type":105}',
  `@nix {"action":"start","fields":["${BAD}","",1,1],"id":6,"level":3,"text":"building '${BAD}'","type":105}`,
  `@nix {"action":"msg","column":null,"file":null,"level":0,"line":null,"msg":"${E}[31;1merror:${E}[0m builder for '${E}[35;1m${BAD}${E}[0m' failed with exit code 3"}`,
  '@nix {"action":"stop","id":6}',
  '@nix {"action":"msg","level":5,"msg":"a debug message"}',
  'a line that is not JSON',
  '@nix {not json',
];

test('the lines Nix would have printed, and the builds as they start and stop', () => {
  const decode = nixJsonLog();
  const events = LINES.map(decode).filter((e) => e !== null);
  expect(events.flatMap((e) => (e.text === undefined ? [] : [e.text]))).toEqual([
    `building '${OK}'...`,
    `building '${BAD}'...`,
    `error: builder for '${BAD}' failed with exit code 3`,
    'a line that is not JSON',
    '@nix {not json',
  ]);
  expect(events.flatMap((e) => (e.buildStarted ? [e.buildStarted] : []))).toEqual([OK, BAD]);
  expect(events.flatMap((e) => (e.buildStopped ? [e.buildStopped] : []))).toEqual([OK, BAD]);
  expect(events.flatMap((e) => (e.builds ? [e.builds.expected] : []))).toEqual([1, 3, 3, 3]);
});

test('built and reused of the steps, rbn-result not counted as a step', () => {
  expect(buildProgress(5, { started: 0, finished: 0, failed: 0, expected: null }, true)).toEqual({
    done: 0,
    detail: 'evaluating',
  });
  // Nix will build 3: two steps and rbn-result; three steps are reused.
  expect(buildProgress(5, { started: 1, finished: 0, failed: 0, expected: 3 }, true)).toEqual({
    done: 3,
    detail: '0 built · 3 reused · 1 building',
  });
  expect(buildProgress(5, { started: 2, finished: 2, failed: 0, expected: 3 }, true)).toEqual({
    done: 5,
    detail: '2 built · 3 reused',
  });
  expect(buildProgress(5, { started: 2, finished: 1, failed: 1, expected: 3 }, true)).toEqual({
    done: 4,
    detail: '1 built · 3 reused · 1 failed',
  });
  // Everything in the store already.
  expect(buildProgress(5, { started: 0, finished: 0, failed: 0, expected: 0 }, true)).toEqual({
    done: 5,
    detail: '0 built · 5 reused',
  });
  // Done: what Nix started is all it built.
  expect(buildProgress(5, { started: 2, finished: 2, failed: 0, expected: 3 }, true, true)).toEqual(
    { done: 5, detail: '2 built · 3 reused' },
  );
  expect(
    buildProgress(5, { started: 0, finished: 0, failed: 0, expected: null }, true, true),
  ).toEqual({ done: 5, detail: '0 built · 5 reused' });
  // One step's attribute: no rbn-result.
  expect(buildProgress(1, { started: 0, finished: 0, failed: 0, expected: 1 }, false)).toEqual({
    done: 0,
    detail: '0 built · 0 reused',
  });
});
